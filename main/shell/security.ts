// Electron's security checklist for every web contents: no navigation away, no new windows, no permissions, safe external links.
import { app, session, shell, type WebContents } from 'electron';
import { assertBrowserUrl } from '../core/index.ts';

export function applySecurityPolicy(isOwnPage: (url: string) => boolean): void {
  // Deny by default: the UI needs no camera, notifications, clipboard-read or any other permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

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
