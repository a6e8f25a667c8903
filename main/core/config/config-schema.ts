// The JSON configuration file's shape, validated with zod; docs/configuration.md describes every field.
import { z } from 'zod';
import { toolSearchSchema } from './tool-search-schema.ts';
import { loopbackRedirectUriProblem } from '../auth/loopback-redirect.ts';
import { isLoopbackHost } from '../platform/loopback.ts';

/** Server ids become tool-name prefixes, so they stay inside the characters every client accepts. */
export const SERVER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const remoteUrl = z
  .string()
  .url()
  .refine(
    (value) => {
      // zod 4 runs refinements even after .url() failed, so the value may not parse here.
      const url = URL.parse(value);
      if (!url) return false;
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    },
    { message: 'must be an https URL (plain http is allowed only for 127.0.0.1, [::1] and localhost)' },
  );

const TOKEN_ENDPOINT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

/** How Switchboard gets this server's token. Secrets (client secret, private key) live in the keychain, never here. */
export const serverAuthConfigSchema = z
  .object({
    /** 'auto': ID-JAG when the server's AS offers it and SSO is set up, otherwise the MCP authorization-code flow. */
    grant: z.enum(['auto', 'client_credentials']).default('auto'),
    /** A client id registered in advance at this server's authorization server (used before CIMD and DCR). */
    clientId: z.string().min(1).optional(),
    tokenEndpointAuthMethod: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).optional(),
    /** The JWS algorithm of the private key for private_key_jwt. */
    signingAlgorithm: z.enum(['ES256', 'RS256', 'PS256', 'EdDSA']).default('ES256'),
    /** Scopes to ask for when neither the server's challenge nor its metadata names any. */
    scopes: z.array(z.string().min(1)).optional(),
    /** Some authorization servers (e.g. Microsoft Entra) reject RFC 8707's resource parameter. */
    sendResource: z.boolean().default(true),
    /** Extra authorization request parameters an authorization server needs (e.g. Google's access_type=offline). */
    extraAuthorizationParams: z.record(z.string(), z.string()).default({}),
    /**
     * Workload identity (SEP-1933): a file the workload's platform keeps its current JWT in (a Kubernetes projected
     * service-account token, a CI job's OIDC token). Read at each token request, as platforms rotate it.
     */
    workloadTokenFile: z.string().min(1).optional(),
  })
  .strict();

export const serverConfigSchema = z
  .object({
    id: z.string().regex(SERVER_ID_PATTERN, 'must be 1-32 characters of a-z, 0-9, "-" or "_", starting with a letter or digit'),
    url: remoteUrl,
    title: z.string().min(1).max(100).optional(),
    enabled: z.boolean().default(true),
    /** Prefix for this server's tool and prompt names; defaults to the id; "" exposes names unprefixed. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,16}$/, 'must be at most 16 characters of A-Z, a-z, 0-9, "-" or "_"')
      .optional(),
    auth: serverAuthConfigSchema.optional(),
    /** Extra HTTP headers the server needs (e.g. a region from its Server Card); never secrets. */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'), z.string().max(1024)).default({}),
    /** Headers whose values are secrets (API keys): the values live in the keychain (`switchboard servers add --secret-header`). */
    secretHeaders: z.array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')).default([]),
    /** Where the server was found (a Server Card URL, a registry name), for people reading the configuration. */
    source: z.string().max(2048).optional(),
  })
  .strict();

