// `switchboard login|logout` and `switchboard auth status|set-secret`: the single sign-on session, each server's token, and stored secrets.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createJsonLogger, createSwitchboard, defaultPaths, loadConfigFile, vaultAccounts, type Switchboard } from '../../core/index.ts';
import { reportLocalError } from '../report-error.ts';

interface CommonOptions {
  config: string;
  dataDir?: string;
  json?: boolean;
}

export function registerAuthCommands(program: Command): void {
  withCommon(program.command('login [server]'))
    .description('Sign in: with no server, to the company identity provider (SSO); with a server id, to that server now.')
    .option('--id-token-file <file>', 'instead of the browser, use an ID token from this file (issued by the configured IdP to its client id)')
    .action(async (server: string | undefined, options: CommonOptions & { idTokenFile?: string }) =>
      run(options, async (switchboard) => {
        if (server) return { server, auth: await switchboard.auth.signInToServer(server) };
        if (options.idTokenFile) return { sso: await switchboard.auth.importIdToken((await readFile(resolve(options.idTokenFile), 'utf8')).trim()) };
        return { sso: await switchboard.auth.signIn() };
      }),
    );

  withCommon(program.command('logout [server]'))
    .description('Forget the SSO session and every server token, or only one server’s token.')
    .action(async (server: string | undefined, options: CommonOptions) =>
      run(options, async (switchboard) => {
        await switchboard.auth.signOut(server);
        return { signedOut: server ?? 'all' };
      }),
    );

  const auth = program.command('auth').description('Sign-in state and stored secrets.');
  withCommon(auth.command('status'))
    .description('Show the SSO session and, per server, whether Switchboard holds a token (until when) or needs a sign-in.')
    .action(async (options: CommonOptions) => run(options, (switchboard) => switchboard.auth.status()));
  withCommon(auth.command('set-secret <owner>'))
    .description('Store a client secret (or PKCS#8 private key for private_key_jwt) in the OS keychain, read from standard input. <owner> is a server id or "idp".')
    .action(async (owner: string, options: CommonOptions) =>
      run(options, async (switchboard) => {
        const secret = (await readStdin()).trim();
        if (!secret) throw new Error('nothing was given on standard input');
        await switchboard.auth.vault.setSecret(owner === 'idp' ? vaultAccounts.idpClientSecret() : vaultAccounts.serverClientSecret(owner), secret);
        return { stored: owner };
      }),
    );
}

function withCommon(command: Command): Command {
  return command
    .requiredOption('-c, --config <file>', 'JSON configuration file (as for serve)')
    .option('-d, --data-dir <dir>', 'the data folder (as for serve)')
    .option('--json', 'print JSON');
}

async function run(options: CommonOptions, operation: (switchboard: Switchboard) => Promise<unknown>): Promise<void> {
  const logger = createJsonLogger({ write: (line) => process.stderr.write(line), minLevel: 'warn' });
  try {
    const config = await loadConfigFile(resolve(options.config));
    const paths = options.dataDir ? { dataDir: resolve(options.dataDir) } : defaultPaths();
    const result = await operation(createSwitchboard({ config, logger, paths }));
    process.stdout.write(`${options.json ? JSON.stringify(result) : render(result)}\n`);
  } catch (error) {
    reportLocalError(error);
  }
}

function render(result: unknown): string {
  const value = result as { sso?: { configured: boolean; signedIn: boolean; issuer?: string; email?: string; subject?: string }; servers?: { id: string; auth: { state: string; via?: string; expiresAt?: string; reason?: string } }[] };
  const lines: string[] = [];
  if (value.sso) {
    const who = value.sso.email ?? value.sso.subject;
    lines.push(`SSO       ${!value.sso.configured ? 'not configured' : value.sso.signedIn ? `signed in${who ? ` as ${who}` : ''} at ${value.sso.issuer}` : `not signed in (switchboard login) at ${value.sso.issuer}`}`);
  }
  for (const server of value.servers ?? []) {
    const detail = [server.auth.via, server.auth.expiresAt ? `until ${server.auth.expiresAt}` : undefined, server.auth.reason].filter(Boolean).join(', ');
    lines.push(`  ${server.id.padEnd(16)} ${server.auth.state.padEnd(14)} ${detail}`);
  }
  return lines.length ? lines.join('\n') : JSON.stringify(result);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
