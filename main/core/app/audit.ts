// The audit trail's use cases for the Activity page and `switchboard audit`: query, summary, time series, verification, export and following new records.
import type { AuditRecord } from '../audit/audit-record.ts';
import type { AuditQuery, AuditSummary, AuditTimeseries, TimeseriesBucket, VerifyReport } from '../audit/audit-store.ts';
import { exported } from '../audit/sinks/jsonl-sink.ts';
import type { AppContext } from './app-context.ts';

/** A record as it leaves Switchboard (a file, a download): its details parsed back into JSON, as the JSONL sink writes it. */
export type ExportedAuditRecord = Record<string, unknown>;

export { exported as exportedAuditRecord };

export interface AuditService {
  /** One page, newest first; `nextBeforeSeq` asks for the next one. */
  query(filter?: AuditQuery): { records: AuditRecord[]; nextBeforeSeq?: number };
  summary(filter?: AuditQuery): AuditSummary;
  /** Requests over time split by server or client, with latency percentiles per bucket (the Activity chart). */
  timeseries(filter: AuditQuery, options: { by: 'server' | 'client'; bucket?: TimeseriesBucket }): AuditTimeseries;
  /** Walks the hash chain: where it first breaks, if anywhere. */
  verify(): VerifyReport;
  /**
   * Every matching record, oldest first, in the exported form. `filter.limit` (with `beforeSeq` for paging) asks for
   * only the newest that many — still oldest first — so a caller can take a part of a long trail explicitly.
   */
  export(filter?: AuditQuery): ExportedAuditRecord[];
  /** Records written after a sequence number, oldest first (what `tail` follows and the UI pushes). */
  after(seq: number, limit?: number): AuditRecord[];
  headSeq(): number;
}

/** How many records one read takes while an export walks the trail. */
const EXPORT_PAGE = 1000;

export function createAuditService(context: AppContext): AuditService {
  const read = context.withAuditStore.bind(context);
  return {
    query: (filter = {}) => read((store) => store.query(filter)),
    summary: (filter = {}) => read((store) => store.summary(filter)),
    timeseries: (filter, options) => read((store) => store.timeseries(filter, options)),
    verify: () => read((store) => store.verify()),
    export(filter = {}) {
      return read((store) => {
        const pages: AuditRecord[][] = [];
        let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
        let before = filter.beforeSeq;
        while (remaining > 0) {
          const page = store.query({ ...filter, limit: Math.min(EXPORT_PAGE, remaining), ...(before !== undefined ? { beforeSeq: before } : {}) });
          pages.push(page.records);
          remaining -= page.records.length;
          if (page.nextBeforeSeq === undefined) break;
          before = page.nextBeforeSeq;
        }
        // Pages come newest first; a file reads oldest first, as the trail was written.
        return pages.flat().reverse().map(exported);
      });
    },
    after: (seq, limit) => read((store) => store.after(seq, limit)),
    headSeq: () => read((store) => store.headSeq()),
  };
}
