/**
 * `node bench/peers/profile.ts`: where our added CPU per call goes, end to end. Runs the
 * end-to-end child of `sdk7-bare` and `sdk7-ours` (or `--variants a,b`: the reference first)
 * against the simulator, both at the same time, in rounds, each with a CPU profile of the measured calls
 * only (100 us sampling), puts every sample in a category (bench/peers/account.ts) and prints
 * the difference per call for chat and streamed chat, with the process CPU measured in the
 * same runs. Profiles land in bench/results/profiles/ for a closer look with
 * bench/profile-summary.ts or Chrome DevTools.
 *
 * `--compare-lib <path to a copy of src/index.ts>`: both children run the variant, the first on
 * that copy, the second on this tree (BENCH_LIB as usual), so a change to the hot path is
 * judged end to end in the same rounds, under the same load.
 *
 * `--allocations`: each child also samples its allocations (those GC already freed too), and a
 * second table gives the bytes allocated per call by the same categories: the work behind the
 * garbage collector's share and the GC helper threads' CPU (the process row minus the main thread).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild, startSimulatorProcess } from '../spawn.ts';
import { median } from '../stats.ts';
import { markdownTable } from '../table.ts';
import { accountAllocations, accountProfile, CATEGORIES, type Category, type CpuProfile, type HeapProfileNode } from './account.ts';
import type { PeerRunReport } from './child.ts';
import { WORKLOADS, type Workload } from './variants.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    variants: { type: 'string', default: 'sdk7-bare,sdk7-ours' },
    calls: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '16' },
    dir: { type: 'string', default: join(here, '..', 'results', 'profiles') },
    /** Extra node flags for both children, e.g. `--single-threaded-gc` to see what GC helper threads take. */
    'node-flags': { type: 'string', default: '' },
    'compare-lib': { type: 'string' },
    /** Also sample allocations (every one, freed or not) and print the bytes allocated per call by category. */
    allocations: { type: 'boolean', default: false },
  },
});
const [named, variant] = (values.variants ?? '').split(',') as [string, string];
const compareLib = values['compare-lib'];
/** The reference's label: the named reference variant, or the variant on the copy of src/. */
const reference = compareLib === undefined ? named : 'compare-lib';
const calls = Number(values.calls);
const rounds = Number(values.rounds);
const dir = values.dir!;
mkdirSync(dir, { recursive: true });

type Account = Record<Category, number>;
const accounts: Record<string, Record<Workload, Account[]>> = {};
const cpu: Record<string, Record<Workload, number[]>> = {};
const mainCpu: Record<string, Record<Workload, number[]>> = {};
const allocated: Record<string, Record<Workload, Account[]>> = {};
const simulator = await startSimulatorProcess(join(here, '..', 'simulator-process.ts'));
try {
  for (let round = 0; round < rounds; round++) {
    // Both at the same time, so they meet the same load (see roundSchedule).
    const reports = await Promise.all(
      [reference, variant].map(async (id) => {
        const prefix = join(dir, `${id}-round${round + 1}`);
        const onCopy = id === reference && compareLib !== undefined;
        const report = await runChild<PeerRunReport>(
          join(here, 'child.ts'),
          ['--variant', onCopy ? variant : id, '--url', simulator.url, '--concurrency', values.concurrency!, '--warmup', values.warmup!, '--calls', String(calls), '--profile-prefix', prefix, ...(values.allocations ? ['--heap-profile-prefix', prefix] : [])],
          {
            timeoutMs: 600_000,
            execArgv: (values['node-flags'] ?? '').split(' ').filter((f) => f !== ''),
            ...(onCopy ? { env: { ...process.env, BENCH_LIB: compareLib } } : {}),
          },
        );
        return { id, prefix, report };
      }),
    );
    for (const { id, prefix, report } of reports) {
      for (const workload of WORKLOADS) {
        const profile = JSON.parse(readFileSync(`${prefix}-${workload}.cpuprofile`, 'utf8')) as CpuProfile;
        ((accounts[id] ??= { chat: [], stream: [] })[workload]).push(accountProfile(profile, calls, report.load[workload].mainThreadCpuUs));
        ((cpu[id] ??= { chat: [], stream: [] })[workload]).push(report.load[workload].cpuUsPerRequest);
        ((mainCpu[id] ??= { chat: [], stream: [] })[workload]).push(report.load[workload].mainThreadCpuUs / calls);
        if (values.allocations) {
          const heap = JSON.parse(readFileSync(`${prefix}-${workload}.heapprofile`, 'utf8')) as { head: HeapProfileNode };
          ((allocated[id] ??= { chat: [], stream: [] })[workload]).push(accountAllocations(heap.head, calls));
        }
      }
      process.stderr.write(`[profile] round ${round + 1}/${rounds} ${id}: chat ${report.load.chat.cpuUsPerRequest.toFixed(0)} us, stream ${report.load.stream.cpuUsPerRequest.toFixed(0)} us CPU/call\n`);
    }
  }
} finally {
  simulator.stop();
}

