// Word vectors for tool search: nearest catalog words, soft expansion and the re-ranking, on a toy table (the benchmark measures GloVe's).
import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { ToolSearchIndex, type IndexedTool } from '../../main/core/router/tool-search/tool-index.ts';
import { VectorVocabulary, WordVectors } from '../../main/core/router/tool-search/word-vectors.ts';

const rows: [string, number[]][] = [
  ['send', [0.2, 0.2, 0.9]],
  ['note', [0.3, 0.3, 0.8]],
  ['list', [0.3, 0.1, 0.9]],
  ['get', [0.1, 0.3, 0.9]],
  ['email', [1, 0.1, 0]],
  ['messages', [0.9, 0, 0.2]],
  ['weather', [0, 1, 0]],
  ['forecast', [0.1, 0.95, 0]],
  ['inbox', [0.95, 0.2, 0]],
];
const vectors = new WordVectors(
  { dimensions: 3, words: rows.map(([word]) => word), vectors: Float32Array.from(rows.flatMap(([, vector]) => vector)) },
  { centre: false },
);
const tool = (name: string, description: string): Tool => ({ name, description, inputSchema: { type: 'object', properties: {} } });
const off = { related: undefined, expand: undefined };

describe('word vectors', () => {
  it('finds the catalog words nearest a word, above the floor, nearest first, itself left out, and follows removals', () => {
    const vocabulary = new VectorVocabulary(vectors);
    vocabulary.add(['email', 'messages', 'weather', 'unknown']);
    expect(vocabulary.nearest('inbox', 5, 0.5).map((near) => near.word)).toEqual(['email', 'messages']);
    expect(vocabulary.nearest('email', 5, 0.5).map((near) => near.word)).toEqual(['messages']);
    vocabulary.remove(['email']);
    expect(vocabulary.nearest('inbox', 5, 0.5).map((near) => near.word)).toEqual(['messages']);
    expect(vocabulary.nearest('unknown', 5, 0)).toEqual([]);
  });

  it('weighs rare words over common ones, and gives a text a unit mean vector only when a word has one', () => {
    expect(vectors.weight('inbox')).toBeGreaterThan(vectors.weight('send'));
    expect(vectors.weight('unknown')).toBe(0);
    const mean = vectors.mean(['email', 'unknown'])!;
    expect(Math.hypot(...mean)).toBeCloseTo(1, 5);
    expect(vectors.mean(['unknown'])).toBeUndefined();
  });

  it('soft expansion: a request word no tool has finds the tool with its nearest words', () => {
    const tools: IndexedTool[] = [
      { name: 'm_list_messages', server: 'm', tool: tool('list_messages', 'List email messages.') },
      { name: 'w_get_forecast', server: 'w', tool: tool('get_forecast', 'Get the weather forecast.') },
    ];
    const without = new ToolSearchIndex(off);
    without.sync(tools);
    expect(without.search('inbox', { limit: 2 })).toEqual([]);
    without.close();
    const options = { ...off, vectors, vectorNeighbours: 2, vectorFloor: 0.5, vectorExpansionWeight: 0.5 };
    for (const vectorOnlyUnknown of [false, true]) {
      const index = new ToolSearchIndex({ ...options, vectorOnlyUnknown });
      index.sync(tools);
      expect(index.search('inbox', { limit: 2 }).map((hit) => hit.name)).toEqual(['m_list_messages']);
      index.close();
    }
  });

  it('re-ranking: of two tools the words match alike, the one whose meaning is nearer the request comes first', () => {
    // The same words but one, in texts of the same length: BM25 ties them, and a tie goes by name.
    const tools: IndexedTool[] = [
      { name: 'a_send_note', server: 'a', tool: tool('send_note', 'Send a note on the weather.') },
      { name: 'b_send_note', server: 'b', tool: tool('send_note', 'Send a note by the email.') },
    ];
    const order = (vectorRerank: number) => {
      const index = new ToolSearchIndex({ ...off, vectors, vectorRerank });
      index.sync(tools);
      const names = index.search('send a note to my inbox', { limit: 2 }).map((hit) => hit.name);
      index.close();
      return names;
    };
    expect(order(0)).toEqual(['a_send_note', 'b_send_note']);
    expect(order(0.5)).toEqual(['b_send_note', 'a_send_note']);
  });
});
