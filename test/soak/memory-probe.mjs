// Preloaded into serve by rss-soak.ts (NODE_OPTIONS=--import): appends memoryUsage, RSS by mapping kind and V8 space sizes to $PROBE_OUT.
// smaps kinds: v8pages = 256 KiB anonymous mappings (V8 heap pages), brk = main malloc arena (SQLite's page cache lives here),
// arenas = 64 MiB-aligned anonymous mappings (glibc per-thread arenas). PROBE_GC=0 samples without forcing a GC first.
/* global process, setInterval, setTimeout */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import v8 from 'node:v8';
import vm from 'node:vm';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const out = process.env.PROBE_OUT;
const every = Number(process.env.PROBE_MS ?? 10000);
const started = Date.now();
const MiB = (n) => Math.round((n / 1048576) * 10) / 10;
function smaps() {
  const sums = { v8pages: 0, brk: 0, arenas: 0, anonOther: 0 };
  let kind = null;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      const start = parseInt(m[1], 16),
        size = parseInt(m[2], 16) - start,
        name = m[3].trim();
      kind = name === '[heap]' ? 'brk' : name ? null : size === 262144 ? 'v8pages' : start % 67108864 === 0 && size <= 67108864 ? 'arenas' : 'anonOther';
    } else if (kind && line.startsWith('Rss:')) sums[kind] += Number(line.split(/\s+/)[1]) * 1024;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, MiB(v)]));
}
const sample = () => {
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), [MiB(s.space_used_size), MiB(s.space_size), MiB(s.physical_space_size)]]),
  );
  const before = process.memoryUsage();
  if (process.env.PROBE_GC !== '0') gc();
  const m = process.memoryUsage();
  appendFileSync(
    out,
    JSON.stringify({
      t: Math.round((Date.now() - started) / 1000),
      rss: MiB(m.rss),
      heapUsedPreGc: MiB(before.heapUsed),
      heapTotalPreGc: MiB(before.heapTotal),
      heapUsed: MiB(m.heapUsed),
      heapTotal: MiB(m.heapTotal),
      external: MiB(m.external),
      arrayBuffers: MiB(m.arrayBuffers),
      smaps: smaps(),
      spaces,
    }) + '\n',
  );
};
if (out) setInterval(sample, every).unref();
// PROBE_ALLOC=from,to (seconds): sampling heap profile including collected objects, i.e. where the allocation churn comes from.
if (out && process.env.PROBE_ALLOC) {
  const [from, to] = process.env.PROBE_ALLOC.split(',').map(Number);
  const session = new inspector.Session();
  session.connect();
  setTimeout(
    () =>
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 32768,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: process.env.PROBE_ALLOC_MINOR !== '0',
      }),
    from * 1000,
  ).unref();
  setTimeout(
    () =>
      session.post('HeapProfiler.stopSampling', (err, res) => {
        if (!err) writeFileSync(`${out}.heapprofile`, JSON.stringify(res.profile));
      }),
    to * 1000,
  ).unref();
}
