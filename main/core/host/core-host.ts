// Runs the core from a configuration file for serve and the app: loads config and policy, starts, restarts on the same port after an edit, and keeps AI clients on today's address.
import type { PathEnvironment } from '../clients/ai-client-targets.ts';
import { ClientRegistry, clientRegistryPath } from '../clients/client-registry.ts';
import { syncConfiguredClients } from '../clients/client-sync.ts';
import { applyCompanyPolicy } from '../config/apply-policy.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import { loadConfigFile } from '../config/load-config.ts';
import { loadCompanyPolicy } from '../discovery/company-policy.ts';
import type { BrowserOpener, Logger, SecretStore } from '../ports.ts';
import { createSwitchboard, type Switchboard } from '../switchboard.ts';
import { companyPolicyPath } from './company-policy-reader.ts';

export interface CoreHostOptions {
  configPath: string;
  dataDir: string;
  logger: Logger;
  /** Overrides the file's gateway.port (the CLI's --port). */
  port?: number;
  allowAnonymous?: boolean;
  secretStore?: SecretStore;
  browser?: BrowserOpener;
  /** Where AI clients keep their files: after every start their Switchboard entries are pointed at today's address. */
  aiClients?: { pathEnvironment: PathEnvironment };
}

export interface CoreHost {
  readonly configPath: string;
  readonly dataDir: string;
  switchboard(): Switchboard;
  /** The configuration the running core was started with (the company policy applied). */
  config(): SwitchboardConfig;
  mcpUrl(): string;
  /**
   * Reads the configuration again and restarts the core. The endpoint keeps its port, so clients keep their URL —
   * unless the change was the port itself (`keepPort: false`).
   */
  restart(options?: { keepPort?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** The policy is applied at every (re)start: a server it denies is not run. The app reads it again whenever it is used. */
async function load(options: CoreHostOptions, logger: Logger): Promise<{ config: SwitchboardConfig; privateHosts: readonly string[] }> {
  let config = await loadConfigFile(options.configPath);
  let privateHosts: readonly string[] = [];
  const policyPath = companyPolicyPath(options.configPath, config);
  if (policyPath) {
    const policy = await loadCompanyPolicy(policyPath);
    const outcome = applyCompanyPolicy(config, policy);
    for (const { id, reason } of outcome.disabled) logger.log('warn', 'policy.server_disabled', { server: id, reason });
    config = outcome.config;
    privateHosts = policy.privateHosts;
  }
  if (options.port !== undefined) config.gateway.port = options.port;
  return { config, privateHosts };
}

export async function startCoreHost(options: CoreHostOptions): Promise<CoreHost> {
  const { logger } = options;
  let loaded = await load(options, logger);
  const create = ({ config, privateHosts }: { config: SwitchboardConfig; privateHosts: readonly string[] }) =>
    createSwitchboard({
      config,
      privateHosts,
      logger,
      paths: { dataDir: options.dataDir },
      allowAnonymous: Boolean(options.allowAnonymous),
      ...(options.secretStore ? { secretStore: options.secretStore } : {}),
      ...(options.browser ? { browser: options.browser } : {}),
    });
  const registry = new ClientRegistry(clientRegistryPath(options.dataDir));
  // Before the ready line, so a client started right after it finds the address it was given.
  const syncClients = async (switchboard: Switchboard, url: string) => {
    if (!options.aiClients) return;
    registry.list(); // re-read now: only credentials registered at this moment count as this Switchboard's
    const outcomes = await syncConfiguredClients({
      mcpUrl: url,
      pathEnvironment: options.aiClients.pathEnvironment,
      accepts: (credential) => registry.authenticate(credential) !== undefined,
      logger,
    });
    for (const { client, path } of outcomes.filter(({ outcome }) => outcome === 'updated'))
      switchboard.recordSecurityEvent({ method: 'client.address_updated', client, details: { path, mcpUrl: url } });
  };
  let current = create(loaded);
  let mcpUrl = (await current.start()).mcpUrl;
  await syncClients(current, mcpUrl);
  let restarting: Promise<void> | undefined;
  /** The restart that follows the running one, shared by every request made while it runs. */
  let following: Promise<void> | undefined;

  const restart = (restartOptions: { keepPort?: boolean } = {}): Promise<void> => {
    // A change made while a restart runs may come after that restart read the configuration: one more restart follows
    // it, so the last change always reaches the running core (a server switched off and on again fast stays on).
    if (restarting) {
      following ??= restarting
        .catch(() => undefined)
        .then(() => {
          following = undefined;
          return restart(restartOptions);
        });
      return following;
    }
    restarting = (async () => {
      const next = await load(options, logger);
      // A chosen port is pinned to today's; with port 0 the remembered port (today's) is asked for, and a taken one may move.
      if (restartOptions.keepPort !== false && next.config.gateway.port !== 0) next.config.gateway.port = Number(new URL(mcpUrl).port);
      await current.stop();
      loaded = next;
      current = create(next);
      mcpUrl = (await current.start()).mcpUrl;
      await syncClients(current, mcpUrl);
      logger.log('info', 'switchboard.restarted', { mcpUrl, servers: next.config.servers.filter((server) => server.enabled).length });
    })().finally(() => {
      restarting = undefined;
    });
    return restarting;
  };

  return {
    configPath: options.configPath,
    dataDir: options.dataDir,
    switchboard: () => current,
    config: () => loaded.config,
    mcpUrl: () => mcpUrl,
    restart,
    async stop() {
      await following?.catch(() => undefined);
      await restarting?.catch(() => undefined);
      await current.stop();
    },
  };
}
