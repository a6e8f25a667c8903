// The command the conformance suite's client scenarios run: Switchboard headless in front of the scenario's server, driven by an SDK client as a person's AI client would.
//
//   conformance client --requirements 2026-07-28 --command "node test/conformance/client-adapter.ts"
//
// The server URL arrives as the last argument, the scenario in MCP_CONFORMANCE_SCENARIO and its credentials in
// MCP_CONFORMANCE_CONTEXT. The adapter configures Switchboard the way a person or an admin would (pre-registered
// client ids, secrets into the keychain, the IdP for enterprise-managed authorization), signs in to the server as
// `switchboard login <server>` does, then acts as the person's AI client would through the local endpoint with an SDK
// client (DRIVERS: by default one tool call, a read and a prompt); when a call answers with a sign-in link (a step-up),
// it opens the link as a person would and calls again.
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
  /** Calls the scenario asks the client to make (http-custom-headers). */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
}

interface Drive {
  client: Client;
  switchboard: ReturnType<typeof createSwitchboard>;
  context: ScenarioContext;
}

/**
 * What the person's AI client does through Switchboard once signed in, per scenario; the rest call a tool as a model
 * would. Each is what an application does, never a reply to the suite's checks: the suite watches what Switchboard
 * sends upstream as a result.
 */
const DRIVERS: Record<string, (drive: Drive) => Promise<void>> = {
  // The scenario names the calls to make (values that need SEP-2243's Base64 form among them).
  'http-custom-headers': async ({ client, switchboard, context }) => {
    await client.listTools();
    for (const call of context.toolCalls ?? []) await callAsAPersonWould(client, switchboard, call.name, call.arguments);
  },
  // A client that shows a tool's schema and sends it back unchanged: what Switchboard listed must be what the server wrote.
  'json-schema-2020-12-preservation': async ({ client }) => {
    const { tools } = await client.listTools();
    const focal = tools.find((tool) => tool.name === 'json_schema_2020_12_tool');
    if (!focal) throw new Error(`the server's schema tool was not listed: ${tools.map((tool) => tool.name).join(', ')}`);
    const result = await client.callTool({ name: 'json_schema_echo', arguments: { schema: focal.inputSchema } });
    if (result.isError) throw new Error(`the echo failed: ${JSON.stringify(result.content)}`);
  },
  // A client that lists the tools and shows them: the scenario's server answers nothing else.
  'json-schema-ref-no-deref': async ({ client }) => void (await client.listTools()),
  // Every tool once, one after another: some ask for input mid-call (SEP-2322), which the client answers.
  'sep-2322-client-request-state': async ({ client, switchboard }) => {
    for (const tool of (await client.listTools()).tools) await callAsAPersonWould(client, switchboard, tool.name, exampleArguments(tool.inputSchema));
  },
};

/** A tool call, then a resource read and a prompt when the server offers them: what a model does in a short session. */
async function callLikeAModel({ client, switchboard }: Drive): Promise<void> {
  const tool = (await client.listTools()).tools[0];
  if (tool) await callAsAPersonWould(client, switchboard, tool.name, exampleArguments(tool.inputSchema));
  const resource = (await client.listResources()).resources[0];
  if (resource) await client.readResource({ uri: resource.uri });
  const prompt = (await client.listPrompts()).prompts[0];
  if (prompt)
    await client.getPrompt({
      name: prompt.name,
      arguments: Object.fromEntries((prompt.arguments ?? []).filter((a) => a.required).map((a) => [a.name, 'example'])),
    });
}

/**
 * Calls a tool, and does what a person does when the answer asks them to: a server that refused its token while
 * being listed (it moved to another authorization server, SEP-2352) is listed as a sign-in placeholder whose call only
 * reconnects (the person clicks Sign in next to the server, and the client lists again); a server that asks for more
 * (a step-up) or a new sign-in answers with a sign-in link, which the person opens before trying again.
 */
async function callAsAPersonWould(client: Client, switchboard: Drive['switchboard'], name: string, args: Record<string, unknown>): Promise<void> {
  let result = await client.callTool({ name, arguments: args });
  if (!result.isError && JSON.stringify(result.content).includes('list the tools again')) {
    await switchboard.auth.signInToServer(SERVER_ID);
    const listed = (await client.listTools()).tools;
    name = listed.some((tool) => tool.name === name) ? name : (listed[0]?.name ?? name);
    result = await client.callTool({ name, arguments: args });
  }
  const said = JSON.stringify(result.content);
  if (result.isError && said.includes('/sign-in/')) {
    await followSignInLink(signInLinkIn(said));
    await switchboard.auth.awaitSignIn(SERVER_ID);
    result = await client.callTool({ name, arguments: args });
  }
  if (result.isError) throw new Error(`the tool call failed: ${JSON.stringify(result.content)}`);
}

/**
 * Arguments a model could send, or a form as a person leaves it: each required property (every one, for a form) gets
 * its default when it has one (SEP-1034), else the first of its choices, else a plain value of its type.
 */
function exampleArguments(schema: unknown, fill: 'required' | 'all' = 'required'): Record<string, unknown> {
  type Property = { type?: unknown; default?: unknown; enum?: unknown[] };
  const { properties = {}, required = [] } = (schema ?? {}) as { properties?: Record<string, Property>; required?: string[] };
  const example = ({ type, default: preset, enum: choices }: Property): unknown =>
    preset !== undefined
      ? preset
      : choices?.length
        ? choices[0]
        : type === 'number' || type === 'integer'
          ? 2
          : type === 'boolean'
            ? true
            : type === 'array'
              ? []
              : type === 'object'
                ? {}
                : 'example';
  const keys = fill === 'all' ? Object.keys(properties) : required.filter((key) => key in properties);
  return Object.fromEntries(keys.map((key) => [key, example(properties[key]!)]));
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
    // The AI client a person uses, pointed at Switchboard: it answers form elicitations (a server asking for input
    // mid-call) by accepting what the form asks with plain values.
    // CONFORMANCE_CLIENT_NEGOTIATION=auto makes it a 2026-07-28 client, whose calls Switchboard relays as bytes; the
    // default speaks 2025-11-25, as most AI clients still do, and takes the SDK path.
    const mode = process.env.CONFORMANCE_CLIENT_NEGOTIATION === 'auto' ? 'auto' : 'legacy';
    client = new Client(
      { name: 'switchboard-conformance-adapter', version: '1.0.0' },
      { versionNegotiation: { mode }, capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler('elicitation/create', async (request) => ({
      action: 'accept',
      content:
        'requestedSchema' in request.params ? (exampleArguments(request.params.requestedSchema, 'all') as Record<string, string | number | boolean>) : {},
    }));
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    await (DRIVERS[scenario] ?? callLikeAModel)({ client, switchboard, context });
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
