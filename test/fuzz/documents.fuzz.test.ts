// Fuzzes every document Switchboard reads from others: Server Cards, AI catalogs, PRM and AS metadata, WWW-Authenticate, config and policy files.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authUrl, isAllowedAuthUrl } from '../../main/core/auth/auth-http.ts';
import { discoverAuthorizationServer, discoverProtectedResource } from '../../main/core/auth/discovery.ts';
import { parseConfigText } from '../../main/core/config/load-config.ts';
import { parseAiCatalog } from '../../main/core/discovery/ai-catalog.ts';
import { parseCompanyPolicyText } from '../../main/core/discovery/company-policy.ts';
import { validateServerCard } from '../../main/core/discovery/server-card.ts';
import { SwitchboardError } from '../../main/core/errors.ts';
import { checkProperty, expectClearError, fuzzReport } from './fuzz-kit.ts';

const CARD_FIXTURES = join(import.meta.dirname, '../fixtures/server-card/valid');
const validCards = ['minimal.json', 'templated-remote.json'].map(
  (name) => JSON.parse(readFileSync(join(CARD_FIXTURES, name), 'utf8')) as Record<string, unknown>,
);

/** URLs people and scanners actually throw at parsers: hostile schemes, odd hosts, encodings. */
const hostileUrl = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'file:///etc/passwd',
    'http://10.0.0.1/',
    'http://169.254.169.254/latest',
    'https://user:pw@example.com/',
    'HTTPS://EXAMPLE.COM',
    'http://[::1]:1/x',
    '//example.com',
    'vbscript:x',
    'data:image/svg+xml;base64,PHN2Zz4=',
    'data:image/png;base64,AAAA',
  ),
  fc.string(),
);

/** A valid document with some fields replaced by generated values (the most productive kind of fuzz input). */
function mutated(base: Record<string, unknown>, extraKeys: string[] = []): fc.Arbitrary<unknown> {
  const keys = [...new Set([...Object.keys(base), ...extraKeys])];
  return fc
    .dictionary(fc.constantFrom(...keys), fc.oneof(fc.jsonValue(), hostileUrl, fc.array(fc.jsonValue(), { maxLength: 3 })), { maxKeys: 3 })
    .map((overrides) => ({ ...base, ...overrides }));
}

/** Runs a parser: it either returns or throws a clear SwitchboardError with one of the expected codes. */
function acceptedOrClear<T>(codes: string[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    expect(codes).toContain(expectClearError(error).code);
    return undefined;
  }
}

const deep = fc.integer({ min: 1, max: 5000 }).map((depth) => {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
});

