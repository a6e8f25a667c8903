// The stdio bridge: JSON-RPC lines from a stdio-only client (e.g. Claude Desktop) relayed to the running local endpoint.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createParser } from 'eventsource-parser';
import type { Logger } from '../ports.ts';

const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
const RETRY_GET_STREAM_MS = 1000;

interface JsonRpcMessage {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: { name?: unknown; uri?: unknown; _meta?: Record<string, unknown> } & Record<string, unknown>;
  result?: { protocolVersion?: unknown } & Record<string, unknown>;
}

export interface StdioBridgeOptions {
  mcpUrl: string;
  /** The client's own credential; omitted only when the running Switchboard allows anonymous access. */
  credential?: string;
  input: Readable;
  output: Writable;
  logger: Logger;
  fetch?: typeof fetch;
}

/** Relays until the input ends; resolves after the 2025 session (if any) has been closed. */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  let sessionId: string | undefined;
  let protocolVersion: string | undefined;
  let getStream: AbortController | undefined;
  const inFlight = new Set<Promise<void>>();
  const write = (message: unknown) => options.output.write(`${JSON.stringify(message)}\n`);

  const baseHeaders = (): Record<string, string> => ({
    accept: 'application/json, text/event-stream',
    ...(options.credential ? { authorization: `Bearer ${options.credential}` } : {}),
    ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    ...(protocolVersion ? { 'mcp-protocol-version': protocolVersion } : {}),
  });

  async function relay(message: JsonRpcMessage): Promise<void> {
    const modernVersion = message.params?._meta?.[PROTOCOL_VERSION_META];
    const headers: Record<string, string> = { ...baseHeaders(), 'content-type': 'application/json' };
    // 2026-07-28 requests carry their version in _meta and must mirror it (and the method/name) in headers.
    if (typeof modernVersion === 'string' && message.method) {
      headers['mcp-protocol-version'] = modernVersion;
      headers['mcp-method'] = message.method;
      const name = message.method === 'resources/read' ? message.params?.uri : message.params?.name;
      if (typeof name === 'string' && ['tools/call', 'prompts/get', 'resources/read'].includes(message.method)) headers['mcp-name'] = name;
    }
    let response: Response;
    try {
      response = await doFetch(options.mcpUrl, { method: 'POST', headers, body: JSON.stringify(message) });
    } catch (error) {
      answerWithError(message, -32603, `Switchboard is not reachable at ${options.mcpUrl}: ${(error as Error).message}`);
      return;
    }
    const newSession = response.headers.get('mcp-session-id');
    if (newSession) sessionId = newSession;
    await forwardBody(response, (reply) => {
      const version = (reply as JsonRpcMessage).result?.protocolVersion;
      if (message.method === 'initialize' && typeof version === 'string') protocolVersion = version;
      write(reply);
    }).catch((error: unknown) => answerWithError(message, -32603, `the response from Switchboard broke off: ${(error as Error).message}`));
    if (!response.ok && response.status !== 202 && !isJson(response)) {
      answerWithError(message, -32603, `Switchboard answered HTTP ${response.status}${response.status === 401 ? ': set SWITCHBOARD_CLIENT_CREDENTIAL to this client\'s credential (switchboard clients add <name>)' : ''}`);
    }
    if (message.method === 'notifications/initialized' && sessionId) openGetStream();
  }

  function answerWithError(message: JsonRpcMessage, code: number, text: string): void {
    // Only requests expect an answer; a failed notification or response is just logged.
    if (message.method && message.id !== undefined && message.id !== null) write({ jsonrpc: '2.0', id: message.id, error: { code, message: text } });
    else options.logger.log('warn', 'bridge.relay_failed', { message: text });
  }

  /** 2025 servers send their own requests and list changes on a GET stream; keep one open while the session lives. */
  function openGetStream(): void {
    if (getStream) return;
    const controller = new AbortController();
    getStream = controller;
    void (async () => {
      while (!controller.signal.aborted) {
        try {
          const response = await doFetch(options.mcpUrl, { method: 'GET', headers: { ...baseHeaders(), accept: 'text/event-stream' }, signal: controller.signal });
          if (response.status === 405) return; // the endpoint offers no GET stream
          await forwardBody(response, write);
        } catch {
          // dropped or refused: try again shortly unless we are shutting down
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_GET_STREAM_MS));
      }
    })();
  }

  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let message: JsonRpcMessage;
    try {
      message = JSON.parse(line) as JsonRpcMessage;
    } catch {
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: each line must be one JSON-RPC message' } });
      continue;
    }
    // Requests run concurrently, so one slow tool call does not hold up the rest.
    const pending = relay(message).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  }
  await Promise.allSettled([...inFlight]);
  getStream?.abort();
  if (sessionId) await doFetch(options.mcpUrl, { method: 'DELETE', headers: baseHeaders() }).catch(() => undefined);
}

function isJson(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('application/json');
}

/** Writes each JSON-RPC message of a JSON or SSE response body. */
async function forwardBody(response: Response, emit: (message: unknown) => void): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream') && response.body) {
    const parser = createParser({
      onEvent: (event) => {
        if (!event.data) return; // priming events and keep-alives carry no message
        try {
          emit(JSON.parse(event.data));
        } catch {
          // not a JSON-RPC message: nothing to relay
        }
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    return;
  }
  if (type.includes('application/json')) {
    const body = (await response.json()) as unknown;
    for (const message of Array.isArray(body) ? body : [body]) emit(message);
    return;
  }
  await response.body?.cancel();
}
