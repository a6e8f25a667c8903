// The D-Bus marshalling against byte layouts from the specification, and round trips of the Secret Service's signatures.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, MessageType, messageLength, splitSignature, type DbusValue } from '../../main/core/vault/dbus-wire.ts';

describe('D-Bus wire format', () => {
  it('splits a signature into complete types', () => {
    expect(splitSignature('a{sv}(oayays)b')).toEqual(['a{sv}', '(oayays)', 'b']);
    expect(splitSignature('')).toEqual([]);
    expect(() => splitSignature('a{s')).toThrow(/ends early/);
  });

  it('lays out a method call as the specification does: fixed header, fields padded to 8, then the body', () => {
    const bytes = encodeMessage({ type: MessageType.methodCall, serial: 7, path: '/a', member: 'M', signature: 's', body: ['hi'] });
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x6c, 1, 0, 1]));
    expect(bytes.readUInt32LE(4)).toBe(4 + 3); // body: u32 length, "hi", NUL
    expect(bytes.readUInt32LE(8)).toBe(7);
    expect(messageLength(bytes)).toBe(bytes.length);
    expect((bytes.length - 7) % 8).toBe(0);
    expect(bytes.subarray(-7)).toEqual(Buffer.from([2, 0, 0, 0, 0x68, 0x69, 0]));
  });

  it('round-trips the Secret Service calls and replies it is used for', () => {
    const body: DbusValue[] = [
      [
        ['org.freedesktop.Secret.Item.Label', { signature: 's', value: 'dev.switchboard.default/token:crm' }],
        [
          'org.freedesktop.Secret.Item.Attributes',
          {
            signature: 'a{ss}',
            value: [
              ['service', 'dev.switchboard.default'],
              ['account', 'token:crm'],
            ],
          },
        ],
      ],
      ['/org/freedesktop/secrets/session/s1', Buffer.alloc(0), Buffer.from('sécret', 'utf8'), 'text/plain'],
      true,
    ];
    const decoded = decodeMessage(
      encodeMessage({
        type: MessageType.methodCall,
        serial: 1,
        path: '/org/freedesktop/secrets/aliases/default',
        interface: 'org.freedesktop.Secret.Collection',
        member: 'CreateItem',
        destination: 'org.freedesktop.secrets',
        signature: 'a{sv}(oayays)b',
        body,
      }),
    );
    expect(decoded).toMatchObject({ type: 1, serial: 1, member: 'CreateItem', destination: 'org.freedesktop.secrets', signature: 'a{sv}(oayays)b' });
    expect(decoded.body).toEqual(body);

    const reply = decodeMessage(
      encodeMessage({
        type: MessageType.methodReturn,
        serial: 2,
        replySerial: 1,
        signature: 'a{o(oayays)}aoxtdnqy',
        body: [[['/i/1', ['/s', Buffer.from([1]), Buffer.from('x'), 'text/plain']]], [], -5n, 2n ** 63n, 1.5, -2, 65535, 255],
      }),
    );
    expect(reply.replySerial).toBe(1);
    expect(reply.body).toEqual([[['/i/1', ['/s', Buffer.from([1]), Buffer.from('x'), 'text/plain']]], [], -5n, 2n ** 63n, 1.5, -2, 65535, 255]);
  });

  it('reads a big-endian message too, and refuses a truncated one', () => {
    // An error reply from a big-endian peer: REPLY_SERIAL 3, ERROR_NAME "E", SIGNATURE "s", body "no".
    const fields = Buffer.from([5, 1, 0x75, 0, 0, 0, 0, 3, 4, 1, 0x73, 0, 0, 0, 0, 1, 0x45, 0, 0, 0, 0, 0, 0, 0, 8, 1, 0x67, 0, 1, 0x73, 0]);
    const header = Buffer.concat([Buffer.from([0x42, 3, 0, 1]), u32be(7), u32be(9), u32be(fields.length), fields]);
    const padded = Buffer.concat([header, Buffer.alloc((8 - (header.length % 8)) % 8)]);
    const message = Buffer.concat([padded, u32be(2), Buffer.from('no\0')]);
    expect(decodeMessage(message)).toMatchObject({ type: MessageType.error, serial: 9, replySerial: 3, errorName: 'E', body: ['no'] });
    expect(() => decodeMessage(message.subarray(0, message.length - 2))).toThrow(/ends early/);
  });
});

function u32be(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}
