// The AI Catalog at https://<domain>/.well-known/ai-catalog.json: entries naming Server Cards by URL or carrying them inline.
import { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import { SERVER_CARD_MEDIA_TYPE } from './server-card.ts';

export interface CatalogEntry {
  identifier: string;
  url?: string;
  data?: unknown;
}

const MAX_ENTRIES = 1000;

const catalogSchema = z.object({
  specVersion: z.string().max(32),
  entries: z
    .array(
      z
        .object({ identifier: z.string().min(1).max(512), type: z.string().max(128), url: z.string().max(2048).optional(), data: z.unknown().optional() })
        .refine((entry) => (entry.url === undefined) !== (entry.data === undefined), 'must have exactly one of "url" and "data"'),
    )
    .max(MAX_ENTRIES),
});

/** The MCP Server Card entries of a catalog (other types, e.g. agent cards, are skipped); a malformed catalog is refused. */
export function parseAiCatalog(text: string, source: string): CatalogEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SwitchboardError('DISCOVERY_CATALOG_INVALID', `the AI catalog at ${source} is not JSON`);
  }
  const parsed = catalogSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SwitchboardError('DISCOVERY_CATALOG_INVALID', `the AI catalog at ${source} is invalid at /${issue.path.join('/')}: ${issue.message}`);
  }
  return parsed.data.entries
    .filter((entry) => entry.type === SERVER_CARD_MEDIA_TYPE)
    .map((entry) => ({
      identifier: entry.identifier,
      ...(entry.url !== undefined ? { url: entry.url } : {}),
      ...(entry.data !== undefined ? { data: entry.data } : {}),
    }));
}
