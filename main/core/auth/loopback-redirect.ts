// The RFC 8252 loopback redirect: a one-shot listener on this machine that receives the browser's return from an authorization server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchboardError } from '../errors.ts';

const DEFAULT_PATH = '/callback';

/** The hosts a loopback redirect URI may name (RFC 8252 §7.3, and `localhost`, which some IdPs register instead). */
export const LOOPBACK_REDIRECT_HOSTS = ['127.0.0.1', '[::1]', 'localhost'] as const;
export type LoopbackRedirectHost = (typeof LOOPBACK_REDIRECT_HOSTS)[number];

export interface LoopbackRedirectOptions {
  /** A fixed port, for an authorization server that matches the registered redirect URI's port exactly; 0 (default) picks a free one. */
  port?: number;
  /** The path the authorization server sends the browser back to, as registered there; default /callback. */
  path?: string;
  /** The host as the registered redirect URI writes it; default 127.0.0.1. */
  host?: LoopbackRedirectHost;
  /** The setting that chose this address, named when it cannot be used; default auth.redirectPort. */
  setting?: string;
}

export interface LoopbackRedirect {
  redirectUri: string;
  /** Resolves with the full callback URL (code, state, iss or error) once the browser arrives with this state. */
  waitForCallback(state: string, timeoutMs: number, signal?: AbortSignal): Promise<URL>;
  close(): Promise<void>;
}

/**
 * The listener options for a configured redirect URI (`auth.idp.redirectUri`). Without a port in the URI any free
 * one is used, as RFC 8252 §7.3 requires authorization servers to accept for loopback redirects.
 */
export function loopbackRedirectOptions(redirectUri: string, setting = 'auth.idp.redirectUri'): LoopbackRedirectOptions {
  const problem = loopbackRedirectUriProblem(redirectUri);
  if (problem) throw new SwitchboardError('CONFIG_INVALID', `${setting} ${problem}`);
  const url = new URL(redirectUri);
  return { port: url.port ? Number(url.port) : 0, path: url.pathname, host: url.hostname as LoopbackRedirectHost, setting };
}

/** Why a redirect URI cannot be a loopback redirect Switchboard listens on, or undefined when it can (the configuration check uses it). */
export function loopbackRedirectUriProblem(value: string): string | undefined {
  const url = URL.parse(value);
  if (!url) return 'must be a URL such as http://127.0.0.1:53682/oauth/callback';
  if (url.protocol !== 'http:') return 'must start with http:// (a loopback redirect is plain http on this machine; RFC 8252 §7.3)';
  if (!(LOOPBACK_REDIRECT_HOSTS as readonly string[]).includes(url.hostname))
    return `must name this machine as 127.0.0.1, [::1] or localhost, not "${url.hostname}"`;
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash || value.includes('?') || value.includes('#'))
    return 'must not have a query or a fragment (the authorization server adds its own parameters)';
  return undefined;
}

/**
 * Listens on loopback only (never a wildcard address): 127.0.0.1, [::1], or both for `localhost` (browsers may try
 * either). Requests with another path, method or state get 400 and are ignored, so a stray, stale or hostile local
 * request cannot end the sign-in; only the awaited state does, with a code or with the authorization server's error.
 * Accepts a bare port too, as callers did before the path could be chosen.
 */
