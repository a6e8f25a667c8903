// Audit records as OpenTelemetry logs, spans and MCP duration metrics over OTLP/HTTP (JSON encoding), for an OpenTelemetry Collector.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { SwitchboardError } from '../../errors.ts';
import type { AuditRecord } from '../audit-record.ts';
import { auditLogRecord } from '../telemetry/audit-log-records.ts';
import { callSpans } from '../telemetry/call-spans.ts';
import { durationMetrics, metricsWindow, type MetricsWindow } from '../telemetry/duration-histograms.ts';
import type { UpstreamAddress } from '../telemetry/mcp-attributes.ts';
import { AUDIT_SCOPE, encodeAttributes } from '../telemetry/otlp-json.ts';
import type { OtlpSettings, OtlpSignal, OtlpTarget } from './otlp-settings.ts';
import type { AuditSink } from './sink-exporter.ts';

const gzipped = promisify(gzip);

export interface OtlpSinkOptions {
  settings: OtlpSettings;
  /** A server's configured URL by its id, for `server.address` and `server.port` on the hop to it. */
  serverUrl?: (serverId: string) => string | undefined;
}

/**
 * The exporter hands over batches from the audit trail off the call path; each batch goes out as up to three
 * requests at once (logs, traces, metrics). The cursor moves only when all are accepted, so a batch is re-sent when
 * one signal's receiver fails: the sink remembers, for as long as it runs, how far each signal was accepted and
 * sends a signal only what it has not taken yet, so a traces outage does not duplicate logs or double-count metrics.
 */
export function createOtlpSink(options: OtlpSinkOptions): AuditSink {
  const { targets, resource: resourceAttributes } = options.settings;
  const resource = { attributes: encodeAttributes(resourceAttributes) };
  const upstreamOf = upstreamLookup(options.serverUrl);
  const acceptedThrough = new Map<OtlpSignal, number>();
  let reportedUntil: bigint | undefined;
  const signals = Object.keys(targets) as OtlpSignal[];

  /** The request body for one signal, or undefined when the records hold nothing of that kind (no calls, no sampled spans). */
  function payload(signal: OtlpSignal, records: readonly AuditRecord[]): { body: unknown; window?: MetricsWindow } | undefined {
    switch (signal) {
      case 'logs':
        return { body: { resourceLogs: [{ resource, scopeLogs: [{ scope: AUDIT_SCOPE, logRecords: records.map(auditLogRecord) }] }] } };
      case 'traces': {
        const spans = records.flatMap((record) => callSpans(record, upstreamOf));
        return spans.length ? { body: { resourceSpans: [{ resource, scopeSpans: [{ scope: AUDIT_SCOPE, spans }] }] } } : undefined;
      }
      case 'metrics': {
        const window = metricsWindow(records, reportedUntil);
        if (!window) return undefined;
        return {
          body: { resourceMetrics: [{ resource, scopeMetrics: [{ scope: AUDIT_SCOPE, metrics: durationMetrics(records, window, upstreamOf) }] }] },
          window,
        };
      }
    }
  }

  async function deliver(signal: OtlpSignal, records: readonly AuditRecord[], stopping: AbortSignal): Promise<void> {
    const pending = records.filter((record) => record.seq > (acceptedThrough.get(signal) ?? 0));
    if (pending.length === 0) return;
    const built = payload(signal, pending);
    if (built) await post(signal, targets[signal]!, built.body, stopping);
    acceptedThrough.set(signal, pending.at(-1)!.seq);
    if (built?.window) reportedUntil = built.window.end;
  }

  return {
    name: `otlp:${safeUrl((targets.logs ?? targets.traces ?? targets.metrics)!.url)}`,
    async send(records, stopping) {
      const results = await Promise.allSettled(signals.map((signal) => deliver(signal, records, stopping)));
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
      if (failures.length === 1) throw failures[0]!;
      if (failures.length > 1) throw new SwitchboardError('AUDIT_SINK_FAILED', failures.map((failure) => failure.message).join('; '));
    },
  };
}

async function post(signal: OtlpSignal, target: OtlpTarget, body: unknown, stopping: AbortSignal): Promise<void> {
  const json = JSON.stringify(body);
  const encoded = target.gzip ? await gzipped(json) : json;
  const where = `the OTLP receiver at ${safeUrl(target.url)} (${signal})`;
  const { url, authorization } = withoutCredentials(target.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      // The configured and environment headers first: content-type and content-encoding describe the body and stay ours.
      headers: { ...authorization, ...target.headers, 'content-type': 'application/json', ...(target.gzip ? { 'content-encoding': 'gzip' } : {}) },
      body: encoded,
      signal: AbortSignal.any([AbortSignal.timeout(target.timeoutMs), stopping]),
    });
  } catch (error) {
    if (stopping.aborted) throw stopping.reason;
    // Only the reason: a message from the network stack may quote the URL, and the URL may carry credentials.
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new SwitchboardError('AUDIT_SINK_FAILED', `cannot reach ${where}: ${cause}`, { cause: error });
  }
  await response.body?.cancel();
  if (!response.ok) throw new SwitchboardError('AUDIT_SINK_FAILED', `${where} answered HTTP ${response.status}`);
}

/**
 * The URL as logs and errors show it: no user name, password, query or fragment, which may hold credentials. A URL
 * without them is shown exactly as written, because the sink's name (`otlp:<url>`) keys its delivery cursor: the
 * name a logs-only sink always had must stay the same, or the whole trail would be sent again.
 */
export function safeUrl(value: string): string {
  const url = URL.parse(value);
  if (!url) return '(invalid URL)';
  if (!url.username && !url.password && !url.search && !url.hash) return value;
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * fetch refuses URLs with a user name and password in them; such a URL means HTTP Basic authentication (as curl
 * reads it), so the credentials move into an Authorization header. One set in the headers still wins.
 */
function withoutCredentials(value: string): { url: string; authorization: Record<string, string> } {
  const url = new URL(value);
  if (!url.username && !url.password) return { url: value, authorization: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

/** server.address and server.port from a server's URL (its port, or the scheme's default), looked up once per server. */
function upstreamLookup(serverUrl: ((serverId: string) => string | undefined) | undefined): (serverId: string) => UpstreamAddress | undefined {
  const known = new Map<string, UpstreamAddress | undefined>();
  return (serverId) => {
    if (!serverUrl) return undefined;
    if (!known.has(serverId)) {
      const url = URL.parse(serverUrl(serverId) ?? '');
      const address = url?.hostname.replace(/^\[(.*)\]$/, '$1');
      known.set(serverId, url && address ? { address, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 } : undefined);
    }
    return known.get(serverId);
  };
}
