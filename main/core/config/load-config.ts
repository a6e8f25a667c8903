// Reads and validates a configuration file, turning every problem into an error that names the file and the spot.
import { readFile } from 'node:fs/promises';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import { configSchema, type SwitchboardConfig } from './config-schema.ts';

export async function loadConfigFile(path: string): Promise<SwitchboardConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new SwitchboardError('CONFIG_NOT_FOUND', `${path}: no such file; create it or pass another path with --config`, { cause: error });
    }
    throw new SwitchboardError('CONFIG_UNREADABLE', `${path}: cannot be read (${code ?? 'unknown error'})`, { cause: error });
  }
  return parseConfigText(text, path);
}

export function parseConfigText(text: string, source: string): SwitchboardConfig {
  const syntaxErrors: ParseError[] = [];
  // jsonc-parser reports where the syntax breaks; JSON.parse only says that it does.
  // Comments are allowed: people annotate their configuration, and `servers add` keeps their notes when it edits the file.
  const json: unknown = parseJsonc(text, syntaxErrors, { disallowComments: false, allowTrailingComma: false, allowEmptyContent: false });
  const firstError = syntaxErrors[0];
  if (firstError) {
    const { line, column } = lineAndColumn(text, firstError.offset);
    throw new SwitchboardError(
      'CONFIG_INVALID_JSON',
      `${source}:${line}:${column}: not valid JSON (${describeSyntaxError(printParseErrorCode(firstError.error))})`,
    );
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    throw new SwitchboardError('CONFIG_INVALID', `${source}: ${describeIssues(parsed.error.issues)}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Renders zod issues as `servers[0].url: must be …`, one per line after the first. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** "ValueExpected" → "value expected". */
function describeSyntaxError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
