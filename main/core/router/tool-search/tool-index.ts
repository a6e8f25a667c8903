// A full-text index of one view's tools, ranked by BM25 (FTS5's formula and Porter stemmer) with usage as a prior, kept in step with the tool list.
import Database from 'better-sqlite3';
import type { Tool } from '@modelcontextprotocol/server';
import { actionClasses } from './action-verbs.ts';
import { SOFTWARE_THESAURUS } from './software-thesaurus.ts';
import type { Thesaurus } from './thesaurus.ts';
import { ALL_TEXT_STEPS, isStopWord, queryWords, toolText, type TextSteps } from './tool-text.ts';
import { dot, VectorVocabulary, type WordVectors } from './word-vectors.ts';

export type { Thesaurus } from './thesaurus.ts';

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

/** How much each field counts in BM25 (as FTS5's bm25() column weights): a word in the name says more than one in a long description. */
export interface FieldWeights {
  name: number;
  description: number;
  server: number;
  parameters: number;
  /** Words related to the tool's own (the thesaurus), so a request worded differently still meets it. */
  related: number;
  /** Words related to the tool's own in general English (WordNet: synonyms, derived forms, broader words). */
  lexical: number;
  /** The description's first sentence (what the tool does, before its parameters and caveats), counted again at this weight; 0 in the product. */
  lead: number;
}

export interface ToolIndexOptions {
  steps: TextSteps;
  /** The Porter stemmer of SQLite's FTS5 ("issues", "issued" → "issu"), applied to the tools and the request alike. */
  stemming: boolean;
  weights: FieldWeights;
  /** Related words (synonyms) added to each tool's own words in a field of their own; none when absent. */
  related?: Thesaurus | undefined;
  /** General-English related words added to each tool's own words in the `lexical` field; none when absent (the product ships none: WordNet's measured no gain). */
  lexical?: Thesaurus | undefined;
  /** Related words searched beside the request's own words (query expansion); none when absent. */
  expand?: Thesaurus | undefined;
  /** What a match on an expansion is worth against a match on the request's own word. */
  expansionWeight: number;
  /** How much past use lifts a match: score × (1 + usageWeight × ln(1 + uses)). 0 turns the prior off. */
  usageWeight: number;
  /** The bench's baseline only: identifiers (snake_case, kebab-case) stay whole words. */
  keepIdentifiersWhole?: boolean;
  /** BM25's term-frequency saturation and length normalisation (FTS5's bm25() uses 1.2 and 0.75). */
  k1: number;
  b: number;
  /**
   * How much covering the tool's name lifts a match: score × (1 + nameCoverage × covered share of the name's words).
   * A name word counts fully when the request has it, and `relatedCoverage` when the request has a related word.
   */
  nameCoverage: number;
  relatedCoverage: number;
  /**
   * Pseudo-relevance feedback: the `feedbackTerms` best words of the first `feedbackDocuments` tools, searched at up to
   * `feedbackWeight`. Off (0): measured no gain in the benchmark, kept so it can be measured again.
   */
  feedbackDocuments: number;
  feedbackTerms: number;
  feedbackWeight: number;
  /**
   * A tool whose name names the action the request asks for (read, list, search, create, delete, update) is lifted:
   * score × (1 + actionMatch). Off (0) with actionMismatch: measured no gain beyond the name-coverage lift.
   */
  actionMatch: number;
  /** A tool whose name names only other actions than those the request asks for: score × (1 − actionMismatch). */
  actionMismatch: number;
  /** Static word vectors (word-vectors.ts); none when absent, and then the four settings below do nothing. */
  vectors?: WordVectors | undefined;
  /** Soft expansion: each request word's nearest catalog words by vector, at most this many (0: off)… */
  vectorNeighbours: number;
  /** …with at least this cosine… */
  vectorFloor: number;
  /** …searched at this weight × their cosine. */
  vectorExpansionWeight: number;
  /** Re-ranking the candidates by (1 − w) × score / best score + w × cosine of request and tool mean vectors (0: off). */
  vectorRerank: number;
  /** A tool name's words count this many times in the tool's mean vector. */
  vectorNameWeight: number;
  /** Expand only the request words no tool has (by stem): the words BM25 cannot match at all. */
  vectorOnlyUnknown: boolean;
  /** The re-ranking's similarity: cosine of mean vectors, or each request word's best cosine with a tool word (SIF-weighted mean). */
  vectorSimilarity: 'mean' | 'maxsim';
}

