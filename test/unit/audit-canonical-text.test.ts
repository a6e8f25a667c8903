// Pins the hashed form of audit records to what Switchboard has always written, so existing audit.db chains keep verifying.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalRecordText, chainHash, GENESIS_HASH, type AuditRecord } from '../../main/core/audit/audit-record.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';

// Every field set, with the awkward cases: a negative code, a fractional latency, non-ASCII and escapes in details.
const everyField: Omit<AuditRecord, 'prevHash' | 'hash'> = {
  seq: 7,
  id: '0d6f1a52-3c4b-4e8a-9f10-2b7c5d9e8a61',
  time: '2026-11-25T10:00:00.123Z',
  kind: 'request',
  client: 'cursor',
  user: 'ana@example.com',
  server: 'crm',
  method: 'tools/call',
  target: 'crm_search',
  jsonrpcId: '42',
  protocolVersion: '2026-07-28',
  outcome: 'tool_error',
  errorCode: -32603,
  errorType: 'tool_error',
  latencyMs: 12.5,
  requestBytes: 321,
  responseBytes: 4567,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  details: '{"arguments":{"q":"naïve \\u2028 \\"quoted\\""}}',
};
// Only the required fields: every optional one must hash as null.
const requiredOnly: Omit<AuditRecord, 'prevHash' | 'hash'> = {
  seq: 8,
  id: 'b1e2c3d4-0000-4000-8000-000000000008',
  time: '2026-11-25T10:00:01.000Z',
  kind: 'security',
  method: 'auth.token_obtained',
  outcome: 'ok',
  details: null,
};

// Computed by the record code as it was before the field table existed (commit 1b52abb); never recompute these.
const EVERY_FIELD_TEXT =
  '{"client":"cursor","details":"{\\"arguments\\":{\\"q\\":\\"naïve \\\\u2028 \\\\\\"quoted\\\\\\"\\"}}","errorCode":-32603,"errorType":"tool_error","id":"0d6f1a52-3c4b-4e8a-9f10-2b7c5d9e8a61","jsonrpcId":"42","kind":"request","latencyMs":12.5,"method":"tools/call","outcome":"tool_error","protocolVersion":"2026-07-28","requestBytes":321,"responseBytes":4567,"seq":7,"server":"crm","target":"crm_search","time":"2026-11-25T10:00:00.123Z","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","user":"ana@example.com"}';
const EVERY_FIELD_HASH = '3b893ebfb04f83d610f4b8c851ec3b0aa4d44b7651626b8cdb393b83b466ce41';
const REQUIRED_ONLY_TEXT =
  '{"client":null,"details":null,"errorCode":null,"errorType":null,"id":"b1e2c3d4-0000-4000-8000-000000000008","jsonrpcId":null,"kind":"security","latencyMs":null,"method":"auth.token_obtained","outcome":"ok","protocolVersion":null,"requestBytes":null,"responseBytes":null,"seq":8,"server":null,"target":null,"time":"2026-11-25T10:00:01.000Z","traceparent":null,"user":null}';
const REQUIRED_ONLY_HASH = '73d4570572ed12c46b6c34860dd2e8c186522a1ef74a9e024abbd389d750013a';

describe('audit record canonical text', () => {
  it('is byte-for-byte what earlier versions hashed', () => {
    expect(canonicalRecordText(everyField)).toBe(EVERY_FIELD_TEXT);
    expect(chainHash(GENESIS_HASH, EVERY_FIELD_TEXT)).toBe(EVERY_FIELD_HASH);
    expect(canonicalRecordText(requiredOnly)).toBe(REQUIRED_ONLY_TEXT);
    expect(chainHash(EVERY_FIELD_HASH, REQUIRED_ONLY_TEXT)).toBe(REQUIRED_ONLY_HASH);
  });

  it('is RFC 8785 canonical JSON of the hashed fields, absent ones as null', () => {
    expect(canonicalRecordText(everyField)).toBe(canonicalize(everyField));
    expect(JSON.parse(REQUIRED_ONLY_TEXT)).toMatchObject(requiredOnly);
  });

  it('verifies a chain written by an earlier version, read back from its columns', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'switchboard-audit-pinned-')), 'audit.db');
    AuditStore.open(path).close();
    // The rows as an earlier Switchboard stored them, column by column, behind a retention anchor at seq 6.
    const db = new Database(path);
    db.prepare(
      `INSERT INTO records (seq, id, time, kind, client, user, server, method, target, jsonrpc_id, protocol_version, outcome, error_code, error_type, latency_ms,
        request_bytes, response_bytes, traceparent, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      7,
      everyField.id,
      everyField.time,
      'request',
      'cursor',
      'ana@example.com',
      'crm',
      'tools/call',
      'crm_search',
      '42',
      '2026-07-28',
      'tool_error',
      -32603,
      'tool_error',
      12.5,
      321,
      4567,
      everyField.traceparent,
      everyField.details,
      GENESIS_HASH,
      EVERY_FIELD_HASH,
    );
    db.prepare('INSERT INTO records (seq, id, time, kind, method, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      8,
      requiredOnly.id,
      requiredOnly.time,
      'security',
      'auth.token_obtained',
      'ok',
      EVERY_FIELD_HASH,
      REQUIRED_ONLY_HASH,
    );
    db.prepare('UPDATE chain_state SET head_seq = 8, head_hash = ?, anchor_seq = 6, anchor_hash = ?').run(REQUIRED_ONLY_HASH, GENESIS_HASH);
    db.close();

    const store = AuditStore.open(path);
    expect(store.verify()).toEqual({ ok: true, checked: 2 });
    expect(store.query().records).toEqual([
      { ...requiredOnly, prevHash: EVERY_FIELD_HASH, hash: REQUIRED_ONLY_HASH },
      { ...everyField, prevHash: GENESIS_HASH, hash: EVERY_FIELD_HASH },
    ]);
    store.close();
  });
});
