// Loads the tool-search benchmark's fixtures: the real servers' tool catalogs (as exposed names) and the labelled tasks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/server';
import type { IndexedTool } from '../../main/core/router/tool-search/tool-index.ts';

const FOLDER = join(import.meta.dirname, 'fixtures', 'tool-catalogs');

export interface LabelledTask {
  text: string;
  /** Exposed names of every tool that serves the task: finding any one of them counts. */
  tools: string[];
}

/** The exposed name Switchboard gives a server's tool: the server's prefix, "_", the tool's own name. */
export function exposed(server: string, tool: string, copy = ''): string {
  return `${copy}${server.replace(/-/g, '_')}_${tool}`;
}

export function loadCatalog(): IndexedTool[] {
  return readdirSync(FOLDER)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const fixture = JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as { server: string; tools: Tool[] };
      return fixture.tools.map((tool) => ({ name: exposed(fixture.server, tool.name), server: fixture.server, tool }));
    });
}

/**
 * `tasks.txt` (the tasks the ranking was developed on), `tasks-unseen.txt` (written after, never tuned on) or
 * `tasks-holdout.txt` (written before the second round of ranking work was tried, never tuned on).
 */
export function loadTasks(catalog: readonly IndexedTool[], file: 'tasks.txt' | 'tasks-unseen.txt' | 'tasks-holdout.txt' = 'tasks.txt'): LabelledTask[] {
  const known = new Set(catalog.map((entry) => entry.name));
  return readFileSync(join(FOLDER, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [labels, text] = line.split(' | ');
      const tools = labels!.split(',').map((label) => {
        const [server, tool] = label.trim().split('/');
        const name = exposed(server!, tool!);
        if (!known.has(name)) throw new Error(`${file} labels an unknown tool "${label}" in: ${line}`);
        return name;
      });
      return { text: text!.trim(), tools };
    });
}

/** The catalog copied under distinct prefixes (r1_, r2_, …) until it holds `size` tools: the scale a big company reaches. */
export function replicatedCatalog(catalog: readonly IndexedTool[], size: number): IndexedTool[] {
  const tools: IndexedTool[] = [...catalog];
  for (let copy = 1; tools.length < size; copy++) {
    for (const entry of catalog) {
      if (tools.length >= size) break;
      tools.push({ name: `r${copy}_${entry.name}`, server: `${entry.server}-${copy}`, tool: entry.tool });
    }
  }
  return tools;
}
