// Audit records as JSON lines in a file that rotates by size, for log shippers that tail files.
import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditRecord } from '../audit-record.ts';
import type { AuditSink } from './sink-exporter.ts';

/** `path` grows to `maxBytes`, then becomes `path.1` (the older ones shift up, the oldest beyond `maxFiles` goes). */
export function createJsonlSink(options: { path: string; maxBytes: number; maxFiles: number }): AuditSink {
  return {
    name: `jsonl:${options.path}`,
    async send(records) {
      await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
      const size = await stat(options.path).then(
        (info) => info.size,
        () => 0,
      );
      if (size > 0 && size >= options.maxBytes) await rotate(options.path, options.maxFiles);
      await appendFile(options.path, records.map((record) => `${JSON.stringify(exported(record))}\n`).join(''), { mode: 0o600 });
    },
  };
}

async function rotate(path: string, maxFiles: number): Promise<void> {
  await rm(`${path}.${maxFiles}`, { force: true });
  for (let index = maxFiles - 1; index >= 1; index--) await rename(`${path}.${index}`, `${path}.${index + 1}`).catch(() => undefined);
  await rename(path, `${path}.1`);
}

/** The exported form: the record with its details parsed back into JSON. */
export function exported(record: AuditRecord): Record<string, unknown> {
  return { ...record, details: record.details === null ? null : (JSON.parse(record.details) as unknown) };
}
