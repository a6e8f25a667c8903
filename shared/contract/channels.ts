// The names of the UI contract's channels: the preload exposes exactly these and the shell handles exactly these.

export const INVOKE_CHANNELS = [
  'app:getStatus',
  'servers:list',
  'servers:detail',
  'servers:setEnabled',
  'servers:discover',
  'auth:status',
  'auth:signIn',
  'auth:cancelSignIn',
  'auth:signOut',
  'clients:list',
  'clients:preview',
  'clients:configure',
  'clients:undo',
  'clients:setView',
  'audit:query',
  'audit:summary',
  'audit:timeseries',
  'audit:verify',
  'audit:export',
  'settings:get',
  'settings:update',
  'tools:review',
  'tools:approve',
  'logs:recent',
  'logs:open',
  'firstRun:get',
  'firstRun:set',
] as const;

/** Pushed from the core to the page; a subscription returns a function that ends it. */
export const EVENT_CHANNELS = ['events:status', 'events:audit'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}
