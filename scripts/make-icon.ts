// Draws build/icon.png (1024×1024): Switchboard's mark, three patch cords into one jack, rendered without image tools.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 1024;
const pixels = Buffer.alloc(size * size * 4);

function inRoundedSquare(x: number, y: number): boolean {
  const margin = 64;
  const radius = 200;
  const min = margin + radius;
  const max = size - margin - radius;
  const cx = Math.min(Math.max(x, min), max);
  const cy = Math.min(Math.max(y, min), max);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

const hub = { x: 700, y: 512 };
const sources = [
  { x: 300, y: 300 },
  { x: 300, y: 512 },
  { x: 300, y: 724 },
];

for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const offset = (y * size + x) * 4;
    if (!inRoundedSquare(x, y)) continue;
    let [r, g, b] = [31, 78, 160];
    const onCord = sources.some((s) => distanceToSegment(x, y, s.x, s.y, hub.x, hub.y) < 26);
    const onJack = sources.some((s) => Math.hypot(x - s.x, y - s.y) < 62) || Math.hypot(x - hub.x, y - hub.y) < 96;
    if (onCord || onJack) [r, g, b] = [245, 247, 250];
    pixels.set([r, g, b, 255], offset);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const rows = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);

writeFileSync(
  new URL('../build/icon.png', import.meta.url),
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
