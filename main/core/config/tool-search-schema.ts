// Tool budgets as configuration: a person's own settings and the company policy's, one shape, and how the two combine (the company's as ceilings).
import { z } from 'zod';

/** Below this a budget could not hold the two meta-tools of the tool search. */
export const MIN_MAX_TOOLS = 2;

const budget = z.number().int().min(MIN_MAX_TOOLS).max(100_000);

export const toolSearchSchema = z
  .object({
    /** The most tools any client is listed directly; past it the client gets the small set and the search tools. */
    maxTools: budget.optional(),
    /** The same, per local client id (e.g. "vscode"), beating maxTools for that client. */
    clients: z.record(z.string().min(1).max(32), budget).optional(),
    /** Exposed tool names listed directly whenever a client is in search mode and may see them. */
    pinned: z.array(z.string().min(1).max(128)).max(100).optional(),
    /** Every client gets the small set and the search, even when its tools would fit. */
    forceSearch: z.boolean().optional(),
    /**
     * A client that declared sampling is asked to have its own model reorder the search's best candidates (one
     * sampling request per search, which the client may show the person for approval). Off unless set.
     */
    rerankWithClientModel: z.boolean().optional(),
  })
  .strict();

export type ToolSearchSettings = z.infer<typeof toolSearchSchema>;

/**
 * The company's settings win where they are stricter: each budget is the smaller of the two, its pinned tools come
 * first, and search mode is forced if either forces it. A person can lower a budget, never raise the company's.
 */
export function combineToolSearch(own: ToolSearchSettings | undefined, company: ToolSearchSettings | undefined): ToolSearchSettings | undefined {
  if (!company) return own;
  if (!own) return company;
  const smaller = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const clientIds = new Set([...Object.keys(own.clients ?? {}), ...Object.keys(company.clients ?? {})]);
  const clients = Object.fromEntries([...clientIds].map((id) => [id, smaller(own.clients?.[id] ?? own.maxTools, company.clients?.[id] ?? company.maxTools)!]));
  const maxTools = smaller(own.maxTools, company.maxTools);
  const pinned = [...new Set([...(company.pinned ?? []), ...(own.pinned ?? [])])];
  return {
    ...(maxTools !== undefined ? { maxTools } : {}),
    ...(clientIds.size ? { clients } : {}),
    ...(pinned.length ? { pinned } : {}),
    ...(own.forceSearch || company.forceSearch ? { forceSearch: true } : {}),
    // The company's word on asking clients' models wins where it has one.
    ...((company.rerankWithClientModel ?? own.rerankWithClientModel) !== undefined
      ? { rerankWithClientModel: (company.rerankWithClientModel ?? own.rerankWithClientModel)! }
      : {}),
  };
}
