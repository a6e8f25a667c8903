// `switchboard login|logout` and `switchboard auth status|set-secret`: sign-in and sign-out in the running Switchboard when one answers, else in this process; stored secrets.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isErrorCode } from '../../../shared/error-codes.ts';
import {
  controlRequest,
  createBrowserOpener,
  createJsonLogger,
  createSwitchboard,
  defaultPaths,
  isSwitchboardError,
  loadConfigFile,
  SwitchboardError,
  vaultAccounts,
  type BrowserOpener,
  type ControlSignInOutcome,
  type ControlSignInStart,
  type Switchboard,
  type SwitchboardConfig,
} from '../../core/index.ts';
import { reportLocalError } from '../report-error.ts';

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

interface Context {
  config: SwitchboardConfig;
  dataDir: string;
}

/** Ctrl-C during a sign-in: reported like any local error, but with the shell's exit code for SIGINT. */
class Interrupted extends SwitchboardError {}

/** Progress is for the person at the terminal; stdout carries only the result (JSON with --json). */
const say = (text: string) => void process.stderr.write(`${text}\n`);

export function registerAuthCommands(program: Command): void {
  withCommon(program.command('login [server]'))
    .description('Sign in: with no server, to the company identity provider (SSO); with a server id, to that server now. A running Switchboard (same --data-dir) does the sign-in and keeps the result.')
    .option('--id-token-file <file>', 'instead of the browser, use an ID token from this file (issued by the configured IdP to its client id)')
    .option('--no-browser', 'print the sign-in address instead of opening the browser')
    .action(async (server: string | undefined, options: LoginOptions) =>
      run(options, async (context) => {
        if (options.idTokenFile) {
          const idToken = (await readFile(resolve(options.idTokenFile), 'utf8')).trim();
          return { sso: await inThisProcess(context).auth.importIdToken(idToken) };
        }
        // Sign-in discovery (metadata, registration) happens before the running Switchboard can answer with a URL.
        const start = await whenRunning(() => controlRequest<ControlSignInStart>(context.dataDir, 'POST', '/auth/sign-in', { body: target(server), timeoutMs: 60_000 }));
        return start ? signInThroughRunning(context, server, start, options) : signInHere(context, server, options);
      }),
    );

  withCommon(program.command('logout [server]'))
    .description('Forget the SSO session and every server token, or only one server’s token (in the running Switchboard too).')
    .action(async (server: string | undefined, options: CommonOptions) =>
      run(options, async (context) => {
        // Revoking at the authorization servers and the IdP can take a moment.
        const answer = await whenRunning(() => controlRequest<{ signedOut: string }>(context.dataDir, 'POST', '/auth/sign-out', { body: target(server), timeoutMs: 60_000 }));
        if (answer) return answer;
        await inThisProcess(context).auth.signOut(server);
        return { signedOut: server ?? 'all' };
      }),
    );

  const auth = program.command('auth').description('Sign-in state and stored secrets.');
  withCommon(auth.command('status'))
    .description('Show the SSO session and, per server, whether Switchboard holds a token (until when) or needs a sign-in.')
    .action(async (options: CommonOptions) =>
      run(options, async (context) => (await whenRunning(() => controlRequest(context.dataDir, 'GET', '/auth/status', { timeoutMs: 10_000 }))) ?? inThisProcess(context).auth.status()),
    );
  withCommon(auth.command('set-secret <owner>'))
    .description('Store a client secret (or PKCS#8 private key for private_key_jwt) in the OS keychain, read from standard input. <owner> is a server id or "idp".')
    .action(async (owner: string, options: CommonOptions) =>
      run(options, async (context) => {
        const secret = (await readStdin()).trim();
        if (!secret) throw new SwitchboardError('CONFIG_INVALID', 'nothing was given on standard input');
        await inThisProcess(context).auth.vault.setSecret(owner === 'idp' ? vaultAccounts.idpClientSecret() : vaultAccounts.serverClientSecret(owner), secret);
        return { stored: owner };
      }),
    );
}

/** The running Switchboard holds the tokens in memory and may use another keychain: it must do the work when it runs. */
async function whenRunning<T>(request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    if (isSwitchboardError(error) && error.code === 'GATEWAY_NOT_RUNNING') return undefined;
    throw error;
  }
}

function target(server: string | undefined): { server?: string } {
  return server ? { server } : {};
}

function describeTarget(config: SwitchboardConfig, server: string | undefined): string {
  return server ? `"${server}"` : `the company identity provider${config.auth.idp ? ` (${config.auth.idp.issuer})` : ''}`;
}

async function signInThroughRunning(context: Context, server: string | undefined, start: ControlSignInStart, options: LoginOptions): Promise<unknown> {
  const what = describeTarget(context.config, server);
  say(`Signing in to ${what} in the Switchboard running with the data folder ${context.dataDir}.`);
  if (start.state !== 'waiting') {
    say(start.state === 'signed-in' ? 'Already signed in.' : `${what} needs no sign-in.`);
    const all = await controlRequest<{ sso: unknown; servers: { id: string; auth: unknown }[] }>(context.dataDir, 'GET', '/auth/status', { timeoutMs: 10_000 });
    return resultOf(server, server ? all.servers.find((entry) => entry.id === server)?.auth : all.sso);
  }
  // Not awaited: the wait must already be listening when a fast browser brings the sign-in back.
  const opening = start.authorizationUrl ? offerBrowser(start.authorizationUrl, context.config, options.browser) : Promise.resolve();
  const until = start.expiresAt ? new Date(start.expiresAt) : undefined;
  say(`Waiting for the sign-in to finish${start.authorizationUrl ? ' in your browser' : ''}; the running Switchboard receives it${until ? ` (until ${until.toLocaleTimeString()})` : ''}. Ctrl-C cancels it.`);
  const outcome = await waitForSignIn(context, server, start);
  await opening;
  if (!outcome.ok) {
    // Its own deadline or ours passed: nothing should keep waiting for a browser in the running Switchboard.
    await controlRequest(context.dataDir, 'POST', '/auth/sign-in/cancel', { body: target(server) }).catch(() => undefined);
    throw new SwitchboardError(isErrorCode(outcome.error.code) ? outcome.error.code : 'AUTH_CALLBACK_FAILED', outcome.error.message);
  }
  say('Signed in.');
  return resultOf(server, outcome.status);
}

