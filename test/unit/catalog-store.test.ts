// The catalog cache on a real SQLite file: what it keeps survives a reopen, and a cache from a newer Switchboard is refused with its own code.
import { mkdtemp, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CatalogStore } from '../../main/core/discovery/catalog-store.ts';

async function cachePath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'switchboard-catalog-store-')), 'catalog.db');
}

describe('catalog store', () => {
  it('keeps documents and entries across a reopen', async () => {
    const path = await cachePath();
    const first = new CatalogStore(path);
    first.saveDocument({ url: 'https://example.com/card', body: '{}', etag: '"v1"', fetchedAt: 1000, maxAgeSeconds: 60 });
    first.saveEntry({
      key: 'com.example/crm',
      source: 'server-card',
      name: 'com.example/crm',
      mcpUrl: 'https://example.com/mcp',
      runnable: true,
      discoveredAt: Date.now(),
    });
    first.close();
    const second = new CatalogStore(path);
    expect(second.document('https://example.com/card')).toEqual({
      url: 'https://example.com/card',
      body: '{}',
      etag: '"v1"',
      fetchedAt: 1000,
      maxAgeSeconds: 60,
    });
    expect(second.entries()).toEqual([
      expect.objectContaining({ key: 'com.example/crm', source: 'server-card', mcpUrl: 'https://example.com/mcp', runnable: true }),
    ]);
    second.close();
  });

  it('refuses a cache from a newer Switchboard with DISCOVERY_CACHE_TOO_NEW and says what to do; moved away, a new one starts', async () => {
    const path = await cachePath();
    new CatalogStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    let refusal: unknown;
    try {
      new CatalogStore(path).close();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'DISCOVERY_CACHE_TOO_NEW' });
    const { message } = refusal as Error;
    expect(message).toContain(path);
    expect(message).toContain('schema version 99');
    expect(message).toContain('update Switchboard, or move the file away');

    await rename(path, `${path}.newer`);
    const fresh = new CatalogStore(path);
    expect(fresh.entries()).toEqual([]);
    fresh.close();
  });

  it('reports a cache it cannot open as before (DISCOVERY_FETCH_FAILED)', async () => {
    const path = await cachePath();
    new CatalogStore(path).close();
    expect(() => new CatalogStore(join(path, 'under-a-file.db'))).toThrow(
      expect.objectContaining({ code: 'DISCOVERY_FETCH_FAILED', message: expect.stringContaining('cannot open the catalog cache') }),
    );
  });
});
