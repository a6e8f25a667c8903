// The sandboxed preload: exposes exactly the contract's invoke channels to the page, nothing of Electron or Node.
import { contextBridge, ipcRenderer } from 'electron';
import { isInvokeChannel } from '../../shared/contract/channels.ts';

contextBridge.exposeInMainWorld('switchboard', {
  invoke(channel: unknown, request?: unknown): Promise<unknown> {
    // The page is untrusted input: an unknown channel never reaches ipcRenderer.
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, request);
  },
});
