// Syslog over TLS (RFC 5425) into Debian's rsyslog with its OpenSSL TLS listener: delivered in order when the certificate checks out, refused when it does not.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../main/core/audit/audit-record.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { createAuditSink } from '../../main/core/audit/sinks/create-sink.ts';
import { SinkExporter } from '../../main/core/audit/sinks/sink-exporter.ts';
import { createJsonLogger } from '../../main/core/index.ts';
import { freePort } from '../support/free-port.ts';
import { selfSignedCertificate, startRsyslog, type Rsyslog } from '../support/rsyslog.ts';

const call = (index: number): AuditEntry => ({
  kind: 'request',
  client: 'claude',
  server: 'wiki',
  method: 'tools/call',
  target: `tool_${index}`,
  outcome: index % 5 ? 'ok' : 'tool_error',
  latencyMs: 3,
});

describe('syslog over TLS', () => {
  let dir: string;
  let port: number;
  let rsyslog: Rsyslog;
  let caFile: string;
  let store: AuditStore;
  const logger = createJsonLogger({ write: () => {}, minLevel: 'error' });
  const exporters: SinkExporter[] = [];
  const exporter = (tls: { caFile?: string; servername?: string }, extra: { structuredDataId?: string } = {}) => {
    const created = new SinkExporter(
      createAuditSink({ type: 'syslog', host: '127.0.0.1', port, tls, facility: 16, appName: 'switchboard', ...extra }),
      store,
      logger,
    );
    exporters.push(created);
    return created;
  };
  const received = async () => ((await stat(rsyslog.output).catch(() => undefined)) ? (await readFile(rsyslog.output, 'utf8')).trim().split('\n') : []);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-syslog-tls-'));
    const certificate = await selfSignedCertificate(dir, 'rsyslog');
    caFile = certificate.certFile;
    port = await freePort();
    rsyslog = await startRsyslog(dir, port, certificate);
    store = AuditStore.open(join(dir, 'audit.db'));
    store.appendMany(Array.from({ length: 20 }, (_, index) => call(index + 1)));
  });

  afterAll(async () => {
    for (const created of exporters) await created.close();
    store?.close();
    await rsyslog?.stop();
  });

  it('refuses a listener whose certificate it cannot verify, and one whose name does not match, sending nothing', async () => {
    const stranger = await selfSignedCertificate(dir, 'stranger');
    await expect(exporter({ caFile: stranger.certFile }).drain()).rejects.toMatchObject({
      code: 'AUDIT_SINK_FAILED',
      message: expect.stringContaining('self-signed certificate'),
    });
    await expect(exporter({ caFile, servername: 'logs.example.com' }).drain()).rejects.toMatchObject({
      code: 'AUDIT_SINK_FAILED',
      message: expect.stringMatching(/does not match|altnames/i),
    });
    expect(await received()).toEqual([]);
  });

  it('delivers every record, in order, through rsyslog’s TLS listener: under the IP address, or under the certificate’s name', async () => {
    const byAddress = exporter({ caFile }, { structuredDataId: 'audit@32473' });
    await byAddress.drain();
    expect(byAddress.backlog()).toBe(0);
    await vi.waitFor(async () => expect(await received()).toHaveLength(20), { timeout: 10_000, interval: 100 });
    const lines = await received();
    // As rsyslog parsed it: RFC 5424 version 1, facility local0 with info or warning, the identity under the configured SD-ID, then origin.
    expect(lines[0]).toMatch(
      /^<134>1 \d{4}-\d\d-\d\dT[^ ]+ [^ ]+ switchboard \d+ tools\.call \[audit@32473 id="[0-9a-f-]+" seq="1" hash="[0-9a-f]{64}" outcome="ok" server="wiki" client="claude"\]\[origin software="switchboard" swVersion="[^"]+"\] \{/,
    );
    expect(lines[4]).toMatch(/^<132>1 .* outcome="tool_error"/);
    expect(lines.map((line) => Number(/ seq="(\d+)"/.exec(line)?.[1]))).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));

    // Without an SD-ID only the registered origin element goes, and the name in the certificate verifies as well
    // (the same destination, so the same cursor: only the new record).
    store.appendMany([call(21)]);
    await exporter({ caFile, servername: 'localhost' }).drain();
    await vi.waitFor(async () => expect(await received()).toHaveLength(21), { timeout: 10_000, interval: 100 });
    const plain = (await received()).at(-1)!;
    expect(plain).toMatch(/ tools\.call \[origin software="switchboard" swVersion="[^"]+"\] \{/);
    expect(JSON.parse(plain.slice(plain.indexOf('] {') + 2))).toMatchObject({ seq: 21, target: 'tool_21' });
  });
});
