// Which keychain a process uses: the OS keychain, or — only when SWITCHBOARD_KEYCHAIN=memory says so — one in memory, announced once.
import { SwitchboardError } from '../errors.ts';
import { silentLogger } from '../logging/json-logger.ts';
import type { Logger, SecretStore } from '../ports.ts';
import { KeychainSecretStore } from './keychain-secret-store.ts';
import { MEMORY_KEYCHAIN_NOTICE, MemoryKeychain } from './memory-keychain.ts';

/** `memory` keeps secrets in the process (demos); anything else, or nothing, means the OS keychain. */
export const KEYCHAIN_ENV = 'SWITCHBOARD_KEYCHAIN';
/** With `memory`: a JSON object of account → secret the memory keychain starts with (the demo's sandbox client secrets). */
export const KEYCHAIN_SEED_ENV = 'SWITCHBOARD_KEYCHAIN_SEED';

// One memory keychain per profile and process: a command asks for its store more than once and must see its own writes.
const memoryKeychains = new Map<string, MemoryKeychain>();

export function openSecretStore(profile: string, options: { logger?: Logger; env?: NodeJS.ProcessEnv } = {}): SecretStore & { accounts(): Promise<string[]> } {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  if (env[KEYCHAIN_ENV] !== 'memory') return new KeychainSecretStore(profile, { logger, env });
  let keychain = memoryKeychains.get(profile);
  if (!keychain) {
    memoryKeychains.set(profile, (keychain = new MemoryKeychain(seedOf(env))));
    logger.log('warn', 'vault.in_memory', { profile, message: MEMORY_KEYCHAIN_NOTICE });
  }
  return keychain;
}

function seedOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const text = env[KEYCHAIN_SEED_ENV];
  if (!text) return {};
  try {
    const seed = JSON.parse(text) as unknown;
    if (seed && typeof seed === 'object' && !Array.isArray(seed) && Object.values(seed).every((value) => typeof value === 'string'))
      return seed as Record<string, string>;
  } catch {
    // Reported below, without echoing the text: it holds secrets.
  }
  throw new SwitchboardError('CONFIG_INVALID', `${KEYCHAIN_SEED_ENV} must be a JSON object of account names to secret strings`);
}
