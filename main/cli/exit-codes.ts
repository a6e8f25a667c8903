// The exit codes every command uses, one meaning each, so scripts can tell a typo from a failure from a missing thing.
import { isSwitchboardError } from '../core/index.ts';

export const ExitCode = {
  ok: 0,
  /** The command ran and failed: a bad configuration, an unreachable server, a locked keychain… (stderr has the code). */
  failure: 1,
  /** The command line itself is wrong: an unknown command or option, a missing or malformed argument. */
  usage: 2,
  /** What the command names does not exist: no running Switchboard, no such configuration file, AI client target or host. */
  notFound: 3,
  /** `audit verify` found the hash chain broken. */
  auditChainBroken: 4,
  /** Stopped by Ctrl-C (128 + SIGINT), as a shell reports it. */
  interrupted: 130,
} as const;

/** Error codes that mean "the thing you named is not there" rather than "it failed". */
const NOT_FOUND_CODES = new Set<string>(['GATEWAY_NOT_RUNNING', 'CONFIG_NOT_FOUND', 'DISCOVERY_NOT_FOUND', 'CLIENT_TARGET_UNKNOWN']);

export function exitCodeOfError(error: unknown): number {
  return isSwitchboardError(error) && NOT_FOUND_CODES.has(error.code) ? ExitCode.notFound : ExitCode.failure;
}

/** For `--help`: the same table in words. */
export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the command failed (stderr names the error code, e.g. CONFIG_INVALID, VAULT_UNAVAILABLE)
  2    usage error: unknown command or option, missing or malformed argument
  3    not found: no running Switchboard, no such configuration file, AI client or host
  4    audit verify: the hash chain is broken
  130  interrupted (Ctrl-C)`;
