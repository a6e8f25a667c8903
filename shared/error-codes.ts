// The stable error codes every layer reports; the UI, CLI and tests match on these strings, never on messages.

export const ERROR_CODES = [
  'CONFIG_NOT_FOUND',
  'CONFIG_UNREADABLE',
  'CONFIG_INVALID_JSON',
  'CONFIG_INVALID',
  'GATEWAY_BIND_FAILED',
  'GATEWAY_NOT_RUNNING',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_REJECTED',
  'ROUTER_UNKNOWN_TOOL',
  'ROUTER_UNKNOWN_PROMPT',
  'ROUTER_UNKNOWN_RESOURCE',
  'ROUTER_UNKNOWN_TASK',
  'CLIENT_UNAUTHORIZED',
  'VAULT_UNAVAILABLE',
  'AUTH_DISCOVERY_FAILED',
  'AUTH_REGISTRATION_FAILED',
  'AUTH_SIGN_IN_REQUIRED',
  'AUTH_CALLBACK_FAILED',
  'AUTH_GRANT_FAILED',
  'AUTH_SSO_REQUIRED',
  'AUTH_INSUFFICIENT_SCOPE',
  'URL_REFUSED',
  'AUDIT_UNAVAILABLE',
  'AUDIT_DATABASE_TOO_NEW',
  'AUDIT_SINK_FAILED',
  'AUDIT_QUERY_INVALID',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
