// The AI clients Switchboard can configure, as data: where each keeps its MCP servers on each OS, the file's format, and the entry it reads.
import { locateConfigFile, type PathEnvironment, type PlatformPath, type SupportedPlatform } from './ai-client-paths.ts';

export type { PathEnvironment, SupportedPlatform } from './ai-client-paths.ts';

/** Target ids double as client-registry ids (a credential each), so they follow its pattern: 1-32 of a-z, 0-9, "-", "_". */
export type AiClientId = string;

/**
 * How the client reads its file, and so how Switchboard edits it and reads it back:
 * json = strict JSON (JSON.parse), jsonc = comments and trailing commas allowed, toml and yaml = a strict parser of each.
 */
export type ConfigFormat = 'json' | 'jsonc' | 'toml' | 'yaml';

export interface AiClientTarget {
  id: AiClientId;
  name: string;
  /**
   * Per OS; absent where the client does not run. Placeholders: `~` the home folder (%USERPROFILE% on Windows),
   * `%APPDATA%` and `%LOCALAPPDATA%` Windows' roaming and local folders, `$XDG_CONFIG_HOME` (default ~/.config).
   */
  paths: Partial<Record<SupportedPlatform, PlatformPath>>;
  /** An environment variable the client reads that moves its folder: the file is then `<value>/<file>`. */
  folderVariable?: { name: string; file: string };
  /** Folders whose presence says the client is installed, for a client whose file sits in the home folder itself. */
  detect?: Partial<Record<SupportedPlatform, string[]>>;
  format: ConfigFormat;
  /** Where the servers are: an object keyed by server name, or (Continue) a list of entries each with a `name`. */
  container: { path: string[]; shape: 'map' | 'named-list' };
  /** Claude Desktop's file takes only stdio servers: it gets the stdio bridge; the others speak HTTP to the endpoint. */
  transport: 'stdio-bridge' | 'http';
  /** For HTTP: the field naming the URL, where the headers object goes, and the fixed fields the client needs. */
  http?: { urlField: string; headersPath: string[]; fixed?: Record<string, unknown> };
  /** The start of a file Switchboard creates, for a client that needs more than its servers in it. */
  newFile?: string;
  /** A file beside the config whose presence means the client still uses an older format: setup then leaves both alone. */
  olderSibling?: { file: string; reason: string };
  /**
   * The client's own command for adding and removing a user-level server, preferred over editing the file when the
   * program is on PATH. `{name}` and `{json}` stand for the entry's name and the entry as JSON.
   */
  cli?: { program: string; add: string[]; remove: string[] };
  /** `copy`: the client has no file Switchboard may edit (a settings dialog); setup hands over copy-ready JSON. */
  method?: 'file' | 'copy';
  /** What the person must know or do beyond the file, shown with the target. */
  notes?: string;
  /** The client's own documentation of this format and location, and where else it was checked. */
  source: string;
}

/** The name of Switchboard's entry in every client's file; nothing else in those files is ever touched. */
export const ENTRY_NAME = 'switchboard';

const bearerHeaders = ['headers'];
/** VS Code's user folder per OS, shared by VS Code itself and extensions that keep files in its globalStorage (Cline). */
const vscodeUser = (product: string) => ({
  darwin: `~/Library/Application Support/${product}/User`,
  win32: `%APPDATA%/${product}/User`,
  linux: `$XDG_CONFIG_HOME/${product}/User`,
});
const inVscodeUser = (product: string, file: string) =>
  Object.fromEntries(Object.entries(vscodeUser(product)).map(([os, folder]) => [os, `${folder}/${file}`])) as Record<SupportedPlatform, string>;
const everywhere = (file: string): Record<SupportedPlatform, string> => ({ darwin: file, win32: file, linux: file });

// Why VS Code gets the token in mcp.json rather than an `inputs` prompt: an input makes VS Code ask the person to type
// the value at first start and keep it in its own secret storage, but the person never sees Switchboard's credential
// (it goes from the registry to the OS keychain and into this file). The file is the person's own, written 0600.
const VSCODE_NOTES =
  'The credential is written into mcp.json (readable by you only), not as an "inputs" prompt: VS Code would ask you to type a credential Switchboard never shows.';

