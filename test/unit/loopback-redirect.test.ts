// The sign-in callback listener: loopback only, a fixed port when asked, and only the awaited state ends the wait.
import { describe, expect, it } from 'vitest';
import { startLoopbackRedirect } from '../../main/core/auth/loopback-redirect.ts';
import { freePort } from '../support/free-port.ts';


describe('loopback redirect', () => {
  it('listens on 127.0.0.1 at a fixed port and ignores requests that are not the awaited callback', async () => {
    const port = await freePort();
    const redirect = await startLoopbackRedirect(port);
    try {
      expect(redirect.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
      const arrived = redirect.waitForCallback('expected-state', 5_000);
      expect((await fetch(`${redirect.redirectUri}?code=x&state=forged`)).status).toBe(400);
      expect((await fetch(`http://127.0.0.1:${port}/other?state=expected-state`)).status).toBe(400);
      const delivered = await fetch(`${redirect.redirectUri}?code=abc&state=expected-state&iss=https%3A%2F%2Fas.example.test`);
      expect(delivered.status).toBe(200);
      expect(delivered.headers.get('content-security-policy')).toBe("default-src 'none'");
      const url = await arrived;
      expect(url.searchParams.get('code')).toBe('abc');
    } finally {
      await redirect.close();
    }
  });

  it('says clearly when the port is taken, and when nobody finishes in time', async () => {
    const first = await startLoopbackRedirect(0);
    const port = Number(new URL(first.redirectUri).port);
    try {
      await expect(startLoopbackRedirect(port)).rejects.toMatchObject({ code: 'AUTH_CALLBACK_FAILED', message: expect.stringContaining('auth.redirectPort') });
      await expect(first.waitForCallback('s', 50)).rejects.toMatchObject({ code: 'AUTH_CALLBACK_FAILED', message: expect.stringContaining('start the sign-in again') });
    } finally {
      await first.close();
    }
  });
});
