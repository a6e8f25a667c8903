// The JSON configuration file's shape, validated with zod; docs/configuration.md describes every field.
import { z } from 'zod';
import { isLoopbackHost } from '../platform/loopback.ts';

/** Server ids become tool-name prefixes, so they stay inside the characters every client accepts. */
export const SERVER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const remoteUrl = z
  .string()
  .url()
  .refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    },
    { message: 'must be an https URL (plain http is allowed only for 127.0.0.1, [::1] and localhost)' },
  );

export const serverConfigSchema = z
  .object({
    id: z.string().regex(SERVER_ID_PATTERN, 'must be 1-32 characters of a-z, 0-9, "-" or "_", starting with a letter or digit'),
    url: remoteUrl,
    title: z.string().min(1).max(100).optional(),
    enabled: z.boolean().default(true),
    /** Prefix for this server's tool and prompt names; defaults to the id; "" exposes names unprefixed. */
    prefix: z.string().regex(/^[A-Za-z0-9_-]{0,16}$/, 'must be at most 16 characters of A-Z, a-z, 0-9, "-" or "_"').optional(),
  })
  .strict();

export const gatewayConfigSchema = z
  .object({
    /** 0 picks any free port; the chosen one is reported in the ready line and by `switchboard status`. */
    port: z.number().int().min(0).max(65535).default(0),
    /** Upper bound for one request body, in bytes. */
    maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
    /** How long one upstream request may take before the client gets UPSTREAM_TIMEOUT. */
    upstreamTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    gateway: gatewayConfigSchema.default({ port: 0, maxBodyBytes: 4 * 1024 * 1024, upstreamTimeoutMs: 60_000 }),
    servers: z.array(serverConfigSchema).default([]),
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
