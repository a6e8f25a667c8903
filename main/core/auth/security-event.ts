// The audit-worthy auth event both sign-ins report (server tokens and the company SSO): its own module so neither imports the other for it.

/** A token obtained, refreshed, discarded or revoked, or a failure; for the audit trail, so it never carries a secret. */
export interface SecurityEvent {
  method: string;
  server?: string;
  outcome: 'ok' | 'failure';
  errorType?: string;
  details?: Record<string, unknown>;
}
