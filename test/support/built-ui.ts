// Setup file for the tests that serve the built UI (out/renderer): builds it first when it is missing or older than its sources, once across parallel test processes.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const repoRoot = join(import.meta.dirname, '../..');
const BUILT_PAGE = join(repoRoot, 'out/renderer/index.html');
/** What the renderer bundle is made from: its sources, the shared contract it imports, and the build configuration. */
const SOURCES = ['renderer', 'shared', 'electron.vite.config.ts'];
/** Held (as a folder: creating one is atomic) by the one test process that builds; the others wait for it to go. */
const LOCK = join(repoRoot, 'out/.ui-build-lock');
/** A lock older than this was left by a run that was killed mid-build (a build takes seconds). */
const STALE_LOCK_MS = 120_000;

async function modifiedAt(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
}

async function newestSourceChange(): Promise<number> {
  let newest = 0;
  for (const source of SOURCES) {
    const path = join(repoRoot, source);
    newest = Math.max(newest, (await modifiedAt(path)) ?? 0);
    const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile()) newest = Math.max(newest, (await modifiedAt(join(entry.parentPath, entry.name))) ?? 0);
  }
  return newest;
}

async function isFresh(): Promise<boolean> {
  const built = await modifiedAt(BUILT_PAGE);
  return built !== undefined && built >= (await newestSourceChange());
}

async function takeLock(): Promise<boolean> {
  await mkdir(join(repoRoot, 'out'), { recursive: true });
  try {
    await mkdir(LOCK);
    return true;
  } catch {
    const lockedAt = await modifiedAt(LOCK);
    if (lockedAt !== undefined && Date.now() - lockedAt > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
    return false;
  }
}

/** The same build `npm run build` makes of the app (electron-vite: main, preload and renderer), run with this Node. */
async function buildUi(): Promise<void> {
  const electronVite = join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js');
  await promisify(execFile)(process.execPath, [electronVite, 'build', '--logLevel', 'warn'], { cwd: repoRoot });
}

/** Each process builds at most once, so a clock that puts a source in the future cannot make it build forever. */
async function ensureBuiltUi(): Promise<void> {
  let built = false;
  while (!built && !(await isFresh())) {
    if (!(await takeLock())) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      // Another process may have finished a build between the check and the lock.
      if (!(await isFresh())) await buildUi();
    } finally {
      await rm(LOCK, { recursive: true, force: true });
    }
    built = true;
  }
}

await ensureBuiltUi();
