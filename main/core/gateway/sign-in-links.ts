// One-time sign-in links on the local endpoint: a client is told to open one, and opening it starts that sign-in in the person's own browser.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSwitchboardError } from '../errors.ts';
import { assertBrowserUrl } from '../platform/browser-url-policy.ts';
import type { Logger } from '../ports.ts';

export const SIGN_IN_PATH = '/sign-in/';

/** How a started sign-in went, as the links need it (see SwitchboardAuth.beginSignIn). */
export interface StartedSignIn {
  state: 'signed-in' | 'not-required' | 'waiting';
  authorizationUrl?: string;
}

export interface SignInLinksOptions {
  /** Starts (or joins) the sign-in for a target: a server id, or `sso`. */
  begin: (target: string) => Promise<StartedSignIn>;
  /** What a target is called on the page. */
  describe: (target: string) => string;
  logger: Logger;
  /** How long an issued link may wait to be opened. */
  ttlMs?: number;
  now?: () => number;
}

/** Links are cheap to issue (one per refused call); this many at most are kept, the oldest dropped first. */
const MAX_LINKS = 256;
const DEFAULT_TTL_MS = 15 * 60_000;

export class SignInLinks {
  readonly #options: SignInLinksOptions;
  readonly #links = new Map<string, { target: string; expiresAt: number }>();
  #origin: string | undefined;

  constructor(options: SignInLinksOptions) {
    this.#options = options;
  }

  /** The endpoint's origin, known once it is bound. */
  setOrigin(origin: string): void {
    this.#origin = origin;
  }

  /** A new link for a target; undefined before the endpoint is bound. */
  issue(target: string): string | undefined {
    if (!this.#origin) return undefined;
    const now = this.#now();
    for (const [value, link] of this.#links) if (link.expiresAt <= now || this.#links.size >= MAX_LINKS) this.#links.delete(value);
    const value = randomBytes(24).toString('base64url');
    this.#links.set(value, { target, expiresAt: now + (this.#options.ttlMs ?? DEFAULT_TTL_MS) });
    return `${this.#origin}${SIGN_IN_PATH}${value}`;
  }

  /**
   * GET /sign-in/<value>. The value works once and only when the person opened it themselves: a navigation another
   * site started (Sec-Fetch-Site cross-site or same-site) is refused, so no page can start a sign-in on their behalf.
   */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const value = (request.url ?? '').split('?')[0]!.slice(SIGN_IN_PATH.length);
    if (request.method !== 'GET') return page(response, 405, 'Not like this', 'Open the sign-in link in your browser.');
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      this.#options.logger.log('warn', 'gateway.sign_in_link_refused', { reason: `opened from another site (${site})` });
      return page(
        response,
        403,
        'Sign-in link refused',
        'This link was opened by another web site. Copy it into your browser’s address bar yourself to sign in.',
      );
    }
    const link = this.#links.get(value);
    this.#links.delete(value);
    if (!link || link.expiresAt <= this.#now()) {
      return page(
        response,
        404,
        'This sign-in link has expired',
        'Each sign-in link works once, for a limited time. Ask your AI client to try again for a new link, or sign in from the Switchboard window.',
      );
    }
    const what = this.#options.describe(link.target);
    let started: StartedSignIn;
    try {
      started = await this.#options.begin(link.target);
    } catch (error) {
      const message = isSwitchboardError(error) ? `${error.message} (${error.code})` : 'Switchboard could not start the sign-in.';
      return page(response, 502, `Could not sign in to ${what}`, message);
    }
    if (started.state === 'waiting' && started.authorizationUrl) {
      const target = assertBrowserUrl(started.authorizationUrl).href;
      response.writeHead(303, { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
      return;
    }
    const done = started.state === 'not-required' ? `${what} needs no sign-in.` : `You are signed in to ${what}.`;
    return page(response, 200, 'Signed in', `${done} Go back to your AI client and try again.`);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function page(response: ServerResponse, status: number, title: string, text: string): void {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    })
    .end(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>Switchboard — ${escape(title)}</title>` +
        `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5">` +
        `<h1 style="font-size:1.3rem">${escape(title)}</h1><p>${escape(text)}</p></body></html>`,
    );
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
