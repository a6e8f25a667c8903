// The sign-in callback listener: loopback only, the registered port and path, plain words for errors, and only the awaited state ends the wait.
import { describe, expect, it } from 'vitest';
import { explainAuthorizationError, loopbackRedirectOptions, startLoopbackRedirect } from '../../main/core/auth/loopback-redirect.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { freePort } from '../support/free-port.ts';

const idp = { issuer: 'https://idp.example.test', clientId: 'switchboard' };

describe('loopback redirect', () => {
  it('listens on 127.0.0.1 at a fixed port (the old call with a bare port) and ignores requests that are not the awaited callback', async () => {
    const port = await freePort();
    const redirect = await startLoopbackRedirect(port);
    try {
      expect(redirect.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
      const arrived = redirect.waitForCallback('expected-state', 5_000);
      expect((await fetch(`${redirect.redirectUri}?code=x&state=forged`)).status).toBe(400);
      expect((await fetch(`http://127.0.0.1:${port}/other?state=expected-state`)).status).toBe(404);
      expect((await fetch(`${redirect.redirectUri}?code=x&state=expected-state`, { method: 'POST' })).status).toBe(404);
      const delivered = await fetch(`${redirect.redirectUri}?code=abc&state=expected-state&iss=https%3A%2F%2Fas.example.test`);
      expect(delivered.status).toBe(200);
      expect(delivered.headers.get('content-security-policy')).toBe("default-src 'none'");
      const url = await arrived;
      expect(url.searchParams.get('code')).toBe('abc');
    } finally {
      await redirect.close();
    }
  });

  it('uses the registered path: the redirect URI carries it, and only that path delivers', async () => {
    const port = await freePort();
    const redirect = await startLoopbackRedirect({ port, path: '/oauth/callback' });
    try {
      expect(redirect.redirectUri).toBe(`http://127.0.0.1:${port}/oauth/callback`);
      const arrived = redirect.waitForCallback('s1', 5_000);
      expect((await fetch(`http://127.0.0.1:${port}/callback?code=x&state=s1`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/oauth/callback/?code=x&state=s1`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/oauth/callback?code=right&state=s1`)).status).toBe(200);
      const url = await arrived;
      expect(url.origin + url.pathname).toBe(redirect.redirectUri);
      expect(url.searchParams.get('code')).toBe('right');
    } finally {
      await redirect.close();
    }
  });

  it('defaults to /callback on any free port when given options without them', async () => {
    const redirect = await startLoopbackRedirect({});
    try {
      expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(Number(new URL(redirect.redirectUri).port)).toBeGreaterThan(0);
    } finally {
      await redirect.close();
    }
  });

  it("says in plain words what the authorization server's error means, escapes its description, and hands the error to the flow", async () => {
    const redirect = await startLoopbackRedirect({ path: '/oauth/callback' });
    try {
      const arrived = redirect.waitForCallback('s2', 5_000);
      const description = 'The user <script>alert(1)</script> said no';
      const response = await fetch(`${redirect.redirectUri}?error=access_denied&error_description=${encodeURIComponent(description)}&state=s2`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('Sign-in did not complete');
      expect(html).toContain('The sign-in was declined');
      expect(html).toContain('access_denied');
      expect(html).toContain('&#60;script&#62;');
      expect(html).not.toContain('<script>');
      expect(html).toContain('start the sign-in again from Switchboard');
      const url = await arrived;
      expect(url.searchParams.get('error')).toBe('access_denied');
    } finally {
      await redirect.close();
    }
  });

  it('a request on the right path with an unknown state (an old tab, a reload, a forgery) explains itself and does not end the sign-in', async () => {
    const redirect = await startLoopbackRedirect({ path: '/oauth/callback' });
    try {
      let settled = false;
      const arrived = redirect.waitForCallback('current', 5_000).finally(() => (settled = true));
      const stale = await fetch(`${redirect.redirectUri}?code=old&state=earlier-attempt`);
      expect(stale.status).toBe(400);
      expect(await stale.text()).toContain('Not a sign-in Switchboard is waiting for');
      const staleError = await fetch(`${redirect.redirectUri}?error=server_error&state=earlier-attempt`);
      expect(staleError.status).toBe(400);
      expect(await staleError.text()).toContain('internal error');
      const noState = await fetch(`${redirect.redirectUri}?error=access_denied`);
      expect(noState.status).toBe(400);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(false);
      expect((await fetch(`${redirect.redirectUri}?code=now&state=current`)).status).toBe(200);
      expect((await arrived).searchParams.get('code')).toBe('now');
      // Once delivered, the same state is not awaited any more: a reload of the finished page does not deliver twice.
      expect((await fetch(`${redirect.redirectUri}?code=now&state=current`)).status).toBe(400);
    } finally {
      await redirect.close();
    }
  });

  it('explains every standard error code, and unknown ones generically', () => {
    for (const code of [
      'access_denied',
      'invalid_request',
      'unauthorized_client',
      'unsupported_response_type',
      'invalid_scope',
      'server_error',
      'temporarily_unavailable',
      'login_required',
      'consent_required',
      'interaction_required',
    ]) {
      expect(explainAuthorizationError(code)).not.toBe(explainAuthorizationError('something_else'));
    }
    expect(explainAuthorizationError('something_else')).toContain('ended the sign-in with an error');
  });

  it('says clearly when the port is taken (naming the setting that chose it), and when nobody finishes in time', async () => {
    const first = await startLoopbackRedirect(0);
    const port = Number(new URL(first.redirectUri).port);
    try {
      await expect(startLoopbackRedirect(port)).rejects.toMatchObject({ code: 'AUTH_CALLBACK_FAILED', message: expect.stringContaining('auth.redirectPort') });
      await expect(startLoopbackRedirect(loopbackRedirectOptions(`http://127.0.0.1:${port}/oauth/callback`))).rejects.toMatchObject({
        code: 'AUTH_CALLBACK_FAILED',
        message: expect.stringContaining('auth.idp.redirectUri'),
      });
      const timedOut = first.waitForCallback('s', 50);
      await expect(timedOut).rejects.toMatchObject({ code: 'AUTH_CALLBACK_FAILED', message: expect.stringContaining('start the sign-in again') });
      // The usual cause of silence is a redirect URI the provider does not have registered: the message says which one was sent.
      await expect(first.waitForCallback('s', 50)).rejects.toMatchObject({ message: expect.stringContaining(first.redirectUri) });
    } finally {
      await first.close();
    }
  });

  it('ends the wait at once when the sign-in is cancelled, even if cancelled before waiting', async () => {
    const redirect = await startLoopbackRedirect();
    try {
      const controller = new AbortController();
      const waiting = redirect.waitForCallback('s', 5_000, controller.signal);
      controller.abort();
      await expect(waiting).rejects.toMatchObject({ code: 'AUTH_CALLBACK_FAILED', message: 'the sign-in was cancelled' });
      await expect(redirect.waitForCallback('t', 5_000, controller.signal)).rejects.toMatchObject({ message: 'the sign-in was cancelled' });
    } finally {
      await redirect.close();
    }
  });

  it('listens where a configured redirect URI says: its host, port and path; localhost answers on 127.0.0.1 too', async () => {
    const port = await freePort();
    const options = loopbackRedirectOptions(`http://localhost:${port}/auth/done`);
    expect(options).toEqual({ port, path: '/auth/done', host: 'localhost', setting: 'auth.idp.redirectUri' });
    const redirect = await startLoopbackRedirect(options);
    try {
      expect(redirect.redirectUri).toBe(`http://localhost:${port}/auth/done`);
      const arrived = redirect.waitForCallback('s3', 5_000);
      expect((await fetch(`http://127.0.0.1:${port}/auth/done?code=c&state=s3`)).status).toBe(200);
      // The flow compares the callback with the redirect URI it sent, so the delivered URL is written as registered.
      expect((await arrived).href).toBe(`http://localhost:${port}/auth/done?code=c&state=s3`);
    } finally {
      await redirect.close();
    }
    expect(loopbackRedirectOptions('http://127.0.0.1/oauth/callback')).toMatchObject({ port: 0, path: '/oauth/callback', host: '127.0.0.1' });
    expect(loopbackRedirectOptions('http://[::1]:8400/cb')).toMatchObject({ port: 8400, path: '/cb', host: '[::1]' });
    expect(() => loopbackRedirectOptions('https://127.0.0.1/cb')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('auth.idp.redirectUri must start with http://') }),
    );
  });

  it('listens on [::1] only when the registered redirect URI says [::1]', async () => {
    const redirect = await startLoopbackRedirect(loopbackRedirectOptions('http://[::1]/ipv6/cb'));
    const port = Number(new URL(redirect.redirectUri).port);
    try {
      expect(redirect.redirectUri).toBe(`http://[::1]:${port}/ipv6/cb`);
      const arrived = redirect.waitForCallback('s4', 5_000);
      expect((await fetch(`http://[::1]:${port}/ipv6/cb?code=v6&state=s4`)).status).toBe(200);
      expect((await arrived).searchParams.get('code')).toBe('v6');
    } finally {
      await redirect.close();
    }
  });

  it('the configuration accepts auth.idp.redirectUri only as an http loopback URI, any path, port optional', () => {
    const parse = (redirectUri: string) => configSchema.safeParse({ servers: [], auth: { idp: { ...idp, redirectUri } } });
    for (const good of ['http://127.0.0.1:53682/oauth/callback', 'http://[::1]:53682/callback', 'http://localhost:8080/', 'http://127.0.0.1/deep/path/cb']) {
      const parsed = parse(good);
      expect(parsed.success, good).toBe(true);
      expect(parsed.data?.auth.idp?.redirectUri).toBe(good);
    }
    const bad: [string, RegExp][] = [
      ['https://127.0.0.1:53682/oauth/callback', /http:\/\//],
      ['http://idp.example.com/callback', /127\.0\.0\.1, \[::1\] or localhost/],
      ['http://127.0.0.2:53682/callback', /127\.0\.0\.1, \[::1\] or localhost/],
      ['http://0.0.0.0:53682/callback', /127\.0\.0\.1, \[::1\] or localhost/],
      ['http://127.0.0.1:53682/callback?x=1', /query or a fragment/],
      ['http://127.0.0.1:53682/callback#f', /query or a fragment/],
      ['http://user:pw@127.0.0.1:53682/callback', /user name/],
      ['not a url', /must be a URL/],
    ];
    for (const [value, message] of bad) {
      const parsed = parse(value);
      expect(parsed.success, value).toBe(false);
      expect(parsed.error?.issues[0]?.path.join('.'), value).toBe('auth.idp.redirectUri');
      expect(parsed.error?.issues[0]?.message, value).toMatch(message);
    }
    // Server sign-ins keep their own setting, untouched by the IdP's.
    expect(
      configSchema.parse({ servers: [], auth: { redirectPort: 53682, idp: { ...idp, redirectUri: 'http://127.0.0.1:53683/oauth/callback' } } }).auth
        .redirectPort,
    ).toBe(53682);
  });
});
