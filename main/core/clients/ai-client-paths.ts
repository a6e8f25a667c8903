// Where AI clients keep their files on this machine: per-OS path templates resolved against the home folder, the OS's app-data folders and the variables each client honours.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type SupportedPlatform = 'darwin' | 'win32' | 'linux';

/** A per-OS file. A list is tried in order: the first whose `ifExists` folder exists (the app installed that way), else the last. */
export type PlatformPath = string | { file: string; ifExists?: string }[];

export interface PathEnvironment {
  platform: SupportedPlatform;
  home: string;
  /** Windows' roaming app-data folder (%APPDATA%); default <home>/AppData/Roaming. */
  appData?: string;
  /** Windows' local app-data folder (%LOCALAPPDATA%); default <home>/AppData/Local. */
  localAppData?: string;
  /** $XDG_CONFIG_HOME; default <home>/.config. */
  xdgConfigHome?: string;
  /** Variables a client reads to move its own folder (CLAUDE_CONFIG_DIR, CODEX_HOME, ...): the process environment, or a test's. */
  variables?: Record<string, string | undefined>;
  /** Whether a path exists; a test may answer for a machine it only pretends to be. */
  exists?: (path: string) => boolean;
}

/** What path resolution needs of a target (ai-client-targets.ts has the full shape). */
export interface TargetLocation {
  paths: Partial<Record<SupportedPlatform, PlatformPath>>;
  folderVariable?: { name: string; file: string };
  detect?: Partial<Record<SupportedPlatform, string[]>>;
  method?: 'file' | 'copy';
}

/** The environment of this process: where its AI clients keep their files. */
export function pathEnvironmentOfThisProcess(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): PathEnvironment {
  const nonEmpty = (value: string | undefined) => (value && value.trim() !== '' ? value : undefined);
  return {
    platform: platform === 'darwin' || platform === 'win32' ? platform : 'linux',
    home,
    ...(nonEmpty(env.APPDATA) ? { appData: env.APPDATA! } : {}),
    ...(nonEmpty(env.LOCALAPPDATA) ? { localAppData: env.LOCALAPPDATA! } : {}),
    // The XDG spec says a relative value is invalid and must be ignored.
    ...(nonEmpty(env.XDG_CONFIG_HOME) && env.XDG_CONFIG_HOME!.startsWith('/') ? { xdgConfigHome: env.XDG_CONFIG_HOME! } : {}),
    variables: { ...env },
  };
}

/** A template with its placeholders filled in: `~`, `%APPDATA%`, `%LOCALAPPDATA%`, `$XDG_CONFIG_HOME`. */
export function expandPath(template: string, env: PathEnvironment): string {
  return template
    .replace(/^~(?=\/|$)/, env.home)
    .replace('%APPDATA%', env.appData ?? `${env.home}/AppData/Roaming`)
    .replace('%LOCALAPPDATA%', env.localAppData ?? `${env.home}/AppData/Local`)
    .replace('$XDG_CONFIG_HOME', env.xdgConfigHome ?? `${env.home}/.config`);
}

function exists(env: PathEnvironment, path: string): boolean {
  return (env.exists ?? existsSync)(path);
}

function movedFolder(location: TargetLocation, env: PathEnvironment): string | undefined {
  const value = location.folderVariable ? env.variables?.[location.folderVariable.name] : undefined;
  if (!value || value.trim() === '') return undefined;
  // Not path.resolve: the environment may describe another OS than this process runs on (tests, a Windows profile).
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value) ? value : join(env.home, value);
}

/** The file the client reads on this machine, or undefined when it has none here (not on this OS, or no file at all). */
export function locateConfigFile(location: TargetLocation, env: PathEnvironment): string | undefined {
  if (location.method === 'copy') return undefined;
  const moved = movedFolder(location, env);
  if (moved && location.folderVariable) return join(moved, location.folderVariable.file);
  const choice = location.paths[env.platform];
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return expandPath(choice, env);
  const picked = choice.find((candidate) => candidate.ifExists === undefined || exists(env, expandPath(candidate.ifExists, env)));
  return picked ? expandPath(picked.file, env) : undefined;
}

/**
 * Whether the client looks installed: its file exists, or a folder that only it makes does. The file's own folder
 * counts unless that is the home folder, which every account has (~/.claude.json, %USERPROFILE%\.mcp.json).
 */
export function looksInstalled(location: TargetLocation, env: PathEnvironment): boolean {
  const file = locateConfigFile(location, env);
  if (file === undefined) return false;
  if (exists(env, file)) return true;
  const moved = movedFolder(location, env);
  const folders = moved ? [moved] : (location.detect?.[env.platform]?.map((template) => expandPath(template, env)) ?? [dirname(file)]);
  const home = normalize(env.home);
  return folders.filter((folder) => normalize(folder) !== home).some((folder) => exists(env, folder));
}

function normalize(path: string): string {
  return path.replace(/[\\/]+/g, '/').replace(/\/$/, '');
}
