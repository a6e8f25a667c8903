// What a 2025-era session's SSE streams sent, kept a little while so a client whose stream broke can resume it (SEP-1699), within a fixed memory budget.
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

export interface SessionEventLimits {
  /** Events kept per session; the oldest go first. */
  maxEvents: number;
  /** Their total size (JSON text) per session. */
  maxBytes: number;
}

const DEFAULT_LIMITS: SessionEventLimits = { maxEvents: 256, maxBytes: 2 * 1024 * 1024 };

interface KeptEvent {
  id: EventId;
  seq: number;
  streamId: StreamId;
  message: JSONRPCMessage;
  bytes: number;
}

/**
 * One per session. With it the SDK's transport opens each SSE stream with a priming event (an id, no data), and a
 * client that lost the stream reconnects with Last-Event-ID to get what followed. Events leave oldest first, so a
 * kept event has every later one of its stream kept too; a message too large to keep leaves a gap instead, and a
 * replay that would cross it is refused (400, as an unknown id), so the client sends its request again rather than
 * wait for an answer that will not come.
 */
export class SessionEventStore implements EventStore {
  readonly #limits: SessionEventLimits;
  readonly #events: KeptEvent[] = [];
  /** Per stream, the latest message that was too large to keep. */
  readonly #gaps = new Map<StreamId, number>();
  #bytes = 0;
  #next = 0;

  constructor(limits: Partial<SessionEventLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const seq = ++this.#next;
    const id = `${streamId}.${seq}`;
    const bytes = JSON.stringify(message).length;
    if (bytes > this.#limits.maxBytes) {
      this.#gaps.set(streamId, seq);
      return id;
    }
    this.#events.push({ id, seq, streamId, message, bytes });
    this.#bytes += bytes;
    while (this.#events.length > this.#limits.maxEvents || this.#bytes > this.#limits.maxBytes) this.#bytes -= this.#events.shift()!.bytes;
    // A gap older than every kept event can no longer be crossed by any replay.
    const oldest = this.#events[0]?.seq ?? seq;
    for (const [stream, gap] of this.#gaps) if (gap < oldest) this.#gaps.delete(stream);
    return id;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.#resumable(eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const from = this.#resumable(lastEventId);
    if (!from) throw new Error(`event ${lastEventId} is no longer kept; send the request again`);
    for (const event of this.#events) if (event.seq > from.seq && event.streamId === from.streamId) await send(event.id, event.message);
    return from.streamId;
  }

  /** Bytes held now, for tests and the soak harness. */
  get heldBytes(): number {
    return this.#bytes;
  }

  /** The kept event a replay may start after: known, and with no gap of its stream after it. */
  #resumable(eventId: EventId): KeptEvent | undefined {
    const event = this.#events.find((candidate) => candidate.id === eventId);
    if (!event) return undefined;
    const gap = this.#gaps.get(event.streamId);
    return gap !== undefined && gap > event.seq ? undefined : event;
  }
}
