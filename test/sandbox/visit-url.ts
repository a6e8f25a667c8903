// A command-line "browser" for tests of `serve`: auth.browserCommand runs it with the authorization URL, and it signs in as the sandbox user.
import { visitAuthorizationUrl } from './scripted-browser.ts';

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: visit-url.ts <authorization URL>\n');
  process.exit(2);
}
await visitAuthorizationUrl(url);