/** The long poll, bounded by the sign-in's own deadline; Ctrl-C stops it and cancels the sign-in where it runs. */
async function waitForSignIn(context: Context, server: string | undefined, start: ControlSignInStart): Promise<ControlSignInOutcome> {
  const remaining = start.expiresAt ? Date.parse(start.expiresAt) - Date.now() : Number.NaN;
  const waitMs = Number.isFinite(remaining) ? Math.min(Math.max(remaining + 5000, 1000), 3_600_000) : 600_000;
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await controlRequest<ControlSignInOutcome>(context.dataDir, 'POST', '/auth/sign-in/wait', { body: { ...target(server), waitMs }, timeoutMs: waitMs + 10_000, signal: controller.signal });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    const answer = await controlRequest<{ cancelled: boolean }>(context.dataDir, 'POST', '/auth/sign-in/cancel', { body: target(server) }).catch(() => undefined);
    throw new Interrupted(
      'AUTH_CALLBACK_FAILED',
      `sign-in to ${describeTarget(context.config, server)} cancelled${answer?.cancelled ? ' in the running Switchboard' : ''}; run \`switchboard login${server ? ` ${server}` : ''}\` to start again`,
    );
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

/** No Switchboard runs for this data folder: sign in from this process, into the keychain the configuration names. */
async function signInHere(context: Context, server: string | undefined, options: LoginOptions): Promise<unknown> {
  const what = describeTarget(context.config, server);
  say(`Signing in to ${what} (no Switchboard is running with the data folder ${context.dataDir}, so from this process).`);
  const browser: BrowserOpener = {
    async open(url) {
      await offerBrowser(url, context.config, options.browser);
      say(`Waiting for the sign-in to finish in your browser, for up to ${Math.round(context.config.auth.signInTimeoutMs / 1000)} s. Ctrl-C stops it.`);
    },
  };
  const switchboard = inThisProcess(context, browser);
  const result = server ? { server, auth: await switchboard.auth.signInToServer(server) } : { sso: await switchboard.auth.signIn() };
  say('Signed in.');
  return result;
}

/** Opens the browser as the core would (auth.browserCommand, or the system's); when it cannot, the person opens the address. */
async function offerBrowser(url: string, config: SwitchboardConfig, useBrowser: boolean): Promise<void> {
  if (!useBrowser) return say(`Open this address in your browser to sign in:\n\n  ${url}\n`);
  say('Opening your browser…');
  try {
    await createBrowserOpener(config.auth.browserCommand).open(url);
  } catch (error) {
    say(`The browser could not be opened (${(error as Error).message}). Open this address yourself:\n\n  ${url}\n`);
  }
}

function resultOf(server: string | undefined, status: unknown): unknown {
  return server ? { server, auth: status } : { sso: status };
}

function inThisProcess(context: Context, browser?: BrowserOpener): Switchboard {
  const logger = createJsonLogger({ write: (line) => process.stderr.write(line), minLevel: 'warn' });
  return createSwitchboard({ config: context.config, logger, paths: { dataDir: context.dataDir }, ...(browser ? { browser } : {}) });
}

function withCommon(command: Command): Command {
  return command
    .requiredOption('-c, --config <file>', 'JSON configuration file (as for serve)')
    .option('-d, --data-dir <dir>', 'the data folder (as for serve); a Switchboard running with it does the work')
    .option('--json', 'print JSON');
}

async function run(options: CommonOptions, operation: (context: Context) => Promise<unknown>): Promise<void> {
  try {
    const config = await loadConfigFile(resolve(options.config));
    const dataDir = options.dataDir ? resolve(options.dataDir) : defaultPaths().dataDir;
    const result = await operation({ config, dataDir });
    process.stdout.write(`${options.json ? JSON.stringify(result) : render(result)}\n`);
  } catch (error) {
    reportLocalError(error, error instanceof Interrupted ? 130 : 2);
  }
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
    lines.push(`SSO       ${!value.sso.configured ? 'not configured' : value.sso.signedIn ? `signed in${who ? ` as ${who}` : ''} at ${value.sso.issuer}` : `not signed in (switchboard login) at ${value.sso.issuer}`}`);
  }
  const servers = value.servers ?? (value.server && value.auth ? [{ id: value.server, auth: value.auth }] : []);
  for (const server of servers) {
    const detail = [server.auth.via, server.auth.expiresAt ? `until ${server.auth.expiresAt}` : undefined, server.auth.reason].filter(Boolean).join(', ');
    lines.push(`  ${server.id.padEnd(16)} ${server.auth.state.padEnd(14)} ${detail}`);
  }
  for (const pending of value.signingIn ?? []) lines.push(`Signing in to ${pending.target === 'sso' ? 'the company identity provider' : `"${pending.target}"`} (waiting for the browser until ${pending.expiresAt})`);
  return lines.length ? lines.join('\n') : JSON.stringify(result);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
