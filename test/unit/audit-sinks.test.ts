// Export formats: JSONL rotation by size, RFC 5424 framing, SD-IDs and structured-data escaping, redaction rules.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../main/core/audit/audit-record.ts';
import { redact } from '../../main/core/audit/redaction.ts';
import { createJsonlSink } from '../../main/core/audit/sinks/jsonl-sink.ts';
import { formatRfc5424 } from '../../main/core/audit/sinks/syslog-sink.ts';
import { auditConfigSchema } from '../../main/core/config/config-schema.ts';
import { SWITCHBOARD_VERSION } from '../../main/core/version.ts';

const record = (seq: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  seq,
  id: `id-${seq}`,
  time: '2026-11-25T10:00:00.000Z',
  kind: 'request',
  method: 'tools/call',
  outcome: 'ok',
  details: null,
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  ...extra,
});

describe('audit export formats', () => {
  it('rotates JSONL files by size and keeps at most maxFiles old ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-jsonl-'));
    const sink = createJsonlSink({ path: join(dir, 'audit.jsonl'), maxBytes: 1024, maxFiles: 2 });
    for (let seq = 1; seq <= 40; seq++) await sink.send([record(seq, { target: 'x'.repeat(100) })], AbortSignal.timeout(5_000));
    expect((await readdir(dir)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2']);
    const newest = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(newest.at(-1)).toBe(40);
  });

  it('formats RFC 5424 with escaped structured data under the configured SD-ID, warning severity for failures, and the record as JSON', () => {
    // 32473 is the enterprise number IANA reserves for documentation and examples, as this is.
    const line = formatRfc5424(record(7, { outcome: 'error', server: 'a"b]c\\d', details: '{"x":1}' }), {
      facility: 16,
      host: 'host',
      app: 'switchboard',
      structuredDataId: 'audit@32473',
    });
    expect(line).toMatch(
      /^<132>1 2026-11-25T10:00:00.000Z host switchboard \d+ tools\.call \[audit@32473 id="id-7" seq="7" hash="a{64}" outcome="error" server="a\\"b\\]c\\\\d"\]\[origin software="switchboard" swVersion="[^"]+"\] \{/,
    );
    expect(JSON.parse(line.slice(line.indexOf('] {') + 2))).toMatchObject({ seq: 7, details: { x: 1 } });
  });

  it('sends only the IANA-registered origin element when no SD-ID is configured, never a borrowed enterprise number', () => {
    const line = formatRfc5424(record(8), { facility: 16, host: 'host', app: 'switchboard' });
    expect(line).toMatch(
      new RegExp(
        `^<134>1 2026-11-25T10:00:00.000Z host switchboard \\d+ tools\\.call \\[origin software="switchboard" swVersion="${SWITCHBOARD_VERSION.replaceAll('.', '\\.')}"\\] \\{`,
      ),
    );
    expect(line).not.toContain('@');
    expect(JSON.parse(line.slice(line.indexOf('] {') + 2))).toMatchObject({ seq: 8, id: 'id-8', hash: 'a'.repeat(64) });
  });

  it('accepts only name@<private enterprise number> as a syslog SD-ID (RFC 5424 section 7.2.2)', () => {
    const sink = (structuredDataId: string) =>
      auditConfigSchema.safeParse({ sinks: [{ type: 'syslog', host: 'logs.example.com', port: 6514, structuredDataId }] }).success;
    expect(['audit@32473', 'switchboard@1.3.6', 'x@1'].map(sink)).toEqual([true, true, true]);
    // Unregistered names without a number, a zero or missing number, and the characters SD-NAME excludes.
    expect(['switchboard', 'origin', 'audit@', 'audit@0', 'a=b@1', 'a]b@1', 'a"b@1', 'a b@1', 'a@b@1', `${'n'.repeat(30)}@123`].map(sink)).toEqual(
      Array.from({ length: 10 }, () => false),
    );
  });

  it('redacts configured keys, pointers and patterns, always the secret ones, and caps the size', () => {
    const value = { user: 'ada', password: 'p', nested: { ssn: '1', note: 'call me at 555-0100', auth: 'Bearer abcdefghijklmnop' }, list: [{ token: 't' }] };
    expect(redact(value, { keys: [], pointers: ['/nested/ssn'], patterns: ['\\d{3}-\\d{4}'] }, 4096)).toEqual({
      user: 'ada',
      password: '[REDACTED]',
      nested: { ssn: '[REDACTED]', note: 'call me at [REDACTED]', auth: '[REDACTED]' },
      list: [{ token: '[REDACTED]' }],
    });
    expect(redact({ big: 'x'.repeat(10_000) }, { keys: [], pointers: [], patterns: [] }, 100)).toMatchObject({ truncated: true, bytes: 10_010 });
  });
});
