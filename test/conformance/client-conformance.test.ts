// The official conformance suite's client scenarios with Switchboard as the client (through client-adapter.ts): the whole 2026-07-28 requirement set, its extensions, and the older auth ones.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const conformanceCli = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');
const adapter = join(dirname(fileURLToPath(import.meta.url)), 'client-adapter.ts');
const adapterCommand = `${process.execPath} ${adapter}`;

/**
 * Scenarios Switchboard is known to fail today, each with why; any other failure, or one of these passing, fails the
 * test, so the list stays true.
 */
const EXPECTED_FAILURES: Record<string, string> = {};

async function conformance(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [conformanceCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  return output;
}

/** Each scenario's verdict line from a multi-scenario run ("✓ name: 12 passed, 0 failed"). */
function verdictsOf(output: string): Map<string, string> {
  const verdicts = new Map<string, string>();
  for (const match of output.matchAll(/^([✓✗]) ([\w/-]+): (\d+) passed, (\d+) failed/gmu)) verdicts.set(match[2]!, match[0]);
  return verdicts;
}

/** One scenario on its own: its verdict line, or its last output when it failed. */
async function runScenario(scenario: string, env: Record<string, string> = {}): Promise<string> {
  const output = await conformance(['client', '--scenario', scenario, '--command', adapterCommand], env);
  const passed = /Passed: (\d+)\/(\d+), 0 failed/.exec(output);
  return passed && output.includes('OVERALL: PASSED') ? `✓ ${scenario}: ${passed[1]} passed` : `✗ ${scenario}: ${output.slice(-1500)}`;
}

/** The client scenarios of the 2026-07-28 requirement set: those it scores, and those it runs without scoring. */
async function requiredClientScenarios(): Promise<{ scored: string[]; unscored: string[] }> {
  const listing = await conformance(['list', '--requirements', '2026-07-28']);
  const clientPart = listing.slice(listing.indexOf('Client scenarios'));
  const scoredPart = clientPart.slice(0, clientPart.indexOf('Run and reported'));
  return {
    scored: [...scoredPart.matchAll(/^\s+- ([\w/-]+)$/gm)].map((match) => match[1]!),
    unscored: [...listing.matchAll(/^\s+- ([\w/-]+) \[client\]$/gm)].map((match) => match[1]!),
  };
}

function unexpected(verdicts: Map<string, string>): { failed: string[]; nowPassing: string[] } {
  return {
    failed: [...verdicts.entries()].filter(([name, verdict]) => !verdict.startsWith('✓') && !(name in EXPECTED_FAILURES)).map(([, verdict]) => verdict),
    nowPassing: Object.keys(EXPECTED_FAILURES).filter((name) => verdicts.get(name)?.startsWith('✓')),
  };
}

describe('conformance: client scenarios with Switchboard as the client', () => {
  it('passes every client scenario the 2026-07-28 revision requires, its extensions (DPoP, workload identity, client credentials, enterprise-managed authorization) and the 2025-03-26 auth fallbacks', async () => {
    const clientScenarios = await requiredClientScenarios();
    const run = await conformance(['client', '--requirements', '2026-07-28', '--command', adapterCommand]);
    const verdicts = verdictsOf(run);
    // Every client scenario the set names was run and judged, the extensions (run but not scored) included.
    expect(clientScenarios.scored.length).toBeGreaterThanOrEqual(30);
    expect(
      [...clientScenarios.scored, ...clientScenarios.unscored].filter((name) => !verdicts.has(name)),
      run.slice(-3000),
    ).toEqual([]);
    // The older auth scenarios (2025-03-26 metadata fallbacks) are outside the set; each is run on its own.
    const listed = await conformance(['list']);
    const older = [...listed.slice(listed.indexOf('Client scenarios')).matchAll(/^\s+- (auth\/[\w-]+)/gm)]
      .map((match) => match[1]!)
      .filter((name) => !verdicts.has(name));
    for (const scenario of older) verdicts.set(scenario, await runScenario(scenario));
    expect(run).toMatch(/Total: \d+ passed, \d+ failed/);
    const { failed, nowPassing } = unexpected(verdicts);
    expect(failed).toEqual([]);
    expect(nowPassing, 'scenarios that pass now: take them off EXPECTED_FAILURES').toEqual([]);
  }, 900_000);

  it('passes the non-auth scenarios again when the AI client speaks 2026-07-28, whose calls Switchboard relays as bytes', async () => {
    const scenarios = (await requiredClientScenarios()).scored.filter((name) => !name.startsWith('auth/'));
    expect(scenarios).toEqual(expect.arrayContaining(['tools_call', 'request-metadata', 'http-custom-headers', 'sep-2322-client-request-state']));
    const verdicts = new Map<string, string>();
    for (const scenario of [...scenarios, 'json-schema-2020-12-preservation'])
      verdicts.set(scenario, await runScenario(scenario, { CONFORMANCE_CLIENT_NEGOTIATION: 'auto' }));
    expect(unexpected(verdicts).failed).toEqual([]);
  }, 600_000);

  it('passes the client scenarios only the 2025-11-25 revision requires (initialize, form defaults, SSE retry)', async () => {
    const verdicts = new Map<string, string>();
    for (const scenario of ['initialize', 'elicitation-sep1034-client-defaults', 'sse-retry']) verdicts.set(scenario, await runScenario(scenario));
    expect(unexpected(verdicts).failed).toEqual([]);
  }, 300_000);
});
