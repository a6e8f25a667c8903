// The application layer assembled: every use case once, over one context — the running core's (serve, the app) or a CLI command's.
import type { Logger } from '../ports.ts';
import type { Switchboard } from '../switchboard.ts';
import type { AppContext } from './app-context.ts';
import { createAuditService, type AuditService } from './audit.ts';
import { createClientSetupService, type ClientSetupService, type ThisMachine } from './client-setup.ts';
import { createClientsService, type ClientsService } from './clients.ts';
import { commandContext, type CommandContextOptions } from './command-context.ts';
import { createDiscoveryService, type DiscoveryService } from './discovery.ts';
import { hostedContext, type RunningCore } from './hosted-context.ts';
import { createFirstRunService, type FirstRunService } from './first-run.ts';
import { createLogsService, type HostLog, type LogsService } from './logs.ts';
import { createServersService, type ServersService } from './servers.ts';
import { createSettingsService, type SettingsService } from './settings.ts';
import { createSignInHistory, type SignInHistory } from './sign-in-history.ts';
import { createSignInService, type SignInService } from './sign-in.ts';
import { createStatusService, type StatusService } from './status.ts';
import { createToolsService, type ToolsService } from './tools.ts';

export interface App {
  readonly context: AppContext;
  servers: ServersService;
  discovery: DiscoveryService;
  signIn: SignInService;
  clients: ClientsService;
  audit: AuditService;
  settings: SettingsService;
  /** Tools held for review after a change, and approving them. */
  tools: ToolsService;
}

/** The app over the core running in this process: what the UI service (pages and tray) uses. */
export interface HostedApp extends App {
  clientSetup: ClientSetupService;
  status: StatusService;
  /** How the running core's sign-ins ended lately, whoever started them. */
  signInHistory: SignInHistory;
  /** The host's recent log lines. */
  logs: LogsService;
  /** Whether the window shows its guided first run. */
  firstRun: FirstRunService;
  /** The running core; the host replaces it on a restart. */
  core(): Switchboard;
}

export function createApp(context: AppContext): App {
  return {
    context,
    servers: createServersService(context),
    discovery: createDiscoveryService(context),
    signIn: createSignInService(context),
    clients: createClientsService(context),
    audit: createAuditService(context),
    settings: createSettingsService(context),
    tools: createToolsService(context),
  };
}

export function createHostedApp(host: RunningCore, options: { logger: Logger; machine: ThisMachine; log?: HostLog | undefined }): HostedApp {
  const app = createApp(hostedContext(host, options.logger));
  const core = () => host.switchboard();
  // Sign-in and status know of each other: a sign-in that starts or ends shows in the next status, and the sign-ins
  // the status sees (started from the tray, the CLI) are followed so their outcome can be told.
  const signInHistory = createSignInHistory(core, () => status.invalidate());
  const status = createStatusService(core, (signingIn) => signInHistory.follow(signingIn));
  return {
    ...app,
    clientSetup: createClientSetupService(app.context, app.clients, options.machine),
    status,
    signInHistory,
    logs: createLogsService(options.log),
    firstRun: createFirstRunService(app.context, app.clients),
    core,
  };
}

/** The app for one CLI command; close it when the command is done (it may hold the audit database open). */
export function openCommandApp(options: CommandContextOptions): App & { close(): void } {
  const context = commandContext(options);
  return { ...createApp(context), close: () => context.close() };
}