/** The company identity provider for single sign-on (OIDC) and ID-JAG token exchange. */
export const idpConfigSchema = z
  .object({
    issuer: remoteUrl,
    clientId: z.string().min(1),
    /** A secret, when the method needs one, is stored with `switchboard auth set-secret idp`. */
    tokenEndpointAuthMethod: z.enum(['none', 'client_secret_basic', 'client_secret_post']).default('none'),
    scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile', 'offline_access']),
    extraAuthorizationParams: z.record(z.string(), z.string()).default({}),
    /**
     * The loopback redirect URI exactly as registered for this client at the IdP (path included), e.g.
     * http://127.0.0.1:53682/oauth/callback. Without it: http://127.0.0.1:<auth.redirectPort>/callback.
     */
    redirectUri: z
      .string()
      .superRefine((value, context) => {
        const problem = loopbackRedirectUriProblem(value);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .strict();

export const authConfigSchema = z
  .object({
    /** Keychain namespace: entries live under the service `dev.switchboard.<profile>`. */
    profile: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, "_", "." or "-"')
      .default('default'),
    idp: idpConfigSchema.optional(),
    /**
     * No longer changes anything, kept so older files still load: a request never opens a browser or waits for a
     * person; clients get a sign-in link instead, and only a person's act (the link, the app, `login`) starts a sign-in.
     */
    interactive: z.enum(['on-demand', 'manual']).default('on-demand'),
    /** A fixed loopback callback port for server sign-ins (and the IdP's without idp.redirectUri), for pre-registered redirect URIs; 0 picks any. */
    redirectPort: z.number().int().min(0).max(65535).default(0),
    /** The https URL of Switchboard's Client ID Metadata Document, used where an authorization server supports CIMD. */
    clientMetadataUrl: z.string().url().startsWith('https://', 'must be an https URL').optional(),
    /** Opens authorization URLs instead of the system browser: the program and its arguments; the URL is appended. */
    browserCommand: z.array(z.string().min(1)).min(1).optional(),
    /** How long a sign-in may wait for the person to finish in the browser. */
    signInTimeoutMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  })
  .strict();

export const gatewayConfigSchema = z
  .object({
    /** 0: the port remembered in <data dir>/endpoint.json, else any free one (then remembered); anything else is used exactly. */
    port: z.number().int().min(0).max(65535).default(0),
    /** Upper bound for one request body, in bytes. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    /** How long one upstream request may take before the client gets UPSTREAM_TIMEOUT. */
    upstreamTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** Upper bound for one upstream answer (a JSON body, or one SSE message), in bytes; larger ones fail that call with UPSTREAM_TOO_LARGE. */
    maxResponseBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(1024 * 1024 * 1024)
      .default(32 * 1024 * 1024),
    /**
     * 2026-07-28 tool calls, prompt gets and resource reads travel to their server as bytes (only the envelope is
     * rewritten); false sends them through the full MCP stack like every other request.
     */
    callRelay: z.boolean().default(true),
    /** A 2025-era client session with no request for this long is closed (and resumed transparently if the client comes back). */
    sessionIdleMs: z
      .number()
      .int()
      .min(1000)
      .max(7 * 24 * 3_600_000)
      .default(30 * 60_000),
    /** Open 2025-era sessions per client; opening one more closes that client's least recently used session. */
    maxSessionsPerClient: z.number().int().min(1).max(10_000).default(64),
    /** Browser origins besides the endpoint's own that may call it (e.g. "http://localhost:6274" for the MCP Inspector). */
    allowedOrigins: z
      .array(
        z
          .string()
          .url()
          .refine((value) => URL.parse(value)?.origin === value, { message: 'must be an origin: scheme://host[:port], no path' }),
      )
      .max(32)
      .default([]),
  })
  .strict();

const auditSinkSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('jsonl'),
      /** The file records are appended to; it rotates to path.1 … path.<maxFiles> by size. */
      path: z.string().min(1),
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .default(50 * 1024 * 1024),
      maxFiles: z.number().int().min(1).max(100).default(5),
    })
    .strict(),
  z
    .object({
      type: z.literal('otlp'),
      /**
       * The collector's OTLP/HTTP base address, e.g. http://127.0.0.1:4318: logs, spans and metrics go to /v1/logs,
       * /v1/traces and /v1/metrics under it. Values here win over the OTEL_EXPORTER_OTLP_* environment variables.
       */
      endpoint: remoteUrl.optional(),
      /** A logs endpoint used as-is, e.g. http://127.0.0.1:4318/v1/logs (the sink's first form, still honoured). */
      url: remoteUrl.optional(),
      /** The signals to send; by default each one an endpoint here or in the environment names (all three when none does). */
      signals: z
        .array(z.enum(['logs', 'traces', 'metrics']))
        .min(1)
        .optional(),
      /** Extra request headers. A token is better kept in OTEL_EXPORTER_OTLP_HEADERS than in this file. */
      headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'), z.string().max(4096)).optional(),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('syslog'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      /** RFC 5425 syslog over TLS: the system's CAs, or the PEM CA in caFile. */
      tls: z
        .object({ caFile: z.string().min(1).optional(), servername: z.string().min(1).optional() })
        .strict()
        .optional(),
      facility: z.number().int().min(0).max(23).default(16),
      appName: z
        .string()
        .regex(/^[\x21-\x7e]{1,48}$/)
        .default('switchboard'),
      /**
       * RFC 5424 SD-ID for the record's identity (id, seq, hash, outcome, server, client): name@<your IANA private
       * enterprise number>. Unset, only the IANA-registered `origin` element is sent; the identity is in the message.
       */
      structuredDataId: z
        .string()
        .max(32)
        .regex(/^[!#-<>?A-\\^-~]{1,31}@[1-9][0-9]*(\.[0-9]+)*$/, 'must be name@<your IANA private enterprise number> (RFC 5424 section 7.2.2)')
        .optional(),
    })
    .strict(),
]);

export const auditConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Arguments and results are off by default; when on, redaction and the size cap apply (secrets are always redacted). */
    capture: z
      .object({
        arguments: z.boolean().default(false),
        results: z.boolean().default(false),
        maxBytes: z
          .number()
          .int()
          .min(64)
          .max(1024 * 1024)
          .default(4096),
        redact: z
          .object({
            keys: z.array(z.string().min(1)).default([]),
            pointers: z.array(z.string().regex(/^(\/[^/]*)*$/, 'must be a JSON pointer such as /arguments/ssn')).default([]),
            patterns: z
              .array(
                z.string().refine((pattern) => {
                  try {
                    new RegExp(pattern);
                    return true;
                  } catch {
                    return false;
                  }
                }, 'must be a valid regular expression'),
              )
              .default([]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({ maxAgeDays: z.number().positive().default(90), maxRecords: z.number().int().positive().default(5_000_000) })
      .strict()
      .prefault({}),
    sinks: z.array(auditSinkSchema).default([]),
  })
  .strict();

export const discoveryConfigSchema = z
  .object({
    /** The company's policy and catalog file (admin-managed); see docs/configuration.md. */
    policyFile: z.string().min(1).optional(),
    registryUrl: z.string().url().default('https://registry.modelcontextprotocol.io'),
  })
  .strict();

/** Tool pinning: a server's tools are approved when it is first used; what later changes to them do. */
export const toolsConfigSchema = z
  .object({
    /** "hold": a changed or new tool waits for the person's approval (`switchboard tools review`); "allow": it passes, audited. The company policy's toolChanges wins. */
    changes: z.enum(['hold', 'allow']).default('hold'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    gateway: gatewayConfigSchema.prefault({}),
    servers: z.array(serverConfigSchema).default([]),
    auth: authConfigSchema.default({ profile: 'default', interactive: 'on-demand', redirectPort: 0, signInTimeoutMs: 300_000 }),
    audit: auditConfigSchema.prefault({}),
    discovery: discoveryConfigSchema.prefault({}),
    tools: toolsConfigSchema.prefault({}),
    /** Tool budgets and search mode (router/tool-search/); the company policy's toolSearch caps them. */
    toolSearch: toolSearchSchema.optional(),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Map<string, number>();
    config.servers.forEach((server, index) => {
      const first = seen.get(server.id);
      if (first !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['servers', index, 'id'],
          message: `duplicates the id of servers[${first}]; ids must be unique`,
        });
      } else {
        seen.set(server.id, index);
      }
    });
  });

export type SwitchboardConfig = z.infer<typeof configSchema>;
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type ServerAuthConfig = z.infer<typeof serverAuthConfigSchema>;
export type IdpConfig = z.infer<typeof idpConfigSchema>;
export type AuditConfig = z.infer<typeof auditConfigSchema>;
export type AuditSinkConfig = z.infer<typeof auditSinkSchema>;
