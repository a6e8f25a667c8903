// The RFC 8252 loopback redirect: a one-shot listener on 127.0.0.1 that receives the browser's return from an authorization server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchboardError } from '../errors.ts';

const CALLBACK_PATH = '/callback';

export interface LoopbackRedirect {
  redirectUri: string;
  /** Resolves with the full callback URL (code, state, iss or error) once the browser arrives with this state. */
  waitForCallback(state: string, timeoutMs: number, signal?: AbortSignal): Promise<URL>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only (never a wildcard address), on a fixed port when the authorization server has a
 * pre-registered redirect URI, otherwise on any free one. Requests with another path or state get 400 and are
 * ignored, so a stray or hostile local request cannot end the sign-in.
 */
export async function startLoopbackRedirect(port = 0): Promise<LoopbackRedirect> {
  const waiting = new Map<string, (url: URL) => void>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const deliver = url.pathname === CALLBACK_PATH ? waiting.get(url.searchParams.get('state') ?? '') : undefined;
    if (request.method !== 'GET' || !deliver) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('This is not a sign-in Switchboard is waiting for.');
      return;
    }
    const failed = url.searchParams.has('error');
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" })
      .end(`<!doctype html><title>Switchboard</title><p>${failed ? 'Sign-in did not complete. You can close this window and try again from Switchboard.' : 'Signed in. You can close this window.'}</p>`);
    deliver(new URL(`${redirectUri}${url.search}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new SwitchboardError('AUTH_CALLBACK_FAILED', `could not listen for the sign-in callback on 127.0.0.1:${port} (${error.code ?? error.message}); free the port or change auth.redirectPort`)),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  return {
    redirectUri,
    waitForCallback(state, timeoutMs, signal) {
      return new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => finish(new SwitchboardError('AUTH_CALLBACK_FAILED', `nobody finished signing in within ${Math.round(timeoutMs / 1000)} s; start the sign-in again`)), timeoutMs);
        const onAbort = () => finish(new SwitchboardError('AUTH_CALLBACK_FAILED', 'the sign-in was cancelled'));
        const finish = (outcome: URL | Error) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiting.delete(state);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(state, finish);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
