// clients:* — the AI clients on this machine and the registered ones, mapped to the contract (app/client-setup.ts and app/clients.ts do the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function clientsChannels({
  app,
}: UiServiceDeps): ChannelHandlers<'clients:list' | 'clients:preview' | 'clients:configure' | 'clients:undo' | 'clients:setView'> {
  return {
    'clients:list': async () => ({ aiClients: await app.clientSetup.list(), registered: withToolListings(app, app.clients.list()) }),
    'clients:preview': async ({ client }) => app.clientSetup.preview(client),
    'clients:configure': async ({ client }) => app.clientSetup.configure(client),
    'clients:undo': async ({ client }) => app.clientSetup.undo(client),
    'clients:setView': async ({ id, servers, tools, maxTools, pinnedTools }) => {
      const updated = await app.clients.setView(id, { ...(servers ? { servers } : {}), ...(tools ? { tools } : {}) });
      if (maxTools === undefined && pinnedTools === undefined) return updated;
      return app.clients.setToolBudget(id, { ...(maxTools !== undefined ? { maxTools } : {}), ...(pinnedTools !== undefined ? { pinnedTools } : {}) });
    },
  };
}

/** Each registered client with what it saw at its last tool listing in the running core, when it listed since start. */
function withToolListings(app: UiServiceDeps['app'], registered: ReturnType<UiServiceDeps['app']['clients']['list']>) {
  const listings = new Map((app.core().status().toolListings ?? []).map((listing) => [listing.client, listing]));
  return registered.map((client) => {
    const listing = listings.get(client.id);
    return listing
      ? {
          ...client,
          toolListing: {
            mode: listing.mode,
            direct: listing.direct,
            throughSearch: listing.throughSearch,
            maxTools: listing.budget.maxTools,
            source: listing.budget.source,
          },
        }
      : client;
  });
}
