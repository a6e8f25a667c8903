// settings:* — the Settings page's view of the configuration and its one-field changes, mapped to the contract (app/settings.ts does the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function settingsChannels({ app }: UiServiceDeps): ChannelHandlers<'settings:get' | 'settings:update'> {
  return {
    'settings:get': () => app.settings.get(),
    'settings:update': async ({ field, value }) => {
      await app.settings.update(field, value);
      return app.settings.get();
    },
  };
}
