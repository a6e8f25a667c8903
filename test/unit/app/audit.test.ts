// The audit use cases without a socket: export is complete and oldest first in the exported form; a limit takes the newest part explicitly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditService, type AuditService } from '../../../main/core/app/audit.ts';
import { createTestContext, type TestContext } from '../../support/app-test-context.ts';

describe('the audit use cases', () => {
  let context: TestContext;
  let audit: AuditService;

  beforeEach(async () => {
    context = await createTestContext();
    audit = createAuditService(context);
    context.withAuditStore((store) =>
      store.appendMany(
        Array.from({ length: 2500 }, (_, index) => ({
          kind: 'request' as const,
          method: 'tools/call',
          server: index % 2 ? 'wiki' : 'crm',
          target: `tool_${index}`,
          outcome: 'ok' as const,
          details: { index },
        })),
      ),
    );
  });
  afterEach(() => context.close());

  it('exports every matching record, oldest first, past any one page, with details parsed', () => {
    const exported = audit.export({ server: 'wiki' });
    expect(exported).toHaveLength(1250);
    const seqs = exported.map((record) => record.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(exported[0]).toMatchObject({ server: 'wiki', details: { index: 1 }, hash: expect.any(String), prevHash: expect.any(String) });
  });

  it('takes only the newest `limit` records when asked, still oldest first, and pages on with beforeSeq', () => {
    const newest = audit.export({ limit: 3 });
    expect(newest.map((record) => record.seq)).toEqual([2498, 2499, 2500]);
    expect(audit.export({ limit: 2, beforeSeq: 2498 }).map((record) => record.seq)).toEqual([2496, 2497]);
  });

  it('queries newest first with a next page, summarises and verifies the same trail', () => {
    const page = audit.query({ limit: 2 });
    expect(page.records.map((record) => record.seq)).toEqual([2500, 2499]);
    expect(page.nextBeforeSeq).toBe(2499);
    expect(audit.summary({}).total).toBe(2500);
    expect(audit.verify()).toMatchObject({ ok: true, checked: 2500 });
    expect(audit.after(audit.headSeq() - 1).map((record) => record.seq)).toEqual([2500]);
  });
});
