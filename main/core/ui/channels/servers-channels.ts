// servers:* — the merged server list, one server's offer, on/off and discovery, mapped to the contract (app/servers.ts does the work).
import type { ServerEntry } from '../../../../shared/contract/schemas.ts';
import type { ServerListing } from '../../app/server-list.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

function toEntry({ fetchedAt, ...listing }: ServerListing): ServerEntry {
  return { ...listing, ...(fetchedAt !== undefined ? { fetchedAt: new Date(fetchedAt).toISOString() } : {}) };
}

export function serversChannels({ app }: UiServiceDeps): ChannelHandlers<'servers:list' | 'servers:detail' | 'servers:setEnabled' | 'servers:discover'> {
  const list = async () => ({ servers: (await app.servers.list()).map(toEntry) });
  return {
    'servers:list': list,
    'servers:detail': async ({ id }) => {
      const { listed, ...offer } = await app.servers.offer(id);
      if (!listed) return { id, ...offer };
      const { fetchedAt, ...rest } = listed;
      return { id, ...offer, listed: { ...rest, ...(fetchedAt !== undefined ? { fetchedAt: new Date(fetchedAt).toISOString() } : {}) } };
    },
    'servers:setEnabled': async ({ id, enabled, values }) => {
      await app.servers.setEnabled(id, enabled, values);
      return list();
    },
    'servers:discover': async ({ target }) => {
      const result = await app.discovery.discover(target);
      // A card-less server described from a live connection counts as one found.
      return { found: result.cards.length + (result.description && !result.cards.length ? 1 : 0), problems: result.problems };
    },
  };
}
