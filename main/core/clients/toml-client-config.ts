// TOML client configs (Codex's config.toml): parsed by a strict TOML 1.0 parser; Switchboard's entry is one [table] block, removed and appended as text so every other line stays byte for byte.
import { parse, TomlError } from 'smol-toml';
import { SwitchboardError } from '../errors.ts';
import { isRecord } from './ai-client-targets.ts';
import type { EntryLocation } from './client-config-entry.ts';
import type { ClientConfigFormat } from './client-config-format.ts';

export function tomlClientConfig(): ClientConfigFormat {
  return {
    parse(text, path) {
      try {
        return parse(text) as Record<string, unknown>;
      } catch (error) {
        if (!(error instanceof TomlError)) throw error;
        throw new SwitchboardError(
          'CLIENT_FILE_MALFORMED',
          `${path} cannot be read: it is not valid TOML (${error.message.split('\n')[0]}). Fix it by hand first — Switchboard will not overwrite a file it cannot read`,
        );
      }
    },
    withEntry(text, at, entry) {
      const rest = text === null ? '' : removeEntryText(text, at);
      const block = renderBlock(at, entry);
      if (rest.trim() === '') return block;
      return `${rest.endsWith('\n') ? rest : `${rest}\n`}\n${block}`;
    },
    withoutEntry: removeEntryText,
    renderEntry: renderBlock,
  };
}

/** The entry as its own table: `[mcp_servers.switchboard]`, values inline (nested maps as inline tables), one block to find and remove. */
function renderBlock(at: EntryLocation, entry: Record<string, unknown>): string {
  const header = `[${[...at.container.path, at.name].map(renderKey).join('.')}]`;
  return `${[header, ...Object.entries(entry).map(([key, value]) => `${renderKey(key)} = ${renderValue(value)}`)].join('\n')}\n`;
}

function renderKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function renderValue(value: unknown): string {
  // JSON's string escapes (\" \\ \n \t \uXXXX ...) are all valid in a TOML basic string; DEL, which JSON leaves raw, is not.
  if (typeof value === 'string') return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (isRecord(value))
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${renderKey(key)} = ${renderValue(item)}`)
      .join(', ')} }`;
  throw new Error(`cannot write ${typeof value} to TOML`);
}

const TABLE_HEADER = /^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(#.*)?$/;

/** The dotted key of a table header, each part unquoted: `[ mcp_servers . "switchboard" ]` -> ['mcp_servers', 'switchboard']. */
function headerKey(line: string): string[] | undefined {
  const match = TABLE_HEADER.exec(line);
  if (!match) return undefined;
  const parts = match[1]!.match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^.\s]+/g);
  return parts?.map((part) => (part.startsWith('"') ? (JSON.parse(part) as string) : part.startsWith("'") ? part.slice(1, -1) : part));
}

/**
 * Removes the lines that define the entry: its table and any sub-table (`[mcp_servers.switchboard.http_headers]`),
 * or a one-line `switchboard = { ... }` inside `[mcp_servers]`. Anything else is left for the caller's check, which
 * refuses to write a result whose other settings differ.
 */
function removeEntryText(text: string, at: EntryLocation): string {
  const entryKey = [...at.container.path, at.name];
  const lines = text.split('\n');
  const keep: boolean[] = lines.map(() => true);
  let inEntryTable = false;
  let inContainerTable = false;
  let lastEntryLine = -1;
  lines.forEach((line, index) => {
    const key = headerKey(line);
    if (key) {
      inEntryTable = entryKey.every((part, position) => key[position] === part);
      inContainerTable = key.length === at.container.path.length && at.container.path.every((part, position) => key[position] === part);
    }
    const inlineEntry = inContainerTable && !key && new RegExp(`^\\s*(${escape(at.name)}|"${escape(at.name)}"|'${escape(at.name)}')\\s*[.=]`).test(line);
    if (inEntryTable || inlineEntry) {
      keep[index] = false;
      if (line.trim() !== '') lastEntryLine = index;
    }
  });
  // Blank lines after the entry's last line belong to the gap before the next table: keep them.
  for (let index = lastEntryLine + 1; index < lines.length && lines[index]!.trim() === '' && !keep[index]; index += 1) keep[index] = true;
  const removedAny = keep.some((kept) => !kept);
  if (!removedAny) return text;
  // The blank line setup put before the entry goes with it, unless the text that follows needs it as a separator.
  const firstRemoved = keep.indexOf(false);
  const after = keep.findIndex((kept, index) => index > firstRemoved && kept && lines[index]!.trim() !== '');
  if (firstRemoved > 0 && lines[firstRemoved - 1]!.trim() === '' && (after === -1 || lines[after - 1]!.trim() === '')) keep[firstRemoved - 1] = false;
  return lines.filter((_, index) => keep[index]).join('\n');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