export const AI_CLIENT_TARGETS: readonly AiClientTarget[] = [
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    paths: {
      darwin: '~/Library/Application Support/Claude/claude_desktop_config.json',
      // The MSIX installer (the default since early 2026) virtualises the app's AppData: it reads only the copy inside
      // its package folder, and never the classic %APPDATA% file.
      win32: [
        {
          file: '%LOCALAPPDATA%/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/claude_desktop_config.json',
          ifExists: '%LOCALAPPDATA%/Packages/Claude_pzs8sxrjxfjjc',
        },
        { file: '%APPDATA%/Claude/claude_desktop_config.json' },
      ],
      linux: '$XDG_CONFIG_HOME/Claude/claude_desktop_config.json',
    },
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'stdio-bridge',
    source: 'https://modelcontextprotocol.io/quickstart/user; MSIX path: github.com/anthropics/claude-code/issues/26073',
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    paths: everywhere('~/.claude.json'),
    folderVariable: { name: 'CLAUDE_CONFIG_DIR', file: '.claude.json' },
    // ~/.claude.json sits in the home folder, which always exists: Claude Code is there when its ~/.claude folder is.
    detect: { darwin: ['~/.claude'], win32: ['~/.claude'], linux: ['~/.claude'] },
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'http' } },
    cli: { program: 'claude', add: ['mcp', 'add-json', '--scope', 'user', '{name}', '{json}'], remove: ['mcp', 'remove', '--scope', 'user', '{name}'] },
    notes:
      'When `claude` is on PATH, setup runs `claude mcp add-json --scope user`: Claude Code rewrites ~/.claude.json from memory and would drop an outside edit.',
    source:
      'https://docs.anthropic.com/en/docs/claude-code/mcp (user scope, add-json); https://docs.anthropic.com/en/docs/claude-code/settings (CLAUDE_CONFIG_DIR)',
  },
  {
    id: 'cursor',
    name: 'Cursor',
    paths: everywhere('~/.cursor/mcp.json'),
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders },
    source: 'https://docs.cursor.com/context/model-context-protocol',
  },
  {
    id: 'vscode',
    name: 'Visual Studio Code',
    paths: inVscodeUser('Code', 'mcp.json'),
    format: 'jsonc',
    container: { path: ['servers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'http' } },
    notes: VSCODE_NOTES,
    source: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
  },
  {
    id: 'vscode-insiders',
    name: 'Visual Studio Code Insiders',
    paths: inVscodeUser('Code - Insiders', 'mcp.json'),
    format: 'jsonc',
    container: { path: ['servers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'http' } },
    notes: VSCODE_NOTES,
    source: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration (Insiders keeps its own "Code - Insiders" user folder)',
  },
  {
    id: 'windsurf',
    name: 'Windsurf',
    paths: everywhere('~/.codeium/windsurf/mcp_config.json'),
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'serverUrl', headersPath: bearerHeaders },
    source: 'https://docs.windsurf.com/windsurf/cascade/mcp',
  },
  {
    id: 'copilot-cli',
    name: 'GitHub Copilot CLI',
    paths: everywhere('~/.copilot/mcp-config.json'),
    folderVariable: { name: 'COPILOT_HOME', file: 'mcp-config.json' },
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    // `tools` is required by Copilot CLI: ["*"] offers every tool the server lists.
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'http', tools: ['*'] } },
    source:
      'https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-config-dir-reference (~/.copilot, COPILOT_HOME); https://docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/add-mcp-servers',
  },
  {
    id: 'visual-studio',
    name: 'Visual Studio',
    paths: { win32: '~/.mcp.json' },
    detect: { win32: ['%LOCALAPPDATA%/Microsoft/VisualStudio'] },
    format: 'json',
    container: { path: ['servers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'http' } },
    notes: 'Windows only (Visual Studio 2022 17.14 or later): %USERPROFILE%\\.mcp.json applies to every solution.',
    source: 'https://learn.microsoft.com/visualstudio/ide/mcp-servers',
  },
  {
    id: 'codex',
    name: 'OpenAI Codex (CLI and IDE)',
    paths: everywhere('~/.codex/config.toml'),
    folderVariable: { name: 'CODEX_HOME', file: 'config.toml' },
    format: 'toml',
    container: { path: ['mcp_servers'], shape: 'map' },
    transport: 'http',
    // http_headers is Codex's static header map; Codex refuses an inline `bearer_token`, and `bearer_token_env_var`
    // would need the credential in the environment of every process that starts Codex, which setup cannot arrange.
    http: { urlField: 'url', headersPath: ['http_headers'] },
    notes:
      'Written as [mcp_servers.switchboard] with an http_headers Authorization entry (the file is readable by you only). To keep the credential out of the file, replace http_headers with bearer_token_env_var = "SWITCHBOARD_CLIENT_CREDENTIAL" and export that variable (`switchboard clients credential codex` prints it) wherever Codex starts. The CLI and the IDE extension share this file.',
    source:
      'https://developers.openai.com/codex/mcp; openai/codex codex-rs/config/src/mcp_types.rs (url, http_headers, bearer_token_env_var); https://developers.openai.com/codex/environment-variables (CODEX_HOME)',
  },
  {
    id: 'gemini-cli',
    name: 'Gemini CLI',
    paths: everywhere('~/.gemini/settings.json'),
    // Gemini CLI strips comments before parsing its settings (packages/cli/src/config/settings.ts).
    format: 'jsonc',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    // `httpUrl` is Streamable HTTP; `url` would make Gemini CLI speak the old SSE transport.
    http: { urlField: 'httpUrl', headersPath: bearerHeaders },
    source: 'https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md',
  },
  {
    id: 'cline',
    name: 'Cline (VS Code extension)',
    paths: inVscodeUser('Code', 'globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json'),
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    // Without a type Cline takes a url entry for SSE (its schema lists sse first, for older files).
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'streamableHttp' } },
    source: 'https://docs.cline.bot/mcp/configuring-mcp-servers; cline/cline src/services/mcp/schemas.ts (type "streamableHttp"), McpHub.ts (JSON.parse)',
  },
  {
    id: 'zed',
    name: 'Zed',
    paths: { darwin: '~/.config/zed/settings.json', win32: '%APPDATA%/Zed/settings.json', linux: '$XDG_CONFIG_HOME/zed/settings.json' },
    format: 'jsonc',
    container: { path: ['context_servers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders },
    source: 'https://zed.dev/docs/ai/mcp (context_servers, url, headers); zed-industries/zed crates/paths/src/paths.rs (config folder per OS)',
  },
  {
    id: 'kiro',
    name: 'Kiro',
    paths: everywhere('~/.kiro/settings/mcp.json'),
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders },
    notes: 'The user-level file, shared by the Kiro IDE and kiro-cli.',
    source: 'https://kiro.dev/docs/mcp/configuration',
  },
  {
    id: 'lm-studio',
    name: 'LM Studio',
    paths: everywhere('~/.lmstudio/mcp.json'),
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders },
    notes: "LM Studio 0.3.17 or later (it follows Cursor's mcp.json notation).",
    source: 'https://lmstudio.ai/docs/app/mcp',
  },
  {
    id: 'continue',
    name: 'Continue',
    paths: everywhere('~/.continue/config.yaml'),
    folderVariable: { name: 'CONTINUE_GLOBAL_DIR', file: 'config.yaml' },
    format: 'yaml',
    container: { path: ['mcpServers'], shape: 'named-list' },
    // Continue requires these three at the top of a config.yaml.
    newFile: 'name: Local Config\nversion: 1.0.0\nschema: v1\n',
    olderSibling: {
      file: 'config.json',
      reason:
        'Continue here still uses config.json; creating config.yaml would replace that whole configuration. Convert it to config.yaml in Continue first, then set up again',
    },
    transport: 'http',
    http: { urlField: 'url', headersPath: ['requestOptions', 'headers'], fixed: { name: ENTRY_NAME, type: 'streamable-http' } },
    notes: "Continue's YAML configuration (config.yaml); a setup that still uses the older config.json is not edited.",
    source:
      'https://docs.continue.dev/customize/deep-dives/mcp; continuedev/continue packages/config-yaml/src/schemas/mcp/index.ts (streamable-http, requestOptions)',
  },
  {
    id: 'goose',
    name: 'Goose',
    paths: { darwin: '$XDG_CONFIG_HOME/goose/config.yaml', win32: '%APPDATA%/Block/goose/config/config.yaml', linux: '$XDG_CONFIG_HOME/goose/config.yaml' },
    format: 'yaml',
    container: { path: ['extensions'], shape: 'map' },
    transport: 'http',
    http: {
      urlField: 'uri',
      headersPath: bearerHeaders,
      fixed: {
        enabled: true,
        type: 'streamable_http',
        name: ENTRY_NAME,
        description: 'Switchboard: every MCP server your company runs, through one local endpoint',
        timeout: 300,
      },
    },
    notes:
      'Goose suggests its keyring for secrets; a streamable_http extension takes its headers only from config.yaml, so the credential is there (readable by you only).',
    source: 'https://block.github.io/goose/docs/guides/config-files; aaif-goose/goose crates/goose/src/agents/extension.rs (StreamableHttp: uri, headers)',
  },
  {
    id: 'opencode',
    name: 'opencode',
    // opencode takes ~/.config from xdg-basedir on every OS, Windows included.
    paths: everywhere('$XDG_CONFIG_HOME/opencode/opencode.json'),
    // opencode documents its config as JSON or JSONC.
    format: 'jsonc',
    container: { path: ['mcp'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'remote', enabled: true } },
    source:
      'https://opencode.ai/docs/mcp-servers (type "remote", url, headers, enabled); https://opencode.ai/docs/config (global config location); anomalyco/opencode packages/opencode/src/global/index.ts',
  },
  {
    id: 'jetbrains',
    name: 'JetBrains AI Assistant',
    paths: {},
    format: 'json',
    container: { path: ['mcpServers'], shape: 'map' },
    transport: 'http',
    http: { urlField: 'url', headersPath: bearerHeaders, fixed: { type: 'http' } },
    method: 'copy',
    notes:
      "AI Assistant keeps its MCP servers in the IDE's settings, not a file to edit: paste the JSON in Settings | Tools | AI Assistant | Model Context Protocol (MCP) | Add | As JSON.",
    source: 'https://www.jetbrains.com/help/ai-assistant/mcp.html',
  },
];

