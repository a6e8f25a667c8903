// Small pure rules: exposed tool names, the browser URL policy, loopback detection and the local error type.
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/core/errors.ts';
import { assertBrowserUrl } from '../../main/core/platform/browser-url-policy.ts';
import { isLoopbackHost } from '../../main/core/platform/loopback.ts';
import { exposedName } from '../../main/core/router/exposed-names.ts';

describe('exposed tool names', () => {
  it('prefixes with the server and keeps valid names readable', () => {
    expect(exposedName('crm', 'search')).toBe('crm_search');
    expect(exposedName('', 'search')).toBe('search');
  });

  it('always matches ^[A-Za-z0-9_-]{1,64}$, deterministically, without merging distinct names', () => {
    const long = 'x'.repeat(200);
    for (const name of ['a.b', 'a_b', 'weird name/ü', long, `${long}y`]) {
      const exposed = exposedName('srv', name);
      expect(exposed).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(exposedName('srv', name)).toBe(exposed);
    }
    expect(exposedName('srv', 'a.b')).not.toBe(exposedName('srv', 'a_b'));
    expect(exposedName('srv', long)).not.toBe(exposedName('srv', `${long}y`));
  });
});

describe('browser URL policy', () => {
  it('allows https and loopback http', () => {
    expect(assertBrowserUrl('https://idp.example.com/authorize?x=1').hostname).toBe('idp.example.com');
    expect(assertBrowserUrl('http://127.0.0.1:5555/callback').port).toBe('5555');
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'http://example.com/', 'not a url', 'smb://host/share'])('refuses %s', (url) => {
    expect(() => assertBrowserUrl(url)).toThrow(SwitchboardError);
    try {
      assertBrowserUrl(url);
    } catch (error) {
      expect((error as SwitchboardError).code).toBe('URL_REFUSED');
    }
  });
});

describe('loopback hosts', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['localhost', true],
    ['10.0.0.1', false],
    ['localhost.evil.com', false],
    ['0.0.0.0', false],
  ])('%s → %s', (host, expected) => expect(isLoopbackHost(host as string)).toBe(expected));
});

describe('SwitchboardError', () => {
  it('never serialises or enumerates its cause', () => {
    const error = new SwitchboardError('UPSTREAM_UNAVAILABLE', 'server "a" is unavailable', { cause: { authorization: 'Bearer canary-secret' } });
    expect(JSON.stringify(error)).not.toContain('canary-secret');
    expect(Object.keys(error)).not.toContain('cause');
    expect((error.cause as { authorization: string }).authorization).toContain('canary');
  });
});
