// The command the conformance suite's client scenarios run: Switchboard headless in front of the scenario's server, one tool call through it.
//
//   conformance client --suite auth --command "node test/conformance/client-adapter.ts"
//
// The server URL arrives as the last argument, the scenario in MCP_CONFORMANCE_SCENARIO and its credentials in
// MCP_CONFORMANCE_CONTEXT. The adapter configures Switchboard the way a person or an admin would (pre-registered
// client ids, secrets into the keychain, the IdP for enterprise-managed authorization), signs in to the server as
// `switchboard login <server>` does, then lists tools and calls one through the local endpoint with an SDK client; when
// the call answers with a sign-in link (a step-up), it opens the link as a person would and calls again.
// The "browser" follows the authorization server's redirects back to Switchboard's loopback listener, which is what
// the suite's authorization servers expect of a person who approves at once. Needs a Secret Service (the tests run
// inside scripts/with-keyring.sh); keychain entries live under a throwaway profile and are removed at the end.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createJsonLogger } from '../../main/core/index.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { createSwitchboard } from '../../main/core/switchboard.ts';
import { vaultAccounts } from '../../main/core/vault/vault.ts';
import { KeytarSecretStore } from '../../main/core/vault/keytar-secret-store.ts';
import { followSignInLink, signInLinkIn, visitAuthorizationUrl } from '../sandbox/scripted-browser.ts';

/** The CIMD URL the suite's authorization servers accept as a client id. */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
const SERVER_ID = 'conformance';

interface ScenarioContext {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
  idp_client_id?: string;
  idp_id_token?: string;
  idp_issuer?: string;
  /** Workload identity (SEP-1933): the JWT the workload's platform issued it. */
  valid_jwt?: string;
}

async function main(): Promise<void> {
  const serverUrl = process.argv.at(-1)!;
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as ScenarioContext;
  const profile = `conformance-${randomBytes(6).toString('hex')}`;
  const store = new KeytarSecretStore(profile);
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-client-'));

  const serverAuth: Record<string, unknown> = {};
  if (context.client_id) serverAuth.clientId = context.client_id;
  if (scenario.startsWith('auth/client-credentials')) serverAuth.grant = 'client_credentials';
  if (context.private_key_pem)
    Object.assign(serverAuth, { tokenEndpointAuthMethod: 'private_key_jwt', signingAlgorithm: context.signing_algorithm ?? 'ES256' });
  const secret = context.private_key_pem ?? context.client_secret;
  if (secret) await store.set(vaultAccounts.serverClientSecret(SERVER_ID), secret);
  // A workload's platform hands it a JWT; the deployment puts it where Switchboard looks for this server's.
  if (context.valid_jwt) await store.set(vaultAccounts.workloadAssertion(SERVER_ID), context.valid_jwt);

  const config = configSchema.parse({
    servers: [{ id: SERVER_ID, url: serverUrl, prefix: '', ...(Object.keys(serverAuth).length ? { auth: serverAuth } : {}) }],
    auth: {
      profile,
      clientMetadataUrl: CLIENT_METADATA_URL,
      signInTimeoutMs: 15_000,
      ...(context.idp_issuer && context.idp_client_id
        ? { idp: { issuer: context.idp_issuer, clientId: context.idp_client_id, tokenEndpointAuthMethod: 'none' } }
        : {}),
    },
  });
  const switchboard = createSwitchboard({
    config,
    paths: { dataDir },
    logger: createJsonLogger({ write: (line) => process.stderr.write(line), minLevel: 'info' }),
    // The suite's clients connect without a Switchboard client credential, as in the server suite.
    allowAnonymous: true,
    secretStore: store,
    browser: { open: async (url) => void (await visitAuthorizationUrl(url)) },
  });
  let client: Client | undefined;
  try {
    if (context.idp_id_token) await switchboard.auth.importIdToken(context.idp_id_token);
    const { mcpUrl } = await switchboard.start();
    await switchboard.auth.signInToServer(SERVER_ID);
    client = new Client({ name: 'switchboard-conformance-adapter', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    const { tools } = await client.listTools();
    let tool = tools[0];
    if (tool) {
      let result = await client.callTool({ name: tool.name, arguments: {} });
      // A server that refused its token while being listed (it moved to another authorization server, SEP-2352) is
      // listed as a sign-in placeholder whose call only reconnects: the person clicks Sign in next to the server, and
      // the client lists again.
      if (!result.isError && JSON.stringify(result.content).includes('list the tools again')) {
        await switchboard.auth.signInToServer(SERVER_ID);
        tool = (await client.listTools()).tools[0] ?? tool;
        result = await client.callTool({ name: tool.name, arguments: {} });
      }
      const said = JSON.stringify(result.content);
      // A server that asks for more (a step-up) or for a new sign-in answers with a sign-in link: the person opens it, then tries again.
      if (result.isError && said.includes('/sign-in/')) {
        await followSignInLink(signInLinkIn(said));
        await switchboard.auth.awaitSignIn(SERVER_ID);
        result = await client.callTool({ name: tool.name, arguments: {} });
      }
      if (result.isError) throw new Error(`the tool call failed: ${JSON.stringify(result.content)}`);
    }
  } finally {
    await client?.close().catch(() => undefined);
    await switchboard.stop();
    for (const account of await store.accounts().catch(() => [])) await store.delete(account).catch(() => false);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`adapter: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