export function findTarget(id: string, targets: readonly AiClientTarget[] = AI_CLIENT_TARGETS): AiClientTarget | undefined {
  return targets.find((target) => target.id === id);
}

/** The client's configuration file on this machine, or undefined where it has none (not on this OS, or settings-only). */
export function configFile(target: AiClientTarget, env: PathEnvironment): string | undefined {
  return locateConfigFile(target, env);
}

/** As configFile, for a target known to have a file here (tests, and callers that checked). */
export function targetPath(target: AiClientTarget, env: PathEnvironment): string {
  const path = configFile(target, env);
  if (path === undefined) throw new Error(`${target.name} has no configuration file on ${env.platform}`);
  return path;
}

export interface EndpointForEntry {
  mcpUrl: string;
  credential: string;
  bridgeCommand: { command: string; args: string[]; env?: Record<string, string> };
}

/** What Switchboard writes for a client: the endpoint with the client's own credential, or the stdio bridge. */
export function entryFor(target: AiClientTarget, endpoint: EndpointForEntry): Record<string, unknown> {
  if (target.transport === 'stdio-bridge' || !target.http) {
    return {
      command: endpoint.bridgeCommand.command,
      args: [...endpoint.bridgeCommand.args],
      env: { ...endpoint.bridgeCommand.env, SWITCHBOARD_CLIENT_CREDENTIAL: endpoint.credential },
    };
  }
  const { urlField, headersPath, fixed } = target.http;
  const entry: Record<string, unknown> = { ...structuredClone(fixed ?? {}), [urlField]: endpoint.mcpUrl };
  setPath(entry, headersPath, { Authorization: `Bearer ${endpoint.credential}` });
  return entry;
}