describe('fuzzing documents from servers, registries and files', () => {
  afterAll(() => {
    console.log(fuzzReport());
  });

  it('Server Cards: any JSON is accepted or refused with its field; an accepted card never carries a non-https URL', async () => {
    const cards = fc.oneof(fc.jsonValue(), ...validCards.map((card) => mutated(card, ['icons', 'repository', 'websiteUrl', 'remotes'])), deep);
    await checkProperty(
      'Server Card validation',
      [cards],
      (value) => {
        const card = acceptedOrClear(['DISCOVERY_CARD_INVALID'], () => validateServerCard(value, 'https://fuzz.example/server-card'));
        if (!card) return;
        for (const url of [card.websiteUrl, card.repository?.url, ...(card.remotes ?? []).map((remote) => remote.url.replace(/\{[^}]*\}/g, 'x'))]) {
          if (url !== undefined) expect(isAllowedAuthUrl(new URL(url)), url).toBe(true);
        }
        for (const icon of card.icons ?? [])
          expect(/^https:|^http:\/\/(127\.|localhost|\[::1\])|^data:image\/(png|jpeg|gif|webp);base64,/i.test(icon.src), icon.src).toBe(true);
      },
      4000,
    );
  });

  it('AI catalogs: any text is parsed or refused with a clear error; only card entries come back', async () => {
    const entry = fc.record(
      { identifier: fc.string(), type: fc.oneof(fc.constant('application/mcp-server-card+json'), fc.string()), url: hostileUrl, data: fc.jsonValue() },
      { requiredKeys: [] },
    );
    const catalogs = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          { specVersion: fc.oneof(fc.constant('1.0'), fc.jsonValue()), entries: fc.oneof(fc.array(entry, { maxLength: 5 }), fc.jsonValue()) },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    await checkProperty(
      'AI catalog parsing',
      [catalogs],
      (text) => {
        const entries = acceptedOrClear(['DISCOVERY_CATALOG_INVALID'], () => parseAiCatalog(text, 'https://fuzz.example/.well-known/ai-catalog.json'));
        for (const found of entries ?? []) expect((found.url === undefined) !== (found.data === undefined)).toBe(true);
      },
      4000,
    );
  });

  it('configuration files: any text loads or is refused with the place or field; an accepted file has only https or loopback servers', async () => {
    const server = fc.record(
      {
        id: fc.oneof(fc.constantFrom('wiki', 'a', 'x_1'), fc.string()),
        url: hostileUrl,
        enabled: fc.jsonValue(),
        prefix: fc.jsonValue(),
        headers: fc.jsonValue(),
      },
      { requiredKeys: ['id', 'url'] },
    );
    const configs = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          { servers: fc.array(server, { maxLength: 3 }), gateway: fc.jsonValue(), audit: fc.jsonValue(), auth: fc.jsonValue(), discovery: fc.jsonValue() },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
      fc.tuple(fc.json(), fc.string()).map(([json, comment]) => `// ${comment.replace(/\n/g, ' ')}\n${json}`),
    );
    await checkProperty(
      'configuration file parsing',
      [configs],
      (text) => {
        const config = acceptedOrClear(['CONFIG_INVALID', 'CONFIG_INVALID_JSON'], () => parseConfigText(text, 'fuzz.json'));
        for (const entry of config?.servers ?? []) expect(isAllowedAuthUrl(new URL(entry.url)), entry.url).toBe(true);
      },
      4000,
    );
  });

  it('company policy files: any text loads or is refused with the field', async () => {
    const policies = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          { allow: fc.jsonValue(), deny: fc.array(fc.string()), idp: fc.jsonValue(), locked: fc.jsonValue(), servers: fc.jsonValue(), catalogUrl: hostileUrl },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    await checkProperty(
      'company policy parsing',
      [policies],
      (text) => void acceptedOrClear(['POLICY_INVALID'], () => parseCompanyPolicyText(text, 'policy.json')),
      3000,
    );
  });

  it('WWW-Authenticate headers: any value is read without throwing, and a resource_metadata URL is checked before use', async () => {
    const param = fc
      .tuple(fc.constantFrom('resource_metadata', 'scope', 'error', 'realm', 'error_description'), fc.oneof(hostileUrl, fc.string()))
      .map(([key, value]) => `${key}="${value.replace(/["\\]/g, '')}"`);
    const headers = fc.oneof(
      fc.string(),
      fc.array(param, { maxLength: 5 }).map((params) => `Bearer ${params.join(', ')}`),
      fc.tuple(fc.array(param, { maxLength: 3 }), fc.array(param, { maxLength: 3 })).map(([a, b]) => `Basic ${a.join(', ')}, Bearer ${b.join(', ')}`),
    );
    await checkProperty(
      'WWW-Authenticate parsing',
      [headers],
      (header) => {
        let response: Response;
        try {
          response = new Response(null, { status: 401, headers: { 'www-authenticate': header } });
        } catch {
          return; // Not a legal header value: no HTTP stack would deliver it.
        }
        const { resourceMetadataUrl } = extractWWWAuthenticateParams(response);
        if (resourceMetadataUrl) {
          const checked = acceptedOrClear(['AUTH_DISCOVERY_FAILED'], () => authUrl(resourceMetadataUrl.href, 'the resource_metadata URL'));
          if (checked) expect(isAllowedAuthUrl(checked)).toBe(true);
        }
      },
      4000,
    );
  });

  describe('metadata served over HTTP (a loopback server answering whatever the fuzzer chose)', () => {
    let server: Server;
    let origin = '';
    let answer: { status: number; contentType: string; body: string } = { status: 200, contentType: 'application/json', body: '{}' };

    beforeAll(async () => {
      server = createServer((_request, response) => response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const status = fc.oneof({ weight: 6, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(204, 301, 302, 401, 404, 410, 500, 503) });
    const contentType = fc.constantFrom('application/json', 'text/html', 'application/json; charset=utf-8', '');

    it('Protected Resource Metadata: accepted only when it names this server and https (or loopback) authorization servers', async () => {
      const prm = fc.oneof(
        fc.json(),
        fc.string(),
        fc
          .record(
            {
              resource: fc.oneof(fc.constant('SELF'), fc.constant('SELF/other'), hostileUrl),
              authorization_servers: fc.oneof(fc.array(hostileUrl, { maxLength: 3 }), fc.jsonValue()),
              scopes_supported: fc.oneof(fc.array(fc.string(), { maxLength: 4 }), fc.jsonValue()),
            },
            { requiredKeys: [] },
          )
          .map((value) => JSON.stringify(value)),
      );
      await checkProperty(
        'Protected Resource Metadata',
        [status, contentType, prm],
        async (code, type, body) => {
          const serverUrl = new URL(`${origin}/mcp`);
          answer = { status: code, contentType: type, body: body.replaceAll('SELF', serverUrl.href) };
          try {
            const found = await discoverProtectedResource(serverUrl);
            if (found.legacyFallback) return;
            expect(found.resource.startsWith(origin), found.resource).toBe(true);
            for (const issuer of found.authorizationServers) expect(isAllowedAuthUrl(new URL(issuer))).toBe(true);
          } catch (error) {
            expect(['AUTH_DISCOVERY_FAILED', 'UPSTREAM_UNAVAILABLE']).toContain(expectClearError(error).code);
          }
        },
        800,
      );
    });

    it('authorization server metadata: accepted only for the issuer it was fetched for, with https (or loopback) endpoints', async () => {
      const metadata = fc.oneof(
        fc.json(),
        fc
          .record(
            {
              issuer: fc.oneof(fc.constant('SELF'), fc.constant('SELF/'), hostileUrl),
              authorization_endpoint: fc.oneof(fc.constant('SELF/authorize'), hostileUrl),
              token_endpoint: fc.oneof(fc.constant('SELF/token'), hostileUrl),
              registration_endpoint: hostileUrl,
              code_challenge_methods_supported: fc.oneof(fc.constant(['S256']), fc.jsonValue()),
              grant_types_supported: fc.jsonValue(),
            },
            { requiredKeys: [] },
          )
          .map((value) => JSON.stringify(value)),
      );
      await checkProperty(
        'authorization server metadata',
        [status, contentType, metadata],
        async (code, type, body) => {
          answer = { status: code, contentType: type, body: body.replaceAll('SELF', origin) };
          try {
            const found = await discoverAuthorizationServer(origin, false);
            expect(new URL(found.issuer).href).toBe(new URL(origin).href);
            for (const field of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const) {
              if (found[field] !== undefined) expect(isAllowedAuthUrl(new URL(found[field]))).toBe(true);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(SwitchboardError);
            expect(['AUTH_DISCOVERY_FAILED', 'UPSTREAM_UNAVAILABLE']).toContain(expectClearError(error).code);
          }
        },
        800,
      );
    });
  });
});
