// Audit records as RFC 5424 syslog messages over TCP (octet-counted framing, RFC 6587), optionally TLS (RFC 5425).
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as connectTls } from 'node:tls';
import { SwitchboardError } from '../../errors.ts';
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
}

/** Private Enterprise Number 32473 is IANA's example number, as RFC 5424 uses; it scopes the structured data id. */
const SD_ID = 'switchboard@32473';

export function createSyslogSink(options: SyslogOptions): AuditSink {
  let socket: Socket | undefined;
  const host = hostname().replace(/[^\x21-\x7e]/g, '') || '-';
  const app = options.appName ?? 'switchboard';

  async function open(signal: AbortSignal): Promise<Socket> {
    if (socket && !socket.destroyed) return socket;
    const opened = options.tls
      ? connectTls({ host: options.host, port: options.port, ...(options.tls.ca ? { ca: options.tls.ca } : {}), servername: options.tls.servername ?? options.host })
      : connectTcp({ host: options.host, port: options.port });
    opened.setNoDelay(true);
    opened.on('error', () => undefined);
    // A collector that never answers the handshake must not hold a stopping Switchboard open.
    const cutOff = () => opened.destroy();
    signal.addEventListener('abort', cutOff, { once: true });
    await Promise.race([
      once(opened, options.tls ? 'secureConnect' : 'connect', { signal }),
      once(opened, 'error').then(([error]) => {
        throw new SwitchboardError('AUDIT_SINK_FAILED', `cannot reach syslog at ${options.host}:${options.port}: ${(error as Error).message}`);
      }),
    ]);
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
        const message = Buffer.from(formatRfc5424(record, { facility: options.facility ?? 16, host, app }));
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

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG` with the record's identity in structured data and the record as JSON. */
export function formatRfc5424(record: AuditRecord, context: { facility: number; host: string; app: string }): string {
  const severity = record.outcome === 'ok' ? 6 : 4;
  const msgId = (record.kind === 'security' ? record.method : record.method.replace('/', '.')).replace(/[^\x21-\x7e]/g, '').slice(0, 32) || '-';
  const params = { id: record.id, seq: String(record.seq), hash: record.hash, outcome: record.outcome, ...(record.server ? { server: record.server } : {}), ...(record.client ? { client: record.client } : {}) };
  const sd = `[${SD_ID} ${Object.entries(params).map(([name, value]) => `${name}="${value.replace(/["\\\]]/g, (character) => `\\${character}`)}"`).join(' ')}]`;
  return `<${context.facility * 8 + severity}>1 ${record.time} ${context.host} ${context.app} ${process.pid} ${msgId} ${sd} ${JSON.stringify(exported(record))}`;
}
