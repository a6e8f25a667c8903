// Every AI client target on real files in a temporary home: created, merged with the person's entries (and comments where the format has them), backed up, read back by a strict parser of the client's format, undone leaving the rest byte-identical.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applySetup, inspectClient, previewSetup, undoSetup } from '../../main/core/clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, targetPath, type AiClientTarget, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';

const endpoint = {
  mcpUrl: 'http://127.0.0.1:4100/mcp',
  credential: 'sbc_per-client-test',
  bridgeCommand: { command: '/usr/bin/node', args: ['/opt/switchboard/main/cli/bin.js', 'stdio'] },
};
const expected = { mcpUrl: endpoint.mcpUrl, accepts: (credential: string) => credential === endpoint.credential };
const fileTargets = AI_CLIENT_TARGETS.filter((target) => target.method !== 'copy');

/** Linux (Windows for a Windows-only client), with an empty environment: nothing of the machine running the test (its CODEX_HOME, its XDG folders) leaks in. */
async function homeFor(target: AiClientTarget): Promise<PathEnvironment> {
  return { platform: target.paths.linux ? 'linux' : 'win32', home: await mkdtemp(join(tmpdir(), 'switchboard-home-')), variables: {} };
}

function entryNames(target: AiClientTarget, value: Record<string, unknown>): string[] {
  const container = value[target.container.path[0]!];
  return target.container.shape === 'named-list' ? (container as { name: string }[]).map((item) => item.name) : Object.keys(container as object);
}

/** The file read by a strict parser of the client's own format: what the client itself would see. */
function strictlyParsed(target: AiClientTarget, text: string): Record<string, unknown> {
  switch (target.format) {
    case 'json':
      return JSON.parse(text) as Record<string, unknown>;
    case 'jsonc': {
      const errors: ParseError[] = [];
      const value = parseJsonc(text, errors, { allowTrailingComma: true }) as Record<string, unknown>;
      expect(errors).toEqual([]);
      return value;
    }
    case 'toml':
      return parseToml(text) as Record<string, unknown>;
    case 'yaml': {
      const documents = parseAllDocuments(text);
      expect(Array.isArray(documents) && documents.length).toBe(1);
      const [document] = documents as ReturnType<typeof parseAllDocuments> & unknown[];
      expect(document!.errors).toEqual([]);
      return document!.toJS() as Record<string, unknown>;
    }
  }
}

function switchboardEntryIn(target: AiClientTarget, value: Record<string, unknown>): unknown {
  const container = value[target.container.path[0]!];
  if (target.container.shape === 'named-list') return (container as { name: string }[]).find((item) => item.name === 'switchboard');
  return (container as Record<string, unknown>).switchboard;
}

/** A file the person already has: another server, another setting, and a comment where the format allows one. */
function existingFile(target: AiClientTarget): { text: string; otherServer: string; comment?: string } {
  const key = target.container.path[0]!;
  switch (target.format) {
    case 'json':
      return {
        text: `{\n  "theme": "dark",\n  "${key}": {\n    "other": { "command": "other-mcp", "env": { "TOKEN": "other-secret" } }\n  }\n}\n`,
        otherServer: 'other',
      };
    case 'jsonc':
      return {
        text: `{\n  // keep me\n  "theme": "dark",\n  "${key}": {\n    "other": { "command": "other-mcp", "env": { "TOKEN": "other-secret" } },\n  },\n}\n`,
        otherServer: 'other',
        comment: '// keep me',
      };
    case 'toml':
      return {
        text: `# keep me\nmodel = "o3"\n\n[${key}.other]\ncommand = "other-mcp"\nenv = { TOKEN = "other-secret" }\n`,
        otherServer: 'other',
        comment: '# keep me',
      };
    case 'yaml':
      return target.container.shape === 'map'
        ? {
            text: `# keep me\nGOOSE_MODEL: gpt-5\n${key}:\n  other:\n    enabled: true\n    type: stdio\n    cmd: other-mcp\n    args:\n    - --quiet\n    envs:\n      TOKEN: other-secret\n`,
            otherServer: 'other',
            comment: '# keep me',
          }
        : {
            text: `name: Local Config\nversion: 1.0.0\nschema: v1\n# keep me\n${key}:\n  - name: other\n    command: other-mcp\n    env:\n      TOKEN: other-secret\n`,
            otherServer: 'other',
            comment: '# keep me',
          };
  }
}

