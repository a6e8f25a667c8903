// `switchboard login|logout` and `switchboard auth status|set-secret`: sign-in and sign-out in the running Switchboard when one answers, else in this process; stored secrets.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SwitchboardError, type App, type SignInSession } from '../../core/index.ts';
import { runWithApp } from '../command-app.ts';
import { ExitCode, exitCodeOfError } from '../exit-codes.ts';
import { withProgress } from '../progress.ts';

interface CommonOptions {
  config: string;
  dataDir?: string;
  json?: boolean;
}

interface LoginOptions extends CommonOptions {
  idTokenFile?: string;
  /** False with --no-browser: the URL is printed instead. */
  browser: boolean;
}

/** Ctrl-C during a sign-in: reported like any local error, but with the shell's exit code for SIGINT. */
class Interrupted extends SwitchboardError {}

/** Progress is for the person at the terminal; stdout carries only the result (JSON with --json). */
const say = (text: string) => void process.stderr.write(`${text}\n`);

export function registerAuthCommands(program: Command): void {
  withCommon(program.command('login [server]'))
    .description(
      'Sign in: with no server, to the company identity provider (SSO); with a server id, to that server now. A running Switchboard (same --data-dir) does the sign-in and keeps the result.',
    )
    .option('--id-token-file <file>', 'instead of the browser, use an ID token from this file (issued by the configured IdP to its client id)')
    .option('--no-browser', 'print the sign-in address instead of opening the browser')
    .action(async (server: string | undefined, options: LoginOptions) =>
      run(options, async (app) => {
        if (options.idTokenFile) {
          const idToken = (await readFile(resolve(options.idTokenFile), 'utf8')).trim();
          return { sso: await app.signIn.importIdToken(idToken) };
        }
        return login(app, server, options);
      }),
    );

  withCommon(program.command('logout [server]'))
    .description('Forget the SSO session and every server token, or only one server’s token (in the running Switchboard too).')
    .action(async (server: string | undefined, options: CommonOptions) =>
      run(options, async (app) => {
        await (await app.signIn.session()).session.signOut(server);
        return { signedOut: server ?? 'all' };
      }),
    );

  const auth = program.command('auth').description('Sign-in state and stored secrets.');
  withCommon(auth.command('status'))
    .description('Show the SSO session and, per server, whether Switchboard holds a token (until when) or needs a sign-in.')
    .action(async (options: CommonOptions) => run(options, async (app) => (await app.signIn.session()).session.status()));
  withCommon(auth.command('set-secret <owner>'))
    .description(
      'Store a client secret (or PKCS#8 private key for private_key_jwt) in the OS keychain, read from standard input. <owner> is a server id or "idp".',
    )
    .action(async (owner: string, options: CommonOptions) =>
      run(options, async (app) => {
        const secret = (await readStdin()).trim();
        if (!secret) throw new SwitchboardError('CONFIG_INVALID', 'nothing was given on standard input');
        await app.signIn.storeClientSecret(owner, secret);
        return { stored: owner };
      }),
    );
}

/** Starts the sign-in where it runs, offers the browser, and waits for it; Ctrl-C cancels it there. */
async function login(app: App, server: string | undefined, options: LoginOptions): Promise<unknown> {
  const config = await app.context.config();
  const what = server ? `"${server}"` : `the company identity provider${config.auth.idp ? ` (${config.auth.idp.issuer})` : ''}`;
  const { where, session } = await app.signIn.session();
  const place = where === 'running' ? 'in the running Switchboard' : 'in this process';
  say(
    where === 'running'
      ? `Signing in to ${what} in the Switchboard running with the data folder ${app.context.dataDir}.`
      : `Signing in to ${what} (no Switchboard is running with the data folder ${app.context.dataDir}, so from this process).`,
  );
  const start = await session.begin(server);
  if (start.state !== 'waiting') {
    say(start.state === 'signed-in' ? 'Already signed in.' : `${what} needs no sign-in.`);
    const all = await session.status();
    return resultOf(server, server ? all.servers.find((entry) => entry.id === server)?.auth : all.sso);
  }
  // Not awaited: the wait must already be listening when a fast browser brings the sign-in back.
  const opening = start.authorizationUrl ? offerBrowser(app, start.authorizationUrl, options.browser) : Promise.resolve();
  const until = start.expiresAt ? new Date(start.expiresAt) : undefined;
  say(
    `Waiting for the sign-in to finish${start.authorizationUrl ? ' in your browser' : ''}${where === 'running' ? '; the running Switchboard receives it' : ''}${until ? ` (until ${until.toLocaleTimeString()})` : ''}. Ctrl-C cancels it.`,
  );
  const ended = await withProgress('Waiting for the sign-in…', () =>
    waitForSignIn(session, server, start.expiresAt, () => `sign-in to ${what} cancelled`, place),
  );
  await opening;
  if (ended.outcome !== 'signed-in') {
    // Its own deadline or ours passed: nothing should keep waiting for a browser.
    await session.cancel(server).catch(() => undefined);
    throw ended.error;
  }
  say('Signed in.');
  return resultOf(server, ended.status);
}

