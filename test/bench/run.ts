// `npm run bench`: runs the benchmark scenarios, prints a table with baselines and ratios, and writes JSON with --out.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { auditBenchmarks } from './audit.bench.ts';
import { discoveryBenchmarks } from './discovery.bench.ts';
import { latencyBenchmarks } from './latency.bench.ts';
import { scaleBenchmarks } from './scale.bench.ts';
import { signInBenchmarks } from './sign-in.bench.ts';
import { startupBenchmarks } from './startup.bench.ts';
import { toolSearchBenchmarks } from './tool-search.bench.ts';
import type { BenchResult } from './bench-kit.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    out: { type: 'string' },
    'audit-records': { type: 'string', default: '1000000' },
    eras: { type: 'string', default: 'modern,legacy' },
    concurrency: { type: 'string', default: '16,64' },
    servers: { type: 'string', default: '100' },
    tools: { type: 'string', default: '50' },
    'id-jag-servers': { type: 'string', default: '50' },
    'startup-runs': { type: 'string', default: '7' },
    'idle-seconds': { type: 'string', default: '60' },
  },
});

const SCENARIOS: Record<string, () => Promise<BenchResult[]>> = {
  latency: () => latencyBenchmarks({ eras: values.eras.split(',') as ('modern' | 'legacy')[], concurrency: values.concurrency.split(',').map(Number) }),
  audit: () => auditBenchmarks({ records: Number(values['audit-records']) }),
  discovery: () => discoveryBenchmarks(),
  scale: () => scaleBenchmarks({ servers: Number(values.servers), tools: Number(values.tools) }),
  'sign-in': () => signInBenchmarks({ servers: Number(values['id-jag-servers']) }),
  startup: () => startupBenchmarks({ runs: Number(values['startup-runs']), idleSeconds: Number(values['idle-seconds']) }),
  'tool-search': () => toolSearchBenchmarks(),
};

const selected = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
const results: BenchResult[] = [];
for (const name of selected) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`no benchmark scenario "${name}"; there are: ${Object.keys(SCENARIOS).join(', ')}`);
  process.stderr.write(`running ${name}…\n`);
  results.push(...(await scenario()));
}

const rows = results.map((entry) => [
  entry.scenario,
  entry.metric,
  `${entry.value.toLocaleString('en')} ${entry.unit}`,
  entry.baseline ? `${entry.baseline.value.toLocaleString('en')} ${entry.unit} (${entry.baseline.label})` : '',
  entry.ratio !== undefined ? `${entry.ratio.toFixed(2)}×` : '',
  entry.target ? `${entry.target.op} ${entry.target.value.toLocaleString('en')}${entry.target.against === 'ratio' ? '×' : ''}` : '',
  entry.met === undefined ? '' : entry.met ? 'met' : 'MISSED',
  entry.note ?? '',
]);
const header = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'target', '', 'note'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => cell.padEnd(widths[column]!))
    .join('  ')
    .trimEnd();
process.stdout.write(`${[line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')}\n`);
process.stdout.write(`\nnode ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}\n`);
if (values.out) await writeFile(values.out, `${JSON.stringify({ node: process.version, at: new Date().toISOString(), results }, null, 2)}\n`);
