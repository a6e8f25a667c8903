// A connection to the user's D-Bus session bus (address, EXTERNAL authentication, method calls and their replies), in plain Node.
import { connect, type Socket } from 'node:net';
import { decodeMessage, encodeMessage, MessageType, messageLength, type DbusMessage, type DbusValue } from './dbus-wire.ts';

export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

/** A reply that is a D-Bus error: `errorName` is its name (e.g. org.freedesktop.Secret.Error.IsLocked). */
export class DbusError extends Error {
  readonly errorName: string;

  constructor(errorName: string, message: string) {
    super(`${errorName}: ${message}`);
    this.name = 'DbusError';
    this.errorName = errorName;
  }
}

/**
 * The socket paths the session bus may be at: DBUS_SESSION_BUS_ADDRESS (unix:path= or unix:abstract=, several
 * separated by ";"), else $XDG_RUNTIME_DIR/bus, where systemd's user session puts it.
 */
export function sessionBusSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) return env.XDG_RUNTIME_DIR ? [`${env.XDG_RUNTIME_DIR}/bus`] : [];
  const sockets: string[] = [];
  for (const entry of address.split(';')) {
    const [transport, parameters = ''] = entry.split(/:(.*)/s) as [string, string?];
    if (transport !== 'unix') continue;
    const values = new Map(
      parameters
        .split(',')
        .map((pair) => pair.split(/=(.*)/s) as [string, string])
        .map(([key, value]) => [key, decodeURIComponent(value ?? '')]),
    );
    if (values.has('path')) sockets.push(values.get('path')!);
    // An abstract socket's name starts with a NUL byte; Node passes it to the kernel as given.
    else if (values.has('abstract')) sockets.push(`\0${values.get('abstract')!}`);
  }
  return sockets;
}

export class DbusConnection {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  #serial = 0;
  #received = Buffer.alloc(0);
  readonly #pending = new Map<number, { resolve: (message: DbusMessage) => void; reject: (error: Error) => void }>();
  #closed: Error | undefined;

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the D-Bus session bus closed the connection')));
  }

  /** Connects and authenticates as the current user (EXTERNAL: the bus checks the socket's peer credentials). */
  static async open(options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<DbusConnection> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    const sockets = sessionBusSockets(options.env);
    if (sockets.length === 0) throw new Error('no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set');
    let lastError: Error | undefined;
    for (const path of sockets) {
      try {
        const socket = await authenticate(path, timeoutMs);
        const connection = new DbusConnection(socket, timeoutMs);
        await connection.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' });
        return connection;
      } catch (error) {
        lastError = error as Error;
      }
    }
    throw new Error(`cannot reach the D-Bus session bus (${lastError?.message ?? 'no address'})`);
  }

  async call(call: MethodCall): Promise<DbusValue[]> {
    if (this.#closed) throw this.#closed;
    const serial = ++this.#serial;
    const reply = new Promise<DbusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(serial);
        reject(new Error(`${call.interface}.${call.member} got no answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending.set(serial, {
        resolve: (message) => (clearTimeout(timer), resolve(message)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
    this.#socket.write(encodeMessage({ type: MessageType.methodCall, serial, ...call }));
    const message = await reply;
    if (message.type === MessageType.error)
      throw new DbusError(message.errorName ?? 'org.freedesktop.DBus.Error.Failed', typeof message.body[0] === 'string' ? message.body[0] : '');
    return message.body;
  }

  close(): void {
    this.#closed ??= new Error('the D-Bus connection is closed');
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#received = Buffer.concat([this.#received, chunk]);
    for (let length = messageLength(this.#received); length !== undefined && this.#received.length >= length; length = messageLength(this.#received)) {
      const message = decodeMessage(this.#received.subarray(0, length));
      this.#received = this.#received.subarray(length);
      // Signals (NameAcquired after Hello) and calls to us are not asked for: only replies are awaited.
      if (message.replySerial === undefined) continue;
      const waiting = this.#pending.get(message.replySerial);
      this.#pending.delete(message.replySerial);
      waiting?.resolve(message);
    }
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/** The SASL exchange before messages: a NUL byte, AUTH EXTERNAL with our uid in hex, OK, BEGIN. */
function authenticate(path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const timer = setTimeout(() => fail(new Error(`no answer from the bus at ${printable(path)} within ${timeoutMs} ms`)), timeoutMs);
    let answer = '';
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.on('connect', () => {
      const uid = Buffer.from(String(process.getuid?.() ?? 0)).toString('hex');
      socket.write(`\0AUTH EXTERNAL ${uid}\r\n`);
    });
    const onData = (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (!answer.includes('\r\n')) return;
      socket.off('data', onData);
      socket.off('error', fail);
      clearTimeout(timer);
      if (!answer.startsWith('OK ')) return fail(new Error(`the bus refused authentication (${answer.trim()})`));
      socket.write('BEGIN\r\n');
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

function printable(path: string): string {
  return path.startsWith('\0') ? `@${path.slice(1)}` : path;
}
