// Serves the UI contract over IPC: one handler per channel, every message's sender checked, results as {ok, value|error}.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../shared/contract/channels.ts';
import type { ContractResponse } from '../../shared/contract/schemas.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { isSwitchboardError } from '../core/index.ts';

export type ContractHandlers = { [C in InvokeChannel]: () => Promise<ContractResponse<C>> | ContractResponse<C> };

export function registerContractHandlers(handlers: ContractHandlers, isOwnPage: (url: string) => boolean): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent): Promise<Result<unknown>> => {
      // Only our own page in our own window may call the core, never an injected frame or another origin.
      const senderUrl = event.senderFrame?.url ?? '';
      if (!isOwnPage(senderUrl)) return fail('INTERNAL', 'this page may not use the Switchboard contract');
      try {
        return ok(await handlers[channel]());
      } catch (error) {
        return isSwitchboardError(error) ? fail(error.code, error.message) : fail('INTERNAL', 'the request failed; see the Switchboard log');
      }
    });
  }
  return () => INVOKE_CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}
