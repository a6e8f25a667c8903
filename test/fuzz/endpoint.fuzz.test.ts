// Fuzzes the local endpoint with generated HTTP requests in both eras: no crash, no 5xx, no hang, well-formed JSON-RPC errors.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { checkProperty, fuzzReport } from './fuzz-kit.ts';

const METHODS = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'resources/subscribe',
  'resources/unsubscribe',
  'completion/complete',
  'logging/setLevel',
  'server/discover',
  'subscriptions/listen',
  'tasks/get',
  'tasks/update',
  'tasks/cancel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/roots/list_changed',
  'sampling/createMessage',
  'elicitation/create',
];
// Real names, so that generated calls reach the routing and the upstreams, not only the method table. No slow tool.
const NAMES = ['modern_echo', 'modern_add', 'legacy_echo', 'legacy_add', 'legacy_noisy', 'modern_whoami', 'modern_greeting', 'echo', 'modern_', '_'];
const VERSIONS = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'];

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  longLived: boolean;
}

const meta = fc.record(
  {
    'io.modelcontextprotocol/protocolVersion': fc.oneof(fc.constantFrom(...VERSIONS), fc.string()),
    'io.modelcontextprotocol/clientCapabilities': fc.oneof(fc.constant({}), fc.jsonValue()),
    progressToken: fc.oneof(fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
);

const params = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue(),
  fc.record(
    {
      name: fc.oneof(fc.constantFrom(...NAMES), fc.string()),
      arguments: fc.oneof(fc.jsonValue(), fc.record({ text: fc.string(), a: fc.double(), b: fc.integer() }, { requiredKeys: [] })),
      uri: fc.oneof(fc.constant('sandbox://modern/readme'), fc.webUrl(), fc.string()),
      cursor: fc.string(),
      level: fc.constantFrom('debug', 'info', 'bogus'),
      protocolVersion: fc.oneof(fc.constantFrom(...VERSIONS), fc.string()),
      capabilities: fc.jsonValue(),
      clientInfo: fc.record({ name: fc.string(), version: fc.string() }, { requiredKeys: [] }),
      taskId: fc.string(),
      _meta: meta,
    },
    { requiredKeys: [] },
  ),
);

const message = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.jsonValue()),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue()),
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string()),
    params,
    result: fc.jsonValue(),
  },
  { requiredKeys: ['jsonrpc'] },
);

const body = fc.oneof(
  { weight: 6, arbitrary: message.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.array(message, { maxLength: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
);

/**
 * Mostly well-formed 2026-07-28 requests (headers agreeing with the body, `_meta` filled) or 2025 initialize requests,
 * each then damaged by a few generated mutations — so inputs get past the HTTP guards and into the MCP handling.
 */
function requests(port: number, credential: string): fc.Arbitrary<Sent> {
  const wellFormed = fc
    .record({
      method: fc.constantFrom(...METHODS),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
      params,
      legacy: fc.boolean(),
    })
    .map(({ method, id, params: drawnParams, legacy }) => {
      const rpcParams = (drawnParams && typeof drawnParams === 'object' && !Array.isArray(drawnParams) ? { ...drawnParams } : {}) as Record<string, unknown>;
      const headers: Record<string, string> = {
        host: `127.0.0.1:${port}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${credential}`,
      };
      if (legacy) {
        // A 2025 client starts with initialize and no session; anything else without a session is refused by design.
        const body = {
          jsonrpc: '2.0',
          id,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' }, ...rpcParams },
        };
        return { headers, body: JSON.stringify(body), method: 'initialize' };
      }
      rpcParams._meta = {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        ...((rpcParams._meta as object | undefined) ?? {}),
      };
      headers['mcp-protocol-version'] = '2026-07-28';
      headers['mcp-method'] = method;
      if (typeof rpcParams.name === 'string' && /^[\x20-\x7e]*$/.test(rpcParams.name)) headers['mcp-name'] = rpcParams.name;
      return { headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, params: rpcParams }), method };
    });

  const headerNames = ['host', 'content-type', 'accept', 'authorization', 'mcp-protocol-version', 'mcp-method', 'mcp-name', 'mcp-session-id', 'origin'];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), header: fc.constantFrom(...headerNames) }),
    fc.record({
      kind: fc.constant('set' as const),
      header: fc.constantFrom(...headerNames),
      value: fc.oneof(fc.string(), fc.constantFrom(...VERSIONS, ...METHODS), fc.webUrl(), fc.domain()),
    }),
    fc.record({ kind: fc.constant('body' as const), body }),
    fc.record({ kind: fc.constant('verb' as const), verb: fc.constantFrom('GET', 'DELETE', 'PUT', 'OPTIONS', 'PATCH') }),
    fc.record({ kind: fc.constant('path' as const), path: fc.webPath() }),
  );

  return fc.tuple(wellFormed, fc.array(mutation, { maxLength: 3 })).map(([base, mutations]) => {
    const headers = { ...base.headers };
    let sentBody = base.body;
    let verb = 'POST';
    let path = '/mcp';
    for (const change of mutations) {
      if (change.kind === 'drop') delete headers[change.header];
      // Node refuses to send header values with control characters; such input never reaches a server anyway.
      else if (change.kind === 'set' && !/[^\t\x20-\x7e\x80-\xff]/.test(change.value)) headers[change.header] = change.value;
      else if (change.kind === 'body') sentBody = change.body;
      else if (change.kind === 'verb') verb = change.verb;
      else if (change.kind === 'path') path = change.path || '/';
    }
    const longLived = verb === 'GET' || sentBody.includes('subscriptions/listen');
    return { method: verb, path, headers, body: verb === 'GET' ? '' : sentBody, longLived };
  });
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** The response was a stream still open when the test stopped reading it. */
  open: boolean;
}

