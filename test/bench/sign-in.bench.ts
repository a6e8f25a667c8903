// Sign-in: after one SSO sign-in, access tokens for 50 ID-JAG servers — Switchboard against the bare protocol steps done with oauth4webapi in the same run.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { createJsonLogger } from '../../main/core/index.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { createSwitchboard } from '../../main/core/switchboard.ts';
import { vaultAccounts } from '../../main/core/vault/vault.ts';
import { KeytarSecretStore } from '../../main/core/vault/keytar-secret-store.ts';
import { visitAuthorizationUrl } from '../sandbox/scripted-browser.ts';
import { elapsedMs, now, result, type BenchResult } from './bench-kit.ts';
import { spawnAnnounced } from '../support/announced-process.ts';

interface Fleet {
  idp: { issuer: string; clientId: string; clientSecret: string };
  idJagClient: { client_id: string; client_secret: string };
  servers: { url: string; issuer: string }[];
}

const FIXTURES = join(import.meta.dirname, 'fixtures');
const INSECURE = { [oauth.allowInsecureRequests]: true } as const;

export async function signInBenchmarks(options: { servers: number }): Promise<BenchResult[]> {
  const fleet = await spawnAnnounced<Fleet>([join(FIXTURES, 'id-jag-fleet.ts'), String(options.servers)]);
  const profile = `bench-${randomBytes(6).toString('hex')}`;
  const store = new KeytarSecretStore(profile);
  const results: BenchResult[] = [];
  try {
    const { idp, idJagClient, servers } = fleet.info;
    const ids = servers.map((_, index) => `app${index}`);
    await store.set(vaultAccounts.idpClientSecret(), idp.clientSecret);
    for (const id of ids) await store.set(vaultAccounts.serverClientSecret(id), idJagClient.client_secret);
    const config = configSchema.parse({
      servers: servers.map((server, index) => ({
        id: ids[index],
        url: server.url,
        auth: { clientId: idJagClient.client_id, tokenEndpointAuthMethod: 'client_secret_basic' },
      })),
      auth: {
        profile,
        idp: { issuer: idp.issuer, clientId: idp.clientId, tokenEndpointAuthMethod: 'client_secret_basic', extraAuthorizationParams: { prompt: 'consent' } },
      },
    });
    const switchboard = createSwitchboard({
      config,
      paths: { dataDir: await mkdtemp(join(tmpdir(), 'switchboard-bench-signin-')) },
      logger: createJsonLogger({ write: () => {}, minLevel: 'error' }),
      secretStore: store,
      browser: { open: async (url) => void (await visitAuthorizationUrl(url)) },
    });

    const ssoStarted = now();
    await switchboard.auth.signIn();
    results.push(
      result({ scenario: 'sign-in', metric: 'one SSO sign-in (scripted browser at the IdP)', value: Math.round(elapsedMs(ssoStarted)), unit: 'ms' }),
    );

    // Baseline: the same protocol steps per server (PRM, AS metadata, RFC 8693 exchange, RFC 7523 grant), nothing else.
    const idToken = (JSON.parse((await store.get(vaultAccounts.sso()))!) as { idToken: string }).idToken;
    const baselineStarted = now();
    await Promise.all(servers.map((server) => bareIdJagTokens(idp, idJagClient, idToken, server.url)));
    const baselineMs = elapsedMs(baselineStarted);

    const started = now();
    const statuses = await Promise.all(ids.map((id) => switchboard.auth.signInToServer(id)));
    const switchboardMs = elapsedMs(started);
    const signedIn = statuses.filter((status) => status.state === 'signed-in').length;
    if (signedIn !== ids.length)
      throw new Error(`only ${signedIn} of ${ids.length} servers signed in: ${JSON.stringify(statuses.find((status) => status.state !== 'signed-in'))}`);
    results.push(
      result({
        scenario: 'sign-in',
        metric: `tokens for ${ids.length} ID-JAG servers after one sign-in (discovery, exchange, grant, keychain)`,
        value: Math.round(switchboardMs),
        unit: 'ms',
        baseline: { label: 'the bare protocol steps with oauth4webapi', value: Math.round(baselineMs) },
        target: { op: '<=', value: 1000 },
      }),
    );
    await switchboard.auth.signOut().catch(() => undefined);
  } finally {
    for (const account of await store.accounts().catch(() => [])) await store.delete(account).catch(() => undefined);
    await fleet.stop();
  }
  return results;
}

async function bareIdJagTokens(idpInfo: Fleet['idp'], atAs: Fleet['idJagClient'], idToken: string, resource: string): Promise<void> {
  const resourceUrl = new URL(resource);
  const prm = await oauth.processResourceDiscoveryResponse(resourceUrl, await oauth.resourceDiscoveryRequest(resourceUrl, INSECURE));
  const asIssuer = new URL(prm.authorization_servers![0]!);
  const as = await oauth.processDiscoveryResponse(asIssuer, await oauth.discoveryRequest(asIssuer, { ...INSECURE, algorithm: 'oauth2' }));
  const idpIssuer = new URL(idpInfo.issuer);
  const idp = await oauth.processDiscoveryResponse(idpIssuer, await oauth.discoveryRequest(idpIssuer, INSECURE));
  const exchanged = await oauth.processGenericTokenEndpointResponse(
    idp,
    { client_id: idpInfo.clientId },
    await oauth.genericTokenEndpointRequest(
      idp,
      { client_id: idpInfo.clientId },
      oauth.ClientSecretBasic(idpInfo.clientSecret),
      'urn:ietf:params:oauth:grant-type:token-exchange',
      {
        requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
        audience: as.issuer,
        resource: prm.resource,
        subject_token: idToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      },
      INSECURE,
    ),
    { recognizedTokenTypes: { n_a: () => {} } },
  );
  await oauth.processGenericTokenEndpointResponse(
    as,
    { client_id: atAs.client_id },
    await oauth.genericTokenEndpointRequest(
      as,
      { client_id: atAs.client_id },
      oauth.ClientSecretBasic(atAs.client_secret),
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      { assertion: exchanged.access_token, scope: 'read' },
      INSECURE,
    ),
  );
}
