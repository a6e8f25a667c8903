// The UI contract's request and response shapes (zod), one entry per channel; nothing here may ever hold a secret.
import { z } from 'zod';
import type { InvokeChannel } from './channels.ts';

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

export const appStatusSchema = z.object({
  version: z.string(),
  mcpUrl: z.string().nullable(),
  servers: z.array(serverStatusSchema),
});

export type AppStatus = z.infer<typeof appStatusSchema>;

export const CONTRACT = {
  'app:getStatus': { request: z.void(), response: appStatusSchema },
} satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export type ContractRequest<C extends InvokeChannel> = z.infer<(typeof CONTRACT)[C]['request']>;
export type ContractResponse<C extends InvokeChannel> = z.infer<(typeof CONTRACT)[C]['response']>;
