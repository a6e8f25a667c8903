// The names of the UI contract's channels: the preload exposes exactly these and the shell handles exactly these.

export const INVOKE_CHANNELS = ['app:getStatus'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}
