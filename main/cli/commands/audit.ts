// `switchboard audit tail|query|verify|export`: the local audit trail, read straight from its database (safe while serve runs).
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exportedAuditRecord, type AuditQuery, type AuditRecord, type AuditSummary } from '../../core/index.ts';
import { integerIn, parseCount } from '../argument-parsers.ts';
import { runWithApp } from '../command-app.ts';
import { ExitCode } from '../exit-codes.ts';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
}

interface FilterOptions extends CommonOptions {
  from?: string;
  to?: string;
  client?: string;
  server?: string;
  tool?: string;
  method?: string;
  outcome?: AuditQuery['outcome'];
  kind?: AuditQuery['kind'];
  text?: string;
  limit?: number;
  before?: number;
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The local audit trail: every call and security event, hash-chained.');

  withFilters(withCommon(audit.command('query')))
    .description('Records matching the filters, newest first, with paging (--before <seq> from the previous page).')
    .option('--summary', 'print summary statistics (counts by outcome and server, latency percentiles, timeline) instead')
    .action(async (options: FilterOptions & { summary?: boolean }) =>
      runWithApp(options, async ({ audit: trail }) => {
        const filter = toQuery(options);
        if (options.summary) {
          const summary = trail.summary(filter);
          return options.json ? JSON.stringify(summary) : renderSummary(summary);
        }
        const page = trail.query(filter);
        return options.json
          ? JSON.stringify({ records: page.records.map(exportedAuditRecord), nextBefore: page.nextBeforeSeq ?? null })
          : [...page.records.map(renderRecord), page.nextBeforeSeq ? `(more: --before ${page.nextBeforeSeq})` : ''].filter(Boolean).join('\n');
      }),
    );

  withCommon(audit.command('tail'))
    .description('Print the newest records and follow new ones as they are written (Ctrl-C to stop).')
    .option('-n, --lines <n>', 'how many existing records to show first', integerIn(0, 100_000), 10)
    .action(async (options: CommonOptions & { lines: number }) =>
      runWithApp(options, async ({ audit: trail }) => {
        let last = Math.max(0, trail.headSeq() - options.lines);
        const print = (records: AuditRecord[]) => {
          for (const record of records) process.stdout.write(`${options.json ? JSON.stringify(exportedAuditRecord(record)) : renderRecord(record)}\n`);
          if (records.length) last = records.at(-1)!.seq;
        };
        print(trail.after(last, 10_000));
        const stopped = new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        const timer = setInterval(() => print(trail.after(last, 1000)), 500);
        await stopped;
        clearInterval(timer);
        return undefined;
      }),
    );

  withCommon(audit.command('verify'))
    .description('Walk the hash chain and report the first record that was modified, inserted or deleted (exit 4 if any).')
    .action(async (options: CommonOptions) =>
      runWithApp(options, async ({ audit: trail }) => {
        const report = trail.verify();
        if (!report.ok) process.exitCode = ExitCode.auditChainBroken;
        if (options.json) return JSON.stringify(report);
        return report.ok
          ? `OK: ${report.checked} records, chain intact.`
          : `BROKEN at record ${report.problem!.seq}: ${report.problem!.kind} — ${report.problem!.detail} (${report.checked} records checked before it).`;
      }),
    );

  withFilters(withCommon(audit.command('export')))
    .description(
      'Write every matching record (with --limit, the newest that many) as JSON lines, oldest first, to --out or standard output, for another pipeline.',
    )
    .option('-o, --out <file>', 'file to write (default: standard output)')
    .action(async (options: FilterOptions & { out?: string }) =>
      runWithApp(options, async ({ audit: trail }) => {
        const records = trail.export(toQuery(options));
        const output = options.out ? createWriteStream(resolve(options.out), { mode: 0o600 }) : process.stdout;
        for (const record of records) output.write(`${JSON.stringify(record)}\n`);
        if (output !== process.stdout) await new Promise<void>((done) => (output as NodeJS.WritableStream).end(() => done()));
        return undefined;
      }),
    );
}

function withCommon(command: Command): Command {
  return command.option('-d, --data-dir <dir>', 'the data folder (as for serve)').option('--json', 'print JSON');
}

function withFilters(command: Command): Command {
  return command
    .option('--from <time>', 'records at or after this ISO time')
    .option('--to <time>', 'records before this ISO time')
    .option('--client <id>', 'only this AI client')
    .option('--server <id>', 'only this server')
    .option('--tool <name>', 'only this tool, prompt or resource')
    .option('--method <name>', 'only this MCP method (e.g. tools/call) or security event')
    .option('--outcome <outcome>', 'ok, tool_error, error, transport_error or failure')
    .option('--kind <kind>', 'request or security')
    .option('--text <text>', 'text found in the target, method, error or details')
    .option('--limit <n>', 'at most this many records', parseCount)
    .option('--before <seq>', 'only records before this sequence number (paging)', parseCount);
}

function toQuery(options: FilterOptions): AuditQuery {
  const query: AuditQuery = {};
  if (options.from) query.from = options.from;
  if (options.to) query.to = options.to;
  if (options.client) query.client = options.client;
  if (options.server) query.server = options.server;
  if (options.tool) query.target = options.tool;
  if (options.method) query.method = options.method;
  if (options.outcome) query.outcome = options.outcome;
  if (options.kind) query.kind = options.kind;
  if (options.text) query.text = options.text;
  if (options.limit) query.limit = options.limit;
  if (options.before) query.beforeSeq = options.before;
  return query;
}

function renderRecord(record: AuditRecord): string {
  const who = [record.client, record.user].filter(Boolean).join('/') || '-';
  const code = record.errorCode !== undefined ? ` ${record.errorCode}` : record.errorType ? ` ${record.errorType}` : '';
  const latency = record.latencyMs !== undefined ? ` ${record.latencyMs.toFixed(1)}ms` : '';
  return `${String(record.seq).padStart(6)} ${record.time} ${who.padEnd(16)} ${(record.server ?? '-').padEnd(10)} ${record.method} ${record.target ?? ''} → ${record.outcome}${code}${latency}`;
}

function renderSummary(summary: AuditSummary): string {
  const lines = [
    `${summary.total} calls: ${
      Object.entries(summary.byOutcome)
        .map(([outcome, count]) => `${count} ${outcome}`)
        .join(', ') || 'none'
    }`,
  ];
  lines.push(`latency p50 ${summary.latencyMs.p50 ?? '-'} ms, p95 ${summary.latencyMs.p95 ?? '-'} ms, p99 ${summary.latencyMs.p99 ?? '-'} ms`);
  for (const server of summary.byServer) lines.push(`  ${server.server.padEnd(16)} ${server.calls} calls, ${server.errors} not ok`);
  return lines.join('\n');
}
