// Caps how much of one upstream answer is ever held: the transport's fetch counts each response body as it streams in.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { SwitchboardError } from '../errors.ts';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface ResponseBound {
  maxBytes: number;
  serverId: string;
}

/**
 * Marks the error answer this module writes into an SSE stream it cut off, so only that one (never a server's look-alike)
 * is read back as UPSTREAM_TOO_LARGE. Random per process: a server cannot guess it.
 */
const CUT_OFF_MARK = randomUUID();
const INTERNAL_ERROR = -32603;

/**
 * Wraps the fetch an upstream transport uses. A JSON body is counted whole (the SDK buffers it to parse it); an SSE
 * body is counted per message (the SDK's parser holds one message at a time, and progress and keep-alives over a long
 * call must not add up). Past the limit the server's body is cancelled, so nothing larger is ever buffered:
 * - JSON: the body errors with UPSTREAM_TOO_LARGE, which the SDK hands to the caller of that request;
 * - SSE: the stream ends with an error answer for the request it carried (the SDK would otherwise wait for the
 *   timeout), read back by tooLargeError(); a GET stream, which carries no request, just errors.
 * Other requests, and the connection, are untouched.
 */
export function createBoundedFetch(baseFetch: Fetch, bound: ResponseBound): Fetch {
  return async (url, init) => {
    const response = await baseFetch(url, init);
    if (!response.body) return response;
    const tooLarge = () => tooLargeFailure(bound);
    const sse = mediaType(response) === 'text/event-stream';
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (!sse && declared > bound.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      return rebuilt(response, new ReadableStream({ start: (controller) => controller.error(tooLarge()) }));
    }
    const counter = sse ? new SseMessageCounter() : undefined;
    let held = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          held = counter ? counter.pendingAfter(chunk) : held + chunk.byteLength;
          if (held <= bound.maxBytes) return controller.enqueue(chunk);
          const requestId = sse ? requestIdOf(init?.body) : undefined;
          if (requestId === undefined) return controller.error(tooLarge());
          // End the message that was cut (its partial data fails to parse and is dropped), then answer the request.
          controller.enqueue(new TextEncoder().encode(`\n\nevent: message\ndata: ${JSON.stringify(cutOffAnswer(requestId, bound))}\n\n`));
          controller.terminate();
        },
      }),
    );
    return rebuilt(response, limited);
  };
}

/** The caller's error for an answer this module cut off in an SSE stream; undefined for any other error. */
export function tooLargeError(error: unknown, bound: ResponseBound): SwitchboardError | undefined {
  if (error instanceof SwitchboardError) return error.code === 'UPSTREAM_TOO_LARGE' ? error : undefined;
  if (!(error instanceof ProtocolError)) return undefined;
  const data = error.data as { cutOffMark?: unknown } | undefined;
  return data?.cutOffMark === CUT_OFF_MARK ? tooLargeFailure(bound) : undefined;
}

function tooLargeFailure({ serverId, maxBytes }: ResponseBound): SwitchboardError {
  return new SwitchboardError(
    'UPSTREAM_TOO_LARGE',
    `server "${serverId}" answered with more than ${maxBytes} bytes (gateway.maxResponseBytes); the call was stopped. Ask for less (a narrower query, paging) or raise the limit`,
  );
}

function cutOffAnswer(id: string | number, bound: ResponseBound): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message: tooLargeFailure(bound).message, data: { cutOffMark: CUT_OFF_MARK } } };
}

/** The id of the JSON-RPC request a POST carried; parsed only once an answer is cut off, never on the hot path. */
function requestIdOf(body: RequestInit['body']): string | number | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The same response over another body; url and redirected are kept for the SDK's redirect checks. */
function rebuilt(original: Response, body: ReadableStream<Uint8Array>): Response {
  const response = new Response(body, { status: original.status, statusText: original.statusText, headers: original.headers });
  Object.defineProperties(response, { url: { value: original.url }, redirected: { value: original.redirected } });
  return response;
}

/**
 * How many bytes of the SSE message being received are held so far. A message ends at a blank line (two line ends:
 * LF LF, CR CR, or CRLF CRLF); only the last one in a chunk matters, found with native searches, plus a check across
 * the seam between chunks.
 */
class SseMessageCounter {
  #pending = 0;
  #tail: number[] = [];

  pendingAfter(chunk: Uint8Array): number {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = Math.max(lastEnd(bytes, '\n\n'), lastEnd(bytes, '\r\r'), lastEnd(bytes, '\n\r\n'), this.#seamEnd(bytes));
    this.#pending = end >= 0 ? bytes.byteLength - end : this.#pending + bytes.byteLength;
    this.#tail = [...this.#tail, ...bytes.subarray(Math.max(0, bytes.byteLength - 3))].slice(-3);
    return this.#pending;
  }

  /** A blank line split across the previous chunk and this one: where it ends in this chunk, or -1. */
  #seamEnd(bytes: Buffer): number {
    if (this.#tail.length === 0) return -1;
    const seam = Buffer.from([...this.#tail, ...bytes.subarray(0, 3)]);
    const end = Math.max(lastEnd(seam, '\n\n'), lastEnd(seam, '\r\r'), lastEnd(seam, '\n\r\n'));
    return end > this.#tail.length ? end - this.#tail.length : -1;
  }
}

/** The offset just past the last occurrence of `pattern`, or -1. */
function lastEnd(bytes: Buffer, pattern: string): number {
  const at = bytes.lastIndexOf(pattern);
  return at < 0 ? -1 : at + pattern.length;
}