describe.each(fileTargets.map((target) => [target.id, target] as const))('%s', (_id, target) => {
  it("creates the file, readable by the client's own parser, pointing at the endpoint with the credential", async () => {
    const env = await homeFor(target);
    const { path, backupPath } = await applySetup(target, env, entryFor(target, endpoint));
    expect(path).toBe(targetPath(target, env));
    expect(backupPath).toBeNull();
    const entry = switchboardEntryIn(target, strictlyParsed(target, await readFile(path, 'utf8')));
    expect(entry).toEqual(entryFor(target, endpoint));
    expect(await inspectClient(target, env, expected)).toMatchObject({ configured: true, detected: true });
  });

  it("merges into the person's file, keeps a byte-identical backup, and undo leaves the rest byte-identical", async () => {
    const env = await homeFor(target);
    const path = targetPath(target, env);
    const existing = existingFile(target);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, existing.text);

    const { backupPath } = await applySetup(target, env, entryFor(target, endpoint), new Date('2026-11-25T10:00:00Z'));
    expect(await readFile(backupPath!, 'utf8')).toBe(existing.text);
    const written = await readFile(path, 'utf8');
    if (existing.comment) expect(written).toContain(existing.comment);
    const value = strictlyParsed(target, written);
    expect(switchboardEntryIn(target, value)).toEqual(entryFor(target, endpoint));
    expect(JSON.stringify(value)).toContain('other-secret');

    // Set up again (a repair): still one entry, the rest unchanged.
    await applySetup(target, env, entryFor(target, { ...endpoint, mcpUrl: 'http://127.0.0.1:4200/mcp' }));
    expect(entryNames(target, strictlyParsed(target, await readFile(path, 'utf8')))).toEqual(['other', 'switchboard']);

    expect(await undoSetup(target, env)).toMatchObject({ removed: true });
    expect(await readFile(path, 'utf8')).toBe(existing.text);
    expect(await undoSetup(target, env)).toMatchObject({ removed: false });
  });

  it("previews only its own entry and a summary: the other server's secret never leaves the file", async () => {
    const env = await homeFor(target);
    const path = targetPath(target, env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, existingFile(target).text);
    await applySetup(target, env, entryFor(target, endpoint));
    const preview = await previewSetup(target, env, entryFor(target, { ...endpoint, credential: '«placeholder»' }));
    const shown = JSON.stringify(preview);
    expect(shown).not.toContain('other-secret');
    expect(shown).not.toContain(endpoint.credential);
    expect(shown).not.toContain('dark');
    expect(preview.otherEntries).toEqual(['other']);
    expect(preview.otherSettings).toBeGreaterThanOrEqual(1);
    expect(preview.summary).toContain('1 other server (other)');
    expect(preview.entryBefore).toContain('«hidden»');
    expect(preview.entryAfter).toContain('«placeholder»');
  });

  it('refuses a file its client could not read either, and changes nothing', async () => {
    const env = await homeFor(target);
    const path = targetPath(target, env);
    const broken = { json: '{ "mcpServers": { broken', jsonc: '{ "servers": { broken', toml: '[mcp_servers\nurl = ', yaml: 'extensions:\n  - a\n  b: [\n' }[
      target.format
    ];
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, broken);
    await expect(applySetup(target, env, entryFor(target, endpoint))).rejects.toMatchObject({ code: 'CLIENT_FILE_MALFORMED' });
    expect(await readFile(path, 'utf8')).toBe(broken);
    expect(await readdir(dirname(path))).toEqual([path.split('/').pop()]);
  });
});
