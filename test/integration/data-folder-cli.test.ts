// The CLI on a machine where an older app kept its state in ~/.config/Switchboard: the first command moves it into the shared data folder and uses it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../support/serve-process.ts';

describe.runIf(process.platform === 'linux')('the shared data folder from the CLI', () => {
  it("moves the older app's folder on first use and reads the configuration that came with it", async () => {
    const home = await mkdtemp(join(tmpdir(), 'switchboard-home-'));
    const legacy = join(home, '.config', 'Switchboard');
    await mkdir(legacy, { recursive: true });
    await writeFile(join(legacy, 'config.json'), JSON.stringify({ servers: [{ id: 'crm', url: 'https://crm.example.com/mcp' }] }));
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share') };
    const listed = spawnSync(process.execPath, [CLI_ENTRY, 'servers', 'list', '--json'], { env, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ configured: [expect.objectContaining({ id: 'crm' })] });
    expect(existsSync(join(home, '.local', 'share', 'switchboard', 'config.json'))).toBe(true);
    expect(existsSync(legacy)).toBe(false);
  });
});
