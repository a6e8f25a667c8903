// What a server says about itself is a stranger's text: only non-empty strings are kept, each cut at its limit.
import { describe, expect, it } from 'vitest';
import { readSelfDescription } from '../../main/core/upstream/server-self-description.ts';

describe('readSelfDescription', () => {
  it('keeps the serverInfo fields a page shows and the instructions, trimmed', () => {
    expect(
      readSelfDescription(
        { name: ' crm ', title: 'CRM', version: '2.1.0', description: 'Customers.', websiteUrl: 'https://crm.example', icons: [] },
        'Use search first.\nThen fetch.',
      ),
    ).toEqual({
      name: 'crm',
      title: 'CRM',
      version: '2.1.0',
      description: 'Customers.',
      websiteUrl: 'https://crm.example',
      instructions: 'Use search first.\nThen fetch.',
    });
  });

  it('drops what is not a non-empty string and survives a missing or hostile serverInfo', () => {
    expect(readSelfDescription({ name: 42, title: '', version: { toString: 'x' }, description: '   ' }, ['not', 'text'])).toEqual({});
    expect(readSelfDescription(undefined, undefined)).toEqual({});
    expect(readSelfDescription('a string', null)).toEqual({});
  });

  it('cuts a long description or instructions and says so with an ellipsis', () => {
    const described = readSelfDescription({ name: 'n'.repeat(1_000), description: 'd'.repeat(50_000) }, 'i'.repeat(100_000));
    expect(described.name).toHaveLength(200);
    expect(described.name!.endsWith('…')).toBe(true);
    expect(described.description).toHaveLength(2_000);
    expect(described.instructions).toHaveLength(4_000);
    expect(described.instructions!.endsWith('…')).toBe(true);
  });
});
