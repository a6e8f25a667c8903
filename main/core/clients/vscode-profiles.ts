// VS Code profiles as targets of their own: each non-default profile keeps its MCP servers in User/profiles/<id>/mcp.json, found by listing that folder and named from VS Code's state file.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AiClientTarget, PathEnvironment, SupportedPlatform } from './ai-client-targets.ts';
import { locateConfigFile } from './ai-client-paths.ts';

/** The targets whose profiles are listed: VS Code and VS Code Insiders (same layout, separate user folders). */
const PROFILE_CAPABLE = new Set(['vscode', 'vscode-insiders']);
/** Registry ids are at most 32 characters. */
const MAX_ID_LENGTH = 32;

/** The targets with one more after each VS Code for every non-default profile it has on this machine. */
export function withVscodeProfiles(targets: readonly AiClientTarget[], env: PathEnvironment): AiClientTarget[] {
  return targets.flatMap((target) => (PROFILE_CAPABLE.has(target.id) ? [target, ...profilesOf(target, env)] : [target]));
}

function profilesOf(base: AiClientTarget, env: PathEnvironment): AiClientTarget[] {
  const defaultFile = locateConfigFile(base, env);
  if (!defaultFile) return [];
  const userFolder = dirname(defaultFile);
  let folders: string[];
  try {
    folders = readdirSync(join(userFolder, 'profiles'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const names = profileNames(userFolder);
  return folders.sort().map((folder) => {
    const slug = folder.toLowerCase().replace(/[^a-z0-9]/g, '');
    const prefix = `${base.id}-profile-`;
    return {
      ...base,
      id: `${prefix}${slug.slice(0, MAX_ID_LENGTH - prefix.length)}`,
      name: `${base.name} (profile "${names.get(folder) ?? folder}")`,
      paths: Object.fromEntries(
        Object.entries(base.paths).map(([platform, path]) => [
          platform,
          typeof path === 'string' ? path.replace(/\/mcp\.json$/, `/profiles/${folder}/mcp.json`) : path,
        ]),
      ) as Partial<Record<SupportedPlatform, string>>,
    };
  });
}

/** Profile folder -> the name the person gave it, from User/globalStorage/storage.json; a missing or odd file just leaves folder names. */
function profileNames(userFolder: string): Map<string, string> {
  const names = new Map<string, string>();
  try {
    const state = JSON.parse(readFileSync(join(userFolder, 'globalStorage', 'storage.json'), 'utf8')) as {
      userDataProfiles?: { location?: unknown; name?: unknown }[];
    };
    for (const profile of state.userDataProfiles ?? []) {
      // Newer versions store the folder name, older ones a file URI ending in it.
      if (typeof profile.location === 'string' && typeof profile.name === 'string') names.set(basename(profile.location), profile.name);
    }
  } catch {
    // No names: the folder ids are shown instead.
  }
  return names;
}
