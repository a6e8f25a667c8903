// The core's one door: everything the shell and the CLI may use is exported here, and nothing else.
export { createSwitchboard, type Switchboard, type SwitchboardAuth, type SwitchboardDeps, type SwitchboardStatus } from './switchboard.ts';
export { vaultAccounts } from './vault/vault.ts';
export { KeytarSecretStore } from './vault/keytar-secret-store.ts';
export type { ServerAuthStatus } from './auth/server-authorizer.ts';
export type { SsoStatus } from './auth/enterprise-sso.ts';
export { loadConfigFile, parseConfigText } from './config/load-config.ts';
export { configSchema, type SwitchboardConfig, type ServerConfig } from './config/config-schema.ts';
export { SwitchboardError, isSwitchboardError } from './errors.ts';
export { createJsonLogger, silentLogger } from './logging/json-logger.ts';
export { defaultPaths } from './platform/default-paths.ts';
export type { Logger, LogLevel, Paths, SecretStore, BrowserOpener, Clock } from './ports.ts';
export type { UpstreamStatus } from './upstream/upstream-connection.ts';
export { SWITCHBOARD_VERSION } from './version.ts';
export { assertBrowserUrl } from './platform/browser-url-policy.ts';
export { ClientRegistry, clientRegistryPath, type RegisteredClient } from './clients/client-registry.ts';
export { readControlStatus, controlSocketPath } from './control/control-socket.ts';
export { runStdioBridge } from './bridge/stdio-bridge.ts';
