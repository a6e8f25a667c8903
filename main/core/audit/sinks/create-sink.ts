// Builds the export sink a configuration entry describes.
import { readFileSync } from 'node:fs';
import type { AuditSinkConfig } from '../../config/config-schema.ts';
import { SwitchboardError } from '../../errors.ts';
import { createJsonlSink } from './jsonl-sink.ts';
import { createOtlpSink } from './otlp-sink.ts';
import { resolveOtlpSettings, type Environment } from './otlp-settings.ts';
import type { AuditSink } from './sink-exporter.ts';
import { createSyslogSink } from './syslog-sink.ts';

/** What a sink may use besides its own entry; each part is optional, so a caller passes only what it has. */
export interface SinkContext {
  /** The OTEL_* variables the OTLP sink reads; process.env when not given (tests pass their own). */
  env?: Environment;
  /** A server's configured URL by its id: the OTLP sink's `server.address` and `server.port` on the hop to it. */
  serverUrl?: (serverId: string) => string | undefined;
}

export function createAuditSink(config: AuditSinkConfig, context: SinkContext = {}): AuditSink {
  switch (config.type) {
    case 'jsonl':
      return createJsonlSink({ path: config.path, maxBytes: config.maxBytes, maxFiles: config.maxFiles });
    case 'otlp':
      return createOtlpSink({
        settings: resolveOtlpSettings(config, context.env ?? process.env),
        ...(context.serverUrl ? { serverUrl: context.serverUrl } : {}),
      });
    case 'syslog': {
      let ca: string | undefined;
      if (config.tls?.caFile) {
        try {
          ca = readFileSync(config.tls.caFile, 'utf8');
        } catch (error) {
          throw new SwitchboardError('CONFIG_INVALID', `audit.sinks: cannot read the syslog CA file ${config.tls.caFile}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      return createSyslogSink({
        host: config.host,
        port: config.port,
        facility: config.facility,
        appName: config.appName,
        ...(config.structuredDataId ? { structuredDataId: config.structuredDataId } : {}),
        ...(config.tls ? { tls: { ...(ca ? { ca } : {}), ...(config.tls.servername ? { servername: config.tls.servername } : {}) } } : {}),
      });
    }
  }
}
