// Which protocol era a client's message belongs to: a 2026-07-28 message carries its version in _meta, a 2025 one never does.
import { PROTOCOL_VERSION_META_KEY, type JSONRPCMessage } from '@modelcontextprotocol/client';

/** 2026-07-28 messages stand alone (no session); 2025-era ones belong to the session their initialize opened. */
export function isModernEra(message: JSONRPCMessage): boolean {
  const params = 'params' in message ? (message.params as { _meta?: Record<string, unknown> } | undefined) : undefined;
  return typeof params?._meta?.[PROTOCOL_VERSION_META_KEY] === 'string';
}