/** The wait, bounded by the sign-in's own deadline; Ctrl-C stops it and cancels the sign-in where it runs. */
async function waitForSignIn(session: SignInSession, server: string | undefined, expiresAt: string | undefined, cancelled: () => string, place: string) {
  const remaining = expiresAt ? Date.parse(expiresAt) - Date.now() : Number.NaN;
  const waitMs = Number.isFinite(remaining) ? Math.min(Math.max(remaining + 5000, 1000), 3_600_000) : 600_000;
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const ended = await session.outcome(server, { waitMs, signal: controller.signal }).catch((error: unknown) => {
      if (!controller.signal.aborted) throw error;
      return undefined;
    });
    if (ended && !controller.signal.aborted) return ended;
    const wasPending = await session.cancel(server).catch(() => false);
    throw new Interrupted(
      'AUTH_CALLBACK_FAILED',
      `${cancelled()}${wasPending ? ` ${place}` : ''}; run \`switchboard login${server ? ` ${server}` : ''}\` to start again`,
    );
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

/** Opens the browser as the core would (auth.browserCommand, or the system's); when it cannot, the person opens the address. */
async function offerBrowser(app: App, url: string, useBrowser: boolean): Promise<void> {
  if (!useBrowser) return say(`Open this address in your browser to sign in:\n\n  ${url}\n`);
  say('Opening your browser…');
  try {
    await app.signIn.openInBrowser(url);
  } catch (error) {
    say(`The browser could not be opened (${(error as Error).message}). Open this address yourself:\n\n  ${url}\n`);
  }
}

function resultOf(server: string | undefined, status: unknown): unknown {
  return server ? { server, auth: status } : { sso: status };
}

function withCommon(command: Command): Command {
  return command
    .requiredOption('-c, --config <file>', 'JSON configuration file (as for serve)')
    .option('-d, --data-dir <dir>', 'the data folder (as for serve); a Switchboard running with it does the work')
    .option('--json', 'print JSON');
}

function run(options: CommonOptions, operation: (app: App) => Promise<unknown>): Promise<void> {
  return runWithApp(
    options,
    async (app) => {
      const result = await operation(app);
      return options.json ? JSON.stringify(result) : render(result);
    },
    { exitCodeOf: (error) => (error instanceof Interrupted ? ExitCode.interrupted : exitCodeOfError(error)) },
  );
}

function render(result: unknown): string {
  const value = result as {
    sso?: { configured: boolean; signedIn: boolean; issuer?: string; email?: string; subject?: string };
    servers?: { id: string; auth: { state: string; via?: string; expiresAt?: string; reason?: string } }[];
    server?: string;
    auth?: { state: string; via?: string; expiresAt?: string; reason?: string };
    signedOut?: string;
    signingIn?: { target: string; expiresAt: string }[];
  };
  const lines: string[] = [];
  if (value.signedOut) lines.push(value.signedOut === 'all' ? 'Signed out of the SSO session and every server.' : `Signed out of "${value.signedOut}".`);
  if (value.sso) {
    const who = value.sso.email ?? value.sso.subject;
    lines.push(
      `SSO       ${!value.sso.configured ? 'not configured' : value.sso.signedIn ? `signed in${who ? ` as ${who}` : ''} at ${value.sso.issuer}` : `not signed in (switchboard login) at ${value.sso.issuer}`}`,
    );
  }
  const servers = value.servers ?? (value.server && value.auth ? [{ id: value.server, auth: value.auth }] : []);
  for (const server of servers) {
    const detail = [server.auth.via, server.auth.expiresAt ? `until ${server.auth.expiresAt}` : undefined, server.auth.reason].filter(Boolean).join(', ');
    lines.push(`  ${server.id.padEnd(16)} ${server.auth.state.padEnd(14)} ${detail}`);
  }
  for (const pending of value.signingIn ?? [])
    lines.push(
      `Signing in to ${pending.target === 'sso' ? 'the company identity provider' : `"${pending.target}"`} (waiting for the browser until ${pending.expiresAt})`,
    );
  return lines.length ? lines.join('\n') : JSON.stringify(result);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
