// mcp.server.operation.duration and mcp.client.operation.duration as OTLP delta histograms over a batch of audited calls.
import type { AuditRecord } from '../audit-record.ts';
import { isCall, serverDurationAttributes, upstreamDurationAttributes, type UpstreamAddress } from './mcp-attributes.ts';
import { encodeAttributes, isoToNanos, millisToNanos, type Attributes, type OtlpKeyValue } from './otlp-json.ts';

/** The bucket boundaries, in seconds, the convention gives both metrics (ExplicitBucketBoundaries advice). */
export const MCP_DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] as const;

/** OTLP's AggregationTemporality enum: each export counts only the calls in its own interval. */
export const AGGREGATION_TEMPORALITY_DELTA = 1;

export interface HistogramDataPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
  count: string;
  sum: number;
  bucketCounts: string[];
  explicitBounds: number[];
  min: number;
  max: number;
}

export interface OtlpHistogramMetric {
  name: string;
  description: string;
  unit: 's';
  histogram: { aggregationTemporality: number; dataPoints: HistogramDataPoint[] };
}

/** The interval one export reports, in Unix nanoseconds. */
export interface MetricsWindow {
  start: bigint;
  end: bigint;
}

/**
 * The interval for a batch: from where the previous export's interval ended (so the intervals of one series follow
 * each other without overlap, as delta points must), or for the first export from its earliest call's start, to the
 * latest call's end. Undefined when the batch holds no calls.
 */
export function metricsWindow(records: readonly AuditRecord[], previousEnd: bigint | undefined): MetricsWindow | undefined {
  const calls = records.filter(isCall);
  if (calls.length === 0) return undefined;
  const ends = calls.map((call) => isoToNanos(call.time));
  const start = previousEnd ?? calls.reduce((earliest, call, index) => minBig(earliest, ends[index]! - millisToNanos(call.latencyMs)), ends[0]!);
  const latestEnd = ends.reduce((latest, end) => (end > latest ? end : latest));
  return { start, end: latestEnd > start ? latestEnd : start + 1n };
}

/**
 * Delta rather than cumulative: the measurements come from the audit trail, which a sink re-reads after a restart
 * or an outage, so the exporter keeps no running totals that a restart would reset or a re-sent batch would skew
 * beyond that batch. (A collector's deltatocumulative processor turns them into cumulative series where needed.)
 */
export function durationMetrics(
  records: readonly AuditRecord[],
  window: MetricsWindow,
  upstreamOf: (serverId: string) => UpstreamAddress | undefined = () => undefined,
): OtlpHistogramMetric[] {
  const server = new SeriesSet();
  const client = new SeriesSet();
  for (const record of records) {
    if (!isCall(record)) continue;
    const seconds = record.latencyMs / 1000;
    server.add(serverDurationAttributes(record), seconds);
    // The hop to the server is measured by the whole call for now (the record has no timing of its own for it).
    if (record.server) client.add(upstreamDurationAttributes(record, upstreamOf(record.server)), seconds);
  }
  const metrics: OtlpHistogramMetric[] = [];
  if (server.size)
    metrics.push(
      histogram('mcp.server.operation.duration', 'How long Switchboard took over an MCP request, from receiving it to answering it.', server, window),
    );
  if (client.size)
    metrics.push(
      histogram(
        'mcp.client.operation.duration',
        'How long a request Switchboard forwarded to an MCP server took (measured by the whole call).',
        client,
        window,
      ),
    );
  return metrics;
}

interface Series {
  attributes: OtlpKeyValue[];
  count: number;
  sum: number;
  min: number;
  max: number;
  buckets: number[];
}

/** Measurements grouped by their attribute set (one data point each). */
class SeriesSet {
  readonly #series = new Map<string, Series>();

  get size(): number {
    return this.#series.size;
  }

  add(attributes: Attributes, value: number): void {
    const encoded = encodeAttributes(attributes).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const key = JSON.stringify(encoded);
    let series = this.#series.get(key);
    if (!series) {
      series = { attributes: encoded, count: 0, sum: 0, min: value, max: value, buckets: Array.from({ length: MCP_DURATION_BUCKETS.length + 1 }, () => 0) };
      this.#series.set(key, series);
    }
    series.count++;
    series.sum += value;
    series.min = Math.min(series.min, value);
    series.max = Math.max(series.max, value);
    series.buckets[bucketOf(value)]!++;
  }

  values(): IterableIterator<Series> {
    return this.#series.values();
  }
}

/** OTLP buckets are upper-inclusive: bucket i holds (bounds[i-1], bounds[i]], the last one everything above. */
function bucketOf(value: number): number {
  const index = MCP_DURATION_BUCKETS.findIndex((bound) => value <= bound);
  return index === -1 ? MCP_DURATION_BUCKETS.length : index;
}

function histogram(name: string, description: string, set: SeriesSet, window: MetricsWindow): OtlpHistogramMetric {
  const dataPoints = [...set.values()].map((series) => ({
    attributes: series.attributes,
    startTimeUnixNano: String(window.start),
    timeUnixNano: String(window.end),
    count: String(series.count),
    sum: series.sum,
    bucketCounts: series.buckets.map(String),
    explicitBounds: [...MCP_DURATION_BUCKETS],
    min: series.min,
    max: series.max,
  }));
  return { name, description, unit: 's', histogram: { aggregationTemporality: AGGREGATION_TEMPORALITY_DELTA, dataPoints } };
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
