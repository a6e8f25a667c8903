// audit:* — the Activity page's queries, summaries, verification and export, mapped to the contract (app/audit.ts does the work).
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function auditChannels({ app }: UiServiceDeps): ChannelHandlers<'audit:query' | 'audit:summary' | 'audit:timeseries' | 'audit:verify' | 'audit:export'> {
  return {
    'audit:query': async (filter) => {
      const page = app.audit.query(filter);
      return { records: page.records, ...(page.nextBeforeSeq ? { nextBeforeSeq: page.nextBeforeSeq } : {}) };
    },
    'audit:summary': async (filter) => app.audit.summary(filter),
    'audit:timeseries': async ({ by, bucket, ...filter }) => app.audit.timeseries(filter, { by, ...(bucket ? { bucket } : {}) }),
    'audit:verify': async () => {
      const report = app.audit.verify();
      return {
        ok: report.ok,
        checked: report.checked,
        message: report.ok ? `all ${report.checked} records verify` : `record ${report.problem!.seq} was ${report.problem!.kind}: ${report.problem!.detail}`,
      };
    },
    // Every matching record, oldest first, as `switchboard audit export` writes them; a `limit` in the request takes only the newest part.
    'audit:export': async (filter) => {
      const records = app.audit.export(filter);
      return {
        fileName: `switchboard-audit-${new Date().toISOString().slice(0, 10)}.jsonl`,
        text: records.map((record) => `${JSON.stringify(record)}\n`).join(''),
      };
    },
  };
}
