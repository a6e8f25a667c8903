// The D-Bus wire format (marshalling of messages and their typed bodies), just enough to speak to the Secret Service without a native library.
/**
 * Values by signature: numbers for y n q i u d, bigint for x t, boolean for b, string for s o g, a Buffer for `ay`,
 * an array of [key, value] pairs for dictionaries (a{..}), an array for other arrays and for structs, and
 * `{ signature, value }` for a variant. Only the messages are built here; the connection is in dbus-connection.ts.
 */
export type DbusValue = number | bigint | boolean | string | Buffer | DbusValue[] | [DbusValue, DbusValue][] | DbusVariant;

export interface DbusVariant {
  signature: string;
  value: DbusValue;
}

export const MessageType = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;

const HeaderField = { path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6, sender: 7, signature: 8 } as const;

export interface DbusMessage {
  type: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature?: string;
  body: DbusValue[];
}

/** The complete types of a signature, in order ("a{ss}ao" → ["a{ss}", "ao"]). */
export function splitSignature(signature: string): string[] {
  const types: string[] = [];
  for (let index = 0; index < signature.length;) {
    const end = endOfType(signature, index);
    types.push(signature.slice(index, end));
    index = end;
  }
  return types;
}

function endOfType(signature: string, start: number): number {
  const code = signature[start];
  if (code === undefined) throw new Error(`D-Bus signature "${signature}" ends early`);
  if (code === 'a') return endOfType(signature, start + 1);
  if (code === '(' || code === '{') {
    const close = code === '(' ? ')' : '}';
    let index = start + 1;
    while (signature[index] !== close) index = endOfType(signature, index);
    return index + 1;
  }
  if (!'ybnqiuxtdsogvh'.includes(code)) throw new Error(`D-Bus type "${code}" is not supported`);
  return start + 1;
}

function alignmentOf(type: string): number {
  switch (type[0]) {
    case 'y':
    case 'g':
    case 'v':
      return 1;
    case 'n':
    case 'q':
      return 2;
    case 'x':
    case 't':
    case 'd':
    case '(':
    case '{':
      return 8;
    default:
      return 4;
  }
}

/** Writes little-endian values with padding counted from the start of the message. */
class Writer {
  #chunks: Buffer[] = [];
  length = 0;

  align(boundary: number): void {
    const padding = (boundary - (this.length % boundary)) % boundary;
    if (padding) this.#push(Buffer.alloc(padding));
  }

  #push(bytes: Buffer): void {
    this.#chunks.push(bytes);
    this.length += bytes.length;
  }

  #fixed(size: number, fill: (buffer: Buffer) => void): void {
    this.align(size);
    const buffer = Buffer.alloc(size);
    fill(buffer);
    this.#push(buffer);
  }

  write(type: string, value: DbusValue): void {
    switch (type[0]) {
      case 'y':
        return this.#fixed(1, (buffer) => buffer.writeUInt8(value as number));
      case 'b':
        return this.#fixed(4, (buffer) => buffer.writeUInt32LE(value ? 1 : 0));
      case 'n':
        return this.#fixed(2, (buffer) => buffer.writeInt16LE(value as number));
      case 'q':
        return this.#fixed(2, (buffer) => buffer.writeUInt16LE(value as number));
      case 'i':
      case 'h':
        return this.#fixed(4, (buffer) => buffer.writeInt32LE(value as number));
      case 'u':
        return this.#fixed(4, (buffer) => buffer.writeUInt32LE(value as number));
      case 'x':
        return this.#fixed(8, (buffer) => buffer.writeBigInt64LE(BigInt(value as bigint)));
      case 't':
        return this.#fixed(8, (buffer) => buffer.writeBigUInt64LE(BigInt(value as bigint)));
      case 'd':
        return this.#fixed(8, (buffer) => buffer.writeDoubleLE(value as number));
      case 's':
      case 'o': {
        const bytes = Buffer.from(value as string, 'utf8');
        this.write('u', bytes.length);
        return this.#push(Buffer.concat([bytes, Buffer.alloc(1)]));
      }
      case 'g': {
        const bytes = Buffer.from(value as string, 'ascii');
        this.write('y', bytes.length);
        return this.#push(Buffer.concat([bytes, Buffer.alloc(1)]));
      }
      case 'v': {
        const variant = value as DbusVariant;
        this.write('g', variant.signature);
        return this.write(variant.signature, variant.value);
      }
      case '(': {
        this.align(8);
        const members = splitSignature(type.slice(1, -1));
        members.forEach((member, index) => this.write(member, (value as DbusValue[])[index]!));
        return;
      }
      case 'a':
        return this.#array(type.slice(1), value);
      default:
        throw new Error(`cannot write D-Bus type "${type}"`);
    }
  }

  #array(element: string, value: DbusValue): void {
    this.align(4);
    const lengthAt = this.#chunks.length;
    this.#push(Buffer.alloc(4));
    // The length counts from after the padding that aligns the first element, even when the array is empty.
    this.align(alignmentOf(element));
    const start = this.length;
    if (element === 'y') {
      this.#push(Buffer.from(value as Buffer));
    } else if (element.startsWith('{')) {
      const [keyType, valueType] = splitSignature(element.slice(1, -1)) as [string, string];
      for (const [key, entry] of value as [DbusValue, DbusValue][]) {
        this.align(8);
        this.write(keyType, key);
        this.write(valueType, entry);
      }
    } else {
      for (const item of value as DbusValue[]) this.write(element, item);
    }
    this.#chunks[lengthAt]!.writeUInt32LE(this.length - start);
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** Reads values of either byte order, with padding counted from the start of the message. */
class Reader {
  offset: number;
  readonly #buffer: Buffer;
  readonly #little: boolean;

