// The official conformance suite's client auth scenarios, every one of them, with Switchboard as the client (through client-adapter.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// CONFORMANCE_PACKAGE_DIR runs a newer suite than the installed one (e.g. 0.2.0-alpha.12, whose DPoP and WIF scenarios 0.1.16 lacks).
const conformanceCli = join(process.env.CONFORMANCE_PACKAGE_DIR ?? dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');

/**
 * Scenarios Switchboard is known to fail today, each with why; any other failure, or one of these passing, fails the
 * test, so the list stays true. Only those the installed suite has are expected.
 */
const EXPECTED_FAILURES: Record<string, string> = {};
const adapter = join(dirname(fileURLToPath(import.meta.url)), 'client-adapter.ts');
const adapterCommand = `${process.execPath} ${adapter}`;

async function conformance(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [conformanceCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  return output;
}

describe('conformance: client auth scenarios with Switchboard as the client', () => {
  it('passes the whole auth suite, enterprise-managed authorization and client credentials included', async () => {
    const listed = await conformance(['list']);
    const scenarios = [...listed.slice(listed.indexOf('Client scenarios')).matchAll(/^\s+- (auth\/[\w-]+)/gm)].map((match) => match[1]!);
    expect(scenarios).toEqual(expect.arrayContaining(['auth/client-credentials-jwt', 'auth/client-credentials-basic', 'auth/scope-step-up']));
    // 0.2 renamed the enterprise-managed authorization scenario; either name must be there.
    expect(scenarios.some((name) => name === 'auth/cross-app-access-complete-flow' || name === 'auth/enterprise-managed-authorization')).toBe(true);

    const verdicts = new Map<string, string>();
    const suite = await conformance(['client', '--suite', 'auth', '--command', adapterCommand]);
    for (const match of suite.slice(suite.indexOf('=== SUITE SUMMARY ===')).matchAll(/^([✓✗]) (auth\/[\w-]+): (\d+) passed, (\d+) failed/gmu))
      verdicts.set(match[2]!, match[0]);
    // The suite runs the core scenarios; the extension, draft and 2025-03-26 ones are run one by one.
    for (const scenario of scenarios.filter((name) => !verdicts.has(name))) {
      const output = await conformance(['client', '--scenario', scenario, '--command', adapterCommand]);
      const passed = /Passed: (\d+)\/(\d+), 0 failed/.exec(output);
      verdicts.set(scenario, passed && output.includes('OVERALL: PASSED') ? `✓ ${scenario}: ${passed[1]} passed` : `✗ ${scenario}: ${output.slice(-1500)}`);
    }
    expect(verdicts.size).toBe(scenarios.length);
    const failed = [...verdicts.values()].filter((verdict) => !verdict.startsWith('✓') && !(verdict.slice(2).split(':')[0]! in EXPECTED_FAILURES));
    expect(failed).toEqual([]);
    const nowPassing = Object.keys(EXPECTED_FAILURES).filter((name) => verdicts.get(name)?.startsWith('✓'));
    expect(nowPassing, 'scenarios that pass now: take them off EXPECTED_FAILURES').toEqual([]);
  }, 600_000);
});