export const DEFAULT_WEIGHTS: FieldWeights = { name: 3, description: 1, server: 1, parameters: 0.5, related: 0.5, lexical: 0, lead: 0 };

/** What Switchboard ships; the weights are the benchmark's best (test/bench/tool-search.bench.ts shows each step's worth). */
export const DEFAULT_INDEX_OPTIONS: ToolIndexOptions = {
  steps: ALL_TEXT_STEPS,
  stemming: true,
  weights: DEFAULT_WEIGHTS,
  related: SOFTWARE_THESAURUS,
  expand: SOFTWARE_THESAURUS,
  expansionWeight: 0.25,
  usageWeight: 0.05,
  k1: 1.2,
  b: 0.75,
  nameCoverage: 0.5,
  relatedCoverage: 1,
  feedbackDocuments: 3,
  feedbackTerms: 10,
  feedbackWeight: 0,
  actionMatch: 0,
  actionMismatch: 0,
  vectorNeighbours: 0,
  vectorFloor: 0.6,
  vectorExpansionWeight: 0.25,
  vectorRerank: 0,
  vectorNameWeight: 2,
  vectorOnlyUnknown: false,
  vectorSimilarity: 'mean',
};

const FIELDS = ['name', 'description', 'server', 'parameters', 'related', 'lexical', 'lead'] as const;
const FLOORED_IDF = 1e-6;
/** Marks a term of the `lexical` field (no stem starts with a control character). */
const LEXICAL_PREFIX = '\u0001';
/** Tools from which a floored term is skipped: below it, such a term can still break ties between otherwise equal tools. */
const SKIP_COMMON_TERMS_FROM = 200;
/** Candidates kept before the name-coverage lift and the usage prior re-order them: enough that a tool a little below the cut can rise. */
const CANDIDATES_PER_RESULT = 4;
const MIN_CANDIDATES = 40;

interface Document {
  /** Its place in the dense arrays below (reused after a removal). */
  slot: number;
  /** What the document was built from; a tool whose description or schema object changed is indexed again. */
  tool: Tool;
  server: string;
  /** Term → its weighted frequency here (Σ field weight × count), as FTS5's bm25() weighs columns. */
  terms: Map<string, number>;
  /** Tokens in all fields, unweighted (bm25()'s document length). */
  length: number;
  /** The stems of the tool's own name words, each once (for the name-coverage lift). */
  nameTerms: string[];
  /** The actions its name names (action-verbs.ts). */
  actions: Set<string>;
  /** Its name and description words, each once (the vocabulary of vector expansion), when vectors are on. */
  vectorWords: string[];
  /** The unit weighted mean vector of its name and description words, when vectors are on and any has one. */
  vector: Float32Array | undefined;
}

/** One term's postings packed for scoring: rebuilt from the map only when a tool with the term came or went. */
interface PackedPostings {
  slots: Int32Array;
  frequencies: Float64Array;
}

/**
 * Why BM25 is computed here and not by FTS5's bm25() in a MATCH query (the first version did that): bm25() runs once
 * per matching row inside SQLite, ~8 µs each, and a request with a common word ("file", "page") matches thousands
 * of rows in a catalog of 5,000 tools — p99 23 ms in the benchmark, against a 10 ms target. The same formula over
 * postings held in memory takes a fraction of a millisecond, and lets an expansion count for less than the
 * request's own word, which an FTS5 query cannot say. FTS5 still does the stemming, with its Porter tokenizer, so
 * tools and requests are stemmed alike and no stemmer package is needed.
 */
export class ToolSearchIndex {
  readonly #options: ToolIndexOptions;
  readonly #documents = new Map<string, Document>();
  /** Term → the tools it is in (by slot) and its weighted frequency there. */
  readonly #postings = new Map<string, Map<number, number>>();
  readonly #packed = new Map<string, PackedPostings>();
  /** By slot: the tool's name (undefined for a free slot) and its length in tokens. */
  #names: (string | undefined)[] = [];
  #lengths = new Float64Array(64);
  readonly #freeSlots: number[] = [];
  #totalLength = 0;
  readonly #stems: FtsStemmer;
  readonly #vocabulary: VectorVocabulary | undefined;

