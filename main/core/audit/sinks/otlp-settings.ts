// Where and how the OTLP sink sends each signal: the sink's configuration first, then the standard OTEL_* environment variables, then the OTLP defaults.
import { hostname } from 'node:os';
import type { AuditSinkConfig } from '../../config/config-schema.ts';
import { SwitchboardError } from '../../errors.ts';
import { isLoopbackHost } from '../../platform/loopback.ts';
import { SWITCHBOARD_VERSION } from '../../version.ts';

export type OtlpSinkConfig = Extract<AuditSinkConfig, { type: 'otlp' }>;
export type OtlpSignal = 'logs' | 'traces' | 'metrics';
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['logs', 'traces', 'metrics'];

/** One signal's destination. Header values may be secrets: they go on the request and nowhere else. */
export interface OtlpTarget {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  gzip: boolean;
}

export interface OtlpSettings {
  /** Only the signals that are sent. */
  targets: Partial<Record<OtlpSignal, OtlpTarget>>;
  resource: Record<string, string>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The OTLP/HTTP default a collector listens on (OTLP exporter specification). */
const DEFAULT_BASE = 'http://localhost:4318';
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Config file values win over the environment, per signal and per header: the file is what the person or their
 * company wrote for Switchboard, the environment may be meant for every program on the machine. In full:
 *
 * - endpoint: the sink's `url` (logs only, as-is), then its `endpoint` + `/v1/<signal>`, then
 *   OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT (as-is), then OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/<signal>`;
 * - signals: the sink's `signals`, else each signal one of those names; when none names any, all three go to
 *   http://localhost:4318 (the specification's default). A sink that names only a logs `url` thus sends only logs,
 *   as it always did, instead of posting traces to a receiver that may not take them.
 * - headers: OTEL_EXPORTER_OTLP_HEADERS, overridden by OTEL_EXPORTER_OTLP_<SIGNAL>_HEADERS, overridden by `headers`;
 * - timeout: `timeoutMs`, then OTEL_EXPORTER_OTLP_<SIGNAL>_TIMEOUT, then OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds), then 10 s;
 * - compression: OTEL_EXPORTER_OTLP_<SIGNAL>_COMPRESSION, then OTEL_EXPORTER_OTLP_COMPRESSION (`gzip` or `none`);
 * - resource: OTEL_SERVICE_NAME, then `service.name` in OTEL_RESOURCE_ATTRIBUTES, then `switchboard`; the other
 *   OTEL_RESOURCE_ATTRIBUTES over Switchboard's own `service.version` and `host.name`.
 *
 * The payload is always OTLP/HTTP with JSON, which every OTLP/HTTP receiver takes, so OTEL_EXPORTER_OTLP_PROTOCOL is
 * not read. An empty variable counts as unset, as the specification says. A plain-http endpoint from the environment
 * must be on loopback, the same rule the configuration file has: audit records do not cross a network in the clear.
 */
export function resolveOtlpSettings(config: OtlpSinkConfig, env: Environment): OtlpSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const named: Partial<Record<OtlpSignal, string>> = {};
  for (const signal of OTLP_SIGNALS) {
    const upper = signal.toUpperCase();
    const fromConfig = (signal === 'logs' ? config.url : undefined) ?? (config.endpoint ? underBase(config.endpoint, signal) : undefined);
    const signalVariable = `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`;
    const fromSignalVariable = read(signalVariable);
    const fromBaseVariable = read('OTEL_EXPORTER_OTLP_ENDPOINT');
    const url =
      fromConfig ??
      (fromSignalVariable ? checkedUrl(fromSignalVariable, signalVariable) : undefined) ??
      (fromBaseVariable ? underBase(checkedUrl(fromBaseVariable, 'OTEL_EXPORTER_OTLP_ENDPOINT'), signal) : undefined);
    if (url) named[signal] = url;
  }
  const anyNamed = Object.keys(named).length > 0;
  const sent = config.signals ? [...new Set(config.signals)] : anyNamed ? OTLP_SIGNALS.filter((signal) => named[signal]) : OTLP_SIGNALS;

  const targets: Partial<Record<OtlpSignal, OtlpTarget>> = {};
  for (const signal of sent) {
    const upper = signal.toUpperCase();
    const compression = read(`OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`) ?? read('OTEL_EXPORTER_OTLP_COMPRESSION');
    targets[signal] = {
      url: named[signal] ?? underBase(DEFAULT_BASE, signal),
      headers: {
        ...parseHeaders(read('OTEL_EXPORTER_OTLP_HEADERS')),
        ...parseHeaders(read(`OTEL_EXPORTER_OTLP_${upper}_HEADERS`)),
        ...lowerCaseNames(config.headers ?? {}),
      },
      timeoutMs:
        config.timeoutMs ??
        positiveMillis(read(`OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`)) ??
        positiveMillis(read('OTEL_EXPORTER_OTLP_TIMEOUT')) ??
        DEFAULT_TIMEOUT_MS,
      gzip: compression?.toLowerCase() === 'gzip',
    };
  }
  return { targets, resource: resourceAttributes(read('OTEL_SERVICE_NAME'), read('OTEL_RESOURCE_ATTRIBUTES')) };
}

/** The specification's rule for the base variable: the signal's path is appended to whatever path the base has. */
function underBase(base: string, signal: OtlpSignal): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function checkedUrl(value: string, variable: string): string {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new SwitchboardError('CONFIG_INVALID', `${variable} is not an http(s) URL`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new SwitchboardError('CONFIG_INVALID', `${variable} names plain http on ${url.hostname}: audit records go to a remote collector only over https`);
  }
  return value;
}

/** An invalid timeout is ignored (the specification: use the default), not fatal. */
function positiveMillis(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const millis = Number(value);
  return millis > 0 ? millis : undefined;
}

/**
 * `key=value,key2=value2` with percent-encoded values (the W3C Baggage form the specification uses). A malformed
 * entry is skipped; nothing here is ever logged or put in an error, since header values are usually credentials.
 */
export function parseHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of value?.split(',') ?? []) {
    const separator = entry.indexOf('=');
    if (separator <= 0) continue;
    const name = entry.slice(0, separator).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) continue;
    const decoded = percentDecoded(entry.slice(separator + 1).trim());
    if (decoded !== undefined) headers[name.toLowerCase()] = decoded;
  }
  return headers;
}

/** Header names are case-insensitive: one spelling each, so a configured header replaces an environment one. */
function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function percentDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function resourceAttributes(serviceName: string | undefined, fromVariable: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = { 'service.name': 'switchboard', 'service.version': SWITCHBOARD_VERSION, 'host.name': hostname() };
  for (const entry of fromVariable?.split(',') ?? []) {
    const separator = entry.indexOf('=');
    if (separator <= 0) continue;
    const decoded = percentDecoded(entry.slice(separator + 1).trim());
    if (decoded !== undefined) attributes[entry.slice(0, separator).trim()] = decoded;
  }
  if (serviceName) attributes['service.name'] = serviceName;
  return attributes;
}
