// The stdio bridge: a stdio-only client (e.g. Claude Desktop) reaches the running local endpoint through the SDK's stdio and HTTP transports.
import type { Readable, Writable } from 'node:stream';
import { isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResponse, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../ports.ts';
import { connectionLostAnswer, failureAnswer } from './bridge-answers.ts';
import { EndpointConnection } from './endpoint-connection.ts';
import { InFlightRequests } from './in-flight-requests.ts';
import { EVENT_STREAM_BACKOFF, type BackoffPolicy } from './reconnect-backoff.ts';

export interface StdioBridgeOptions {
  mcpUrl: string;
  /** The client's own credential; omitted only when the running Switchboard allows anonymous access. */
  credential?: string;
  input: Readable;
  output: Writable;
  logger: Logger;
  fetch?: typeof fetch;
  /** How the GET event stream is reopened after it drops. */
  eventStreamBackoff?: BackoffPolicy;
  /** How long a message waits for a Switchboard that is not listening (stopped, or restarting) before it is answered with an error. */
  unreachableGraceMs?: number;
  /** How long answers still on their way are waited for after the client closed stdin. */
  drainMs?: number;
}

const DEFAULT_UNREACHABLE_GRACE_MS = 3000;
const DEFAULT_DRAIN_MS = 5000;

/**
 * Relays until the client closes stdin (or stdout fails), then waits briefly for answers already on their way, ends the
 * 2025 session (if any) and resolves. Never rejects: every failure becomes an answer to the client or a log line.
 *
 * Messages pass through as the SDK's transports parse them; the bridge reads only what it must: answers (so each request
 * gets exactly one), a 2025-era client's handshake (to open a new session after Switchboard restarts) and cancellations
 * of 2026-07-28 requests (which HTTP expresses by ending the request rather than by a notification).
 */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  const { mcpUrl, logger } = options;
  const stdio = new StdioServerTransport(options.input, options.output);
  let stdinEnded = false;

  const toClient = (message: JSONRPCMessage): void => {
    if (!stdinEnded) {
      stdio.send(message).catch((error: unknown) => logger.log('warn', 'bridge.client_write_failed', { message: (error as Error).message }));
      return;
    }
    // The stdio transport closes with stdin; answers already on their way are still written for a client that reads on.
    if (options.output.writable) options.output.write(`${JSON.stringify(message)}\n`);
  };

  const inFlight = new InFlightRequests(toClient);
  const connection = new EndpointConnection({
    mcpUrl,
    ...(options.credential ? { credential: options.credential } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    eventStreamBackoff: options.eventStreamBackoff ?? EVENT_STREAM_BACKOFF,
    unreachableGraceMs: options.unreachableGraceMs ?? DEFAULT_UNREACHABLE_GRACE_MS,
    onMessage: (message) => {
      if (isJSONRPCResponse(message) && !inFlight.settle(message)) return;
      toClient(message);
    },
    // The new session may offer other tools than the old one did; a client that was promised list changes looks again.
    onSessionRenewed: (lists) => {
      for (const kind of lists) toClient({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
    },
    onTransportRetired: (generation) => inFlight.answerAllSentOn(generation, (id) => connectionLostAnswer(id, mcpUrl)),
    logger,
  });

  const relay = (message: JSONRPCMessage): void => {
    if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if ((typeof requestId === 'string' || typeof requestId === 'number') && inFlight.cancel(requestId)) return;
    }
    if (!isJSONRPCRequest(message)) {
      connection.send(message).catch((error: unknown) => logger.log('warn', 'bridge.relay_failed', { message: (error as Error).message }));
      return;
    }
    const { id } = message;
    const requestSignal = inFlight.open(message);
    // A response stream that ends without the answer (Switchboard stopped mid-call) must not leave the client waiting.
    const onRequestStreamEnd = () => inFlight.answer(id, connectionLostAnswer(id, mcpUrl));
    connection.send(message, { requestSignal, onRequestStreamEnd }).then(
      (generation) => inFlight.sentOn(id, generation),
      (error: unknown) => inFlight.answer(id, failureAnswer(id, error, mcpUrl)),
    );
  };

  const stdinClosed = new Promise<void>((resolve) => (stdio.onclose = resolve));
  stdio.onmessage = relay;
  // A line that is JSON but not JSON-RPC, or an overlong one; the SDK skips lines that are not JSON without a word.
  stdio.onerror = (error) => logger.log('warn', 'bridge.client_message_invalid', { message: error.message });
  await stdio.start();
  await stdinClosed;
  stdinEnded = true;

  await inFlight.settled(options.drainMs ?? DEFAULT_DRAIN_MS);
  inFlight.abandonAll();
  await connection.close();
}
