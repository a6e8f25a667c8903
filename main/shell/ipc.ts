// Serves the UI contract over IPC: every invoke channel goes to the core's UI service after a sender check; events go to our window only.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/contract/channels.ts';
import { fail, type Result } from '../../shared/result.ts';
import type { UiService } from '../core/index.ts';

export function registerContractHandlers(service: UiService, isOwnPage: (url: string) => boolean, target: () => WebContents | undefined): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, request: unknown): Promise<Result<unknown>> => {
      // Only our own page in our own window may call the core, never an injected frame or another origin.
      const senderUrl = event.senderFrame?.url ?? '';
      if (!isOwnPage(senderUrl)) return fail('UI_UNAUTHORIZED', 'this page may not use the Switchboard contract');
      return service.invoke(channel, request);
    });
  }
  const unsubscribe = service.subscribe((channel, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed() && isOwnPage(contents.getURL()) && (EVENT_CHANNELS as readonly string[]).includes(channel))
      contents.send(channel, payload);
  });
  return () => {
    unsubscribe();
    INVOKE_CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
  };
}
