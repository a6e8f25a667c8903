// JSON client configs: strict JSON where the client parses with JSON.parse, JSON with comments where it does not (VS Code, Zed); edits touch only Switchboard's entry, comments and layout included.
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parse,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { SwitchboardError } from '../errors.ts';
import { isRecord } from './ai-client-targets.ts';
import type { EntryLocation } from './client-config-entry.ts';
import type { ClientConfigFormat } from './client-config-format.ts';

export function jsonClientConfig(flavour: 'json' | 'jsonc'): ClientConfigFormat {
  return {
    parse(text, path) {
      if (text.trim() === '') return {};
      const value = flavour === 'json' ? parseStrict(text, path) : parseWithComments(text, path);
      if (!isRecord(value)) throw malformed(path, 'its top level is not a JSON object');
      return value;
    },
    withEntry(text, at, entry) {
      const base = text === null || text.trim() === '' ? '{}\n' : text;
      return spliceEntry(base, at, entry) ?? applyEdits(base, modify(base, pathOf(at), entry, { formattingOptions: formattingOf(base) }));
    },
    withoutEntry(text, at) {
      return spliceOutEntry(text, at) ?? applyEdits(text, modify(text, pathOf(at), undefined, { formattingOptions: formattingOf(text) }));
    },
    renderEntry(at, entry) {
      return JSON.stringify({ [at.name]: entry }, null, 2);
    },
  };
}

function pathOf(at: EntryLocation): string[] {
  if (at.container.shape !== 'map') throw new Error('JSON client configs keep servers in a map');
  return [...at.container.path, at.name];
}

function parseStrict(text: string, path: string): unknown {
  try {
    // A leading byte-order mark fails here as it fails in the client: JSON.parse refuses it in both.
    return JSON.parse(text);
  } catch (error) {
    throw malformed(path, `it is not valid JSON (${(error as Error).message}), and the client reads it as strict JSON`);
  }
}

function parseWithComments(text: string, path: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    throw malformed(path, `it is not valid JSON with comments (${printParseErrorCode(first.error)} at offset ${first.offset})`);
  }
  return value;
}

function malformed(path: string, why: string): SwitchboardError {
  return new SwitchboardError(
    'CLIENT_FILE_MALFORMED',
    `${path} cannot be read: ${why}. Fix it by hand first — Switchboard will not overwrite a file it cannot read`,
  );
}

/** Indents new lines the way the file already does (tabs, or its number of spaces), so the edit reads like the rest. */
function formattingOf(text: string): FormattingOptions {
  const indented = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indented?.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: indented ? Math.min(indented.length, 8) : 2 };
}

/** The container object's node and the property nodes in it (each a key and a value). */
function containerOf(text: string, at: EntryLocation): { container: Node; properties: Node[] } | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const container = tree && findNodeAtLocation(tree, at.container.path);
  if (!container || container.type !== 'object') return undefined;
  return { container, properties: container.children ?? [] };
}

function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The value as JSON laid out like the file (its indent unit), continuation lines indented to `indent`. */
function renderValue(value: unknown, text: string, indent: string): string {
  const options = formattingOf(text);
  const unit = options.insertSpaces ? ' '.repeat(options.tabSize ?? 2) : '\t';
  return JSON.stringify(value, null, unit).split('\n').join(`\n${indent}`);
}

/**
 * Adds the entry as the container's last property, or replaces the value of an existing one, as a text splice: the
 * rest of the file keeps every byte (jsonc-parser's modify reformats neighbouring properties). Undefined when the
 * container is missing or empty, which modify handles.
 */
function spliceEntry(text: string, at: EntryLocation, entry: Record<string, unknown>): string | undefined {
  const found = containerOf(text, at);
  if (!found || found.properties.length === 0) return undefined;
  const existing = found.properties.find((property) => property.children?.[0]?.value === at.name);
  if (existing) {
    const value = existing.children![1]!;
    return text.slice(0, value.offset) + renderValue(entry, text, lineIndentAt(text, existing.offset)) + text.slice(value.offset + value.length);
  }
  const last = found.properties[found.properties.length - 1]!;
  const indent = lineIndentAt(text, last.offset);
  const end = last.offset + last.length;
  return `${text.slice(0, end)},\n${indent}${JSON.stringify(at.name)}: ${renderValue(entry, text, indent)}${text.slice(end)}`;
}

/** Removes the entry's property and the separator before it (after it, when it is the first), so an added entry leaves no trace. */
function spliceOutEntry(text: string, at: EntryLocation): string | undefined {
  const found = containerOf(text, at);
  if (!found) return undefined;
  const index = found.properties.findIndex((property) => property.children?.[0]?.value === at.name);
  if (index === -1) return text;
  const property = found.properties[index]!;
  const end = property.offset + property.length;
  if (index > 0) {
    const previous = found.properties[index - 1]!;
    return text.slice(0, previous.offset + previous.length) + text.slice(end);
  }
  const next = found.properties[1];
  if (next) return text.slice(0, property.offset) + text.slice(next.offset);
  return undefined;
}
