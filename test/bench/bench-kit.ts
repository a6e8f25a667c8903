// What every benchmark reports: a measured figure, the baseline measured in the same run, their ratio, and the target.
export interface BenchResult {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** The same measurement without Switchboard's part (direct connection, bare library, peer), in the same run. */
  baseline?: { label: string; value: number };
  /** value / baseline. */
  ratio?: number;
  /** The goal, e.g. { op: '<=', value: 5000 }; `met` says whether this run reached it. */
  target?: { op: '<=' | '>='; value: number; against?: 'value' | 'ratio' };
  met?: boolean;
  note?: string;
}

export function result(fields: Omit<BenchResult, 'ratio' | 'met'>): BenchResult {
  const ratio = fields.baseline ? fields.value / fields.baseline.value : undefined;
  const measured = fields.target?.against === 'ratio' ? ratio : fields.value;
  const met =
    fields.target && measured !== undefined ? (fields.target.op === '<=' ? measured <= fields.target.value : measured >= fields.target.value) : undefined;
  return { ...fields, ...(ratio !== undefined ? { ratio } : {}), ...(met !== undefined ? { met } : {}) };
}

/** Percentile of sorted-or-not samples (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function now(): bigint {
  return process.hrtime.bigint();
}
