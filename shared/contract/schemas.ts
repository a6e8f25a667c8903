// The UI contract's request, response and event shapes (zod), one entry per channel; nothing here may ever hold a secret.
import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channels.ts';

const serverId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/);
/** An AI client target: a known client (main/core/clients/ai-client-targets.ts) or one of its VS Code profiles; also its registry id. */
const aiClientId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/);

export const serverStatusSchema = z.object({
  id: z.string(),
  url: z.string(),
  state: z.enum(['idle', 'connecting', 'ready', 'unavailable', 'closed']),
  era: z.enum(['modern', 'legacy']).optional(),
  protocolVersion: z.string().optional(),
  serverName: z.string().optional(),
  toolCount: z.number().int().optional(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).optional(),
});

/** A sign-in waiting for the person in a browser: a server id, or `sso` for the company sign-in. */
const signingInSchema = z.object({ target: z.string(), expiresAt: z.string() });

export const appStatusSchema = z.object({
  version: z.string(),
  mcpUrl: z.string().nullable(),
  servers: z.array(serverStatusSchema),
  signedIn: z.boolean(),
  /** Every line once: each server that is not ready (see shared/status-summary.ts), and each notice. */
  needsAttention: z.array(z.string()),
  /** The sign-in state the badge and tray read with the servers' states (summarizeStatus). */
  auth: z.object({
    sso: z.object({ configured: z.boolean(), signedIn: z.boolean() }),
    servers: z.array(z.object({ id: z.string(), state: z.string(), code: z.string().optional() })),
    signingIn: z.array(signingInSchema),
  }),
  /** Things to know that are not about one server (the address moved, …). */
  notices: z.array(z.string()),
});

export const serverEntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  url: z.string(),
  publisher: z.string().optional(),
  iconUrl: z.string().optional(),
  auth: z.enum(['none', 'oauth', 'id-jag', 'client-credentials', 'unknown']),
  enabled: z.boolean(),
  configured: z.boolean(),
  source: z.enum(['config', 'company', 'catalog']),
  /** Refused by the company policy: shown, but cannot be enabled. */
  deniedBy: z.string().optional(),
  status: serverStatusSchema.optional(),
  /** When the card or catalog entry was last fetched (ISO time), for entries from the catalog cache. */
  fetchedAt: z.string().optional(),
  /** What enabling it asks for (a templated remote's variables, headers); secret ones are typed, sent once, never shown back. */
  inputs: z
    .array(
      z.object({
        kind: z.enum(['variable', 'header']),
        name: z.string(),
        description: z.string().optional(),
        required: z.boolean(),
        secret: z.boolean(),
        default: z.string().optional(),
      }),
    )
    .optional(),
});

export const serverDetailSchema = z.object({
  id: z.string(),
  /** `exposedName` is what clients see through Switchboard (e.g. `wiki_echo` for the wiki's `echo`). */
  tools: z.array(z.object({ name: z.string(), exposedName: z.string(), title: z.string().optional(), description: z.string().optional() })),
  prompts: z.array(z.object({ name: z.string(), exposedName: z.string(), description: z.string().optional() })),
  resources: z.array(z.object({ uri: z.string(), name: z.string().optional() })),
  /** What the server said about itself when it connected (its initialize answer), absent until it has. */
  live: z
    .object({
      name: z.string().optional(),
      title: z.string().optional(),
      version: z.string().optional(),
      description: z.string().optional(),
      websiteUrl: z.string().optional(),
      instructions: z.string().optional(),
    })
    .optional(),
  /** What it was listed as before it connected: its card or registry entry (fetchedAt, ISO time), or the company's offer. */
  listed: z
    .object({
      from: z.enum(['card', 'registry', 'company']),
      name: z.string().optional(),
      title: z.string().optional(),
      version: z.string().optional(),
      description: z.string().optional(),
      fetchedAt: z.string().optional(),
    })
    .optional(),
});

export const authStatusSchema = z.object({
  sso: z.object({
    configured: z.boolean(),
    signedIn: z.boolean(),
    issuer: z.string().optional(),
    subject: z.string().optional(),
    idTokenExpiresAt: z.string().optional(),
  }),
  servers: z.array(z.object({ id: z.string(), state: z.string(), via: z.string().optional(), code: z.string().optional(), message: z.string().optional() })),
  signingIn: z.array(signingInSchema),
  /** How the sign-ins started from the app ended lately (one per target, newest), so the page can say it in words. */
  outcomes: z.array(z.object({ target: z.string(), outcome: z.enum(['signed-in', 'failed', 'cancelled']), message: z.string().optional(), at: z.string() })),
});

