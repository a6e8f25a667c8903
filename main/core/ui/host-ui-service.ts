// The one place the UI service is put together over a running core: serve --ui and the app's window and tray get the same one.
import { createHostedApp } from '../app/app.ts';
import type { ThisMachine } from '../app/client-setup.ts';
import type { RunningCore } from '../app/hosted-context.ts';
import type { HostLog } from '../app/logs.ts';
import type { Logger } from '../ports.ts';
import { createUiService, type UiService } from './ui-service.ts';

export function createUiServiceForHost(host: RunningCore, options: { logger: Logger; machine: ThisMachine; log?: HostLog }): UiService {
  return createUiService({ app: createHostedApp(host, options), logger: options.logger });
}
