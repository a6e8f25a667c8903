// firstRun:* — whether the window opens on its guided first run, and remembering that the person finished or skipped it (app/first-run.ts does the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function firstRunChannels({ app }: UiServiceDeps): ChannelHandlers<'firstRun:get' | 'firstRun:set'> {
  return {
    'firstRun:get': async () => app.firstRun.get(),
    'firstRun:set': async ({ state }) => app.firstRun.set(state),
  };
}
