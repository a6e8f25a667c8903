// Points an AI client at Switchboard by editing its own config file: merge (nothing else touched), back up, verify by reading back, undo.
import { readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { SwitchboardError } from '../errors.ts';
import { copyOwnerOnly, makeOwnerOnlyFolder, writeOwnerOnlyFile } from '../platform/owner-only.ts';
import { ENTRY_NAME, entryCredential, entryUrl, targetPath, type AiClientTarget, type PathEnvironment } from './ai-client-targets.ts';

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2 } };

export interface AiClientState {
  path: string;
  /** The file or its folder exists: the client is most likely installed. */
  detected: boolean;
  /** Switchboard's entry is in the file, points at today's endpoint and carries a credential Switchboard accepts. */
  configured: boolean;
  /** The entry is there but no longer works: it points at an old address, or its credential is not (or no longer) accepted. */
  stale?: 'address' | 'credential';
  /** What is wrong with a stale entry, for a person. */
  staleReason?: string;
}

/** What a working entry must match: today's endpoint URL (unknown while it is not running) and the client registry. */
export interface EntryExpectation {
  mcpUrl: string | undefined;
  accepts: (credential: string) => boolean;
}

export interface SetupPreview {
  path: string;
  /** The file as it is now, or null when it does not exist yet. */
  before: string | null;
  after: string;
}

/** Reads a client's file; a file that is not JSON (with comments) is refused rather than overwritten. */
async function readClientFile(path: string): Promise<{ text: string | null; value: Record<string, unknown> }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: null, value: {} };
    throw new SwitchboardError('CLIENT_SETUP_FAILED', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const errors: ParseError[] = [];
  const value: unknown = text.trim() === '' ? {} : parse(text, errors, { allowTrailingComma: true });
  if (errors.length || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SwitchboardError('CLIENT_SETUP_FAILED', `${path} is not a JSON object; fix it by hand first — Switchboard will not overwrite a file it cannot read`);
  }
  return { text, value: value as Record<string, unknown> };
}

function entryIn(value: Record<string, unknown>, target: AiClientTarget): unknown {
  let node: unknown = value;
  for (const key of [...target.container, ENTRY_NAME]) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** Switchboard's entry in a client's file, or undefined when the file or the entry is missing. */
export async function readEntry(target: AiClientTarget, env: PathEnvironment): Promise<{ path: string; entry: unknown }> {
  const path = targetPath(target, env);
  return { path, entry: entryIn((await readClientFile(path)).value, target) };
}

/** Whether an existing entry still works; a credential problem is reported first, as fixing the address alone would not help. */
export function assessEntry(target: AiClientTarget, entry: unknown, expected: EntryExpectation): Pick<AiClientState, 'configured' | 'stale' | 'staleReason'> {
  const credential = entryCredential(target, entry);
  if (!credential || !expected.accepts(credential)) {
    return { configured: false, stale: 'credential', staleReason: `its Switchboard credential is ${credential ? 'not accepted any more (the client was removed or issued a new one)' : 'missing'}; repair it to write a working one` };
  }
  const url = entryUrl(target, entry);
  if (target.transport === 'http' && expected.mcpUrl && url !== expected.mcpUrl) {
    return { configured: false, stale: 'address', staleReason: `it points at ${url ?? 'no URL'}, but Switchboard now listens at ${expected.mcpUrl}; repair it to point at today's address` };
  }
  return { configured: true };
}

export async function inspectClient(target: AiClientTarget, env: PathEnvironment, expected: EntryExpectation): Promise<AiClientState> {
  const path = targetPath(target, env);
  const exists = async (candidate: string) => stat(candidate).then(() => true, () => false);
  const fileExists = await exists(path);
  const detected = fileExists || (await exists(dirname(path)));
  const entry = fileExists ? await readEntry(target, env).then(({ entry: found }) => found, () => undefined) : undefined;
  if (entry === undefined) return { path, detected, configured: false };
  return { path, detected, ...assessEntry(target, entry, expected) };
}

export async function previewSetup(target: AiClientTarget, env: PathEnvironment, entry: Record<string, unknown>): Promise<SetupPreview> {
  const path = targetPath(target, env);
  const { text } = await readClientFile(path);
  const base = text ?? '{}\n';
  return { path, before: text, after: applyEdits(base, modify(base, [...target.container, ENTRY_NAME], entry, FORMAT)) };
}

/** Writes the entry: the old file is copied aside first, the new one replaces it atomically and is read back. */
export async function applySetup(target: AiClientTarget, env: PathEnvironment, entry: Record<string, unknown>, now = new Date()): Promise<{ path: string; backupPath: string | null }> {
  const { path, before, after } = await previewSetup(target, env, entry);
  // A client folder Switchboard has to make holds the credential it is about to write: 0700; an existing one is the client's.
  await makeOwnerOnlyFolder(dirname(path));
  let backupPath: string | null = null;
  if (before !== null) {
    backupPath = `${path}.switchboard-backup-${now.toISOString().replace(/[:.]/g, '-')}`;
    // The old file may hold the client's other credentials: its copy is no more readable than it, and at most 0600.
    await copyOwnerOnly(path, backupPath);
  }
  await replaceFile(path, after);
  const written = entryIn((await readClientFile(path)).value, target);
  if (JSON.stringify(written) !== JSON.stringify(entry)) {
    throw new SwitchboardError('CLIENT_SETUP_FAILED', `${path} did not read back as written${backupPath ? `; the previous file is at ${backupPath}` : ''}`);
  }
  return { path, backupPath };
}

/** Removes only Switchboard's entry, so anything the person changed since stays as it is. */
export async function undoSetup(target: AiClientTarget, env: PathEnvironment): Promise<{ path: string; removed: boolean }> {
  const path = targetPath(target, env);
  const { text, value } = await readClientFile(path);
  if (text === null || entryIn(value, target) === undefined) return { path, removed: false };
  await replaceFile(path, applyEdits(text, modify(text, [...target.container, ENTRY_NAME], undefined, FORMAT)));
  return { path, removed: true };
}

async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  // These files end up holding the client's credential: readable by the person only.
  await writeOwnerOnlyFile(temporary, text);
  await rename(temporary, path);
}