export async function startLoopbackRedirect(options: number | LoopbackRedirectOptions = {}): Promise<LoopbackRedirect> {
  const {
    port = 0,
    path: rawPath = DEFAULT_PATH,
    host = '127.0.0.1',
    setting = 'auth.redirectPort',
  } = typeof options === 'number' ? { port: options } : options;
  // The path as URL parsing normalises it, so the registered form and the browser's request compare equal.
  const path = new URL(rawPath.startsWith('/') ? rawPath : `/${rawPath}`, 'http://127.0.0.1').pathname;
  const waiting = new Map<string, (url: URL) => void>();
  let redirectUri = '';

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== path) {
      page(response, 404, 'Not found', ['This address is where Switchboard receives sign-ins; there is nothing else here.']);
      return;
    }
    const error = url.searchParams.get('error');
    const deliver = waiting.get(url.searchParams.get('state') ?? '');
    if (!deliver) {
      // An earlier attempt's tab, a reload after finishing, or a request Switchboard did not start: the sign-in goes on.
      page(response, 400, 'Not a sign-in Switchboard is waiting for', [
        ...(error ? errorParagraphs(error, url.searchParams.get('error_description')) : []),
        'This page belongs to a sign-in that has already finished, was cancelled, or was not started by Switchboard.',
        'If you are signing in now, finish in the window Switchboard opened most recently; otherwise start the sign-in again from Switchboard.',
      ]);
      return;
    }
    if (error) {
      page(response, 200, 'Sign-in did not complete', [
        ...errorParagraphs(error, url.searchParams.get('error_description')),
        'You can close this window and start the sign-in again from Switchboard.',
      ]);
    } else {
      page(response, 200, 'Signed in', ['You are signed in. You can close this window and return to what you were doing.']);
    }
    deliver(new URL(`${redirectUri}${url.search}`));
  };

  const servers: Server[] = [];
  const listen = (address: string, onPort: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(handle);
      server.once('error', reject);
      server.listen(onPort, address, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  const primary = host === '[::1]' ? '::1' : '127.0.0.1';
  try {
    servers.push(await listen(primary, port));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SwitchboardError(
      'AUTH_CALLBACK_FAILED',
      `could not listen for the sign-in callback on ${host}:${port} (${code}); free the port or change ${setting}`,
      { cause: error },
    );
  }
  const boundPort = (servers[0]!.address() as AddressInfo).port;
  if (host === 'localhost') {
    // Best effort: a machine without IPv6 loopback still gets the browser's return on 127.0.0.1.
    await listen('::1', boundPort).then(
      (server) => servers.push(server),
      () => undefined,
    );
  }
  redirectUri = `http://${host}:${boundPort}${path}`;

  return {
    redirectUri,
    waitForCallback(state, timeoutMs, signal) {
      return new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            finish(
              new SwitchboardError(
                'AUTH_CALLBACK_FAILED',
                `nobody finished signing in within ${Math.round(timeoutMs / 1000)} s; start the sign-in again. If the browser showed an error page at the sign-in provider (such as a redirect URI mismatch), nothing came back here: the provider must have ${redirectUri} registered as a redirect URI, or the configuration must name the one it has (${setting})`,
              ),
            ),
          timeoutMs,
        );
        // A sign-in nobody finishes must not keep a stopping process alive; the listener does that while it is open.
        timer.unref();
        const onAbort = () => finish(new SwitchboardError('AUTH_CALLBACK_FAILED', 'the sign-in was cancelled'));
        const finish = (outcome: URL | Error) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiting.delete(state);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(state, finish);
      });
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** What an authorization server's `error` means, in words a person can act on (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6). */
export function explainAuthorizationError(error: string): string {
  switch (error) {
    case 'access_denied':
      return 'The sign-in was declined: you chose not to allow access, or the provider’s policy does not allow it for your account.';
    case 'invalid_request':
      return 'The sign-in provider rejected the request Switchboard sent (often a redirect URI or parameter it does not accept). Your administrator can check Switchboard’s settings against the app registered at the provider.';
    case 'unauthorized_client':
      return 'The sign-in provider does not allow Switchboard’s client to sign in this way. Your administrator needs to allow the authorization code flow for it.';
    case 'unsupported_response_type':
      return 'The sign-in provider does not support the kind of sign-in Switchboard asked for (authorization code).';
    case 'invalid_scope':
      return 'The sign-in provider does not accept the permissions (scopes) Switchboard asked for. Your administrator can check the scopes configured in Switchboard.';
    case 'server_error':
      return 'The sign-in provider had an internal error. Try again in a moment.';
    case 'temporarily_unavailable':
      return 'The sign-in provider is busy or under maintenance. Try again in a few minutes.';
    case 'login_required':
    case 'interaction_required':
    case 'account_selection_required':
      return 'The sign-in provider needs you to sign in or choose an account, and could not ask you this time.';
    case 'consent_required':
      return 'The sign-in provider needs your consent for Switchboard, and could not ask for it this time.';
    default:
      return 'The sign-in provider ended the sign-in with an error.';
  }
}

function errorParagraphs(error: string, description: string | null): string[] {
  return [
    explainAuthorizationError(error),
    // The provider's own words are shown as text only (escaped), and bounded: the query is anyone's to write.
    `The provider said: ${error.slice(0, 100)}${description ? ` — ${description.slice(0, 500)}` : ''}`,
  ];
}

function page(response: ServerResponse, status: number, title: string, paragraphs: string[]): void {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
      'referrer-policy': 'no-referrer',
    })
    .end(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>Switchboard: ${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1>${paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('')}</html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
