// A machine on its first day, for the first-run tests: Cursor installed and unaware of Switchboard, the company's IdP and servers configured, none enabled, an empty data folder.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/index.ts';
import { runCli } from './serve-process.ts';

export interface FirstRunMachine {
  home: string;
  dataDir: string;
  /** What `serve --ui` is started with on this machine, and its environment (HOME points at the machine's home). */
  serveArgs: string[];
  env: NodeJS.ProcessEnv;
}

/** wiki needs no sign-in; finance takes the company sign-in (ID-JAG). The IdP's and finance's client secrets are in the keychain profile. */
export async function prepareFirstRunMachine(sandbox: Sandbox, profile: string): Promise<FirstRunMachine> {
  const work = await mkdtemp(join(tmpdir(), 'switchboard-first-run-'));
  const home = join(work, 'home');
  await mkdir(join(home, '.cursor'), { recursive: true });
  const dataDir = join(work, 'data');
  const configPath = join(work, 'config.json');
  const url = (name: string) => sandbox.servers.find((entry) => entry.server.name === name)!.server.url;
  await writeFile(
    configPath,
    JSON.stringify({
      servers: [
        { id: 'wiki', url: url('wiki'), title: 'Company wiki', enabled: false },
        {
          id: 'finance',
          url: url('finance'),
          title: 'Finance',
          enabled: false,
          auth: { clientId: sandbox.idJagClient.client_id, tokenEndpointAuthMethod: 'client_secret_basic' },
        },
      ],
      auth: {
        profile,
        idp: {
          issuer: sandbox.idp.issuer,
          clientId: sandbox.idp.clientId,
          tokenEndpointAuthMethod: 'client_secret_basic',
          extraAuthorizationParams: { prompt: 'consent' },
        },
        signInTimeoutMs: 30_000,
      },
    }),
  );
  for (const [owner, secret] of [
    ['idp', sandbox.idp.clientSecret],
    ['finance', sandbox.idJagClient.client_secret],
  ] as const) {
    const stored = await runCli(['auth', 'set-secret', owner, '--config', configPath, '--data-dir', dataDir], secret);
    if (stored.code !== 0) throw new Error(`auth set-secret ${owner} failed: ${stored.stderr}`);
  }
  return {
    home,
    dataDir,
    serveArgs: ['--config', configPath, '--data-dir', dataDir, '--ui'],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
  };
}
