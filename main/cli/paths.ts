// Where the installation's own files are, whether the CLI runs from its sources (main/cli) or from the bundle (out/cli).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function packageRoot(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'switchboard') return dir;
    if (dirname(dir) === dir) throw new Error('cannot find the Switchboard installation (its package.json)');
  }
}

const root = packageRoot();

/** The `switchboard` command itself, for entries that start it again (the stdio bridge). */
export const CLI_ENTRY = join(root, 'main', 'cli', 'bin.js');
/** The built UI pages that `serve --ui` serves. */
export const BUILT_UI = join(root, 'out', 'renderer');
