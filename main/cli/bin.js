#!/usr/bin/env node
// The `switchboard` command's entry: checks the Node version (sources run through Node's type stripping), then loads the CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `switchboard needs Node 22.18 or newer (this is ${process.versions.node}). ` +
      'Run it through npm (`npm run switchboard -- <command>`), which uses the Node pinned by the project, or see README.md "Requirements".\n',
  );
  process.exit(1);
}
// A reader that stops early (`switchboard --help | head`) closes the pipe; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// V8's compiled code for the bundle (or the sources) is kept in Node's compile cache (os.tmpdir()/node-compile-cache, or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later starts skip most parsing and compiling, ~70 ms.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { runCli } = await import(await entryModule());
process.exitCode = await runCli(process.argv);

/**
 * `npm run build` bundles the CLI (out/cli/main.mjs), which starts faster than ~90 type-stripped sources. A checkout
 * uses it only while it is newer than every source, so an edited checkout never runs stale code. An installed copy
 * (`npm install -g`, the package has the bundle and no sources) always uses it: Node strips types only outside
 * node_modules, so sources under a global node_modules could not run anyway.
 */
async function entryModule() {
  const { existsSync } = await import('node:fs');
  const { join, sep } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const root = join(import.meta.dirname, '..', '..');
  const bundle = join(root, 'out', 'cli', 'main.mjs');
  const installed = !existsSync(join(root, 'main', 'cli', 'main.ts')) || import.meta.dirname.split(sep).includes('node_modules');
  if (installed) {
    if (existsSync(bundle)) return pathToFileURL(bundle).href;
    process.stderr.write(
      `switchboard: this installation has no ${bundle}; install it from a package built with \`npm pack\` (its prepack step builds the CLI), or run \`npm run build\` in the checkout\n`,
    );
    process.exit(1);
  }
  return (await bundleIfFresh(root, bundle)) ? pathToFileURL(bundle).href : './main.ts';
}

async function bundleIfFresh(root, bundle) {
  const { statSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  try {
    for (const folder of ['main/cli', 'main/core', 'shared']) {
      for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) && statSync(join(entry.parentPath, entry.name)).mtimeMs > built)
          return false;
      }
    }
  } catch {
    // A file system that cannot be listed (an archive): the sources are always right.
    return false;
  }
  return true;
}