/** What a sign-in the person asked for did: done already, or waiting at authorizationUrl (PKCE challenge and state only, no secret). */
export const signInStartSchema = z.object({
  target: z.string(),
  state: z.enum(['signed-in', 'not-required', 'waiting']),
  authorizationUrl: z.string().optional(),
  expiresAt: z.string().optional(),
});

export const aiClientSchema = z.object({
  id: aiClientId,
  name: z.string(),
  /** The file the client reads on this machine; null where it has none (another OS, or a settings-only client). */
  path: z.string().nullable(),
  detected: z.boolean(),
  /** The entry is there and works: today's address and an accepted credential. */
  configured: z.boolean(),
  /** The entry is there but needs repair (set up again): an old address, or a credential no longer accepted. */
  stale: z.enum(['address', 'credential']).optional(),
  staleReason: z.string().optional(),
  /** Why the file cannot be read (malformed, a broken link): setup refuses until it is fixed. */
  problem: z.string().optional(),
  transport: z.enum(['stdio-bridge', 'http']),
  format: z.enum(['json', 'jsonc', 'toml', 'yaml']),
  /** copy: nothing is written; the person pastes JSON into the client's settings. */
  method: z.enum(['file', 'copy']),
  notes: z.string().optional(),
  /** The address in Switchboard's entry, when there is one. */
  url: z.string().optional(),
  source: z.string(),
});

/**
 * A change to a client's file as the page may show it: Switchboard's entry before (every header and environment
 * value masked) and after (a placeholder for the credential), and only a summary of the rest of the file, which may
 * hold other servers' tokens or account data.
 */
export const clientSetupPreviewSchema = z.object({
  path: z.string().nullable(),
  method: z.enum(['file', 'command', 'copy']),
  format: z.enum(['json', 'jsonc', 'toml', 'yaml']),
  fileExists: z.boolean(),
  entryBefore: z.string().nullable(),
  entryAfter: z.string(),
  command: z.string().optional(),
  otherEntries: z.array(z.string()),
  otherSettings: z.number().int().min(0),
  summary: z.string(),
  notes: z.string().optional(),
});

export const registeredClientSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  servers: z.array(z.string()).optional(),
  tools: z.array(z.string()).optional(),
  /** Tool search (main/core/router/tool-search/): the client's own budget and always-listed tools, and what it saw at its last listing. */
  maxTools: z.number().int().optional(),
  pinnedTools: z.array(z.string()).optional(),
  toolListing: z
    .object({
      mode: z.enum(['all', 'search']),
      direct: z.number().int(),
      throughSearch: z.number().int(),
      maxTools: z.number().int(),
      source: z.enum(['client', 'policy', 'ai-client', 'default']),
    })
    .optional(),
});

export const auditFilterSchema = z
  .object({
    from: z.string().optional(),
    to: z.string().optional(),
    client: z.string().optional(),
    server: z.string().optional(),
    target: z.string().optional(),
    outcome: z.enum(['ok', 'tool_error', 'error', 'transport_error', 'failure']).optional(),
    kind: z.enum(['request', 'security']).optional(),
    text: z.string().max(200).optional(),
    beforeSeq: z.number().int().optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();

export const auditRecordSchema = z.object({
  seq: z.number(),
  id: z.string(),
  time: z.string(),
  kind: z.string(),
  client: z.string().nullish(),
  user: z.string().nullish(),
  server: z.string().nullish(),
  method: z.string(),
  target: z.string().nullish(),
  outcome: z.string(),
  errorCode: z.number().nullish(),
  errorType: z.string().nullish(),
  latencyMs: z.number().nullish(),
  protocolVersion: z.string().nullish(),
  details: z.string().nullish(),
});

export const auditSummarySchema = z.object({
  total: z.number(),
  byOutcome: z.record(z.string(), z.number()),
  byServer: z.array(z.object({ server: z.string(), calls: z.number(), errors: z.number() })),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  timeline: z.array(z.object({ bucket: z.string(), calls: z.number(), errors: z.number() })),
});

const latencyPercentilesSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });

/** Requests over time split by server or client: every bucket from the first to the last (empty ones too), oldest first. */
export const auditTimeseriesSchema = z.object({
  bucket: z.enum(['minute', 'hour', 'day']),
  by: z.enum(['server', 'client']),
  /** The names with the most calls, most first; past six the rest are counted as "other". */
  names: z.array(z.string()),
  points: z.array(
    z.object({
      /** The bucket's start, ISO. */
      time: z.string(),
      calls: z.number(),
      errors: z.number(),
      latencyMs: latencyPercentilesSchema,
      split: z.record(z.string(), z.object({ calls: z.number(), errors: z.number() })),
    }),
  ),
});

