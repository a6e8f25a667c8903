// The OTLP/HTTP JSON encoding every signal shares: typed attribute values, times in nanoseconds, the instrumentation scope.
import { SWITCHBOARD_VERSION } from '../../version.ts';

/**
 * An attribute's value with its OTLP type spelled out: a plain string or boolean, or a number marked as an integer or
 * a double, so a value such as a JSON-RPC error code never changes type with how it happens to be stored.
 */
export type AttributeValue = string | boolean | { int: number } | { double: number };
/** Attributes by name; undefined ones are left out. */
export type Attributes = Record<string, AttributeValue | undefined>;

export type OtlpAnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number };
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export const int = (value: number): AttributeValue => ({ int: value });
export const double = (value: number): AttributeValue => ({ double: value });

/** OTLP JSON writes 64-bit integers as decimal strings (the protobuf JSON mapping), so they survive any JSON parser. */
export function encodeAttributes(attributes: Attributes): OtlpKeyValue[] {
  const encoded: OtlpKeyValue[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    encoded.push({ key, value: encodeValue(value) });
  }
  return encoded;
}

function encodeValue(value: AttributeValue): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if ('int' in value) return { intValue: String(Math.trunc(value.int)) };
  return { doubleValue: value.double };
}

/** An ISO 8601 time as Unix nanoseconds (the record's times have millisecond resolution). */
export function isoToNanos(time: string): bigint {
  return BigInt(Date.parse(time)) * 1_000_000n;
}

export function millisToNanos(milliseconds: number): bigint {
  return BigInt(Math.round(milliseconds * 1_000_000));
}

/** Every signal names the same scope, so a backend can tell Switchboard's audit-derived telemetry from anything else. */
export const AUDIT_SCOPE = { name: 'switchboard.audit', version: SWITCHBOARD_VERSION } as const;
