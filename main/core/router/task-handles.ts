// Task ids shown to clients: each names the server that created the task and is bound to the client it was created for.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TaskLocation {
  serverId: string;
  upstreamTaskId: string;
}

const PREFIX = 'sbt1';
const MAC_BYTES = 16;

/**
 * A client polls a task with the id Switchboard gave it, so that id must say which server holds the task. It is
 * `sbt1.<server>.<server's task id>.<mac>`, all base64url, with an HMAC over the client, server and task id: only the
 * client the task was created for can poll, answer or cancel it (every server sees one Switchboard user, so the
 * server cannot tell clients apart), and nobody can point an id at another server. Nothing is stored per task, so
 * nothing grows; the key lives only in memory, so ids end with the process, as the tasks' own TTLs allow.
 */
export class TaskHandles {
  readonly #key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }

  expose(clientId: string, location: TaskLocation): string {
    const server = Buffer.from(location.serverId).toString('base64url');
    const task = Buffer.from(location.upstreamTaskId).toString('base64url');
    return `${PREFIX}.${server}.${task}.${this.#mac(clientId, location).toString('base64url')}`;
  }

  /** Where the task lives, or undefined for an id this process did not give to this client. */
  resolve(clientId: string, exposedId: string): TaskLocation | undefined {
    const parts = exposedId.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
    const [, server, task, mac] = parts as [string, string, string, string];
    const location = { serverId: Buffer.from(server, 'base64url').toString(), upstreamTaskId: Buffer.from(task, 'base64url').toString() };
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(clientId, location);
    return given.length === expected.length && timingSafeEqual(given, expected) ? location : undefined;
  }

  #mac(clientId: string, location: TaskLocation): Buffer {
    // Length-prefixed fields, so no choice of ids can make two different triples hash the same input.
    const input = [clientId, location.serverId, location.upstreamTaskId].map((field) => `${Buffer.byteLength(field)}:${field}`).join('');
    return createHmac('sha256', this.#key).update(input).digest().subarray(0, MAC_BYTES);
  }
}
