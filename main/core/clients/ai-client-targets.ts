// The AI clients Switchboard can configure, as data: where each keeps its MCP servers on each OS, and the entry it reads.

export type AiClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'windsurf';
export type SupportedPlatform = 'darwin' | 'win32' | 'linux';

export interface AiClientTarget {
  id: AiClientId;
  name: string;
  /** Per OS; `~` is the home folder, `%APPDATA%` Windows' roaming folder, `$XDG_CONFIG_HOME` Linux's (default ~/.config). */
  paths: Record<SupportedPlatform, string>;
  /** The JSON path of the object holding the client's MCP servers. */
  container: string[];
  /** Claude Desktop's file takes only stdio servers: it gets the stdio bridge; the others speak HTTP to the endpoint. */
  transport: 'stdio-bridge' | 'http';
  /** The entry's field naming the URL (`serverUrl` for Windsurf), and the `type` value a client needs, if any. */
  urlField?: 'url' | 'serverUrl';
  typeValue?: string;
  docs: string;
}

/** The name of Switchboard's entry in every client's file; nothing else in those files is ever touched. */
export const ENTRY_NAME = 'switchboard';

export const AI_CLIENT_TARGETS: readonly AiClientTarget[] = [
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    paths: { darwin: '~/Library/Application Support/Claude/claude_desktop_config.json', win32: '%APPDATA%/Claude/claude_desktop_config.json', linux: '$XDG_CONFIG_HOME/Claude/claude_desktop_config.json' },
    container: ['mcpServers'],
    transport: 'stdio-bridge',
    docs: 'https://modelcontextprotocol.io/quickstart/user',
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    paths: { darwin: '~/.claude.json', win32: '~/.claude.json', linux: '~/.claude.json' },
    container: ['mcpServers'],
    transport: 'http',
    urlField: 'url',
    typeValue: 'http',
    docs: 'https://docs.anthropic.com/en/docs/claude-code/mcp',
  },
  {
    id: 'cursor',
    name: 'Cursor',
    paths: { darwin: '~/.cursor/mcp.json', win32: '~/.cursor/mcp.json', linux: '~/.cursor/mcp.json' },
    container: ['mcpServers'],
    transport: 'http',
    urlField: 'url',
    docs: 'https://docs.cursor.com/context/model-context-protocol',
  },
  {
    id: 'vscode',
    name: 'Visual Studio Code',
    paths: { darwin: '~/Library/Application Support/Code/User/mcp.json', win32: '%APPDATA%/Code/User/mcp.json', linux: '$XDG_CONFIG_HOME/Code/User/mcp.json' },
    container: ['servers'],
    transport: 'http',
    urlField: 'url',
    typeValue: 'http',
    docs: 'https://code.visualstudio.com/docs/copilot/chat/mcp-servers',
  },
  {
    id: 'windsurf',
    name: 'Windsurf',
    paths: { darwin: '~/.codeium/windsurf/mcp_config.json', win32: '~/.codeium/windsurf/mcp_config.json', linux: '~/.codeium/windsurf/mcp_config.json' },
    container: ['mcpServers'],
    transport: 'http',
    urlField: 'serverUrl',
    docs: 'https://docs.windsurf.com/windsurf/cascade/mcp',
  },
];

export interface PathEnvironment {
  platform: SupportedPlatform;
  home: string;
  appData?: string;
  xdgConfigHome?: string;
}

/** The client's configuration file on this machine. */
export function targetPath(target: AiClientTarget, env: PathEnvironment): string {
  return target.paths[env.platform]
    .replace(/^~/, env.home)
    .replace('%APPDATA%', env.appData ?? `${env.home}/AppData/Roaming`)
    .replace('$XDG_CONFIG_HOME', env.xdgConfigHome ?? `${env.home}/.config`);
}

/** What Switchboard writes for a client: the endpoint with the client's own credential, or the stdio bridge. */
export function entryFor(target: AiClientTarget, endpoint: { mcpUrl: string; credential: string; bridgeCommand: { command: string; args: string[]; env?: Record<string, string> } }): Record<string, unknown> {
  if (target.transport === 'stdio-bridge') {
    return { command: endpoint.bridgeCommand.command, args: [...endpoint.bridgeCommand.args], env: { ...endpoint.bridgeCommand.env, SWITCHBOARD_CLIENT_CREDENTIAL: endpoint.credential } };
  }
  return {
    ...(target.typeValue ? { type: target.typeValue } : {}),
    [target.urlField ?? 'url']: endpoint.mcpUrl,
    headers: { Authorization: `Bearer ${endpoint.credential}` },
  };
}

/** The URL in an entry Switchboard wrote (the inverse of entryFor); undefined for the stdio bridge, which asks the running Switchboard. */
export function entryUrl(target: AiClientTarget, entry: unknown): string | undefined {
  if (target.transport === 'stdio-bridge' || !isRecord(entry)) return undefined;
  const value = entry[target.urlField ?? 'url'];
  return typeof value === 'string' ? value : undefined;
}

/** The client credential in an entry Switchboard wrote: the bearer header, or the bridge's environment variable. */
export function entryCredential(target: AiClientTarget, entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  if (target.transport === 'stdio-bridge') {
    const value = isRecord(entry.env) ? entry.env.SWITCHBOARD_CLIENT_CREDENTIAL : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  if (!isRecord(entry.headers)) return undefined;
  const header = Object.entries(entry.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