function send(port: number, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A connection per request: what is fuzzed is each request's handling, not a keep-alive client's reuse races.
    const request = httpRequest({ host: '127.0.0.1', port, method: sent.method, path: sent.path, headers: sent.headers, agent: false }, (response) => {
      let text = '';
      // A stream that stays open (a GET stream, subscriptions/listen) is read for a moment and then let go.
      const letGo = setTimeout(
        () => {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: text, open: true });
        },
        sent.longLived ? 300 : 8_000,
      );
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        clearTimeout(letGo);
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: text, open: false });
      });
      response.on('error', () => undefined);
    });
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer within 10 s to ${sent.method} ${sent.path}: ${sent.body.slice(0, 200)}`)));
    request.on('error', reject);
    request.end(sent.body);
  });
}

/** Every JSON-RPC response in a JSON or SSE body must be well formed: a result, or an error with an integer code and a message. Returns how many there were. */
function expectWellFormed(answer: Answer): number {
  const payloads: string[] = [];
  if (answer.contentType.startsWith('application/json') && answer.body) payloads.push(answer.body);
  if (answer.contentType.startsWith('text/event-stream')) {
    for (const line of answer.body.split('\n')) if (line.startsWith('data:') && line.slice(5).trim()) payloads.push(line.slice(5).trim());
  }
  for (const payload of payloads) {
    const parsed = JSON.parse(payload) as unknown;
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      const value = message as { jsonrpc?: unknown; error?: { code?: unknown; message?: unknown }; result?: unknown; method?: unknown };
      expect(value.jsonrpc).toBe('2.0');
      if (value.error !== undefined) {
        expect(Number.isInteger(value.error.code), payload).toBe(true);
        expect(typeof value.error.message, payload).toBe('string');
      } else {
        expect(value.result !== undefined || typeof value.method === 'string', payload).toBe(true);
      }
    }
  }
  return payloads.length;
}

describe('fuzzing the local endpoint (both eras)', () => {
  let fixture: GatewayFixture;
  let upstreams: { close(): Promise<void> }[] = [];
  let port = 0;

  beforeAll(async () => {
    const modern = await startMcpServer({ name: 'modern', era: 'modern' });
    const legacy = await startMcpServer({ name: 'legacy', era: 'legacy' });
    upstreams = [modern, legacy];
    fixture = await startGatewayFixture({
      servers: [
        { id: 'modern', url: modern.url },
        { id: 'legacy', url: legacy.url },
      ],
    });
    port = Number(new URL(fixture.serve.ready.mcpUrl).port);
  });

  afterAll(async () => {
    console.log(fuzzReport());
    await fixture?.stop();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  it('answers every generated request without a 5xx, a hang or a malformed JSON-RPC message, and keeps serving', async () => {
    const statuses = new Map<number, number>();
    let answeredByMcp = 0;
    const ran = await checkProperty(
      'endpoint HTTP + JSON-RPC requests',
      [requests(port, fixture.credential)],
      async (sent) => {
        const answer = await send(port, sent);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(
          answer.status,
          `${sent.method} ${sent.path} ${JSON.stringify(sent.headers)} ${sent.body.slice(0, 300)} → ${answer.body.slice(0, 300)}`,
        ).toBeLessThan(500);
        if (answer.open) expect(sent.longLived, 'only a GET stream or subscriptions/listen may stay open').toBe(true);
        if (expectWellFormed(answer) > 0) answeredByMcp++;
      },
      400,
    );
    console.log(`endpoint statuses over ${ran} requests: ${JSON.stringify(Object.fromEntries(statuses))}; ${answeredByMcp} answered with JSON-RPC`);
    // The generator must reach the MCP handling (a JSON-RPC answer, result or error), not only the HTTP guards.
    expect(answeredByMcp).toBeGreaterThan(ran * 0.25);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);

    expect(fixture.serve.child.exitCode).toBeNull();
    const client = await fixture.connect('auto');
    const result = await client.callTool({ name: 'legacy_add', arguments: { a: 2, b: 3 } });
    expect((result.content as { text: string }[])[0]!.text).toBe('5');
    await client.close();
    expect(fixture.serve.stderr()).not.toMatch(/unhandled|uncaught|TypeError|ReferenceError/i);
  }, 300_000);
});
