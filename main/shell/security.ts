// Electron's security checklist for every web contents: no navigation away, no new windows, no permissions, safe external links.
import { app, session, shell, type WebContents } from 'electron';
import { assertBrowserUrl } from '../core/index.ts';

/** The same policy as main/core/ui/content-security-policy.ts (the shell reaches the core only through its index; a test keeps the two equal). */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function applySecurityPolicy(isOwnPage: (url: string) => boolean): void {
  // Deny by default: the UI needs no camera, notifications, clipboard-read or any other permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The CSP as a response header on our own pages (the dev server, the loopback UI): frame-ancestors counts only there, never in the page's <meta>.
  // A file:// page has no response headers; the meta tag in renderer/index.html covers it, and a top-level window has no ancestors to refuse.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType !== 'mainFrame' || !isOwnPage(details.url)) return callback({});
    const responseHeaders = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...responseHeaders, 'Content-Security-Policy': [UI_CONTENT_SECURITY_POLICY] } });
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      void openExternalSafely(url);
      return { action: 'deny' };
    });
  });
}

/** Links leave the app only through the system browser, and only when the URL policy allows them. */
export async function openExternalSafely(url: string): Promise<void> {
  try {
    await shell.openExternal(assertBrowserUrl(url).href);
  } catch {
    // A refused URL is dropped silently from the page's point of view; the policy error is the whole story.
  }
}