/** The same entry pointing at another address, everything else (its credential included) kept. */
export function entryWithUrl(target: AiClientTarget, entry: Record<string, unknown>, mcpUrl: string): Record<string, unknown> {
  return target.http ? { ...entry, [target.http.urlField]: mcpUrl } : entry;
}

/** The URL in an entry Switchboard wrote (the inverse of entryFor); undefined for the stdio bridge, which asks the running Switchboard. */
export function entryUrl(target: AiClientTarget, entry: unknown): string | undefined {
  if (target.transport === 'stdio-bridge' || !target.http || !isRecord(entry)) return undefined;
  const value = entry[target.http.urlField];
  return typeof value === 'string' ? value : undefined;
}

/** The client credential in an entry Switchboard wrote: the bearer header, or the bridge's environment variable. */
export function entryCredential(target: AiClientTarget, entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  if (target.transport === 'stdio-bridge' || !target.http) {
    const value = isRecord(entry.env) ? entry.env.SWITCHBOARD_CLIENT_CREDENTIAL : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  const headers = getPath(entry, target.http.headersPath);
  if (!isRecord(headers)) return undefined;
  const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
}

/**
 * The entry with every header and environment value replaced by `mask`: what may be shown of an existing entry, which
 * holds a working credential (and, if someone edited it, perhaps other secrets).
 */
export function maskedEntry(target: AiClientTarget, entry: unknown, mask: string): unknown {
  if (!isRecord(entry)) return entry;
  const copy = structuredClone(entry);
  const secretHolders = target.http ? [target.http.headersPath, ['env']] : [['env']];
  for (const path of secretHolders) {
    const holder = getPath(copy, path);
    if (isRecord(holder)) for (const key of Object.keys(holder)) holder[key] = mask;
  }
  return copy;
}

export function getPath(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
