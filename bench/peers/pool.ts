/**
 * `node bench/peers/pool.ts <results.json>...`: the end-to-end comparison pooled over several
 * `npm run bench` runs. One run's medians move with the machine (a process's CPU per call varies
 * by ±15-20 % from run to run on a shared VM); every paired round of every run given counts once
 * here. Prints, per variant, the median added CPU per call (process, main thread, other threads)
 * and the ratio of ours to the contrib openai instrumentation with a 90 % interval from a
 * bootstrap over rounds. Pool only runs whose code differs by less than the noise.
 */
import { readFileSync } from 'node:fs';
import { median, quantile } from '../stats.ts';
import { markdownTable } from '../table.ts';
import type { PeerRunReport } from './child.ts';
import { WORKLOADS, type Workload } from './variants.ts';

interface Added {
  process: number[];
  main: number[];
  other: number[];
}

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: node bench/peers/pool.ts <bench/results/*.json>...');

const added = new Map<string, Record<Workload, Added>>();
for (const file of files) {
  const rounds = (JSON.parse(readFileSync(file, 'utf8')) as { raw: { peers: PeerRunReport[][] } }).raw.peers;
  for (const round of rounds) {
    for (const run of round) {
      if (run.pairedWith !== undefined) continue;
      const reference = round.find((r) => r.pairedWith === run.variant);
      if (reference === undefined) continue;
      const byWorkload = added.get(run.variant) ?? { chat: { process: [], main: [], other: [] }, stream: { process: [], main: [], other: [] } };
      added.set(run.variant, byWorkload);
      for (const w of WORKLOADS) {
        const a = run.load[w];
        const b = reference.load[w];
        const main = a.mainThreadCpuUs / a.requests - b.mainThreadCpuUs / b.requests;
        byWorkload[w].process.push(a.cpuUsPerRequest - b.cpuUsPerRequest);
        byWorkload[w].main.push(main);
        byWorkload[w].other.push(a.cpuUsPerRequest - b.cpuUsPerRequest - main);
      }
    }
  }
}

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;
const rows = [...added].map(([variant, w]) => [
  variant,
  String(w.chat.process.length),
  ...WORKLOADS.flatMap((k) => [signed(median(w[k].process)), signed(median(w[k].main)), signed(median(w[k].other))]),
]);
const columns = WORKLOADS.flatMap((k) => [`${k}: process`, 'main thread', 'other threads']);
console.log(markdownTable(['added per call, µs (median of paired rounds)', 'rounds', ...columns], rows));

// A deterministic generator, so the printed interval is the same on every run of the same files.
let seed = 1;
const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const resample = (values: readonly number[]): number[] => values.map(() => values[Math.floor(random() * values.length)]!);

const ours = added.get('sdk6-ours');
const contrib = added.get('sdk6-contrib-openai');
if (ours !== undefined && contrib !== undefined) {
  for (const w of WORKLOADS) {
    const ratios = Array.from({ length: 5000 }, () => median(resample(ours[w].process)) / median(resample(contrib[w].process)));
    const ratio = median(ours[w].process) / median(contrib[w].process);
    console.log(`${w}: ours / contrib ${ratio.toFixed(2)}x (90 % interval ${quantile(ratios, 0.05).toFixed(2)}-${quantile(ratios, 0.95).toFixed(2)})`);
  }
}
