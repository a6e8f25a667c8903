// The company policy's say on tool budgets: a ceiling for every client or for named ones, tools always listed, search mode forced.
import { z } from 'zod';
import { MIN_MAX_TOOLS } from './tool-budget.ts';

const budget = z.number().int().min(MIN_MAX_TOOLS).max(100_000);

export const toolSearchPolicySchema = z
  .object({
    /** The most tools any client is listed directly; a person may set less for a client, never more. */
    maxTools: budget.optional(),
    /** The same, per local client id (e.g. "vscode"), beating maxTools for that client. */
    clients: z.record(z.string().min(1).max(32), budget).optional(),
    /** Exposed tool names listed directly whenever a client is in search mode and may see them. */
    pinned: z.array(z.string().min(1).max(128)).max(100).optional(),
    /** Every client gets the small set and the search, even when its tools would fit. */
    forceSearch: z.boolean().optional(),
  })
  .strict();

export type ToolSearchPolicy = z.infer<typeof toolSearchPolicySchema>;
