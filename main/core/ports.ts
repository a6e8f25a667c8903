// The OS-facing ports the core needs; the Electron shell, the CLI and tests each supply their own implementations.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logging: an event name plus fields. Fields must never carry secrets; the vault is the only place for them. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): number;
}

/** Where the process may write state; resolved per OS by platform/paths.ts or given by `--data-dir`. */
export interface Paths {
  dataDir: string;
}

/** Opens a URL in the person's browser; implementations must refuse anything but https (or http on loopback). */
export interface BrowserOpener {
  open(url: string): Promise<void>;
}

/** The OS keychain; `get` resolves undefined for a missing secret and rejects with VAULT_UNAVAILABLE when locked. */
export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const systemClock: Clock = { now: () => Date.now() };
