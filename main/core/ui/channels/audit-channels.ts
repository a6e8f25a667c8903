// audit:* — queries, summaries, verification and export of the audit trail for the Activity page.
import type { AuditStore } from '../../audit/audit-store.ts';
import { SwitchboardError } from '../../errors.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function auditChannels(deps: UiServiceDeps): ChannelHandlers<'audit:query' | 'audit:summary' | 'audit:verify' | 'audit:export'> {
  const audit = (): AuditStore => {
    const store = deps.switchboard().audit();
    if (!store) throw new SwitchboardError('AUDIT_UNAVAILABLE', 'the audit trail is off (audit.enabled is false in the configuration)');
    return store;
  };

  return {
    'audit:query': async (filter) => {
      const page = audit().query(filter);
      return { records: page.records, ...(page.nextBeforeSeq ? { nextBeforeSeq: page.nextBeforeSeq } : {}) };
    },
    'audit:summary': async (filter) => audit().summary(filter),
    'audit:verify': async () => {
      const report = audit().verify();
      return { ok: report.ok, checked: report.checked, message: report.ok ? `all ${report.checked} records verify` : `record ${report.problem!.seq} was ${report.problem!.kind}: ${report.problem!.detail}` };
    },
    'audit:export': async (filter) => {
      const { records } = audit().query({ ...filter, limit: filter.limit ?? 500 });
      return { fileName: `switchboard-audit-${new Date().toISOString().slice(0, 10)}.jsonl`, text: records.map((record) => JSON.stringify(record)).join('\n') + (records.length ? '\n' : '') };
    },
  };
}
