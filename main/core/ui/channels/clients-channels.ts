// clients:* — the AI clients on this machine and the registered ones, mapped to the contract (app/client-setup.ts and app/clients.ts do the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function clientsChannels({ app }: UiServiceDeps): ChannelHandlers<'clients:list' | 'clients:preview' | 'clients:configure' | 'clients:undo' | 'clients:setView'> {
  return {
    'clients:list': async () => ({ aiClients: await app.clientSetup.list(), registered: app.clients.list() }),
    'clients:preview': async ({ client }) => app.clientSetup.preview(client),
    'clients:configure': async ({ client }) => app.clientSetup.configure(client),
    'clients:undo': async ({ client }) => app.clientSetup.undo(client),
    'clients:setView': async ({ id, servers, tools }) => app.clients.setView(id, { ...(servers ? { servers } : {}), ...(tools ? { tools } : {}) }),
  };
}
