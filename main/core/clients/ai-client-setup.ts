// Points an AI client at Switchboard by editing its own config file: merge (nothing else touched), check by the client's own parser, back up, write, read back, undo.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SwitchboardError } from '../errors.ts';
import { looksInstalled } from './ai-client-paths.ts';
import {
  AI_CLIENT_TARGETS,
  configFile,
  ENTRY_NAME,
  entryCredential,
  entryUrl,
  maskedEntry,
  type AiClientTarget,
  type ConfigFormat,
  type PathEnvironment,
} from './ai-client-targets.ts';
import type { ClientCommands } from './client-commands.ts';
import { deepEqual, describeSummary, entryIn, sameApartFromEntry, summarize, type EntryLocation } from './client-config-entry.ts';
import type { ClientConfigFormat } from './client-config-format.ts';
import { assertWritable, backUpClientFile, readClientFile, replaceClientFile, type ClientFile, type ReplaceOptions } from './client-file-io.ts';
import { jsonClientConfig } from './json-client-config.ts';
import { tomlClientConfig } from './toml-client-config.ts';
import { withVscodeProfiles } from './vscode-profiles.ts';
import { yamlClientConfig } from './yaml-client-config.ts';

export interface AiClientState {
  /** The file the client reads on this machine; null where it has none (another OS, or settings-only like JetBrains). */
  path: string | null;
  /** The client looks installed: its file exists, or a folder only it makes does (never merely the home folder). */
  detected: boolean;
  /** Switchboard's entry is in the file, points at today's endpoint and carries a credential Switchboard accepts. */
  configured: boolean;
  /** The entry is there but no longer works: it points at an old address, or its credential is not (or no longer) accepted. */
  stale?: 'address' | 'credential';
  /** What is wrong with a stale entry, for a person. */
  staleReason?: string;
  /** Why the file could not be read (malformed, a broken link): setup will refuse until it is fixed. */
  problem?: string;
  /** The address in Switchboard's entry, when there is one (the stdio bridge has none: it asks the running Switchboard). */
  url?: string;
}

/** What a working entry must match: today's endpoint URL (unknown while it is not running) and the client registry. */
export interface EntryExpectation {
  mcpUrl: string | undefined;
  accepts: (credential: string) => boolean;
}

/** A change as it may be shown: Switchboard's entry before and after, and only a summary of the rest (it may hold other secrets). */
export interface SetupPreview {
  path: string | null;
  /** file: the file is edited; command: the client's own CLI does it; copy: the person pastes the JSON into the client. */
  method: 'file' | 'command' | 'copy';
  format: ConfigFormat;
  fileExists: boolean;
  /** Switchboard's entry as it is now (every header and environment value masked), or null when there is none. */
  entryBefore: string | null;
  entryAfter: string;
  /** The command run for `command`, as it will run but for the credential. */
  command?: string;
  otherEntries: string[];
  otherSettings: number;
  /** "3 other servers (a, b, c), 12 other top-level settings". */
  summary: string;
  notes?: string;
}

export interface SetupOptions extends ReplaceOptions {
  /** The clients' own command-line tools; without it files are always edited directly. */
  commands?: ClientCommands;
}

export interface SetupResult {
  path: string;
  backupPath: string | null;
  via: 'file' | 'command';
}

const MASK = '«hidden»';

/** Every target on this machine: the known clients, and a target per non-default VS Code profile found here. */
export function clientTargetsFor(env: PathEnvironment, targets: readonly AiClientTarget[] = AI_CLIENT_TARGETS): AiClientTarget[] {
  return withVscodeProfiles(targets, env);
}

export function formatOf(target: AiClientTarget): ClientConfigFormat {
  switch (target.format) {
    case 'json':
    case 'jsonc':
      return jsonClientConfig(target.format);
    case 'toml':
      return tomlClientConfig();
    case 'yaml':
      return yamlClientConfig();
  }
}

function locationOf(target: AiClientTarget): EntryLocation {
  return { container: target.container, name: ENTRY_NAME };
}

function requireFile(target: AiClientTarget, env: PathEnvironment): string {
  const path = configFile(target, env);
  if (path !== undefined) return path;
  if (target.method === 'copy')
    throw new SwitchboardError(
      'CLIENT_SETUP_FAILED',
      `${target.name} keeps its servers in its own settings, not a file: paste the JSON from the preview there (${target.notes ?? ''})`,
    );
  throw new SwitchboardError('CLIENT_SETUP_FAILED', `${target.name} does not run on ${env.platform}`);
}

interface ReadConfig {
  file: ClientFile;
  /** The text setup starts from: the file, or the start of a new one. */
  base: string | null;
  value: Record<string, unknown>;
}

async function readConfig(target: AiClientTarget, path: string): Promise<ReadConfig> {
  const file = await readClientFile(path);
  const base = file.text ?? target.newFile ?? null;
  return { file, base, value: base === null ? {} : formatOf(target).parse(base, path) };
}

