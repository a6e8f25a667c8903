// A sandbox server's discovery documents: its Server Card at <mcp-url>/server-card and the origin's ai-catalog.json.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SERVER_CARD_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json';
export const SERVER_CARD_MEDIA_TYPE = 'application/mcp-server-card+json';
export const AI_CATALOG_MEDIA_TYPE = 'application/ai-catalog+json';

export interface CardSubject {
  name: string;
  title: string;
  description: string;
  mcpUrl: string;
  supportedProtocolVersions: string[];
}

export function buildServerCard(subject: CardSubject): Record<string, unknown> {
  return {
    $schema: SERVER_CARD_SCHEMA,
    name: `io.switchboard.sandbox/${subject.name}`,
    version: '1.0.0',
    title: subject.title,
    description: subject.description,
    websiteUrl: new URL('/', subject.mcpUrl).href,
    remotes: [{ type: 'streamable-http', url: subject.mcpUrl, supportedProtocolVersions: subject.supportedProtocolVersions }],
  };
}

export function buildAiCatalog(subject: CardSubject): Record<string, unknown> {
  const host = new URL(subject.mcpUrl).hostname;
  return {
    specVersion: '1.0',
    entries: [{ identifier: `urn:air:${host}:mcp:${subject.name}`, type: SERVER_CARD_MEDIA_TYPE, url: `${subject.mcpUrl}/server-card` }],
  };
}

/** Serves a JSON document the way the Server Card hosting rules ask: CORS for GET, cacheable, revalidated by ETag. */
export function serveDiscoveryDocument(request: IncomingMessage, response: ServerResponse, document: unknown, mediaType: string): void {
  const body = JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
  const headers = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET',
    'access-control-allow-headers': 'Content-Type, If-None-Match',
    'access-control-expose-headers': 'ETag',
    'cache-control': 'public, max-age=3600',
    etag,
  };
  if (request.method === 'OPTIONS') {
    response.writeHead(204, headers).end();
    return;
  }
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers).end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-type': mediaType }).end(body);
}
