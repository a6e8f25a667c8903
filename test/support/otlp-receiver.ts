// A real OTLP/HTTP receiver for tests: decodes JSON logs, traces and metrics (gzip too); it can be taken down and brought back on the same port.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

export { freePort } from './free-port.ts';

/** An attribute value exactly as it arrived: `{ stringValue }`, `{ intValue }`, … so tests can check its OTLP type. */
export type TypedValue = Record<string, unknown>;
type KeyValues = { key: string; value: TypedValue }[];

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code?: number; message?: string };
  attributes: Record<string, TypedValue>;
  resource: Record<string, TypedValue>;
  scope: { name: string; version?: string };
}

export interface ReceivedDataPoint {
  attributes: Record<string, TypedValue>;
  startTimeUnixNano: string;
  timeUnixNano: string;
  count: string;
  sum: number;
  min?: number;
  max?: number;
  bucketCounts: string[];
  explicitBounds: number[];
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  description?: string;
  histogram?: { aggregationTemporality: number; dataPoints: ReceivedDataPoint[] };
  resource: Record<string, TypedValue>;
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface OtlpReceiver {
  /** Log records, attributes flattened to their value (an int arrives as its decimal string). */
  received: Record<string, unknown>[];
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  requests: ReceivedRequest[];
  /** Paths answered with this HTTP status instead of being accepted (a receiver without that signal's pipeline). */
  failing: Map<string, number>;
  close(): Promise<void>;
}

const typed = (attributes: KeyValues | undefined): Record<string, TypedValue> => Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, value]));

export async function startOtlpReceiver(port: number): Promise<OtlpReceiver> {
  const receiver: Omit<OtlpReceiver, 'close'> = { received: [], spans: [], metrics: [], requests: [], failing: new Map() };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      receiver.requests.push({ path, headers: request.headers });
      const status = receiver.failing.get(path);
      if (status) {
        response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const raw = Buffer.concat(chunks);
      const payload = JSON.parse((request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString()) as Record<string, unknown>;
      decode(path, payload, receiver);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    ...receiver,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function decode(path: string, payload: Record<string, unknown>, into: Omit<OtlpReceiver, 'close'>): void {
  if (path === '/v1/logs') {
    const { resourceLogs } = payload as { resourceLogs: { scopeLogs: { logRecords: { attributes: KeyValues }[] }[] }[] };
    for (const resourceLog of resourceLogs) {
      for (const scopeLog of resourceLog.scopeLogs) {
        for (const logRecord of scopeLog.logRecords) {
          into.received.push({ ...logRecord, attributes: Object.fromEntries(logRecord.attributes.map(({ key, value }) => [key, Object.values(value)[0]])) });
        }
      }
    }
  } else if (path === '/v1/traces') {
    type Payload = {
      resourceSpans: {
        resource: { attributes: KeyValues };
        scopeSpans: { scope: ReceivedSpan['scope']; spans: (Omit<ReceivedSpan, 'attributes' | 'resource' | 'scope'> & { attributes: KeyValues })[] }[];
      }[];
    };
    for (const resourceSpan of (payload as Payload).resourceSpans) {
      for (const scopeSpan of resourceSpan.scopeSpans) {
        for (const span of scopeSpan.spans)
          into.spans.push({ ...span, attributes: typed(span.attributes), resource: typed(resourceSpan.resource.attributes), scope: scopeSpan.scope });
      }
    }
  } else if (path === '/v1/metrics') {
    type RawPoint = Omit<ReceivedDataPoint, 'attributes'> & { attributes: KeyValues };
    type Payload = {
      resourceMetrics: {
        resource: { attributes: KeyValues };
        scopeMetrics: {
          metrics: (Omit<ReceivedMetric, 'resource' | 'histogram'> & { histogram?: { aggregationTemporality: number; dataPoints: RawPoint[] } })[];
        }[];
      }[];
    };
    for (const resourceMetric of (payload as Payload).resourceMetrics) {
      for (const scopeMetric of resourceMetric.scopeMetrics) {
        for (const metric of scopeMetric.metrics) {
          const { histogram, ...rest } = metric;
          const decoded: ReceivedMetric = { ...rest, resource: typed(resourceMetric.resource.attributes) };
          if (histogram)
            decoded.histogram = { ...histogram, dataPoints: histogram.dataPoints.map((point) => ({ ...point, attributes: typed(point.attributes) })) };
          into.metrics.push(decoded);
        }
      }
    }
  }
}