/** Switchboard's entry in a client's file, or undefined when the file or the entry is missing. */
export async function readEntry(target: AiClientTarget, env: PathEnvironment): Promise<{ path: string; entry: unknown }> {
  const path = requireFile(target, env);
  const { file, value } = await readConfig(target, path);
  return { path, entry: file.text === null ? undefined : entryIn(value, locationOf(target)) };
}

/** Whether an existing entry still works; a credential problem is reported first, as fixing the address alone would not help. */
export function assessEntry(target: AiClientTarget, entry: unknown, expected: EntryExpectation): Pick<AiClientState, 'configured' | 'stale' | 'staleReason'> {
  const credential = entryCredential(target, entry);
  if (!credential || !expected.accepts(credential)) {
    return {
      configured: false,
      stale: 'credential',
      staleReason: `its Switchboard credential is ${credential ? 'not accepted any more (the client was removed or issued a new one)' : 'missing'}; repair it to write a working one`,
    };
  }
  const url = entryUrl(target, entry);
  if (target.transport === 'http' && expected.mcpUrl && url !== expected.mcpUrl) {
    return {
      configured: false,
      stale: 'address',
      staleReason: `it points at ${url ?? 'no URL'}, but Switchboard now listens at ${expected.mcpUrl}; repair it to point at today's address`,
    };
  }
  return { configured: true };
}

export async function inspectClient(target: AiClientTarget, env: PathEnvironment, expected: EntryExpectation): Promise<AiClientState> {
  const path = configFile(target, env);
  if (path === undefined) return { path: null, detected: false, configured: false };
  const detected = looksInstalled(target, env);
  let entry: unknown;
  try {
    entry = (await readEntry(target, env)).entry;
  } catch (error) {
    return { path, detected, configured: false, problem: (error as Error).message };
  }
  if (entry === undefined) return { path, detected, configured: false };
  const url = entryUrl(target, entry);
  return { path, detected, ...assessEntry(target, entry, expected), ...(url ? { url } : {}) };
}

/** The command line that sets the entry up through the client's CLI, or undefined when the file is edited. */
function commandFor(target: AiClientTarget, options: SetupOptions): { program: string; add: string[]; remove: string[] } | undefined {
  const program = target.cli && options.commands?.find(target.cli.program);
  return program && target.cli ? { program, add: target.cli.add, remove: target.cli.remove } : undefined;
}

function fillArgs(args: string[], entry: Record<string, unknown>): string[] {
  return args.map((arg) => arg.replace('{name}', ENTRY_NAME).replace('{json}', JSON.stringify(entry)));
}

