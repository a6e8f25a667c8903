// YAML client configs (Continue, Goose): parsed strictly with the `yaml` parser; Switchboard's entry is spliced into the text at the container's indentation, so comments and every other line stay as they were.
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { SwitchboardError } from '../errors.ts';
import { isRecord } from './ai-client-targets.ts';
import type { EntryLocation } from './client-config-entry.ts';
import type { ClientConfigFormat } from './client-config-format.ts';

/** Never fold long values (a URL, a header) across lines. */
const STRINGIFY = { lineWidth: 0 } as const;

export function yamlClientConfig(): ClientConfigFormat {
  return {
    parse(text, path) {
      const documents = parseAllDocuments(text, { uniqueKeys: true });
      const problems = Array.isArray(documents) ? documents.flatMap((document) => document.errors) : [];
      if (problems.length > 0) throw malformed(path, `it is not valid YAML (${problems[0]!.message.split('\n')[0]})`);
      if (Array.isArray(documents) && documents.length > 1) throw malformed(path, 'it holds more than one YAML document');
      const value: unknown = Array.isArray(documents) && documents[0] ? documents[0].toJS() : null;
      if (value === null || value === undefined) return {};
      if (!isRecord(value)) throw malformed(path, 'its top level is not a mapping');
      return value;
    },
    withEntry(text, at, entry) {
      const rest = text === null ? '' : removeEntry(text, at);
      return insertEntry(rest, at, entry);
    },
    withoutEntry: removeEntry,
    renderEntry(at, entry) {
      return stringify(at.container.shape === 'map' ? { [at.name]: entry } : [entry], STRINGIFY);
    },
  };
}

function malformed(path: string, why: string): SwitchboardError {
  return new SwitchboardError(
    'CLIENT_FILE_MALFORMED',
    `${path} cannot be read: ${why}. Fix it by hand first — Switchboard will not overwrite a file it cannot read`,
  );
}

/** The top-level pair holding the container (container paths are one key deep: `extensions`, `mcpServers`). */
function containerPair(document: Document, at: EntryLocation): Pair<Node, Node | null> | undefined {
  if (at.container.path.length !== 1 || !isMap(document.contents)) return undefined;
  return (document.contents as YAMLMap<Node, Node | null>).items.find((pair) => isScalar(pair.key) && pair.key.value === at.container.path[0]);
}

/** The first offset after the line holding `offset` (block collections already end at a line start). */
function lineEndAfter(text: string, offset: number): number {
  if (offset === 0 || text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

interface ItemSpan {
  start: number;
  end: number;
  matches: boolean;
}

/** Each item of a block container as whole lines: from its first line to the end of its value. */
function itemSpans(text: string, container: YAMLMap<Node, Node | null> | YAMLSeq<Node>, at: EntryLocation): ItemSpan[] {
  if (isMap(container)) {
    return (container as YAMLMap<Node, Node | null>).items.map((pair) => ({
      start: lineStartOf(text, pair.key!.range![0]),
      end: lineEndAfter(text, (pair.value ?? pair.key)!.range![1]),
      matches: isScalar(pair.key) && pair.key.value === at.name,
    }));
  }
  return (container as YAMLSeq<Node>).items.map((item) => ({
    // The item's range starts after its "- ": the line start takes the indicator along.
    start: lineStartOf(text, item.range![0]),
    end: lineEndAfter(text, item.range![1]),
    matches: isRecord((item as Node).toJSON()) && ((item as Node).toJSON() as Record<string, unknown>).name === at.name,
  }));
}

function blockContainer(
  document: Document,
  at: EntryLocation,
): { pair: Pair<Node, Node | null>; container: YAMLMap<Node, Node | null> | YAMLSeq<Node> } | undefined {
  const pair = containerPair(document, at);
  const value = pair?.value;
  const wanted = at.container.shape === 'map' ? isMap(value) : isSeq(value);
  if (!pair || !value || !wanted || (value as YAMLMap | YAMLSeq).flow || (value as YAMLMap | YAMLSeq).items.length === 0) return undefined;
  return { pair, container: value as YAMLMap<Node, Node | null> | YAMLSeq<Node> };
}

function removeEntry(text: string, at: EntryLocation): string {
  const document = parseDocument(text);
  const found = blockContainer(document, at);
  if (!found) return text;
  const spans = itemSpans(text, found.container, at);
  const ours = spans.filter((span) => span.matches);
  if (ours.length === 0) return text;
  if (ours.length === spans.length) {
    // Nothing else in the container: remove it with its key, as an empty `extensions:` would read as null.
    const start = lineStartOf(text, found.pair.key!.range![0]);
    return text.slice(0, start) + text.slice(spans[spans.length - 1]!.end);
  }
  let result = text;
  for (const span of [...ours].reverse()) result = result.slice(0, span.start) + result.slice(span.end);
  return result;
}

function insertEntry(text: string, at: EntryLocation, entry: Record<string, unknown>): string {
  const item = at.container.shape === 'map' ? { [at.name]: entry } : [entry];
  const document = parseDocument(text);
  const found = blockContainer(document, at);
  if (found) {
    const spans = itemSpans(text, found.container, at);
    const last = spans[spans.length - 1]!;
    const indent = /^[ ]*/.exec(text.slice(last.start))![0];
    const snippet = stringify(item, STRINGIFY)
      .trimEnd()
      .split('\n')
      .map((line) => indent + line)
      .join('\n');
    const before = text.slice(0, last.end);
    return `${before}${before.endsWith('\n') ? '' : '\n'}${snippet}\n${text.slice(last.end)}`;
  }
  if (containerPair(document, at) || (document.contents !== null && !isMap(document.contents))) {
    // An empty or flow-style container (`extensions: {}`): the document model writes it, comments kept; the caller
    // checks that nothing else changed before anything is written.
    if (at.container.shape === 'map') {
      document.setIn([...at.container.path, at.name], entry);
    } else {
      const list = document.getIn(at.container.path, true);
      if (isSeq(list)) list.add(document.createNode(entry));
      else document.setIn(at.container.path, document.createNode([entry]));
    }
    return document.toString(STRINGIFY);
  }
  // No container yet: a new top-level key at the end of the file.
  const snippet = stringify({ [at.container.path[0]!]: item }, STRINGIFY);
  if (text.trim() === '') return snippet;
  return `${text}${text.endsWith('\n') ? '' : '\n'}${snippet}`;
}
