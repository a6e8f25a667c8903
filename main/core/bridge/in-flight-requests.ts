// The client's requests Switchboard has not answered yet: each gets exactly one answer, from Switchboard or else from the bridge.
import type { JSONRPCRequest, JSONRPCResponse, RequestId } from '@modelcontextprotocol/client';
import { isModernEra } from './protocol-era.ts';

interface InFlight {
  /** A 2026-07-28 request is cancelled by ending its HTTP request, not by a notification. */
  modern: boolean;
  abort: AbortController;
  /** The connection generation whose transport carried it, once sent. */
  generation?: number;
}

export class InFlightRequests {
  readonly #entries = new Map<RequestId, InFlight>();
  readonly #deliver: (answer: JSONRPCResponse) => void;
  #whenEmpty: (() => void)[] = [];

  constructor(deliver: (answer: JSONRPCResponse) => void) {
    this.#deliver = deliver;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Starts tracking a request; its signal aborts the HTTP request carrying it. */
  open(request: JSONRPCRequest): AbortSignal {
    const entry: InFlight = { modern: isModernEra(request), abort: new AbortController() };
    this.#entries.set(request.id, entry);
    return entry.abort.signal;
  }

  sentOn(id: RequestId, generation: number): void {
    const entry = this.#entries.get(id);
    if (entry) entry.generation = generation;
  }

  /** Switchboard's answer: true when it should reach the client, false when the request was already answered or cancelled. */
  settle(answer: JSONRPCResponse): boolean {
    if (answer.id === undefined) return true;
    return this.#forget(answer.id);
  }

  /** The bridge's own answer, given only if Switchboard has not answered first. */
  answer(id: RequestId, answer: JSONRPCResponse): void {
    if (this.#forget(id)) this.#deliver(answer);
  }

  /**
   * The client cancelled request `id`. Returns true when the bridge has done what cancelling means on HTTP — a 2026-07-28
   * request's POST is aborted, and the notification need not travel. A 2025-era cancellation goes on to the session.
   * Either way no answer is owed any more.
   */
  cancel(id: RequestId): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#forget(id);
    if (!entry.modern) return false;
    entry.abort.abort();
    return true;
  }

  /** Answers every request sent on `generation` and still unanswered: its transport was retired with a lost session. */
  answerAllSentOn(generation: number, answerFor: (id: RequestId) => JSONRPCResponse): void {
    for (const [id, entry] of [...this.#entries]) if (entry.generation === generation) this.answer(id, answerFor(id));
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.#entries.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#whenEmpty.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  }

  /** Gives up on everything still in flight: its HTTP requests are aborted and no answer is sent. */
  abandonAll(): void {
    for (const entry of this.#entries.values()) entry.abort.abort();
    this.#entries.clear();
    this.#notifyIfEmpty();
  }

  #forget(id: RequestId): boolean {
    const known = this.#entries.delete(id);
    if (known) this.#notifyIfEmpty();
    return known;
  }

  #notifyIfEmpty(): void {
    if (this.#entries.size > 0) return;
    const waiting = this.#whenEmpty;
    this.#whenEmpty = [];
    for (const resolve of waiting) resolve();
  }
}
