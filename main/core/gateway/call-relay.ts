// The fast path for calls: a 2026-07-28 tools/call, prompts/get or resources/read goes to its server as bytes, audited, without an SDK server in between.
import { once } from 'node:events';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { CLIENT_CAPABILITIES_META_KEY, PROTOCOL_VERSION_META_KEY, ProtocolError } from '@modelcontextprotocol/server';
import { isSwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import { TASKS_EXTENSION, type ClientView, type GatewayRouter, type RelayedMethod, type RelayRoute } from '../router/gateway-router.ts';
import { openCallRecord, type GatewayAudit } from './audited.ts';
import { SIGN_IN_INPUT_KEY } from './sign-in-answer.ts';

const RELAYED: ReadonlySet<string> = new Set<RelayedMethod>(['tools/call', 'prompts/get', 'resources/read']);
const INTERNAL_ERROR = -32603;
/** The stateless revisions Switchboard's endpoint serves (the SDK's SUPPORTED_PROTOCOL_VERSIONS lists the 2025 era only). */
const STATELESS_VERSIONS: ReadonlySet<string> = new Set(['2026-07-28']);

/** A call the relay can carry, read from the envelope only: method, id, name and the headers that must agree. */
export interface RelayableCall {
  method: RelayedMethod;
  id: string | number;
  params: Record<string, unknown>;
  protocolVersion: string;
}

export interface CallRelay {
  /** Serves the call and returns true, or returns false having written nothing, so the full path serves it. */
  serve(call: RelayableCall, response: ServerResponse, caller: { clientId: string; view: ClientView }): Promise<boolean>;
}

/**
 * Which requests take the relay. Only what the full path would answer exactly the same way: a well-formed
 * 2026-07-28 request whose headers agree with its body, that declares no tasks (a task handle must be bound to its
 * client) and carries no answer to Switchboard's own sign-in question. Everything else, including every malformed
 * request, goes to the SDK, which answers it by the rules it already implements.
 */
export function relayableCall(message: unknown, headers: IncomingHttpHeaders): RelayableCall | undefined {
  if (!isObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string' || !RELAYED.has(message.method)) return undefined;
  const { id, params } = message;
  if ((typeof id !== 'string' && typeof id !== 'number') || !isObject(params) || !isObject(params._meta)) return undefined;
  const protocolVersion = params._meta[PROTOCOL_VERSION_META_KEY];
  const capabilities = params._meta[CLIENT_CAPABILITIES_META_KEY];
  // The envelope only exists from 2026-07-28 on; 2025-era sessions keep the full path.
  if (typeof protocolVersion !== 'string' || !STATELESS_VERSIONS.has(protocolVersion) || !isObject(capabilities)) return undefined;
  if (isObject(capabilities.extensions) && TASKS_EXTENSION in capabilities.extensions) return undefined;
  const name = message.method === 'resources/read' ? params.uri : params.name;
  if (
    typeof name !== 'string' ||
    headers['mcp-protocol-version'] !== protocolVersion ||
    headers['mcp-method'] !== message.method ||
    headers['mcp-name'] !== name
  )
    return undefined;
  if (message.method === 'tools/call' && params.arguments !== undefined && !isObject(params.arguments)) return undefined;
  if (isObject(params.inputResponses) && SIGN_IN_INPUT_KEY in params.inputResponses) return undefined;
  const accept = headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  return { method: message.method as RelayedMethod, id, params, protocolVersion };
}

export function createCallRelay(router: GatewayRouter, { audit, logger }: { audit?: GatewayAudit | undefined; logger: Logger }): CallRelay {
  return {
    async serve(call, response, { clientId, view }) {
      const route = await router.relayRoute(call.method, call.params, view).catch(() => undefined);
      if (!route) return false;
      const target = call.method === 'resources/read' ? (call.params.uri as string) : (call.params.name as string);
      const record = audit
        ? openCallRecord(audit, {
            clientId,
            method: call.method,
            jsonrpcId: call.id,
            params: call.params as never,
            target,
            protocolVersion: () => call.protocolVersion,
          })
        : undefined;
      // The client going away cancels the call at the server.
      const gone = new AbortController();
      const onClose = () => {
        if (!response.writableFinished) gone.abort();
      };
      response.once('close', onClose);
      try {
        return await relay(route, call, response, record, gone.signal, audit?.capture.results === true);
      } catch (error) {
        await sendError(response, call.id, error, logger);
        await record?.failed(wireError(error), route.server);
        return true;
      } finally {
        response.off('close', onClose);
      }
    },
  };
}

async function relay(
  route: RelayRoute,
  call: RelayableCall,
  response: ServerResponse,
  record: ReturnType<typeof openCallRecord> | undefined,
  signal: AbortSignal,
  captureResult: boolean,
): Promise<boolean> {
  const answer = await route.relay({ id: call.id, signal, traceparent: record?.traceparent });
  if (!answer) return false;
  const sse = answer.contentType === 'text/event-stream';
  const write = async (chunk: Buffer) => {
    // Headers go out with the first bytes: until then a failure can still be answered as a JSON-RPC error.
    if (!response.headersSent)
      response.writeHead(answer.status, { 'content-type': answer.contentType, ...(sse ? { 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } : {}) });
    if (!response.write(chunk)) await once(response, 'drain', { signal }).catch(() => undefined);
  };
  // The bytes that carry the answer wait for its audit record (written first, as on the full path): a JSON answer
  // whole (the relay holds it to its end anyway), an SSE event once it is the answer. Progress and log events before
  // it pass at once.
  const json: Buffer[] = [];
  let held: Buffer | undefined;
  for await (const chunk of answer.body) {
    if (!sse) json.push(chunk);
    else {
      if (held) await write(held);
      held = undefined;
      if (!answer.finished()) await write(chunk);
      else held = chunk;
    }
    if (signal.aborted) break;
  }
  const ended = answer.outcome();
  const result = captureResult ? ended.message?.result : undefined;
  await record?.finish(ended.outcome, route.server, {
    ...(ended.errorCode !== undefined ? { errorCode: ended.errorCode } : {}),
    ...(ended.errorType ? { errorType: ended.errorType } : {}),
    responseBytes: ended.responseBytes,
    ...(result !== undefined ? { result } : {}),
  });
  if (!sse) {
    // Its length known, a JSON answer leaves in one write: headers and body together, no chunked framing.
    const length = json.reduce((total, chunk) => total + chunk.byteLength, 0);
    response.cork();
    response.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': length });
    for (const chunk of json) response.write(chunk);
    response.end();
    return true;
  }
  if (held) await write(held);
  if (!response.headersSent) response.writeHead(answer.status, { 'content-type': answer.contentType });
  response.end();
  return true;
}

/** A failure before the answer began is the client's JSON-RPC error (with the stable code); after that the stream breaks. */
async function sendError(response: ServerResponse, id: string | number, error: unknown, logger: Logger): Promise<void> {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const wire = wireError(error);
  if (!isSwitchboardError(error)) logger.log('error', 'gateway.relay_failed', { message: (error as Error).message });
  response
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: wire.code, message: wire.message, data: wire.data } }));
}

/** The same error the full path gives for a local failure (see downstream-protocol.ts withWireErrors). */
function wireError(error: unknown): ProtocolError {
  if (isSwitchboardError(error)) return new ProtocolError(INTERNAL_ERROR, error.message, { switchboardCode: error.code });
  return new ProtocolError(INTERNAL_ERROR, "Switchboard failed to relay the call; it is logged in Switchboard's log", { switchboardCode: 'INTERNAL' });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
