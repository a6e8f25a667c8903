// A full-text index of one view's tools in in-memory SQLite FTS5: kept in step with the tool list, ranked by BM25 with usage as a prior.
import Database from 'better-sqlite3';
import type { Tool } from '@modelcontextprotocol/server';
import { softwareSynonyms } from './software-thesaurus.ts';
import { ALL_TEXT_STEPS, queryWords, toolText, type TextSteps } from './tool-text.ts';

/** A tool as the index knows it: its exposed name (what a client calls), the server that offers it, its definition. */
export interface IndexedTool {
  name: string;
  server: string;
  tool: Tool;
}

export interface SearchHit {
  name: string;
  /** Higher is better; comparable only within one search. */
  score: number;
}

/** How much each field counts in BM25 (FTS5 column weights): a word in the name says more than one in a long description. */
export interface FieldWeights {
  name: number;
  description: number;
  server: number;
  parameters: number;
  /** Words related to the tool's own (the thesaurus), so a request worded differently still meets it. */
  related: number;
}

export interface ToolIndexOptions {
  steps: TextSteps;
  /** FTS5's Porter stemmer ("issues", "issued" → "issu"), applied to the tools and the query alike. */
  stemming: boolean;
  weights: FieldWeights;
  /** Words related to a word (synonyms), added to each tool's own words in a field of their own; none when absent. */
  related?: (word: string) => readonly string[];
  /** Words related to a word, searched beside the request's own words (query expansion); none when absent. */
  expand?: (word: string) => readonly string[];
  /** What a match on an expansion is worth against a match on the request's own word. */
  expansionWeight: number;
  /** How much past use lifts a match: score × (1 + usageWeight × ln(1 + uses)). 0 turns the prior off. */
  usageWeight: number;
  /**
   * Words found in more than this share of the tools are left out of the query: BM25 gives them almost no weight
   * (FTS5 floors their IDF), yet scoring every tool they match is most of a search's time over thousands of tools.
   */
  commonWordShare: number;
  /** The same for the request's expansions, which count for less and so are worth less time. */
  commonExpansionShare: number;
  /** The bench's baseline only: identifiers stay whole words (FTS5 would otherwise split snake_case itself). */
  keepIdentifiersWhole?: boolean;
}

export const DEFAULT_WEIGHTS: FieldWeights = { name: 3, description: 1, server: 1, parameters: 0.5, related: 0.5 };
/** What Switchboard ships; the weights are the benchmark's best (test/bench/tool-search.bench.ts shows each step's worth). */
export const DEFAULT_INDEX_OPTIONS: ToolIndexOptions = {
  steps: ALL_TEXT_STEPS,
  stemming: true,
  weights: DEFAULT_WEIGHTS,
  related: softwareSynonyms,
  expand: softwareSynonyms,
  expansionWeight: 0.25,
  usageWeight: 0.15,
  commonWordShare: 0.5,
  commonExpansionShare: 0.2,
};

/** Below this many tools every word is searched: scoring all of them is cheap anyway. */
const MIN_TOOLS_FOR_PRUNING = 200;

/** Candidates read from FTS5 before the usage prior re-orders them: enough that a used tool a little below the cut can rise. */
const CANDIDATES_PER_RESULT = 4;
const MIN_CANDIDATES = 40;

interface Row {
  rowid: number;
  /** What the row was built from; a tool whose description or schema object changed is indexed again. */
  tool: Tool;
  server: string;
}

export class ToolSearchIndex {
  readonly #options: ToolIndexOptions;
  readonly #db: Database.Database;
  readonly #rows = new Map<string, Row>();
  readonly #names = new Map<number, string>();
  readonly #insert: Database.Statement;
  readonly #delete: Database.Statement;
  readonly #search: Database.Statement;
  readonly #count: Database.Statement;
  /** How many tools each searched word matches, until the tools change. */
  readonly #documentFrequency = new Map<string, number>();
  #nextRowid = 1;

  constructor(options: Partial<ToolIndexOptions> = {}) {
    this.#options = { ...DEFAULT_INDEX_OPTIONS, ...options };
    this.#db = new Database(':memory:');
    const tokenizer = `${this.#options.stemming ? 'porter ' : ''}unicode61 remove_diacritics 2${this.#options.keepIdentifiersWhole ? ` tokenchars '_-'` : ''}`;
    this.#db.exec(`CREATE VIRTUAL TABLE tool_text USING fts5(name, description, server, parameters, related, tokenize = "${tokenizer}")`);
    this.#insert = this.#db.prepare('INSERT INTO tool_text (rowid, name, description, server, parameters, related) VALUES (?, ?, ?, ?, ?, ?)');
    this.#delete = this.#db.prepare('DELETE FROM tool_text WHERE rowid = ?');
    const { name, description, server, parameters, related } = this.#options.weights;
    this.#count = this.#db.prepare('SELECT count(*) AS n FROM tool_text WHERE tool_text MATCH ?').pluck();
    this.#search = this.#db.prepare(`SELECT rowid, bm25(tool_text, ${name}, ${description}, ${server}, ${parameters}, ${related}) AS rank FROM tool_text WHERE tool_text MATCH ? ORDER BY rank LIMIT ?`);
  }

