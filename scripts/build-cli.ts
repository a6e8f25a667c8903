// Bundles the CLI, the core and their pure-JS packages into out/cli/main.mjs: one minified module starts far faster and lighter than ~90 type-stripped sources plus ~200 package files.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
// Native addons load their .node binary from beside their own files, so they stay in node_modules.
const NATIVE = ['better-sqlite3', '@napi-rs/keyring'];
const started = Date.now();
await rm(join(root, 'out/cli'), { recursive: true, force: true });
await build({
  input: join(root, 'main/cli/main.ts'),
  platform: 'node',
  external: (id) => NATIVE.some((name) => id === name || id.startsWith(`${name}/`)),
  // jsonc-parser's main is a UMD build that requires its parts at run time; its ES build bundles (and tree-shakes).
  resolve: { alias: { 'jsonc-parser': createRequire(import.meta.url).resolve('jsonc-parser/lib/esm/main.js') } },
  output: {
    file: join(root, 'out/cli/main.mjs'),
    format: 'esm',
    sourcemap: true,
    // Less source to read and parse at every start; names kept, as errors and logs show them.
    minify: true,
    keepNames: true,
    // One file: the packages' few dynamic imports are inlined.
    codeSplitting: false,
  },
  logLevel: 'warn',
});
await mkdir(join(root, 'out/cli'), { recursive: true });
await writeFile(
  join(root, 'out/cli/README.txt'),
  'Built by scripts/build-cli.ts from main/cli, main/core and their pure-JS packages; main/cli/bin.js uses it only while it is newer than every source.\n',
);
process.stdout.write(`out/cli/main.mjs built in ${Date.now() - started} ms\n`);
