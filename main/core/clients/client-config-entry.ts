// Switchboard's entry inside a parsed client config, whatever the format: finding it, the file without it, and what else the file holds.
import { getPath, isRecord } from './ai-client-targets.ts';

/** Where an entry lives: under a map keyed by name, or (Continue) in a list of entries carrying a `name`. */
export interface EntryLocation {
  container: { path: string[]; shape: 'map' | 'named-list' };
  name: string;
}

export function entryIn(value: unknown, at: EntryLocation): unknown {
  const container = getPath(value, at.container.path);
  if (at.container.shape === 'map') return isRecord(container) ? container[at.name] : undefined;
  return Array.isArray(container) ? container.find((item) => isRecord(item) && item.name === at.name) : undefined;
}

/** The parsed file with the entry taken out (its container kept, possibly empty): what must not change when the entry does. */
export function withoutEntryValue(value: Record<string, unknown>, at: EntryLocation): Record<string, unknown> {
  const copy = structuredClone(value);
  const parent = getPath(copy, at.container.path.slice(0, -1));
  const key = at.container.path[at.container.path.length - 1]!;
  if (!isRecord(parent)) return copy;
  const container = parent[key];
  if (at.container.shape === 'map' && isRecord(container)) delete container[at.name];
  if (at.container.shape === 'named-list' && Array.isArray(container)) parent[key] = container.filter((item) => !(isRecord(item) && item.name === at.name));
  return copy;
}

/** A container that holds nothing but Switchboard's entry counts as absent: removing the entry may remove the container it needed. */
export function sameApartFromEntry(before: Record<string, unknown>, after: Record<string, unknown>, at: EntryLocation): boolean {
  return deepEqual(dropEmptyContainer(withoutEntryValue(before, at), at), dropEmptyContainer(withoutEntryValue(after, at), at));
}

function dropEmptyContainer(value: Record<string, unknown>, at: EntryLocation): Record<string, unknown> {
  const parent = getPath(value, at.container.path.slice(0, -1));
  const key = at.container.path[at.container.path.length - 1]!;
  if (!isRecord(parent)) return value;
  const container = parent[key];
  const empty = container === null || (Array.isArray(container) && container.length === 0) || (isRecord(container) && Object.keys(container).length === 0);
  if (empty) delete parent[key];
  return value;
}

export interface FileSummary {
  /** The other servers' names in the same container (names, never their settings). */
  otherEntries: string[];
  /** How many other top-level settings the file holds. */
  otherSettings: number;
}

export function summarize(value: Record<string, unknown>, at: EntryLocation): FileSummary {
  const container = getPath(value, at.container.path);
  const names =
    at.container.shape === 'map'
      ? isRecord(container)
        ? Object.keys(container)
        : []
      : Array.isArray(container)
        ? container.map((item) => (isRecord(item) && typeof item.name === 'string' ? item.name : '(unnamed)'))
        : [];
  return {
    otherEntries: names.filter((name) => name !== at.name),
    otherSettings: Object.keys(value).filter((key) => key !== at.container.path[0]).length,
  };
}

export function describeSummary(summary: FileSummary, serverWord = 'server'): string {
  const servers =
    summary.otherEntries.length === 0
      ? `no other ${serverWord}s`
      : `${summary.otherEntries.length} other ${serverWord}${summary.otherEntries.length === 1 ? '' : 's'} (${summary.otherEntries.join(', ')})`;
  const settings = `${summary.otherSettings === 0 ? 'no' : summary.otherSettings} other top-level setting${summary.otherSettings === 1 ? '' : 's'}`;
  return `${servers}, ${settings}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}