export const firstRunSchema = z.object({ state: z.enum(['new', 'skipped', 'done']), nothingSetUp: z.boolean() });

export const settingsSchema = z.object({
  configPath: z.string(),
  dataDir: z.string(),
  gateway: z.object({ port: z.number(), allowedOrigins: z.array(z.string()) }),
  idp: z.object({ issuer: z.string(), clientId: z.string() }).nullable(),
  catalogs: z.array(z.string()),
  registryUrl: z.string().nullable(),
  audit: z.object({
    enabled: z.boolean(),
    captureArguments: z.boolean(),
    captureResults: z.boolean(),
    sinks: z.array(z.object({ type: z.string(), target: z.string() })),
    redactKeys: z.array(z.string()),
    redactPatterns: z.array(z.string()),
    /** The sinks as they are in the configuration (no secrets live there: sink credentials are in the keychain). */
    sinksJson: z.string(),
  }),
  /** Settings the company policy manages: shown, not editable. */
  locked: z.array(z.string()),
});

/** A tool definition as a reviewer reads it: hidden characters shown as ⟨U+XXXX⟩ markers, schemas as indented JSON. */
const reviewedDefinitionSchema = z.object({
  digest: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.string(),
  outputSchema: z.string().optional(),
  annotations: z.string().optional(),
});

/** Which fields of a tool definition had hidden content, and of what kinds (control, ansi-escape, invisible, bidi, tag, line-separator). */
const hiddenFieldsSchema = z.array(z.object({ field: z.string(), removed: z.array(z.string()) }));

/** A tool held back from clients because it changed (or appeared) after its server was approved. */
export const heldToolSchema = z.object({
  server: z.string(),
  tool: z.string(),
  change: z.enum(['changed', 'new']),
  seenAt: z.string(),
  old: reviewedDefinitionSchema.optional(),
  new: reviewedDefinitionSchema,
  changedFields: z.array(z.string()),
  /** Hidden content in the new definition (removed before any client sees it). */
  hidden: hiddenFieldsSchema,
});

const empty = z.object({}).strict().optional();

/** The settings the UI may change (each checked by the configuration's own schema before the file is written). */
export const EDITABLE_SETTINGS = [
  'gateway.port',
  'gateway.allowedOrigins',
  'auth.idp',
  'audit.capture.arguments',
  'audit.capture.results',
  'audit.capture.redact.keys',
  'audit.capture.redact.patterns',
  'audit.sinks',
] as const;

