// The Electron shell sends the UI's CSP as a response header on its own pages (frame-ancestors counts only there), and leaves other pages' headers alone.
// Electron's binary cannot run here: `session`, `app` and `shell` are recorders; the code under test is the shipped main/shell/security.ts.
import { describe, expect, it, vi } from 'vitest';

type Listener = (
  details: { url: string; resourceType: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;
const recorded: { onHeadersReceived?: Listener } = {};

vi.mock('electron', () => ({
  app: { on: vi.fn() },
  shell: { openExternal: vi.fn() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: (listener: Listener) => void (recorded.onHeadersReceived = listener) },
    },
  },
}));

const { applySecurityPolicy, UI_CONTENT_SECURITY_POLICY } = await import('../../main/shell/security.ts');
const { UI_CONTENT_SECURITY_POLICY: CORE_POLICY } = await import('../../main/core/ui/content-security-policy.ts');

const headersFor = (
  url: string,
  resourceType = 'mainFrame',
  responseHeaders: Record<string, string[]> = { 'content-type': ['text/html'], 'content-security-policy': ['default-src *'] },
) =>
  new Promise<Record<string, string[]> | undefined>((resolve) =>
    recorded.onHeadersReceived!({ url, resourceType, responseHeaders }, (response) => resolve(response.responseHeaders)),
  );

describe('the shell’s CSP header (Electron recorded, not run)', () => {
  applySecurityPolicy((url) => url.startsWith('http://localhost:5173/'));

  it('replaces any CSP on its own page with the UI’s, frame-ancestors included, keeping the other headers', async () => {
    const headers = await headersFor('http://localhost:5173/');
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [UI_CONTENT_SECURITY_POLICY] });
    expect(UI_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    // The shell's copy is the loopback endpoint's policy, word for word.
    expect(UI_CONTENT_SECURITY_POLICY).toBe(CORE_POLICY);
  });

  it('leaves a foreign page and our own sub-resources as they came', async () => {
    expect(await headersFor('https://example.com/')).toBeUndefined();
    expect(await headersFor('http://localhost:5173/assets/index.js', 'script')).toBeUndefined();
  });
});
