// Wraps a request handler so that each request leaves one audit record, written before the response goes out.
import { ProtocolError, PROTOCOL_VERSION_META_KEY, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { AuditOutcome } from '../audit/audit-record.ts';
import type { AuditTrail } from '../audit/audit-recorder.ts';
import { redact, type RedactionRules } from '../audit/redaction.ts';
import { childTraceparent } from '../audit/trace-context.ts';
import type { AuditConfig } from '../config/config-schema.ts';
import { isSwitchboardError } from '../errors.ts';
import { serverThatFailed } from '../router/gateway-router.ts';

export interface GatewayAudit {
  trail: AuditTrail;
  capture: AuditConfig['capture'];
}

type Handler<Q, R> = (request: Q, context: ServerContext) => Promise<R>;

/** What a wrapped handler is told of its call: the trace it continues at the server (absent when auditing is off). */
export interface AuditedCall {
  traceparent: string | undefined;
}

/** A wrapped handler's answer: the result for the client and, for a forwarded request, which server gave it. */
export interface Answered<R> {
  result: R;
  server?: string;
}

type AnsweringHandler<Q, R> = (request: Q, context: ServerContext, call: AuditedCall) => Promise<Answered<R>>;
type Params = { _meta?: Record<string, unknown> } & Record<string, unknown>;

/** Errors that mean the server could not be reached or answered nothing usable, as opposed to a JSON-RPC refusal. */
const TRANSPORT_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT']);

/**
 * The record carries the OpenTelemetry MCP fields: method, target, JSON-RPC id, protocol version, outcome (ok, tool
 * error, JSON-RPC error code, transport error), latency and sizes, and the traceparent Switchboard sent upstream.
 * Arguments and results are recorded only when the configuration asks, redacted and capped; secrets never.
 */
export function audited<Q, R>(
  audit: GatewayAudit | undefined,
  server: Server,
  clientId: string,
  method: string,
  /** The request's params (SDK handlers get `{ method, params }`, custom-method handlers the params) and its target. */
  inspect: (request: Q) => { params: Params | undefined; target?: string | undefined },
  handler: AnsweringHandler<Q, R>,
): Handler<Q, R> {
  if (!audit) return async (request, context) => (await handler(request, context, { traceparent: undefined })).result;
  return async (request, context) => {
    const { params, target } = inspect(request);
    const envelope = context.mcpReq.envelope as Record<string, unknown> | undefined;
    const record = openCallRecord(audit, {
      clientId,
      method,
      jsonrpcId: context.mcpReq.id,
      params,
      target,
      protocolVersion: () => (envelope?.[PROTOCOL_VERSION_META_KEY] as string | undefined) ?? server.getNegotiatedProtocolVersion(),
      sessionId: context.sessionId,
    });
    try {
      const { result, server: answeredBy } = await handler(request, context, { traceparent: record.traceparent });
      const isError = (result as { isError?: unknown } | undefined)?.isError === true;
      // A listing can be megabytes (thousands of tools); serializing it a second time just to count would cost more
      // than the listing itself, so lists record no response size.
      const responseBytes = method.endsWith('/list') ? undefined : byteLength(result);
      await record.finish(isError ? 'tool_error' : 'ok', answeredBy, {
        ...(responseBytes !== undefined ? { responseBytes } : {}),
        result,
        ...(isError ? { errorType: 'tool_error' } : {}),
      });
      return result;
    } catch (error) {
      await record.failed(error, serverThatFailed(error));
      throw error;
    }
  };
}

/** One request's audit record, opened when the request arrives and finished with its outcome. */
export interface CallRecord {
  /** The trace context the request continues at the server. */
  readonly traceparent: string | undefined;
  finish(
    outcome: AuditOutcome,
    server: string | undefined,
    extra: { errorCode?: number; errorType?: string; responseBytes?: number; result?: unknown },
  ): Promise<void>;
  /** Finishes the record for a request that failed with `error` (a wire error, a local one, or anything else). */
  failed(error: unknown, server: string | undefined): Promise<void>;
}

/**
 * The one place a request's record is assembled, whichever path served the request (an SDK handler, or the byte
 * relay for calls). The protocol version is read when the record is finished, once the request has been handled.
 */
export function openCallRecord(
  audit: GatewayAudit,
  call: {
    clientId: string;
    method: string;
    jsonrpcId: string | number;
    params: Params | undefined;
    target?: string | undefined;
    protocolVersion: () => string | undefined;
    /** The 2025-era session the request came on. */
    sessionId?: string | undefined;
  },
): CallRecord {
  const started = performance.now();
  const { params, target } = call;
  const traceparent = childTraceparent(params?._meta?.traceparent);
  const base = {
    kind: 'request' as const,
    client: call.clientId,
    method: call.method,
    jsonrpcId: String(call.jsonrpcId),
    traceparent,
    requestBytes: byteLength(params),
    ...(call.sessionId ? { sessionId: call.sessionId } : {}),
  };
  const finish: CallRecord['finish'] = async (outcome, upstreamServer, extra) => {
    const protocolVersion = call.protocolVersion();
    const details = capturedDetails(audit.capture, params, extra.result);
    await audit.trail.record({
      ...base,
      ...(target ? { target } : {}),
      ...(upstreamServer ? { server: upstreamServer } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      outcome,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...(extra.errorCode !== undefined ? { errorCode: extra.errorCode } : {}),
      ...(extra.errorType ? { errorType: extra.errorType } : {}),
      ...(extra.responseBytes !== undefined ? { responseBytes: extra.responseBytes } : {}),
      ...(details ? { details } : {}),
    });
  };
  return {
    traceparent,
    finish,
    async failed(error, failedAt) {
      if (error instanceof ProtocolError) {
        const code = (error.data as { switchboardCode?: string } | undefined)?.switchboardCode;
        await finish(code && TRANSPORT_CODES.has(code) ? 'transport_error' : 'error', failedAt, {
          errorCode: error.code,
          errorType: code ?? `jsonrpc_${error.code}`,
        });
      } else {
        await finish(isSwitchboardError(error) && TRANSPORT_CODES.has(error.code) ? 'transport_error' : 'error', failedAt, {
          errorType: isSwitchboardError(error) ? error.code : 'INTERNAL',
        });
      }
    },
  };
}

function capturedDetails(capture: AuditConfig['capture'], params: unknown, result: unknown): Record<string, unknown> | undefined {
  if (!capture.arguments && !capture.results) return undefined;
  const rules: RedactionRules = capture.redact;
  const details: Record<string, unknown> = {};
  if (capture.arguments) {
    const { _meta: _ignored, ...rest } = (params ?? {}) as Record<string, unknown>;
    details.request = redact(rest, rules, capture.maxBytes);
  }
  if (capture.results && result !== undefined) details.result = redact(result, rules, capture.maxBytes);
  return details;
}

function byteLength(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}
