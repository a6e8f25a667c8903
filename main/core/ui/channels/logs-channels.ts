// logs:* — the recent lines of the log, so a person sees what happened without a terminal, and the log file opened on the desktop (app/logs.ts does the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function logsChannels({ app }: UiServiceDeps): ChannelHandlers<'logs:recent' | 'logs:open'> {
  return {
    'logs:recent': async (request) => app.logs.recent({ limit: request?.limit ?? 200, minLevel: request?.minLevel ?? 'info' }),
    'logs:open': async () => app.logs.open(),
  };
}
