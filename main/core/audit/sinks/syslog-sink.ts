// Audit records as RFC 5424 syslog messages over TCP (octet-counted framing, RFC 6587), optionally TLS (RFC 5425).
import { once } from 'node:events';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as connectTls } from 'node:tls';
import { SwitchboardError } from '../../errors.ts';
import { SWITCHBOARD_VERSION } from '../../version.ts';
import type { AuditRecord } from '../audit-record.ts';
import { exported } from './jsonl-sink.ts';
import type { AuditSink } from './sink-exporter.ts';

export interface SyslogOptions {
  host: string;
  port: number;
  /** TLS with the system's CAs, or the given PEM CA. */
  tls?: { ca?: string; servername?: string };
  /** Syslog facility number; 16 = local0. */
  facility?: number;
  appName?: string;
  /** The SD-ID of the record's identity element, name@<PEN>; without one the identity travels in the message only. */
  structuredDataId?: string;
}

/**
 * RFC 5424 §7.2.2: an SD-ID without an "@" must be registered with IANA, and any other must be name@<private
 * enterprise number> of whoever defines it. Switchboard has no enterprise number of its own (32473 is the one IANA
 * reserves for documentation), so by default it sends only the registered `origin` element, which says which
 * software wrote the message, and the record itself (with its id, seq and hash) as the JSON message. A company
 * that wants the identity as structured data names its own SD-ID with its own number (`structuredDataId`).
 */
const ORIGIN = `[origin software="switchboard" swVersion="${escapeParam(SWITCHBOARD_VERSION)}"]`;

export function createSyslogSink(options: SyslogOptions): AuditSink {
  let socket: Socket | undefined;
  const host = hostname().replace(/[^\x21-\x7e]/g, '') || '-';
  const app = options.appName ?? 'switchboard';

  async function open(signal: AbortSignal): Promise<Socket> {
    if (socket && !socket.destroyed) return socket;
    const opened = options.tls
      ? connectTls({
          host: options.host,
          port: options.port,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          ...tlsServerName(options.tls.servername ?? options.host),
        })
      : connectTcp({ host: options.host, port: options.port });
    opened.setNoDelay(true);
    opened.on('error', () => undefined);
    // A collector that never answers the handshake must not hold a stopping Switchboard open.
    const cutOff = () => opened.destroy();
    signal.addEventListener('abort', cutOff, { once: true });
    try {
      // once() rejects with the socket's 'error' (refused, or a certificate that does not verify) as well.
      await once(opened, options.tls ? 'secureConnect' : 'connect', { signal });
    } catch (error) {
      opened.destroy();
      signal.removeEventListener('abort', cutOff);
      if (signal.aborted) throw error;
      throw new SwitchboardError(
        'AUDIT_SINK_FAILED',
        `cannot reach syslog at ${options.host}:${options.port}${options.tls ? ' over TLS' : ''}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    opened.once('close', () => {
      signal.removeEventListener('abort', cutOff);
      if (socket === opened) socket = undefined;
    });
    socket = opened;
    return opened;
  }

  return {
    name: `syslog:${options.host}:${options.port}`,
    async send(records, signal) {
      const connection = await open(signal);
      const frames = records.map((record) => {
        const message = Buffer.from(
          formatRfc5424(record, {
            facility: options.facility ?? 16,
            host,
            app,
            ...(options.structuredDataId ? { structuredDataId: options.structuredDataId } : {}),
          }),
        );
        return Buffer.concat([Buffer.from(`${message.length} `), message]);
      });
      await new Promise<void>((resolve, reject) => {
        connection.write(Buffer.concat(frames), (error) => {
          if (error) {
            connection.destroy();
            reject(new SwitchboardError('AUDIT_SINK_FAILED', `syslog at ${options.host}:${options.port} dropped the connection: ${error.message}`));
          } else resolve();
        });
      });
    },
    async close() {
      const closing = socket;
      socket = undefined;
      closing?.end();
      // end() waits for the collector to close its side; one that never does would keep the process alive.
      if (closing) setTimeout(() => closing.destroy(), 500).unref();
    },
  };
}

/**
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`: the record as JSON in MSG; in SD the `origin` element
 * and, when an SD-ID is given, the record's identity (id, seq, hash, outcome, server, client) under it.
 */
export function formatRfc5424(record: AuditRecord, context: { facility: number; host: string; app: string; structuredDataId?: string }): string {
  const severity = record.outcome === 'ok' ? 6 : 4;
  const msgId = (record.kind === 'security' ? record.method : record.method.replace('/', '.')).replace(/[^\x21-\x7e]/g, '').slice(0, 32) || '-';
  const identity = context.structuredDataId ? identityElement(record, context.structuredDataId) : '';
  return `<${context.facility * 8 + severity}>1 ${record.time} ${context.host} ${context.app} ${process.pid} ${msgId} ${identity}${ORIGIN} ${JSON.stringify(exported(record))}`;
}

function identityElement(record: AuditRecord, sdId: string): string {
  const params = {
    id: record.id,
    seq: String(record.seq),
    hash: record.hash,
    outcome: record.outcome,
    ...(record.server ? { server: record.server } : {}),
    ...(record.client ? { client: record.client } : {}),
  };
  return `[${sdId} ${Object.entries(params)
    .map(([name, value]) => `${name}="${escapeParam(value)}"`)
    .join(' ')}]`;
}

/** RFC 5424 §6.3.3: inside PARAM-VALUE, '"', '\\' and ']' are escaped with a backslash. */
function escapeParam(value: string): string {
  return value.replace(/["\\\]]/g, (character) => `\\${character}`);
}

/** SNI carries host names only (RFC 6066 §3); for an IP address the certificate is checked against the address itself. */
function tlsServerName(name: string): { servername?: string } {
  return isIP(name) ? {} : { servername: name };
}