  get size(): number {
    return this.#rows.size;
  }

  /**
   * Makes the index hold exactly these tools. Cheap when little changed: a tool is re-indexed only when its server,
   * description or schema object differ from last time (an unchanged upstream list keeps the same objects).
   */
  sync(tools: readonly IndexedTool[]): void {
    const seen = new Set<string>();
    const changed: IndexedTool[] = [];
    for (const entry of tools) {
      seen.add(entry.name);
      const row = this.#rows.get(entry.name);
      if (!row || row.server !== entry.server || row.tool.description !== entry.tool.description || row.tool.inputSchema !== entry.tool.inputSchema || row.tool.title !== entry.tool.title) changed.push(entry);
    }
    const gone = [...this.#rows.keys()].filter((name) => !seen.has(name));
    if (changed.length === 0 && gone.length === 0) return;
    this.#db.transaction(() => {
      for (const name of gone) this.#remove(name);
      for (const entry of changed) this.#add(entry);
    })();
    this.#documentFrequency.clear();
  }

  /** The best matches for a request, best first; `uses` gives how often a tool was called, for the prior. */
  search(query: string, { limit, uses }: { limit: number; uses?: (name: string) => number }): SearchHit[] {
    const own = this.#distinctive(queryWords(query, this.#options.steps), this.#options.commonWordShare);
    if (own.length === 0 || limit <= 0) return [];
    const prior = this.#options.usageWeight > 0 && uses ? uses : undefined;
    const expand = this.#options.expand;
    const expansions = expand ? this.#distinctive([...new Set(own.flatMap((word) => expand(word)))].filter((word) => !own.includes(word)), this.#options.commonExpansionShare, false) : [];
    const reach = prior || expansions.length ? Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT) : limit;
    const scores = new Map<number, number>();
    // Every word quoted: the request is data, never FTS5 syntax (a word like NEAR or OR stays a word).
    const add = (words: string[], weight: number) => {
      if (words.length === 0) return;
      for (const { rowid, rank } of this.#search.all(words.map((word) => `"${word}"`).join(' OR '), reach) as { rowid: number; rank: number }[]) {
        scores.set(rowid, (scores.get(rowid) ?? 0) - rank * weight);
      }
    };
    add(own, 1);
    add(expansions, this.#options.expansionWeight);
    const hits = [...scores].map(([rowid, score]) => {
      const name = this.#names.get(rowid)!;
      return { name, score: score * (prior ? 1 + this.#options.usageWeight * Math.log1p(prior(name)) : 1) };
    });
    hits.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
    return hits.slice(0, limit);
  }

  close(): void {
    this.#db.close();
  }

  /** The words worth searching: all of them in a small catalog, else those not found in most tools (the rarest one at least). */
  #distinctive(words: string[], share: number, keepOne = true): string[] {
    if (this.#rows.size < MIN_TOOLS_FOR_PRUNING || words.length === 0) return words;
    const ceiling = share * this.#rows.size;
    const counted = words.map((word) => ({ word, tools: this.#frequency(word) })).filter(({ tools }) => tools > 0);
    const kept = counted.filter(({ tools }) => tools <= ceiling).map(({ word }) => word);
    if (kept.length > 0 || counted.length === 0 || !keepOne) return kept;
    return [counted.reduce((rarest, entry) => (entry.tools < rarest.tools ? entry : rarest)).word];
  }

  #frequency(word: string): number {
    let tools = this.#documentFrequency.get(word);
    if (tools === undefined) {
      tools = this.#count.get(`"${word}"`) as number;
      this.#documentFrequency.set(word, tools);
    }
    return tools;
  }

  #add(entry: IndexedTool): void {
    if (this.#rows.has(entry.name)) this.#remove(entry.name);
    const rowid = this.#nextRowid++;
    const text = toolText(entry.tool, entry.server, this.#options.steps);
    const related = this.#options.related ? relatedWords(`${text.name} ${text.description}`, this.#options.related) : '';
    this.#insert.run(rowid, text.name, text.description, text.server, text.parameters, related);
    this.#rows.set(entry.name, { rowid, tool: entry.tool, server: entry.server });
    this.#names.set(rowid, entry.name);
  }

  #remove(name: string): void {
    const row = this.#rows.get(name);
    if (!row) return;
    this.#delete.run(row.rowid);
    this.#rows.delete(name);
    this.#names.delete(row.rowid);
  }
}

/** The related words of every distinct word of a text, once each. */
function relatedWords(text: string, related: (word: string) => readonly string[]): string {
  const own = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const added = new Set<string>();
  for (const word of own) for (const other of related(word)) if (!own.has(other)) added.add(other);
  return [...added].join(' ');
}
