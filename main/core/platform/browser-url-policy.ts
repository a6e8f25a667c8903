// Which URLs may be handed to the system browser: https anywhere, http only on loopback, nothing else ever.
import { SwitchboardError } from '../errors.ts';
import { isLoopbackHost } from './loopback.ts';

/** Throws unless `candidate` is safe to open; `javascript:`, `data:`, `file:` and non-URLs are refused. */
export function assertBrowserUrl(candidate: string): URL {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new SwitchboardError('URL_REFUSED', 'refused to open something that is not a URL in the browser');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new SwitchboardError('URL_REFUSED', `refused to open a ${url.protocol} URL in the browser; only https (or http on this machine) is allowed`);
}
