// The page's typed view of the contract: through the app's preload bridge, or over loopback HTTP with the token `serve --ui` printed.
import type { EventChannel, InvokeChannel } from '../../shared/contract/channels.ts';
import type { ContractEvent, ContractRequest, ContractResponse } from '../../shared/contract/schemas.ts';
import type { Result } from '../../shared/result.ts';

interface SwitchboardBridge {
  invoke(channel: string, request?: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}

const TOKEN_KEY = 'switchboard-ui-token';

/** In a browser (`serve --ui`), the token arrives in the URL fragment once; it is kept for the tab and the fragment cleared. */
function httpToken(): string | undefined {
  const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, fromFragment);
    history.replaceState(null, '', window.location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export async function invoke<C extends InvokeChannel>(channel: C, request?: ContractRequest<C>): Promise<Result<ContractResponse<C>>> {
  if (window.switchboard) return (await window.switchboard.invoke(channel, request)) as Result<ContractResponse<C>>;
  const token = httpToken();
  if (!token)
    return { ok: false, error: { code: 'UI_UNAUTHORIZED', message: 'Open the address that `switchboard serve --ui` printed: it carries the access token.' } };
  try {
    const response = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: request === undefined ? '' : JSON.stringify(request),
    });
    return (await response.json()) as Result<ContractResponse<C>>;
  } catch {
    return { ok: false, error: { code: 'GATEWAY_NOT_RUNNING', message: 'Switchboard is not answering. Is it still running?' } };
  }
}

/** How long the page waits before it opens the event stream again after it ended (Switchboard restarting, a dropped connection). */
const RECONNECT_MS = [500, 1000, 2000, 5000] as const;

/**
 * Listens to one event channel; the returned function stops it. Over HTTP, each listener has its own event stream,
 * opened again whenever it ends: the core pushes the current status on every new stream, so the page catches up.
 */
export function subscribe<C extends EventChannel>(channel: C, listener: (payload: ContractEvent<C>) => void): () => void {
  if (window.switchboard) return window.switchboard.subscribe(channel, listener as (payload: unknown) => void);
  const token = httpToken();
  if (!token) return () => undefined;
  const controller = new AbortController();
  void (async () => {
    for (let attempt = 0; !controller.signal.aborted; attempt++) {
      const delivered = await readStream(token, controller.signal, (event, data) => {
        if (event === channel) listener(JSON.parse(data) as ContractEvent<C>);
      }).catch(() => false);
      if (delivered) attempt = 0;
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]));
    }
  })();
  return () => controller.abort();
}

/** Reads one event stream until it ends; true when it delivered anything (so the next reconnect starts quickly again). */
async function readStream(token: string, signal: AbortSignal, onEvent: (event: string, data: string) => void): Promise<boolean> {
  const response = await fetch('/api/events', { headers: { authorization: `Bearer ${token}` }, signal });
  if (!response.ok || !response.body) return false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let delivered = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return delivered;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) {
        delivered = true;
        onEvent(event, data);
      }
    }
  }
}
