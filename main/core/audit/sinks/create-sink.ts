// Builds the export sink a configuration entry describes.
import { readFileSync } from 'node:fs';
import type { AuditSinkConfig } from '../../config/config-schema.ts';
import { SwitchboardError } from '../../errors.ts';
import { createJsonlSink } from './jsonl-sink.ts';
import { createOtlpSink } from './otlp-sink.ts';
import type { AuditSink } from './sink-exporter.ts';
import { createSyslogSink } from './syslog-sink.ts';

export function createAuditSink(config: AuditSinkConfig): AuditSink {
  switch (config.type) {
    case 'jsonl':
      return createJsonlSink({ path: config.path, maxBytes: config.maxBytes, maxFiles: config.maxFiles });
    case 'otlp':
      return createOtlpSink({ url: config.url ?? `${(config.endpoint ?? 'http://localhost:4318').replace(/\/$/, '')}/v1/logs` });
    case 'syslog': {
      let ca: string | undefined;
      if (config.tls?.caFile) {
        try {
          ca = readFileSync(config.tls.caFile, 'utf8');
        } catch (error) {
          throw new SwitchboardError('CONFIG_INVALID', `audit.sinks: cannot read the syslog CA file ${config.tls.caFile}: ${(error as Error).message}`, { cause: error });
        }
      }
      return createSyslogSink({
        host: config.host,
        port: config.port,
        facility: config.facility,
        appName: config.appName,
        ...(config.tls ? { tls: { ...(ca ? { ca } : {}), ...(config.tls.servername ? { servername: config.tls.servername } : {}) } } : {}),
      });
    }
  }
}
