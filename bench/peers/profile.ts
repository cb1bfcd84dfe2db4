/**
 * `node bench/peers/profile.ts`: where our added CPU per call goes, end to end. Runs the
 * end-to-end child of `sdk7-bare` and `sdk7-ours` (or `--variants a,b`: the reference first)
 * against the simulator, both at the same time, in rounds, each with a CPU profile of the measured calls
 * only (100 us sampling), puts every sample in a category (bench/peers/account.ts) and prints
 * the difference per call for chat and streamed chat, with the process CPU measured in the
 * same runs. Profiles land in bench/results/profiles/ for a closer look with
 * bench/profile-summary.ts or Chrome DevTools.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild, startSimulatorProcess } from '../spawn.ts';
import { median } from '../stats.ts';
import { markdownTable } from '../table.ts';
import { accountProfile, CATEGORIES, type Category, type CpuProfile } from './account.ts';
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
  },
});
const [reference, variant] = (values.variants ?? '').split(',') as [string, string];
const calls = Number(values.calls);
const rounds = Number(values.rounds);
const dir = values.dir!;
mkdirSync(dir, { recursive: true });

type Account = Record<Category, number>;
const accounts: Record<string, Record<Workload, Account[]>> = {};
const cpu: Record<string, Record<Workload, number[]>> = {};
const mainCpu: Record<string, Record<Workload, number[]>> = {};
const simulator = await startSimulatorProcess(join(here, '..', 'simulator-process.ts'));
try {
  for (let round = 0; round < rounds; round++) {
    // Both at the same time, so they meet the same load (see roundSchedule).
    const reports = await Promise.all(
      [reference, variant].map(async (id) => {
        const prefix = join(dir, `${id}-round${round + 1}`);
        const report = await runChild<PeerRunReport>(
          join(here, 'child.ts'),
          ['--variant', id, '--url', simulator.url, '--concurrency', values.concurrency!, '--warmup', values.warmup!, '--calls', String(calls), '--profile-prefix', prefix],
          { timeoutMs: 600_000, execArgv: (values['node-flags'] ?? '').split(' ').filter((f) => f !== '') },
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
console.log(markdownTable(['where the added CPU goes', ...WORKLOADS.map((w) => (w === 'chat' ? 'chat' : 'streamed chat'))], rows));
console.log(`\n${reference} itself, us per call by the same categories (main thread):`);
console.log(markdownTable(['category', ...WORKLOADS], CATEGORIES.map((c) => [c, ...WORKLOADS.map((w) => median(accounts[reference]![w].map((a) => a[c])).toFixed(1))])));
console.log(`\nprofiles: ${dir}`);
