// tools:* — the tools held for review and approving them, mapped to the contract (app/tools.ts does the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function toolsChannels({ app }: UiServiceDeps): ChannelHandlers<'tools:review' | 'tools:approve'> {
  return {
    'tools:review': async (request) => ({ held: await app.tools.review(request?.server), cleaned: await app.tools.cleaned(request?.server) }),
    // The answer carries what is still held, so the page shows the rest without asking again.
    'tools:approve': async ({ server, tools }) => ({ approved: await app.tools.approve(server, tools), held: await app.tools.review() }),
  };
}
