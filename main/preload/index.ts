// The sandboxed preload: exposes exactly the contract's invoke and event channels to the page, nothing of Electron or Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel } from '../../shared/contract/channels.ts';

contextBridge.exposeInMainWorld('switchboard', {
  invoke(channel: unknown, request?: unknown): Promise<unknown> {
    // The page is untrusted input: an unknown channel never reaches ipcRenderer.
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, request);
  },
  /** Listens to one event channel; returns the function that stops listening. */
  subscribe(channel: unknown, listener: (payload: unknown) => void): () => void {
    if (!isEventChannel(channel)) throw new Error(`unknown event channel ${String(channel)}`);
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
});
