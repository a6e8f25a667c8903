// The official MCP conformance server suite, run against server-everything directly and through Switchboard: same verdicts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startServe, type ServeProcess } from '../support/serve-process.ts';

const require = createRequire(import.meta.url);
const conformanceCli = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');
const everythingCli = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

/** Runs the suite and returns each scenario's summary line, e.g. "tools-list: 1 passed, 0 failed" with its ✓/✗. */
async function runSuite(url: string): Promise<Map<string, string>> {
  const child = spawn(process.execPath, [conformanceCli, 'server', '--url', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  const summary = output.slice(output.indexOf('=== SUMMARY ==='));
  const verdicts = new Map<string, string>();
  for (const match of summary.matchAll(/^([✓✗]) ([\w-]+): (\d+ passed, \d+ failed)$/gmu)) verdicts.set(match[2]!, `${match[1]} ${match[3]}`);
  if (verdicts.size === 0) throw new Error(`the conformance suite printed no summary:\n${output.slice(-2000)}`);
  return verdicts;
}

describe('conformance: server suite through Switchboard', () => {
  let everything: ReturnType<typeof spawn>;
  let everythingUrl: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    // server-everything only listens on a fixed PORT; ask the OS for a free one first.
    const port = await freePort();
    everything = spawn(process.execPath, [everythingCli, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`server-everything did not start:\n${log}`)), 15_000);
      everything.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('listening on port')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    everythingUrl = `http://127.0.0.1:${port}/mcp`;
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ servers: [{ id: 'everything', url: everythingUrl, prefix: '' }] }));
    // Anonymous mode exists for exactly this: the suite cannot present a client credential.
    serve = await startServe(['--config', join(dir, 'config.json'), '--data-dir', join(dir, 'data'), '--allow-anonymous']);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    everything?.kill();
  });

  it('gives every scenario the verdict it gets against server-everything directly, and passes DNS-rebinding protection', async () => {
    const direct = await runSuite(everythingUrl);
    const through = await runSuite(serve.ready.mcpUrl);
    expect([...through.keys()].sort()).toEqual([...direct.keys()].sort());
    expect(through.get('dns-rebinding-protection')).toMatch(/^✓ \d+ passed, 0 failed$/);
    direct.delete('dns-rebinding-protection');
    for (const [scenario, verdict] of direct) expect(through.get(scenario), scenario).toBe(verdict);
    // The suite exercises real behaviour: many scenarios must pass at all, or this comparison would be empty.
    expect([...through.values()].filter((verdict) => verdict.startsWith('✓')).length).toBeGreaterThanOrEqual(10);
  }, 180_000);
});
