// A stand-in for the person's browser in tests: follows an authorization URL through the sandbox's scripted login and consent.
export interface BrowserVisit {
  /** The URL the authorization server finally sent the browser to: the client's redirect URI with code/state/iss or error. */
  callbackUrl: URL;
  /** The loopback listener's response, when the callback was delivered. */
  delivered?: { status: number; body: string };
}

export interface ScriptedBrowserOptions {
  /** GET the callback URL like a real browser would (only loopback URLs are ever delivered). Default true. */
  deliver?: boolean;
  maxRedirects?: number;
}

/** Follows redirects (keeping cookies per origin) until the AS redirects to the client's redirect URI. */
export async function visitAuthorizationUrl(authorizationUrl: string | URL, options: ScriptedBrowserOptions = {}): Promise<BrowserVisit> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error('the authorization URL has no redirect_uri');
  const callbackPrefix = withoutPort(new URL(redirectUri));
  const cookies = new Map<string, Map<string, string>>();
  let current = start;

  for (let hop = 0; hop < (options.maxRedirects ?? 20); hop++) {
    if (withoutPort(current) === callbackPrefix && current.pathname === new URL(redirectUri).pathname) {
      return { callbackUrl: current, ...(options.deliver === false ? {} : { delivered: await deliver(current) }) };
    }
    const jar = cookies.get(current.origin) ?? new Map<string, string>();
    cookies.set(current.origin, jar);
    const response = await fetch(current, {
      redirect: 'manual',
      headers: jar.size ? { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } : {},
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const separator = pair?.indexOf('=') ?? -1;
      if (pair && separator > 0) jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
    }
    const location = response.headers.get('location');
    await response.body?.cancel();
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`the authorization server answered ${response.status} at ${current.href} instead of redirecting`);
    }
    current = new URL(location, current);
  }
  throw new Error('too many redirects while authorizing');
}

/** RFC 8252 loopback redirects may use any port, so the callback is recognised without it. */
function withoutPort(url: URL): string {
  return `${url.protocol}//${url.hostname}`;
}

async function deliver(callbackUrl: URL): Promise<{ status: number; body: string } | undefined> {
  if (callbackUrl.hostname !== '127.0.0.1' && callbackUrl.hostname !== 'localhost' && callbackUrl.hostname !== '[::1]') return undefined;
  if (!callbackUrl.port) return undefined;
  const response = await fetch(callbackUrl, { redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}

/**
 * Opens a Switchboard sign-in link as a person would (typed or clicked in their own browser: no Sec-Fetch-Site from
 * another site), then follows the authorization URL it redirects to through the scripted login.
 */
export async function followSignInLink(link: string, options: { finish?: boolean } = {}): Promise<{ authorizationUrl: string; visit?: BrowserVisit }> {
  const response = await fetch(link, { redirect: 'manual', headers: { 'sec-fetch-site': 'none' } });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`the sign-in link answered ${response.status} instead of sending the browser to sign in`);
  if (options.finish === false) return { authorizationUrl: location };
  return { authorizationUrl: location, visit: await visitAuthorizationUrl(location) };
}

/** The first Switchboard sign-in link in a text (a tool error, an error message). */
export function signInLinkIn(text: string): string {
  const link = /http:\/\/127\.0\.0\.1:\d+\/sign-in\/[A-Za-z0-9_-]+/.exec(text)?.[0];
  if (!link) throw new Error(`no sign-in link in: ${text}`);
  return link;
}
