// Server Cards: validated against the vendored JSON Schema, then checked for what a schema cannot say (URL schemes, depth).
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Type, ValidateFunction } from 'ajv/dist/2020.js';
import { SwitchboardError } from '../errors.ts';
import { isLoopbackHost } from '../platform/loopback.ts';
import schema from './server-card.schema.json' with { type: 'json' };

export const SERVER_CARD_MEDIA_TYPE = 'application/mcp-server-card+json';
export const AI_CATALOG_MEDIA_TYPE = 'application/ai-catalog+json';

export interface CardInput {
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  format?: string;
  default?: string;
  placeholder?: string;
  value?: string;
  choices?: string[];
}

export interface CardRemote {
  type: 'streamable-http' | 'sse';
  url: string;
  headers?: (CardInput & { name: string })[];
  variables?: Record<string, CardInput>;
  supportedProtocolVersions?: string[];
}

export interface ServerCard {
  $schema: string;
  name: string;
  version: string;
  description: string;
  title?: string;
  websiteUrl?: string;
  repository?: { url: string; source: string; subfolder?: string; id?: string };
  icons?: { src: string; mimeType?: string; sizes?: string[]; theme?: 'light' | 'dark' }[];
  remotes?: CardRemote[];
  _meta?: Record<string, unknown>;
}

const MAX_DEPTH = 16;
let validateSchema: ValidateFunction | undefined;

/**
 * Loaded and compiled on first use: ajv costs ~10 MB and compiling the schema tens of milliseconds, which start-up
 * should not pay (most runs never read a card).
 */
function cardValidator(): ValidateFunction {
  if (!validateSchema) {
    const require = createRequire(import.meta.url);
    const { Ajv2020 } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Type };
    const addFormats = require('ajv-formats') as { default: (ajv: Ajv2020Type) => void };
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats.default(ajv);
    // The schema file holds only $defs; a card is its ServerCard definition.
    ajv.addSchema(schema, 'server-card.schema.json');
    validateSchema = ajv.getSchema('server-card.schema.json#/$defs/ServerCard')!;
  }
  return validateSchema;
}

/**
 * Cards are advisory (never a security decision), but they are shown to people and their URLs may be opened, so a
 * card is refused — with the field that broke the rule — when it fails the schema, nests absurdly deep, or carries
 * a URL that is not https (http only on this machine); icons may also be raster data: URIs, never SVG ones.
 */
export function validateServerCard(value: unknown, source: string): ServerCard {
  const tooDeep = depthBeyond(value, MAX_DEPTH);
  if (tooDeep) throw invalid(source, tooDeep, `nests deeper than ${MAX_DEPTH} levels`);
  const validate = cardValidator();
  if (!validate(value)) {
    const error = validate.errors?.[0];
    throw invalid(source, error?.instancePath || '/', error?.message ?? 'does not match the Server Card schema');
  }
  const card = value as ServerCard;
  if (card.websiteUrl !== undefined) checkUrl(card.websiteUrl, source, '/websiteUrl');
  if (card.repository?.url !== undefined) checkUrl(card.repository.url, source, '/repository/url');
  card.icons?.forEach((icon, index) => checkUrl(icon.src, source, `/icons/${index}/src`, true));
  card.remotes?.forEach((remote, index) => checkUrl(remote.url.replace(/\{[^}]*\}/g, 'x'), source, `/remotes/${index}/url`));
  return card;
}

function checkUrl(value: string, source: string, pointer: string, iconData = false): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(source, pointer, 'is not a URL');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  if (iconData && /^data:image\/(png|jpeg|gif|webp);base64,/i.test(value)) return;
  throw invalid(source, pointer, `uses ${url.protocol} — only https URLs (and raster data: images for icons) are accepted`);
}

function invalid(source: string, pointer: string, message: string): SwitchboardError {
  return new SwitchboardError('DISCOVERY_CARD_INVALID', `the Server Card from ${source} is invalid at ${pointer}: ${message}`);
}

/** The JSON pointer of the first value nested deeper than `limit`, or undefined. */
export function depthBeyond(value: unknown, limit: number, pointer = '', depth = 0): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= limit) return pointer || '/';
  for (const [key, item] of Object.entries(value)) {
    const found = depthBeyond(item, limit, `${pointer}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