  constructor(options: Partial<ToolIndexOptions> = {}) {
    this.#options = { ...DEFAULT_INDEX_OPTIONS, ...options };
    this.#stems = new FtsStemmer(this.#options.stemming);
    const { vectors, vectorNeighbours, vectorRerank } = this.#options;
    if (vectors && (vectorNeighbours > 0 || vectorRerank > 0)) this.#vocabulary = new VectorVocabulary(vectors);
  }

  get size(): number {
    return this.#documents.size;
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
      const known = this.#documents.get(entry.name);
      if (
        !known ||
        known.server !== entry.server ||
        known.tool.description !== entry.tool.description ||
        known.tool.inputSchema !== entry.tool.inputSchema ||
        known.tool.title !== entry.tool.title
      )
        changed.push(entry);
    }
    for (const name of [...this.#documents.keys()]) if (!seen.has(name)) this.#remove(name);
    if (changed.length === 0) return;
    const keepWhole = this.#options.keepIdentifiersWhole === true;
    const texts = changed.map((entry) => toolText(entry.tool, entry.server, this.#options.steps));
    const fields = texts.map((text) => ({
      name: tokens(text.name, keepWhole),
      description: tokens(text.description, keepWhole),
      server: tokens(text.server, keepWhole),
      parameters: tokens(text.parameters, keepWhole),
      related: [] as string[],
      lexical: [] as string[],
      lead: this.#options.weights.lead > 0 ? tokens(firstSentence(text.description), keepWhole) : [],
    }));
    // One round trip to SQLite for every new word of the batch, then one for the related words they bring.
    this.#stems.learn(fields.flatMap((perField) => [...perField.name, ...perField.description, ...perField.server, ...perField.parameters]));
    const related = this.#options.related;
    if (related) {
      for (const perField of fields) perField.related = this.#relatedWordsOf([...perField.name, ...perField.description], related);
      this.#stems.learn(fields.flatMap((perField) => perField.related));
    }
    const lexical = this.#options.lexical;
    if (lexical && this.#options.weights.lexical > 0) {
      for (const perField of fields) perField.lexical = this.#relatedWordsOf([...perField.name, ...perField.description], lexical);
      this.#stems.learn(fields.flatMap((perField) => perField.lexical));
    }
    changed.forEach((entry, index) => this.#add(entry, fields[index]!));
  }

  /** The best matches for a request, best first; `uses` gives how often a tool was called, for the prior. */
  search(query: string, { limit, uses }: { limit: number; uses?: (name: string) => number }): SearchHit[] {
    const own = queryWords(query, this.#options.steps);
    if (own.length === 0 || limit <= 0 || this.#documents.size === 0) return [];
    this.#stems.learn(own);
    const expand = this.#options.expand;
    const expansions = expand ? [...new Set(own.flatMap((word) => expand.related(word)))].filter((word) => !own.includes(word)) : [];
    this.#stems.learn(expansions);
    const weights = new Map<string, number>();
    const { k1: K1, b: B } = this.#options;
    for (const word of expansions) weights.set(this.#stems.stem(word), this.#options.expansionWeight);
    // The request's own words last: a word both typed and implied counts fully.
    for (const word of own) weights.set(this.#stems.stem(word), 1);
    const terms = new Map(weights);
    const vectors = this.#vocabulary ? this.#options.vectors : undefined;
    const { vectorNeighbours, vectorFloor, vectorExpansionWeight, vectorRerank } = this.#options;
    if (this.#vocabulary && vectorNeighbours > 0 && vectorExpansionWeight > 0) {
      // Soft expansion: the catalog's words nearest each request word, at their cosine's share of the weight.
      const near = new Map<string, number>();
      for (const word of own)
        if (!this.#options.vectorOnlyUnknown || !this.#postings.has(this.#stems.stem(word)))
          for (const { word: other, similarity } of this.#vocabulary.nearest(word, vectorNeighbours, vectorFloor))
            near.set(other, Math.max(near.get(other) ?? 0, similarity));
      this.#stems.learn([...near.keys()]);
      for (const [word, similarity] of near) {
        const term = this.#stems.stem(word);
        if (!terms.has(term)) terms.set(term, vectorExpansionWeight * similarity);
      }
    }
    if (this.#options.lexical && this.#options.weights.lexical > 0)
      for (const word of own) terms.set(LEXICAL_PREFIX + this.#stems.stem(word), this.#options.weights.lexical);

    const count = this.#documents.size;
    const averageLength = this.#totalLength / count || 1;
    const scores = new Float64Array(this.#names.length);
    const touched: number[] = [];
    const idfOf = (postings: Map<number, number>) => Math.max(FLOORED_IDF, Math.log((count - postings.size + 0.5) / (postings.size + 0.5)));
    const accumulate = (term: string, weight: number) => {
      const postings = this.#postings.get(term);
      if (!postings) return;
      // FTS5's IDF, floored the same way. In a large catalog a term in over half the tools adds nothing but time: skipped.
      const idf = idfOf(postings);
      if (idf === FLOORED_IDF && count >= SKIP_COMMON_TERMS_FROM) return;
      const { slots, frequencies } = this.#packedPostings(term, postings);
      for (let index = 0; index < slots.length; index++) {
        const slot = slots[index]!;
        const frequency = frequencies[index]!;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += weight * idf * ((frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * this.#lengths[slot]!) / averageLength)));
      }
    };
    for (const [term, weight] of terms) accumulate(term, weight);
    const { feedbackDocuments, feedbackTerms, feedbackWeight } = this.#options;
    if (feedbackWeight > 0 && touched.length > 0) {
      // Pseudo-relevance feedback (RM3-like): the words that best mark the first few tools, searched as well, lightly.
      const top = best(
        touched.map((slot) => ({ name: this.#names[slot]!, score: scores[slot]! })),
        feedbackDocuments,
      );
      const topScore = top[0]!.score;
      const mass = new Map<string, number>();
      for (const { name, score } of top) {
        const document = this.#documents.get(name)!;
        let total = 0;
        for (const frequency of document.terms.values()) total += frequency;
        for (const [term, frequency] of document.terms) {
          if (terms.has(term) || term.startsWith(LEXICAL_PREFIX) || isStopWord(term)) continue;
          const postings = this.#postings.get(term)!;
          mass.set(term, (mass.get(term) ?? 0) + (score / topScore) * (frequency / total) * idfOf(postings));
        }
      }
      const chosen = [...mass].sort((a, b) => b[1] - a[1]).slice(0, feedbackTerms);
      const heaviest = chosen[0]?.[1] ?? 1;
      for (const [term, weight] of chosen) accumulate(term, (feedbackWeight * weight) / heaviest);
    }
    const prior = this.#options.usageWeight > 0 && uses ? uses : undefined;
    const { nameCoverage, relatedCoverage, actionMatch, actionMismatch } = this.#options;
    const asked = actionMatch > 0 || actionMismatch > 0 ? actionClasses(own) : new Set<string>();
    const maxSim = this.#options.vectorSimilarity === 'maxsim';
    const queryVector = vectors && vectorRerank > 0 ? vectors.mean(own.filter((word) => !isStopWord(word))) : undefined;
    const rerank = prior !== undefined || nameCoverage > 0 || asked.size > 0 || queryVector !== undefined;
    const reach = rerank ? Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT) : limit;
    const ownTerms = new Set(own.map((word) => this.#stems.stem(word)));
    const hits = best(
      touched.map((slot) => ({ name: this.#names[slot]!, score: scores[slot]! })),
      reach,
    ).map(({ name, score }) => {
      let lifted = score;
      if (nameCoverage > 0 || asked.size > 0) {
        const document = this.#documents.get(name)!;
        if (asked.size > 0 && document.actions.size > 0) {
          const agrees = [...document.actions].some((action) => asked.has(action));
          lifted *= agrees ? 1 + actionMatch : 1 - actionMismatch;
        }
        if (nameCoverage > 0 && document.nameTerms.length > 0) {
          let covered = 0;
          for (const term of document.nameTerms) covered += ownTerms.has(term) ? 1 : weights.has(term) ? relatedCoverage : 0;
          lifted *= 1 + (nameCoverage * covered) / document.nameTerms.length;
        }
      }
      return { name, score: lifted * (prior ? 1 + this.#options.usageWeight * Math.log1p(prior(name)) : 1) };
    });
    if (queryVector && hits.length > 0) {
      // Meaning over words: each candidate's share of the best score, mixed with its vectors' cosine to the request's.
      const top = Math.max(...hits.map((hit) => hit.score)) || 1;
      for (const hit of hits) {
        const document = this.#documents.get(hit.name)!;
        const similarity = maxSim ? maxSimilarity(vectors!, own, document.vectorWords) : document.vector ? dot(queryVector, document.vector) : 0;
        hit.score = (1 - vectorRerank) * (hit.score / top) + vectorRerank * Math.max(0, similarity);
      }
    }
    if (rerank) hits.sort(byScoreThenName);
    return hits.slice(0, limit);
  }

  close(): void {
    this.#stems.close();
  }

  #add(entry: IndexedTool, fields: Record<(typeof FIELDS)[number], string[]>): void {
    this.#remove(entry.name);
    const terms = new Map<string, number>();
    let length = 0;
    for (const field of FIELDS) {
      // General-English related words are terms of their own (with their own document frequencies): counted with
      // the tool's words, they would make a word the request uses look common and lower its worth everywhere.
      const lexical = field === 'lexical';
      const weight = lexical ? 1 : this.#options.weights[field];
      for (const word of fields[field]) {
        const term = lexical ? LEXICAL_PREFIX + this.#stems.stem(word) : this.#stems.stem(word);
        terms.set(term, (terms.get(term) ?? 0) + weight);
        // General-English words are many and loose: they may match, but do not make a tool look long; the lead's
        // words are already counted in the description.
        if (field !== 'lexical' && field !== 'lead') length++;
      }
    }
    const slot = this.#freeSlots.pop() ?? this.#names.length;
    if (slot >= this.#lengths.length) {
      const grown = new Float64Array(this.#lengths.length * 2);
      grown.set(this.#lengths);
      this.#lengths = grown;
    }
    this.#names[slot] = entry.name;
    this.#lengths[slot] = length;
    const nameTerms = [...new Set(fields.name.map((word) => this.#stems.stem(word)))];
    const actions = actionClasses(fields.name);
    let vectorWords: string[] = [];
    let vector: Float32Array | undefined;
    const vectors = this.#options.vectors;
    if (this.#vocabulary && vectors) {
      vectorWords = [...new Set([...fields.name, ...fields.description])].filter((word) => !isStopWord(word));
      this.#vocabulary.add(vectorWords);
      const counts = new Map<string, number>();
      const count = (words: readonly string[], weight: number) => {
        for (const word of words) if (!isStopWord(word)) counts.set(word, (counts.get(word) ?? 0) + weight);
      };
      count(fields.name, this.#options.vectorNameWeight);
      count(fields.description, 1);
      vector = vectors.mean(counts.keys(), (word) => counts.get(word)!);
    }
    this.#documents.set(entry.name, { slot, tool: entry.tool, server: entry.server, terms, length, nameTerms, actions, vectorWords, vector });
    this.#totalLength += length;
    for (const [term, frequency] of terms) {
      let postings = this.#postings.get(term);
      if (!postings) this.#postings.set(term, (postings = new Map()));
      postings.set(slot, frequency);
      this.#packed.delete(term);
    }
  }

  #packedPostings(term: string, postings: Map<number, number>): PackedPostings {
    let packed = this.#packed.get(term);
    if (!packed) {
      packed = { slots: Int32Array.from(postings.keys()), frequencies: Float64Array.from(postings.values()) };
      this.#packed.set(term, packed);
    }
    return packed;
  }

  /** The words related to any of these (by stem), each once, none of them already among these. */
  #relatedWordsOf(words: readonly string[], thesaurus: Thesaurus): string[] {
    const own = new Set(words);
    const added = new Set<string>();
    for (const word of own) for (const other of thesaurus.related(word)) if (!own.has(other)) added.add(other);
    return [...added];
  }

  #remove(name: string): void {
    const document = this.#documents.get(name);
    if (!document) return;
    for (const term of document.terms.keys()) {
      const postings = this.#postings.get(term)!;
      postings.delete(document.slot);
      if (postings.size === 0) this.#postings.delete(term);
      this.#packed.delete(term);
    }
    this.#vocabulary?.remove(document.vectorWords);
    this.#totalLength -= document.length;
    this.#documents.delete(name);
    this.#names[document.slot] = undefined;
    this.#lengths[document.slot] = 0;
    this.#freeSlots.push(document.slot);
  }
}

/**
 * Stems words with FTS5's own tokenizer (porter over unicode61) in an in-memory database: each new word once, in
 * batches, remembered after; the vocabulary of tools and requests is a few thousand words.
 */
class FtsStemmer {
  readonly #db: Database.Database | undefined;
  readonly #stems = new Map<string, string>();

  constructor(stemming: boolean) {
    if (!stemming) return;
    this.#db = new Database(':memory:');
    this.#db.exec(
      `CREATE VIRTUAL TABLE words USING fts5(word, tokenize = "porter unicode61 remove_diacritics 2"); CREATE VIRTUAL TABLE word_terms USING fts5vocab(words, 'instance')`,
    );
  }

  learn(words: readonly string[]): void {
    const db = this.#db;
    if (!db) return;
    const fresh = [...new Set(words.filter((word) => !this.#stems.has(word)))];
    if (fresh.length === 0) return;
    const insert = db.prepare('INSERT INTO words (rowid, word) VALUES (?, ?)');
    db.transaction(() => fresh.forEach((word, index) => insert.run(index + 1, word)))();
    const stems = new Map<number, string>();
    for (const [term, doc] of db.prepare('SELECT term, doc FROM word_terms WHERE offset = 0').raw(true).iterate() as IterableIterator<[string, number]>)
      stems.set(doc, term);
    db.exec('DELETE FROM words');
    fresh.forEach((word, index) => this.#stems.set(word, stems.get(index + 1) ?? word));
  }

  /** The word's stem once learned; the word itself without stemming. */
  stem(word: string): string {
    return this.#stems.get(word) ?? word;
  }

  close(): void {
    this.#db?.close();
  }
}

/** Up to the first full stop, question or exclamation mark followed by a space, or the first line break. */
function firstSentence(text: string): string {
  return text.split(/(?<=[.!?])\s+|\n/)[0] ?? '';
}

/** Each request word's best cosine with one of the tool's words, averaged with the request words' SIF weights. */
function maxSimilarity(vectors: WordVectors, request: readonly string[], toolWords: readonly string[]): number {
  let total = 0;
  let weights = 0;
  for (const word of request) {
    const vector = vectors.vector(word);
    if (!vector) continue;
    let bestCosine = 0;
    for (const other of toolWords) {
      const candidate = vectors.vector(other);
      if (candidate) bestCosine = Math.max(bestCosine, dot(vector, candidate));
    }
    const weight = vectors.weight(word);
    total += weight * bestCosine;
    weights += weight;
  }
  return weights > 0 ? total / weights : 0;
}

/** Letters and digits, lower-case, accents dropped: what FTS5's unicode61 tokenizer keeps ("_" and "-" too when identifiers stay whole). */
function tokens(text: string, keepIdentifiersWhole: boolean): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return plain.split(keepIdentifiersWhole ? /[^\p{L}\p{N}_-]+/u : /[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** The `count` best scores, best first (ties by name, so results are stable), without sorting every match. */
function best(scores: readonly SearchHit[], count: number): SearchHit[] {
  const kept: SearchHit[] = [];
  for (const { name, score } of scores) {
    if (kept.length === count && byScoreThenName({ name, score }, kept[kept.length - 1]!) >= 0) continue;
    let at = kept.length;
    while (at > 0 && byScoreThenName({ name, score }, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, { name, score });
    if (kept.length > count) kept.pop();
  }
  return kept;
}

function byScoreThenName(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
