// Where the OTLP sink sends each signal: the sink's configuration over the OTEL_EXPORTER_OTLP_* variables over the OTLP defaults, with an injected environment.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveOtlpSettings, type OtlpSinkConfig } from '../../main/core/audit/sinks/otlp-settings.ts';
import { SWITCHBOARD_VERSION } from '../../main/core/version.ts';

const sink = (extra: Partial<OtlpSinkConfig> = {}): OtlpSinkConfig => ({ type: 'otlp', ...extra });
const urls = (settings: ReturnType<typeof resolveOtlpSettings>) =>
  Object.fromEntries(Object.entries(settings.targets).map(([signal, target]) => [signal, target.url]));

describe('OTLP sink settings', () => {
  it('sends all three signals to the OTLP/HTTP default when nothing names an endpoint', () => {
    const settings = resolveOtlpSettings(sink(), {});
    expect(urls(settings)).toEqual({
      logs: 'http://localhost:4318/v1/logs',
      traces: 'http://localhost:4318/v1/traces',
      metrics: 'http://localhost:4318/v1/metrics',
    });
    expect(settings.targets.traces).toEqual({ url: 'http://localhost:4318/v1/traces', headers: {}, timeoutMs: 10_000, gzip: false });
    expect(settings.resource).toEqual({ 'service.name': 'switchboard', 'service.version': SWITCHBOARD_VERSION, 'host.name': hostname() });
  });

  it('appends /v1/<signal> to OTEL_EXPORTER_OTLP_ENDPOINT, path and all, and takes the per-signal variables as they are', () => {
    expect(urls(resolveOtlpSettings(sink(), { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com:4318/otlp/' }))).toEqual({
      logs: 'https://collector.example.com:4318/otlp/v1/logs',
      traces: 'https://collector.example.com:4318/otlp/v1/traces',
      metrics: 'https://collector.example.com:4318/otlp/v1/metrics',
    });
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/custom/path' };
    expect(urls(resolveOtlpSettings(sink(), env))).toEqual({
      logs: 'http://127.0.0.1:4318/v1/logs',
      traces: 'https://traces.example.com/custom/path',
      metrics: 'http://127.0.0.1:4318/v1/metrics',
    });
  });

  it('sends only the signals an endpoint names; a sink with just a logs url stays a logs sink', () => {
    expect(urls(resolveOtlpSettings(sink(), { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:9/m' }))).toEqual({ metrics: 'http://127.0.0.1:9/m' });
    expect(urls(resolveOtlpSettings(sink({ url: 'http://127.0.0.1:4318/v1/logs' }), {}))).toEqual({ logs: 'http://127.0.0.1:4318/v1/logs' });
    // Asked for by name, a signal nobody located goes to the default.
    expect(urls(resolveOtlpSettings(sink({ url: 'http://127.0.0.1:4318/v1/logs', signals: ['logs', 'traces'] }), {}))).toEqual({
      logs: 'http://127.0.0.1:4318/v1/logs',
      traces: 'http://localhost:4318/v1/traces',
    });
    expect(urls(resolveOtlpSettings(sink({ endpoint: 'http://127.0.0.1:4318', signals: ['traces'] }), {}))).toEqual({
      traces: 'http://127.0.0.1:4318/v1/traces',
    });
  });

  it('lets the configuration file win over the environment, signal by signal', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://env.example.com', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://env.example.com/logs' };
    expect(urls(resolveOtlpSettings(sink({ endpoint: 'http://127.0.0.1:4318' }), env))).toEqual({
      logs: 'http://127.0.0.1:4318/v1/logs',
      traces: 'http://127.0.0.1:4318/v1/traces',
      metrics: 'http://127.0.0.1:4318/v1/metrics',
    });
    // The file names only logs: the other signals come from the environment.
    expect(urls(resolveOtlpSettings(sink({ url: 'https://file.example.com/v1/logs' }), env))).toEqual({
      logs: 'https://file.example.com/v1/logs',
      traces: 'https://env.example.com/v1/traces',
      metrics: 'https://env.example.com/v1/metrics',
    });
  });

  it('merges headers (generic, then per signal, then the file), percent-decoded, and takes timeouts in milliseconds', () => {
    const env = {
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20env-token, x-tenant=acme,not a header,x-broken=%E0%A4%A',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces-tenant',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '700',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: 'soon',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'none',
    };
    const settings = resolveOtlpSettings(sink({ headers: { 'X-Tenant': 'file-tenant' }, signals: ['logs', 'traces', 'metrics'] }), env);
    expect(settings.targets.logs).toMatchObject({ headers: { authorization: 'Bearer env-token', 'x-tenant': 'file-tenant' }, timeoutMs: 2500, gzip: false });
    expect(settings.targets.traces).toMatchObject({ headers: { authorization: 'Bearer env-token', 'x-tenant': 'file-tenant' }, timeoutMs: 700, gzip: true });
    // An unreadable timeout falls back (the specification: ignore it), it does not stop Switchboard.
    expect(settings.targets.metrics).toMatchObject({ timeoutMs: 2500, gzip: true });
    expect(resolveOtlpSettings(sink(), { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces-tenant' }).targets.traces!.headers).toEqual({
      'x-tenant': 'traces-tenant',
    });
    expect(resolveOtlpSettings(sink({ timeoutMs: 1234 }), env).targets.traces!.timeoutMs).toBe(1234);
  });

  it('names the service from OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES, which also adds and replaces attributes', () => {
    const env = {
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,deployment.environment.name=prod%20eu,host.name=laptop-7',
      OTEL_SERVICE_NAME: 'switchboard-ana',
    };
    expect(resolveOtlpSettings(sink(), env).resource).toEqual({
      'service.name': 'switchboard-ana',
      'service.version': SWITCHBOARD_VERSION,
      'host.name': 'laptop-7',
      'deployment.environment.name': 'prod eu',
    });
    expect(resolveOtlpSettings(sink(), { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes' }).resource['service.name']).toBe('from-attributes');
  });

  it('treats empty variables as unset and refuses plain http to another machine, without echoing header values', () => {
    expect(urls(resolveOtlpSettings(sink(), { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '  ' }))).toEqual({
      logs: 'http://localhost:4318/v1/logs',
      traces: 'http://localhost:4318/v1/traces',
      metrics: 'http://localhost:4318/v1/metrics',
    });
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.example.com:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret' };
    expect(() => resolveOtlpSettings(sink(), env)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT names plain http on collector.example.com'),
      }),
    );
    expect(() => resolveOtlpSettings(sink(), { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'collector:4318' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    try {
      resolveOtlpSettings(sink(), env);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('s3cret');
    }
  });
});
