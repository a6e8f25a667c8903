// Opens an authorization URL in the person's browser, or in a configured program, after the URL policy allows it; never through a shell.
import { execFile } from 'node:child_process';
import type { BrowserOpener } from '../ports.ts';
import { assertBrowserUrl } from './browser-url-policy.ts';

/**
 * The URL is checked first (https, or http on loopback; never javascript:, data: or file:) and then passed as one
 * argument to a program started without a shell, so nothing in it can be interpreted as a command.
 */
export function createBrowserOpener(command?: readonly string[]): BrowserOpener {
  return {
    async open(candidate) {
      const url = assertBrowserUrl(candidate).href;
      const [program, ...args] = command?.length ? command : systemOpener();
      await new Promise<void>((resolve, reject) => {
        execFile(program!, [...args, url], { windowsHide: true, timeout: 60_000 }, (error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

function systemOpener(): string[] {
  if (process.platform === 'darwin') return ['open'];
  // rundll32 hands the URL to the default browser without cmd.exe's parsing of & and ^.
  if (process.platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  return ['xdg-open'];
}