  constructor(buffer: Buffer, little: boolean, offset = 0) {
    this.#buffer = buffer;
    this.#little = little;
    this.offset = offset;
  }

  align(boundary: number): void {
    this.offset += (boundary - (this.offset % boundary)) % boundary;
  }

  #take(size: number): number {
    this.align(size);
    const at = this.offset;
    if (at + size > this.#buffer.length) throw new Error('D-Bus message ends early');
    this.offset += size;
    return at;
  }

  read(type: string): DbusValue {
    const buffer = this.#buffer;
    const little = this.#little;
    switch (type[0]) {
      case 'y':
        return buffer.readUInt8(this.#take(1));
      case 'b':
        return (little ? buffer.readUInt32LE(this.#take(4)) : buffer.readUInt32BE(this.#take(4))) !== 0;
      case 'n':
        return little ? buffer.readInt16LE(this.#take(2)) : buffer.readInt16BE(this.#take(2));
      case 'q':
        return little ? buffer.readUInt16LE(this.#take(2)) : buffer.readUInt16BE(this.#take(2));
      case 'i':
      case 'h':
        return little ? buffer.readInt32LE(this.#take(4)) : buffer.readInt32BE(this.#take(4));
      case 'u':
        return little ? buffer.readUInt32LE(this.#take(4)) : buffer.readUInt32BE(this.#take(4));
      case 'x':
        return little ? buffer.readBigInt64LE(this.#take(8)) : buffer.readBigInt64BE(this.#take(8));
      case 't':
        return little ? buffer.readBigUInt64LE(this.#take(8)) : buffer.readBigUInt64BE(this.#take(8));
      case 'd':
        return little ? buffer.readDoubleLE(this.#take(8)) : buffer.readDoubleBE(this.#take(8));
      case 's':
      case 'o': {
        const length = this.read('u') as number;
        return this.#text(length, 'utf8');
      }
      case 'g':
        return this.#text(this.read('y') as number, 'ascii');
      case 'v': {
        const signature = this.read('g') as string;
        return { signature, value: this.read(signature) };
      }
      case '(': {
        this.align(8);
        return splitSignature(type.slice(1, -1)).map((member) => this.read(member));
      }
      case 'a':
        return this.#array(type.slice(1));
      default:
        throw new Error(`cannot read D-Bus type "${type}"`);
    }
  }

  #text(length: number, encoding: 'utf8' | 'ascii'): string {
    if (this.offset + length + 1 > this.#buffer.length) throw new Error('D-Bus message ends early');
    const text = this.#buffer.toString(encoding, this.offset, this.offset + length);
    this.offset += length + 1;
    return text;
  }

  #array(element: string): DbusValue {
    const length = this.read('u') as number;
    this.align(alignmentOf(element));
    const end = this.offset + length;
    if (end > this.#buffer.length) throw new Error('D-Bus message ends early');
    if (element === 'y') {
      const bytes = Buffer.from(this.#buffer.subarray(this.offset, end));
      this.offset = end;
      return bytes;
    }
    if (element.startsWith('{')) {
      const [keyType, valueType] = splitSignature(element.slice(1, -1)) as [string, string];
      const entries: [DbusValue, DbusValue][] = [];
      while (this.offset < end) {
        this.align(8);
        entries.push([this.read(keyType), this.read(valueType)]);
      }
      return entries;
    }
    const items: DbusValue[] = [];
    while (this.offset < end) items.push(this.read(element));
    return items;
  }
}

/** One message, ready to send (always little-endian, as every D-Bus implementation accepts). */
export function encodeMessage(message: Omit<DbusMessage, 'body'> & { body?: DbusValue[] }): Buffer {
  const body = new Writer();
  const types = splitSignature(message.signature ?? '');
  types.forEach((type, index) => body.write(type, message.body?.[index] as DbusValue));
  const fields: [number, DbusVariant][] = [];
  const field = (code: number, signature: string, value: DbusValue | undefined) => {
    if (value !== undefined && value !== '') fields.push([code, { signature, value }]);
  };
  field(HeaderField.path, 'o', message.path);
  field(HeaderField.interface, 's', message.interface);
  field(HeaderField.member, 's', message.member);
  field(HeaderField.errorName, 's', message.errorName);
  field(HeaderField.replySerial, 'u', message.replySerial);
  field(HeaderField.destination, 's', message.destination);
  field(HeaderField.signature, 'g', message.signature);
  const header = new Writer();
  header.write('y', 'l'.charCodeAt(0));
  header.write('y', message.type);
  header.write('y', 0);
  header.write('y', 1);
  header.write('u', body.length);
  header.write('u', message.serial);
  header.write('a(yv)', fields as unknown as DbusValue);
  header.align(8);
  return Buffer.concat([header.bytes(), body.bytes()]);
}

/** The size of the message at the start of `buffer` once its fixed header is there, else undefined (wait for more). */
export function messageLength(buffer: Buffer): number | undefined {
  if (buffer.length < 16) return undefined;
  const little = buffer[0] === 'l'.charCodeAt(0);
  const bodyLength = little ? buffer.readUInt32LE(4) : buffer.readUInt32BE(4);
  const fieldsLength = little ? buffer.readUInt32LE(12) : buffer.readUInt32BE(12);
  const headerLength = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
  return headerLength + bodyLength;
}

export function decodeMessage(buffer: Buffer): DbusMessage {
  const endian = String.fromCharCode(buffer[0]!);
  if (endian !== 'l' && endian !== 'B') throw new Error(`not a D-Bus message (byte order "${endian}")`);
  const reader = new Reader(buffer, endian === 'l');
  reader.offset = 1;
  const type = reader.read('y') as number;
  reader.offset = 8;
  const serial = reader.read('u') as number;
  const fields = reader.read('a(yv)') as [number, DbusVariant][];
  reader.align(8);
  const message: DbusMessage = { type, serial, body: [] };
  for (const [code, { value }] of fields) {
    if (code === HeaderField.path) message.path = value as string;
    else if (code === HeaderField.interface) message.interface = value as string;
    else if (code === HeaderField.member) message.member = value as string;
    else if (code === HeaderField.errorName) message.errorName = value as string;
    else if (code === HeaderField.replySerial) message.replySerial = value as number;
    else if (code === HeaderField.destination) message.destination = value as string;
    else if (code === HeaderField.sender) message.sender = value as string;
    else if (code === HeaderField.signature) message.signature = value as string;
  }
  message.body = splitSignature(message.signature ?? '').map((bodyType) => reader.read(bodyType));
  return message;
}
