// Setting AI clients up on this machine, for the UI and the CLI alike: each one's state (configured, stale), a preview of the change, applying it and undoing it.
import {
  applySetup,
  clientTargetsFor,
  inspectClient,
  previewSetup,
  undoSetup,
  type AiClientState,
  type SetupPreview,
  type SetupResult,
} from '../clients/ai-client-setup.ts';
import { entryFor, findTarget, type AiClientId, type AiClientTarget, type PathEnvironment } from '../clients/ai-client-targets.ts';
import type { ClientCommands } from '../clients/client-commands.ts';
import { runningSwitchboard } from '../control/control-client.ts';
import { isSwitchboardError, SwitchboardError } from '../errors.ts';
import { readRememberedPort } from '../gateway/endpoint-address.ts';
import { silentLogger } from '../logging/json-logger.ts';
import type { AppContext } from './app-context.ts';
import type { ClientsService } from './clients.ts';

/** What only the process that runs the core knows: where AI clients keep their files, and how this installation starts the stdio bridge. */
export interface ThisMachine {
  pathEnvironment: PathEnvironment;
  /** The full command line that starts `switchboard stdio`, resolved to this installation, for Claude Desktop. */
  bridgeCommand: { command: string; args: string[]; env?: Record<string, string> };
  /** The clients' own command-line tools (Claude Code's `claude mcp`); without it files are edited directly. */
  commands?: ClientCommands;
}

export type AiClientListing = AiClientState &
  Pick<AiClientTarget, 'id' | 'name' | 'transport' | 'format' | 'source'> & {
    method: 'file' | 'copy';
    notes?: string;
  };

/** Today's endpoint: where the running Switchboard listens, else where it will listen at its next start. */
export interface EndpointAddress {
  mcpUrl: string | undefined;
  running: boolean;
}

export interface ClientSetupService {
  list(): Promise<AiClientListing[]>;
  /** One target's description (no file is read); CLIENT_TARGET_UNKNOWN for a name that is none. */
  target(client: AiClientId): Pick<AiClientTarget, 'id' | 'name' | 'notes'> & { method: 'file' | 'copy' };
  endpoint(): Promise<EndpointAddress>;
  /** The change with a placeholder where the credential goes, and only a summary of the rest of the file: a preview never holds a secret. */
  preview(client: AiClientId): Promise<SetupPreview>;
  configure(client: AiClientId): Promise<SetupResult>;
  /**
   * For a client whose servers live in its own settings (JetBrains): the JSON to paste, with the real credential.
   * The CLI prints it to the person's terminal; the UI never asks for it (its contract carries no secrets).
   */
  copyReadyJson(client: AiClientId): Promise<string>;
  /** Removes the entry and revokes the credential made for it: kept, a backup or copy of the old file would still work. */
  undo(client: AiClientId): Promise<{ path: string; removed: boolean }>;
}

const CREDENTIAL_PLACEHOLDER = '«your Switchboard credential, written only to this file»';

export function createClientSetupService(context: AppContext, clients: ClientsService, machine: ThisMachine): ClientSetupService {
  const env = machine.pathEnvironment;
  const setupOptions = machine.commands ? { commands: machine.commands } : {};

  function targetOf(id: AiClientId): AiClientTarget {
    const target = findTarget(id, clientTargetsFor(env));
    if (!target) throw new SwitchboardError('CLIENT_TARGET_UNKNOWN', `no AI client "${id}"; \`switchboard clients targets\` lists them`);
    return target;
  }

  async function endpoint(): Promise<EndpointAddress> {
    const inProcess = context.core()?.status().mcpUrl;
    if (inProcess) return { mcpUrl: inProcess, running: true };
    if (context.core() === undefined) {
      // A CLI command: ask the Switchboard running with this data folder, if any.
      const running = await runningSwitchboard(context.dataDir)
        .status()
        .then(
          (status) => status.mcpUrl,
          (error: unknown) => {
            if (isSwitchboardError(error) && error.code === 'GATEWAY_NOT_RUNNING') return undefined;
            throw error;
          },
        );
      if (running) return { mcpUrl: running, running: true };
    }
    return { mcpUrl: await nextStartUrl(context), running: false };
  }

  async function entryForClient(target: AiClientTarget, withSecret: boolean): Promise<Record<string, unknown>> {
    const { mcpUrl } = await endpoint();
    if (!mcpUrl)
      throw new SwitchboardError(
        'GATEWAY_NOT_RUNNING',
        'Switchboard has no local endpoint yet; start it once (`switchboard serve` or the app) so it picks its address',
      );
    const credential = withSecret ? await clients.credentialFor(target.id) : CREDENTIAL_PLACEHOLDER;
    return entryFor(target, { mcpUrl, credential, bridgeCommand: machine.bridgeCommand });
  }

  return {
    endpoint,
    target(client) {
      const { id, name, notes, method } = targetOf(client);
      return { id, name, method: method ?? 'file', ...(notes ? { notes } : {}) };
    },
    async list() {
      // Re-read the registry now: a client removed a moment ago must show as stale, not as working.
      clients.list();
      const expectation = { mcpUrl: (await endpoint()).mcpUrl, accepts: (credential: string) => clients.accepts(credential) };
      return Promise.all(
        clientTargetsFor(env).map(async (target): Promise<AiClientListing> => {
          const state = await inspectClient(target, env, expectation);
          return {
            id: target.id,
            name: target.name,
            transport: target.transport,
            format: target.format,
            method: target.method ?? 'file',
            source: target.source,
            ...(target.notes ? { notes: target.notes } : {}),
            ...state,
          };
        }),
      );
    },
    preview: async (client) => previewSetup(targetOf(client), env, await entryForClient(targetOf(client), false), setupOptions),
    async configure(client) {
      const target = targetOf(client);
      if (target.method === 'copy')
        throw new SwitchboardError('CLIENT_SETUP_FAILED', `${target.name} has no file to write: ${target.notes ?? 'paste the JSON into its settings'}`);
      const result = await applySetup(target, env, await entryForClient(target, true), new Date(), setupOptions);
      context.logger.log('info', 'clients.configured', { client, path: result.path, via: result.via });
      context.recordSecurityEvent({ method: 'client.configured', client, details: { path: result.path, backup: result.backupPath, via: result.via } });
      return result;
    },
    async copyReadyJson(client) {
      const target = targetOf(client);
      const preview = await previewSetup(target, env, await entryForClient(target, true));
      context.recordSecurityEvent({ method: 'client.configured', client, details: { path: null, via: 'copy' } });
      return preview.entryAfter;
    },
    async undo(client) {
      const target = targetOf(client);
      const result = target.method === 'copy' ? { path: '', removed: false } : await undoSetup(target, env, setupOptions);
      if (result.removed) context.recordSecurityEvent({ method: 'client.unconfigured', client, details: { path: result.path } });
      const { keychainError } = await clients.remove(client);
      if (keychainError) context.logger.log('warn', 'clients.keychain_delete_failed', { client, message: keychainError });
      return result;
    },
  };
}

/** Where a stopped Switchboard will listen: the port the configuration fixes, else the one it remembered at its last start. */
async function nextStartUrl(context: AppContext): Promise<string | undefined> {
  const configured = await context.config().then(
    (config) => config.gateway.port,
    () => 0,
  );
  const port = configured !== 0 ? configured : await readRememberedPort(context.dataDir, silentLogger);
  return port ? `http://127.0.0.1:${port}/mcp` : undefined;
}
