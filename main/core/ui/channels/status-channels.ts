// app:getStatus — the app's status as the contract has it (app/status.ts does the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function statusChannels({ app }: UiServiceDeps): ChannelHandlers<'app:getStatus'> {
  return { 'app:getStatus': () => app.status.status() };
}