export const CONTRACT = {
  'app:getStatus': { request: empty, response: appStatusSchema },
  'servers:list': { request: empty, response: z.object({ servers: z.array(serverEntrySchema) }) },
  'servers:detail': { request: z.object({ id: serverId }).strict(), response: serverDetailSchema },
  'servers:setEnabled': {
    // `values` (keys `var:<name>`, `header:<Name>`) fill a templated remote's inputs when it is first enabled.
    request: z.object({ id: serverId, enabled: z.boolean(), values: z.record(z.string().max(200), z.string().max(8192)).optional() }).strict(),
    response: z.object({ servers: z.array(serverEntrySchema) }),
  },
  'servers:discover': {
    request: z.object({ target: z.string().min(1).max(2048) }).strict(),
    response: z.object({ found: z.number().int(), problems: z.array(z.object({ url: z.string(), code: z.string(), message: z.string() })) }),
  },
  'auth:status': { request: empty, response: authStatusSchema },
  'auth:signIn': { request: z.object({ server: serverId.optional() }).strict().optional(), response: authStatusSchema.extend({ started: signInStartSchema }) },
  'auth:cancelSignIn': {
    request: z.object({ server: serverId.optional() }).strict().optional(),
    response: authStatusSchema.extend({ cancelled: z.boolean() }),
  },
  'auth:signOut': { request: z.object({ server: serverId.optional() }).strict().optional(), response: authStatusSchema },
  'clients:list': { request: empty, response: z.object({ aiClients: z.array(aiClientSchema), registered: z.array(registeredClientSchema) }) },
  'clients:preview': { request: z.object({ client: aiClientId }).strict(), response: clientSetupPreviewSchema },
  'clients:configure': {
    request: z.object({ client: aiClientId }).strict(),
    response: z.object({ path: z.string(), backupPath: z.string().nullable(), via: z.enum(['file', 'command']) }),
  },
  'clients:undo': { request: z.object({ client: aiClientId }).strict(), response: z.object({ path: z.string(), removed: z.boolean() }) },
  'clients:setView': {
    // maxTools and pinnedTools: absent leaves them, null clears them (the AI client's known limit, no pins).
    request: z
      .object({
        id: z.string(),
        servers: z.array(z.string()).nullable(),
        tools: z.array(z.string()).nullable(),
        maxTools: z.number().int().min(2).nullable().optional(),
        pinnedTools: z.array(z.string()).nullable().optional(),
      })
      .strict(),
    response: registeredClientSchema,
  },
  'audit:query': { request: auditFilterSchema, response: z.object({ records: z.array(auditRecordSchema), nextBeforeSeq: z.number().optional() }) },
  'audit:summary': { request: auditFilterSchema, response: auditSummarySchema },
  // The filter as for a summary, plus how to split (by server or client) and, optionally, the bucket (else chosen from the span).
  'audit:timeseries': {
    request: auditFilterSchema.extend({ by: z.enum(['server', 'client']), bucket: z.enum(['minute', 'hour', 'day']).optional() }).strict(),
    response: auditTimeseriesSchema,
  },
  'audit:verify': { request: empty, response: z.object({ ok: z.boolean(), checked: z.number(), message: z.string() }) },
  'audit:export': { request: auditFilterSchema, response: z.object({ fileName: z.string(), text: z.string() }) },
  'settings:get': { request: empty, response: settingsSchema },
  'settings:update': {
    request: z.object({ field: z.enum(EDITABLE_SETTINGS), value: z.unknown() }).strict(),
    response: settingsSchema,
  },
  'tools:review': {
    request: z.object({ server: serverId.optional() }).strict().optional(),
    // cleaned: approved tools whose definition had hidden content (clients get it removed).
    response: z.object({
      held: z.array(heldToolSchema),
      cleaned: z.array(z.object({ server: z.string(), tool: z.string(), digest: z.string(), hidden: hiddenFieldsSchema })),
    }),
  },
  'tools:approve': {
    // No tools: every held tool of the server.
    request: z.object({ server: serverId, tools: z.array(z.string().min(1).max(256)).max(1000).optional() }).strict(),
    response: z.object({
      approved: z.array(z.object({ server: z.string(), tool: z.string(), oldDigest: z.string().nullable(), newDigest: z.string() })),
      held: z.array(heldToolSchema),
    }),
  },
  'logs:recent': {
    request: z
      .object({ limit: z.number().int().min(1).max(1000).default(200), minLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info') })
      .strict()
      .optional(),
    // file: where the full log is kept (the app's log file), or null when the host writes to its terminal only;
    // canOpen: the host can open that file in the desktop's own viewer (logs:open).
    response: z.object({
      file: z.string().nullable(),
      canOpen: z.boolean(),
      lines: z.array(z.object({ time: z.string(), level: z.string(), event: z.string(), message: z.string(), text: z.string() })),
    }),
  },
  // Opens the log file in the program the desktop uses for it; LOG_FILE_UNAVAILABLE where there is none or it cannot.
  'logs:open': { request: empty, response: z.object({ file: z.string() }) },
  // The guided first run: 'new' until the person finishes or skips it; nothingSetUp: no server enabled, no client registered.
  'firstRun:get': { request: empty, response: firstRunSchema },
  'firstRun:set': { request: z.object({ state: z.enum(['skipped', 'done']) }).strict(), response: firstRunSchema },
} satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const EVENTS = {
  'events:status': appStatusSchema,
  'events:audit': z.object({ records: z.array(auditRecordSchema) }),
} satisfies Record<EventChannel, z.ZodType>;

export type AppStatus = z.infer<typeof appStatusSchema>;
export type ServerEntry = z.infer<typeof serverEntrySchema>;
export type AuthStatusView = z.infer<typeof authStatusSchema>;
export type SignInStartView = z.infer<typeof signInStartSchema>;
export type AuditRecordView = z.infer<typeof auditRecordSchema>;
export type AuditTimeseriesView = z.infer<typeof auditTimeseriesSchema>;
export type HeldToolView = z.infer<typeof heldToolSchema>;
export type ContractRequest<C extends InvokeChannel> = z.input<(typeof CONTRACT)[C]['request']>;
export type ContractResponse<C extends InvokeChannel> = z.infer<(typeof CONTRACT)[C]['response']>;
export type ContractEvent<C extends EventChannel> = z.infer<(typeof EVENTS)[C]>;
