// Where each AI client's file is on macOS, Windows and Linux, the variables that move it, Claude Desktop's MSIX install, what counts as installed, and VS Code profiles.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksInstalled, pathEnvironmentOfThisProcess } from '../../main/core/clients/ai-client-paths.ts';
import { applySetup, clientTargetsFor, inspectClient } from '../../main/core/clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, configFile, entryFor, findTarget, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';

const target = (id: string) => findTarget(id)!;
const nothingExists = () => false;
const mac: PathEnvironment = { platform: 'darwin', home: '/Users/ada', variables: {}, exists: nothingExists };
const windows: PathEnvironment = {
  platform: 'win32',
  home: 'C:/Users/ada',
  appData: 'C:/Users/ada/AppData/Roaming',
  localAppData: 'C:/Users/ada/AppData/Local',
  variables: {},
  exists: nothingExists,
};
const linux: PathEnvironment = { platform: 'linux', home: '/home/ada', variables: {}, exists: nothingExists };

describe('AI client paths', () => {
  it.each([
    [
      'claude-desktop',
      '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
      'C:/Users/ada/AppData/Roaming/Claude/claude_desktop_config.json',
      '/home/ada/.config/Claude/claude_desktop_config.json',
    ],
    ['claude-code', '/Users/ada/.claude.json', 'C:/Users/ada/.claude.json', '/home/ada/.claude.json'],
    [
      'vscode',
      '/Users/ada/Library/Application Support/Code/User/mcp.json',
      'C:/Users/ada/AppData/Roaming/Code/User/mcp.json',
      '/home/ada/.config/Code/User/mcp.json',
    ],
    [
      'vscode-insiders',
      '/Users/ada/Library/Application Support/Code - Insiders/User/mcp.json',
      'C:/Users/ada/AppData/Roaming/Code - Insiders/User/mcp.json',
      '/home/ada/.config/Code - Insiders/User/mcp.json',
    ],
    ['copilot-cli', '/Users/ada/.copilot/mcp-config.json', 'C:/Users/ada/.copilot/mcp-config.json', '/home/ada/.copilot/mcp-config.json'],
    ['visual-studio', undefined, 'C:/Users/ada/.mcp.json', undefined],
    ['codex', '/Users/ada/.codex/config.toml', 'C:/Users/ada/.codex/config.toml', '/home/ada/.codex/config.toml'],
    ['gemini-cli', '/Users/ada/.gemini/settings.json', 'C:/Users/ada/.gemini/settings.json', '/home/ada/.gemini/settings.json'],
    [
      'cline',
      '/Users/ada/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      'C:/Users/ada/AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      '/home/ada/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    ],
    ['zed', '/Users/ada/.config/zed/settings.json', 'C:/Users/ada/AppData/Roaming/Zed/settings.json', '/home/ada/.config/zed/settings.json'],
    ['kiro', '/Users/ada/.kiro/settings/mcp.json', 'C:/Users/ada/.kiro/settings/mcp.json', '/home/ada/.kiro/settings/mcp.json'],
    ['lm-studio', '/Users/ada/.lmstudio/mcp.json', 'C:/Users/ada/.lmstudio/mcp.json', '/home/ada/.lmstudio/mcp.json'],
    ['continue', '/Users/ada/.continue/config.yaml', 'C:/Users/ada/.continue/config.yaml', '/home/ada/.continue/config.yaml'],
    ['goose', '/Users/ada/.config/goose/config.yaml', 'C:/Users/ada/AppData/Roaming/Block/goose/config/config.yaml', '/home/ada/.config/goose/config.yaml'],
    ['opencode', '/Users/ada/.config/opencode/opencode.json', 'C:/Users/ada/.config/opencode/opencode.json', '/home/ada/.config/opencode/opencode.json'],
    ['jetbrains', undefined, undefined, undefined],
  ])('%s: macOS, Windows, Linux', (id, onMac, onWindows, onLinux) => {
    expect(configFile(target(id), mac)).toBe(onMac);
    expect(configFile(target(id), windows)).toBe(onWindows);
    expect(configFile(target(id), linux)).toBe(onLinux);
  });

  it("honours XDG_CONFIG_HOME where the client does, and each client's own folder variable", () => {
    const xdg = { ...linux, xdgConfigHome: '/xdg' };
    expect(configFile(target('vscode'), xdg)).toBe('/xdg/Code/User/mcp.json');
    expect(configFile(target('zed'), xdg)).toBe('/xdg/zed/settings.json');
    expect(configFile(target('goose'), xdg)).toBe('/xdg/goose/config.yaml');
    expect(configFile(target('opencode'), xdg)).toBe('/xdg/opencode/opencode.json');
    // Zed on macOS always uses ~/.config/zed.
    expect(configFile(target('zed'), { ...mac, xdgConfigHome: '/xdg' })).toBe('/Users/ada/.config/zed/settings.json');
    const moved = {
      ...linux,
      variables: { CLAUDE_CONFIG_DIR: '/work/claude-b', CODEX_HOME: '/work/codex', COPILOT_HOME: 'copilot-home', CONTINUE_GLOBAL_DIR: '/work/continue' },
    };
    expect(configFile(target('claude-code'), moved)).toBe('/work/claude-b/.claude.json');
    expect(configFile(target('codex'), moved)).toBe('/work/codex/config.toml');
    expect(configFile(target('copilot-cli'), moved)).toBe('/home/ada/copilot-home/mcp-config.json');
    expect(configFile(target('continue'), moved)).toBe('/work/continue/config.yaml');
  });

  it('reads the process environment: XDG_CONFIG_HOME only when absolute, APPDATA and LOCALAPPDATA on Windows', () => {
    expect(pathEnvironmentOfThisProcess({ XDG_CONFIG_HOME: '/x' }, 'linux', '/h')).toMatchObject({ platform: 'linux', home: '/h', xdgConfigHome: '/x' });
    expect(pathEnvironmentOfThisProcess({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/h').xdgConfigHome).toBeUndefined();
    expect(pathEnvironmentOfThisProcess({ APPDATA: 'C:/R', LOCALAPPDATA: 'C:/L' }, 'win32', 'C:/h')).toMatchObject({
      platform: 'win32',
      appData: 'C:/R',
      localAppData: 'C:/L',
    });
    expect(pathEnvironmentOfThisProcess({}, 'freebsd', '/h').platform).toBe('linux');
  });

  it('writes where Claude Desktop reads on Windows: inside the MSIX package when that install is present', () => {
    const msix = { ...windows, exists: (path: string) => path === 'C:/Users/ada/AppData/Local/Packages/Claude_pzs8sxrjxfjjc' };
    expect(configFile(target('claude-desktop'), msix)).toBe(
      'C:/Users/ada/AppData/Local/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/claude_desktop_config.json',
    );
    expect(configFile(target('claude-desktop'), windows)).toBe('C:/Users/ada/AppData/Roaming/Claude/claude_desktop_config.json');
  });

  it('does not call a client found because the home folder exists', async () => {
    const home = await mkdtemp(join(tmpdir(), 'switchboard-home-'));
    const env: PathEnvironment = { platform: 'linux', home, variables: {} };
    expect(looksInstalled(target('claude-code'), env)).toBe(false);
    expect(looksInstalled(target('visual-studio'), { ...env, platform: 'win32' })).toBe(false);
    await mkdir(join(home, '.claude'));
    expect(looksInstalled(target('claude-code'), env)).toBe(true);
    await mkdir(join(home, '.codex'));
    expect(looksInstalled(target('codex'), env)).toBe(true);
    expect(looksInstalled(target('kiro'), env)).toBe(false);
    expect(looksInstalled(target('jetbrains'), env)).toBe(false);
  });

  it('offers each VS Code profile as a target of its own, named as the person named it, with its own mcp.json', async () => {
    const home = await mkdtemp(join(tmpdir(), 'switchboard-home-'));
    const env: PathEnvironment = { platform: 'linux', home, variables: {} };
    const user = join(home, '.config', 'Code', 'User');
    await mkdir(join(user, 'profiles', '-5b6e2e16'), { recursive: true });
    await mkdir(join(user, 'globalStorage'), { recursive: true });
    await writeFile(join(user, 'globalStorage', 'storage.json'), JSON.stringify({ userDataProfiles: [{ location: '-5b6e2e16', name: 'Work' }] }));
    const targets = clientTargetsFor(env);
    expect(targets.length).toBe(AI_CLIENT_TARGETS.length + 1);
    const work = targets.find((candidate) => candidate.id === 'vscode-profile-5b6e2e16')!;
    expect(work.name).toBe('Visual Studio Code (profile "Work")');
    expect(targets.indexOf(work)).toBe(targets.findIndex((candidate) => candidate.id === 'vscode') + 1);
    expect(configFile(work, env)).toBe(join(user, 'profiles', '-5b6e2e16', 'mcp.json'));
    const entry = entryFor(work, { mcpUrl: 'http://127.0.0.1:4100/mcp', credential: 'sbc_work', bridgeCommand: { command: 'node', args: [] } });
    await applySetup(work, env, entry);
    expect(await inspectClient(work, env, { mcpUrl: 'http://127.0.0.1:4100/mcp', accepts: (credential) => credential === 'sbc_work' })).toMatchObject({
      configured: true,
      detected: true,
    });
    // The default profile's file is another one, untouched.
    expect(await inspectClient(target('vscode'), env, { mcpUrl: undefined, accepts: () => true })).toMatchObject({ configured: false });
    expect(work.id).toMatch(/^[a-z0-9][a-z0-9_-]{0,31}$/);
  });
});
