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
const { runCli } = await import(await bundleIfFresh() ?? './main.ts');
process.exitCode = await runCli(process.argv);

/**
 * `npm run build` bundles the CLI (out/cli/main.mjs), which starts faster than ~90 type-stripped sources. It is used
 * only while it is newer than every source, so an edited checkout never runs stale code.
 */
async function bundleIfFresh() {
  const { statSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = join(import.meta.dirname, '..', '..');
  const bundle = join(root, 'out', 'cli', 'main.mjs');
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    for (const folder of ['main/cli', 'main/core', 'shared']) {
      for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) return undefined;
      }
    }
  } catch {
    // A file system that cannot be listed (an archive): the sources are always right.
    return undefined;
  }
  return bundle;
}