/** The change setup would make, holding nothing of the file but Switchboard's entry (masked) and a summary. */
export async function previewSetup(
  target: AiClientTarget,
  env: PathEnvironment,
  entry: Record<string, unknown>,
  options: SetupOptions = {},
): Promise<SetupPreview> {
  const at = locationOf(target);
  if (target.method === 'copy') {
    return {
      path: null,
      method: 'copy',
      format: 'json',
      fileExists: false,
      entryBefore: null,
      entryAfter: JSON.stringify({ [target.container.path[0]!]: { [ENTRY_NAME]: entry } }, null, 2),
      otherEntries: [],
      otherSettings: 0,
      summary: "nothing is written: the JSON is pasted into the client's settings",
      ...(target.notes ? { notes: target.notes } : {}),
    };
  }
  const path = requireFile(target, env);
  const { file, value } = await readConfig(target, path);
  const format = formatOf(target);
  const existing = file.text === null ? undefined : entryIn(value, at);
  const summary = summarize(value, at);
  const command = commandFor(target, options);
  return {
    path,
    method: command ? 'command' : 'file',
    format: target.format,
    fileExists: file.text !== null,
    entryBefore: existing === undefined ? null : format.renderEntry(at, maskedEntry(target, existing, MASK) as Record<string, unknown>),
    entryAfter: format.renderEntry(at, entry),
    ...(command ? { command: [target.cli!.program, ...fillArgs(command.add, entry)].map(quoteForDisplay).join(' ') } : {}),
    ...summary,
    summary: describeSummary(summary),
    ...(target.notes ? { notes: target.notes } : {}),
  };
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Parses the would-be text by the client's rules: the entry reads back as written, and nothing else changed. */
function checkEdit(
  target: AiClientTarget,
  path: string,
  before: Record<string, unknown>,
  text: string,
  expectedEntry: Record<string, unknown> | undefined,
): void {
  const at = locationOf(target);
  const after = formatOf(target).parse(text, path);
  if (!deepEqual(entryIn(after, at), expectedEntry)) {
    throw new SwitchboardError(
      'CLIENT_SETUP_FAILED',
      `${path}: the edited file would not read back as intended, so it was left unchanged; add the "${ENTRY_NAME}" entry by hand`,
    );
  }
  if (!sameApartFromEntry(before, after, at)) {
    throw new SwitchboardError(
      'CLIENT_SETUP_FAILED',
      `${path}: editing Switchboard's entry here would also change other settings (the file is laid out in a way Switchboard cannot edit safely), so it was left unchanged; add the "${ENTRY_NAME}" entry by hand`,
    );
  }
}

function refuseOlderSetup(target: AiClientTarget, file: ClientFile): void {
  if (file.text !== null || !target.olderSibling) return;
  const sibling = join(dirname(file.path), target.olderSibling.file);
  if (existsSync(sibling)) throw new SwitchboardError('CLIENT_SETUP_FAILED', `${target.olderSibling.reason} (${sibling})`);
}

/** Writes the entry: the old file is copied aside first, the new one replaces it atomically and is read back. */
export async function applySetup(
  target: AiClientTarget,
  env: PathEnvironment,
  entry: Record<string, unknown>,
  now = new Date(),
  options: SetupOptions = {},
): Promise<SetupResult> {
  const path = requireFile(target, env);
  const { file, base, value } = await readConfig(target, path);
  refuseOlderSetup(target, file);
  await assertWritable(file);
  const command = commandFor(target, options);
  if (command && options.commands) return applyThroughCommand(target, path, file, entry, now, command, options.commands);
  const text = formatOf(target).withEntry(base, locationOf(target), entry);
  checkEdit(target, path, value, text, entry);
  const backupPath = await backUpClientFile(file, now);
  await replaceClientFile(file, text, options);
  await readBack(target, path, entry, backupPath);
  return { path, backupPath, via: 'file' };
}

/** Reads the written file again, by the client's rules, and finds the entry as intended. */
async function readBack(target: AiClientTarget, path: string, entry: Record<string, unknown>, backupPath: string | null): Promise<void> {
  const { value } = await readConfig(target, path);
  if (!deepEqual(entryIn(value, locationOf(target)), entry)) {
    throw new SwitchboardError('CLIENT_SETUP_FAILED', `${path} did not read back as written${backupPath ? `; the previous file is at ${backupPath}` : ''}`);
  }
}

/**
 * Claude Code keeps ~/.claude.json in memory and writes it back whole, dropping edits made while it runs: its own
 * command adds the entry instead. The file is still backed up first and read back after. The credential is passed
 * as an argument, visible in this machine's process list for the second the command runs.
 */
async function applyThroughCommand(
  target: AiClientTarget,
  path: string,
  file: ClientFile,
  entry: Record<string, unknown>,
  now: Date,
  command: { program: string; add: string[]; remove: string[] },
  commands: ClientCommands,
): Promise<SetupResult> {
  const backupPath = await backUpClientFile(file, now);
  // add-json refuses a name that exists: remove any older entry first (a "not found" failure is expected then).
  await commands.run(command.program, fillArgs(command.remove, entry));
  const added = await commands.run(command.program, fillArgs(command.add, entry));
  if (added.exitCode !== 0) {
    const said = `${added.stderr}${added.stdout}`.split(JSON.stringify(entry)).join('<entry>').trim().slice(0, 500);
    throw new SwitchboardError(
      'CLIENT_SETUP_FAILED',
      `\`${target.cli!.program} ${target.cli!.add.slice(0, 2).join(' ')}\` failed (exit ${added.exitCode})${said ? `: ${redactBearer(said)}` : ''}`,
    );
  }
  await readBack(target, path, entry, backupPath);
  return { path, backupPath, via: 'command' };
}

function redactBearer(text: string): string {
  return text.replace(/Bearer\s+[^\s"']+/gi, 'Bearer «hidden»');
}

/** Removes only Switchboard's entry, so anything the person changed since stays as it is. */
export async function undoSetup(target: AiClientTarget, env: PathEnvironment, options: SetupOptions = {}): Promise<{ path: string; removed: boolean }> {
  const path = requireFile(target, env);
  const { file, value } = await readConfig(target, path);
  const at = locationOf(target);
  if (file.text === null || entryIn(value, at) === undefined) return { path, removed: false };
  await assertWritable(file);
  const command = commandFor(target, options);
  if (command && options.commands) {
    const removed = await options.commands.run(command.program, fillArgs(command.remove, {}));
    const after = await readConfig(target, path);
    if (entryIn(after.value, at) !== undefined)
      throw new SwitchboardError(
        'CLIENT_SETUP_FAILED',
        `\`${target.cli!.program} mcp remove\` did not remove the entry (exit ${removed.exitCode}): ${redactBearer(removed.stderr.trim().slice(0, 300))}`,
      );
    return { path, removed: true };
  }
  const text = formatOf(target).withoutEntry(file.text, at);
  checkEdit(target, path, value, text, undefined);
  await replaceClientFile(file, text, options);
  return { path, removed: true };
}