/** Per category: the median over rounds of the variant's figure minus the reference's of the same round. */
const added = (workload: Workload, category: Category): number =>
  median(accounts[variant]![workload].map((a, i) => a[category] - accounts[reference]![workload][i]![category]));
const fmt = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
const rows = CATEGORIES.map((c) => [c, ...WORKLOADS.map((w) => fmt(added(w, c)))]);
rows.push(['main thread CPU (measured; the categories share it by samples)', ...WORKLOADS.map((w) => fmt(median(mainCpu[variant]![w].map((v, i) => v - mainCpu[reference]![w][i]!))))]);
rows.push(['process CPU, all threads (measured in the same runs)', ...WORKLOADS.map((w) => fmt(median(cpu[variant]![w].map((v, i) => v - cpu[reference]![w][i]!))))]);
console.log(`\n${variant} minus ${reference}, us of CPU per call, median of ${rounds} rounds of ${calls} calls, both at the same time (profiling on in both)\n`);
// The allocation sampler runs code at every sampled allocation site: CPU is not comparable then.
if (values.allocations) console.log('(allocation sampling was on: it slows every allocation site, so read only the allocation table below from this run)\n');
console.log(markdownTable(['where the added CPU goes', ...WORKLOADS.map((w) => (w === 'chat' ? 'chat' : 'streamed chat'))], rows));
console.log(`\n${reference} itself, us per call by the same categories (main thread):`);
console.log(markdownTable(['category', ...WORKLOADS], CATEGORIES.map((c) => [c, ...WORKLOADS.map((w) => median(accounts[reference]![w].map((a) => a[c])).toFixed(1))])));
if (values.allocations) {
  const bytes = (workload: Workload, category: Category): string =>
    fmtBytes(median(allocated[variant]![workload].map((a, i) => a[category] - allocated[reference]![workload][i]![category])));
  const total = (id: string, workload: Workload): number[] => allocated[id]![workload].map((a) => CATEGORIES.reduce((n, c) => n + a[c], 0));
  const allRows = CATEGORIES.filter((c) => c !== 'garbage collection').map((c) => [c, ...WORKLOADS.map((w) => bytes(w, c))]);
  allRows.push(['all allocations (sampled)', ...WORKLOADS.map((w) => fmtBytes(median(total(variant, w).map((v, i) => v - total(reference, w)[i]!))))]);
  allRows.push([`${reference} itself, all allocations`, ...WORKLOADS.map((w) => fmtBytes(median(total(reference, w)), false))]);
  console.log(`\n${variant} minus ${reference}, bytes allocated per call (sampled every 1 KiB on average, freed ones kept), median of ${rounds} rounds\n`);
  console.log(markdownTable(['where the added allocation is made', ...WORKLOADS.map((w) => (w === 'chat' ? 'chat' : 'streamed chat'))], allRows));
}
console.log(`\nprofiles: ${dir}`);

function fmtBytes(n: number, signed = true): string {
  return `${signed && n >= 0 ? '+' : ''}${Math.round(n).toLocaleString('en-US')} B`;
}
