// The company policy file's shape (admin-managed servers, domains, IdP, allow/deny rules, locked settings): configuration, so it lives with the config schema.
import { z } from 'zod';
import { toolSearchSchema } from './tool-search-schema.ts';

export const companyPolicySchema = z
  .object({
    /** Servers the company offers; people pick from these (and may be limited to them). */
    servers: z
      .array(
        z
          .object({ id: z.string().min(1).max(32), url: z.string().url(), title: z.string().max(100).optional(), description: z.string().max(500).optional() })
          .strict(),
      )
      .default([]),
    /** Domains whose AI catalogs list the company's servers. */
    domains: z.array(z.string().min(1).max(253)).default([]),
    /** Internal hosts whose private addresses discovery may reach. */
    privateHosts: z.array(z.string().min(1).max(253)).default([]),
    idp: z
      .object({ issuer: z.string().url(), clientId: z.string().min(1) })
      .strict()
      .optional(),
    /** Host patterns ("*.example.com", "crm.example.com"); when `allow` is non-empty, only those hosts may be added. */
    allow: z.array(z.string().min(1)).default([]),
    deny: z.array(z.string().min(1)).default([]),
    /** Configuration fields a person may not change, e.g. "auth.idp", "audit.sinks"; shown as managed. */
    locked: z.array(z.string().min(1)).default([]),
    /** A URL the catalog is also published at (fetched like a discovery document). */
    catalogUrl: z.string().url().optional(),
    /** Tool budgets every client is held to (ceilings), tools always listed, search mode forced (router/tool-search/). */
    toolSearch: toolSearchSchema.optional(),
    /** What a tool definition that changed after its server was approved does on every machine: held for the person's review, or let through (audited). */
    toolChanges: z.enum(['hold', 'allow']).optional(),
  })
  .strict();

export type CompanyPolicy = z.infer<typeof companyPolicySchema>;

/** No policy file: nothing offered, nothing refused, nothing locked. */
export const EMPTY_POLICY: CompanyPolicy = companyPolicySchema.parse({});
