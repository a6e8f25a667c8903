// The merged server list's one de-duplication rule: configured first, then the company's offer, then runnable catalog entries, each server once.
import { describe, expect, it } from 'vitest';
import { mergeServerList } from '../../../main/core/app/server-list.ts';
import { configSchema } from '../../../main/core/config/config-schema.ts';
import type { CatalogEntryRecord } from '../../../main/core/discovery/catalog-store.ts';
import { companyPolicySchema } from '../../../main/core/discovery/company-policy.ts';

const config = (servers: object[]) => configSchema.parse({ servers });
const policy = (value: object = {}) => companyPolicySchema.parse(value);
const entry = (fields: Partial<CatalogEntryRecord> & Pick<CatalogEntryRecord, 'key'>): CatalogEntryRecord => ({
  source: 'ai-catalog',
  runnable: true,
  discoveredAt: 1_700_000_000_000,
  ...fields,
});

describe('the merged server list', () => {
  it('lists a configured server once, as configured, even when the company offers it and the catalog knows it', () => {
    const listed = mergeServerList({
      config: config([{ id: 'crm', url: 'https://crm.example.com/mcp' }]),
      policy: policy({ servers: [{ id: 'crm-offer', url: 'https://crm.example.com/mcp', title: 'CRM' }] }),
      catalog: [
        entry({ key: 'io.example/crm', name: 'io.example/crm', title: 'CRM from its card', description: 'Customers', mcpUrl: 'https://crm.example.com/mcp' }),
      ],
    });
    expect(listed).toEqual([
      expect.objectContaining({
        id: 'crm',
        configured: true,
        source: 'company',
        title: 'CRM from its card',
        description: 'Customers',
        publisher: 'io.example',
        fetchedAt: 1_700_000_000_000,
      }),
    ]);
  });

  it('describes a server added from a card by that card, even when another card names the same URL', () => {
    const listed = mergeServerList({
      config: config([{ id: 'team', url: 'https://search.example.com/mcp', source: 'example.teams/team-search' }]),
      policy: policy(),
      catalog: [
        entry({ key: 'io.example/search', title: 'Enterprise search', description: 'Every store', mcpUrl: 'https://search.example.com/mcp' }),
        entry({ key: 'example.teams/team-search', title: 'Team search', description: 'Per team', mcpUrl: 'https://search.example.com/{endpoint}' }),
      ],
    });
    expect(listed).toEqual([expect.objectContaining({ id: 'team', title: 'Team search', description: 'Per team' })]);
  });

  it('hides a company offer whose id is taken by a configured server, and a catalog entry the company already offers', () => {
    const listed = mergeServerList({
      config: config([{ id: 'wiki', url: 'https://wiki.example.com/mcp' }]),
      policy: policy({
        servers: [
          { id: 'wiki', url: 'https://wiki2.example.com/mcp' },
          { id: 'tickets', url: 'https://tickets.example.com/mcp' },
        ],
      }),
      catalog: [entry({ key: 'io.example/tickets', mcpUrl: 'https://tickets.example.com/mcp' })],
    });
    expect(listed.map(({ id, source, configured }) => [id, source, configured])).toEqual([
      ['wiki', 'config', true],
      ['tickets', 'company', false],
    ]);
  });

  it('offers runnable catalog entries only, and not one a configured server was added from (a template resolves to another URL)', () => {
    const listed = mergeServerList({
      config: config([{ id: 'acme', url: 'https://acme.tenant.example.com/mcp', source: 'io.example/tenant' }]),
      policy: policy(),
      catalog: [
        entry({ key: 'io.example/tenant', mcpUrl: 'https://{tenant}.tenant.example.com/mcp' }),
        entry({ key: 'io.example/package-only', source: 'registry', runnable: false }),
        entry({ key: 'io.example/Search Tool', name: 'io.example/search', mcpUrl: 'https://search.example.com/mcp' }),
      ],
    });
    expect(listed.map(({ id, source }) => [id, source])).toEqual([
      ['acme', 'config'],
      ['io-example-search-tool', 'catalog'],
    ]);
  });

  it('marks what the policy denies, and asks for a templated remote’s variables', () => {
    const listed = mergeServerList({
      config: config([{ id: 'blocked', url: 'https://blocked.example.com/mcp', enabled: false }]),
      policy: policy({ deny: ['blocked.example.com'] }),
      catalog: [entry({ key: 'io.example/tenant', mcpUrl: 'https://{tenant}.example.com/mcp' })],
    });
    expect(listed[0]).toMatchObject({ id: 'blocked', deniedBy: expect.stringContaining('denies blocked.example.com') });
    expect(listed[1]).toMatchObject({ source: 'catalog', inputs: [expect.objectContaining({ kind: 'variable', name: 'tenant', required: true })] });
  });

  it('takes live state and the kind of sign-in from a running core, and knows neither without one', () => {
    const sources = { config: config([{ id: 'crm', url: 'https://crm.example.com/mcp' }]), policy: policy(), catalog: [] };
    expect(mergeServerList(sources)[0]).toMatchObject({ auth: 'unknown' });
    expect(mergeServerList(sources)[0]).not.toHaveProperty('status');
    const live = {
      servers: [{ id: 'crm', url: 'https://crm.example.com/mcp', state: 'ready' as const, serverName: 'CRM live' }],
      auth: [{ id: 'crm', auth: { state: 'signed-in' as const, via: 'id-jag' as const } }],
    };
    expect(mergeServerList({ ...sources, live })[0]).toMatchObject({ auth: 'id-jag', status: { state: 'ready' }, title: 'CRM live' });
  });
});
