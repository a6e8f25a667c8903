// The core's one door for the shell and the CLI: the host that runs the core, the use cases, the UI service over them, the ports and the errors.

// Running the core (serve, the app) and reaching the one already running (the CLI).
export { startCoreHost, type CoreHost, type CoreHostOptions } from './host/core-host.ts';
export type { SwitchboardStatus } from './switchboard.ts';
export { runningSwitchboard, type RunningSwitchboard } from './control/control-client.ts';
export { runStdioBridge } from './bridge/stdio-bridge.ts';

// The use cases, for a CLI command (the UI service uses the same ones over the running core).
export { openCommandApp, type App } from './app/app.ts';
export type { SignInSession } from './app/sign-in.ts';
export { exportedAuditRecord } from './app/audit.ts';
export type { AuditQuery, AuditSummary } from './audit/audit-store.ts';
export type { AuditRecord } from './audit/audit-record.ts';

// The UI contract's service, put together over the running core, and its loopback HTTP endpoint for `serve --ui`.
export { createUiServiceForHost } from './ui/host-ui-service.ts';
export type { UiService } from './ui/ui-service.ts';
export { startUiEndpoint, type UiEndpoint } from './ui/ui-endpoint.ts';
export { createClientSetupService, type ThisMachine, type AiClientListing } from './app/client-setup.ts';

// The ports, and the adapters the shell and the CLI choose from.
export type { Logger, LogLevel, Paths, SecretStore, BrowserOpener, Clock } from './ports.ts';
export type { PathEnvironment } from './clients/ai-client-targets.ts';
export { pathEnvironmentOfThisProcess } from './clients/ai-client-paths.ts';
export { systemClientCommands } from './clients/client-commands.ts';
export { createJsonLogger, silentLogger } from './logging/json-logger.ts';
export { defaultLogDir, defaultPaths } from './platform/default-paths.ts';
export { adoptLegacyDataDir, legacyDataDirs } from './platform/data-folder-migration.ts';
export { openRotatingLogFile, type RotatingLogFile } from './logging/rotating-log-file.ts';
export { RecentLogLines } from './logging/recent-log-lines.ts';
export { assertBrowserUrl } from './platform/browser-url-policy.ts';

export { SwitchboardError, isSwitchboardError } from './errors.ts';
export { SWITCHBOARD_VERSION } from './version.ts';
