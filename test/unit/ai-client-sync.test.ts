// After the endpoint moves, the entries this Switchboard wrote follow it in every format (TOML and YAML too); an entry with someone else's credential is left alone.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { applySetup } from '../../main/core/clients/ai-client-setup.ts';
import { entryFor, findTarget, targetPath, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';
import { syncConfiguredClients } from '../../main/core/clients/client-sync.ts';
import { silentLogger } from '../../main/core/logging/json-logger.ts';

const oldUrl = 'http://127.0.0.1:4100/mcp';
const newUrl = 'http://127.0.0.1:4300/mcp';
const bridgeCommand = { command: 'node', args: ['stdio'] };

describe("keeping AI clients at today's address", () => {
  it('rewrites only the address of its own entries, in TOML and YAML files as in JSON', async () => {
    const env: PathEnvironment = { platform: 'linux', home: await mkdtemp(join(tmpdir(), 'switchboard-home-')), variables: {} };
    const codex = findTarget('codex')!;
    const goose = findTarget('goose')!;
    const cursor = findTarget('cursor')!;
    await mkdir(dirname(targetPath(codex, env)), { recursive: true });
    await writeFile(targetPath(codex, env), '# mine\nmodel = "o3"\n');
    await applySetup(codex, env, entryFor(codex, { mcpUrl: oldUrl, credential: 'sbc_ours', bridgeCommand }));
    await applySetup(goose, env, entryFor(goose, { mcpUrl: oldUrl, credential: 'sbc_ours', bridgeCommand }));
    await applySetup(cursor, env, entryFor(cursor, { mcpUrl: oldUrl, credential: 'sbc_someone-else', bridgeCommand }));

    const outcomes = await syncConfiguredClients({
      mcpUrl: newUrl,
      pathEnvironment: env,
      accepts: (credential) => credential === 'sbc_ours',
      logger: silentLogger,
    });
    expect(Object.fromEntries(outcomes.map(({ client, outcome }) => [client, outcome]))).toMatchObject({
      codex: 'updated',
      goose: 'updated',
      cursor: 'not-ours',
      'gemini-cli': 'not-configured',
    });

    const codexText = await readFile(targetPath(codex, env), 'utf8');
    expect(codexText.startsWith('# mine\nmodel = "o3"\n')).toBe(true);
    expect((parseToml(codexText) as { mcp_servers: { switchboard: unknown } }).mcp_servers.switchboard).toEqual({
      url: newUrl,
      http_headers: { Authorization: 'Bearer sbc_ours' },
    });
    expect((parseYaml(await readFile(targetPath(goose, env), 'utf8')) as { extensions: { switchboard: { uri: string } } }).extensions.switchboard.uri).toBe(
      newUrl,
    );
    expect(await readFile(targetPath(cursor, env), 'utf8')).toContain(oldUrl);
  });
});
