// Bundles the CLI and the core into out/cli/main.mjs: one module instead of ~90 type-stripped sources starts ~130 ms faster and ~30 MB lighter.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
const started = Date.now();
await build({
  input: join(root, 'main/cli/main.ts'),
  platform: 'node',
  // Packages stay in node_modules (native addons, the SDK); only the project's own sources are bundled.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
  output: { file: join(root, 'out/cli/main.mjs'), format: 'esm', sourcemap: true },
  logLevel: 'warn',
});
await mkdir(join(root, 'out/cli'), { recursive: true });
await writeFile(join(root, 'out/cli/README.txt'), 'Built by scripts/build-cli.ts from main/cli and main/core; main/cli/bin.js uses it only while it is newer than every source.\n');
process.stdout.write(`out/cli/main.mjs built in ${Date.now() - started} ms\n`);
