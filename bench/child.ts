/**
 * One benchmark process: sets one variant up in a fresh process (so no variant inherits
 * another's JIT state, channel subscribers or heap), runs the load and reports over IPC.
 * Started by main.ts with `--expose-gc`; not meant to be run by hand.
 */
import { parseArgs } from 'node:util';
import { runLoad, type LoadResult } from './load.ts';
import { variantById } from './variants/index.ts';
import type { Exported, Workload } from './variants/types.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'run' },
    variant: { type: 'string' },
    url: { type: 'string' },
    warmup: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    blocks: { type: 'string', default: '8' },
    checkpoints: { type: 'string', default: '8' },
  },
});

export interface RunReport {
  kind: 'run';
  variant: string;
  load: LoadResult;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  exported: Exported;
}

export interface AbBlock {
  on: boolean;
  load: LoadResult;
}

export interface AbReport {
  kind: 'ab';
  variant: string;
  blocks: AbBlock[];
  exported: Exported;
}

export interface SoakReport {
  kind: 'soak';
  variant: string;
  /** Heap used after a full GC, measured after warm-up and then every `requests / checkpoints`. */
  checkpoints: Array<{ requests: number; heapBytes: number }>;
  load: LoadResult;
  exported: Exported;
}

export type ChildReport = RunReport | AbReport | SoakReport;

const gc = globalThis.gc;
if (gc === undefined) throw new Error('bench child needs --expose-gc');

/** Heap used once the span queue is flushed and two full GCs have run. */
async function heapAfterGc(workload: Workload): Promise<number> {
  await workload.flush();
  await new Promise((resolve) => setImmediate(resolve));
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** ON/OFF order for block i: ABBA pairs (OFF ON ON OFF ...), which cancels a linear drift. */
function abOrder(blocks: number): boolean[] {
  return Array.from({ length: blocks }, (_, i) => (i % 4 === 1 || i % 4 === 2));
}

async function main(): Promise<ChildReport> {
  const variant = variantById(values.variant ?? '');
  const baseUrl = values.url;
  if (!baseUrl) throw new Error('--url is required');
  const warmup = Number(values.warmup);
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const workload = await variant.setup({ baseUrl });
  try {
    switch (values.mode) {
      case 'run': {
        await runLoad(workload.call, warmup, concurrency);
        const heapBeforeBytes = await heapAfterGc(workload);
        const load = await runLoad(workload.call, requests, concurrency);
        const heapAfterBytes = await heapAfterGc(workload);
        return { kind: 'run', variant: variant.id, load, heapBeforeBytes, heapAfterBytes, exported: workload.exported() };
      }
      case 'ab': {
        const toggle = workload.toggle;
        if (toggle === undefined) throw new Error(`${variant.id} has nothing to switch on and off`);
        // Warm both paths up, so neither block pays for the other's JIT.
        for (const on of [false, true]) {
          toggle(on);
          await runLoad(workload.call, warmup, concurrency);
        }
        const blocks: AbBlock[] = [];
        for (const on of abOrder(Number(values.blocks))) {
          toggle(on);
          blocks.push({ on, load: await runLoad(workload.call, requests, concurrency) });
        }
        return { kind: 'ab', variant: variant.id, blocks, exported: workload.exported() };
      }
      case 'soak': {
        const parts = Number(values.checkpoints);
        await runLoad(workload.call, warmup, concurrency);
        const checkpoints = [{ requests: 0, heapBytes: await heapAfterGc(workload) }];
        const each = Math.ceil(requests / parts);
        let done = 0;
        let wallMs = 0;
        let cpuUs = 0;
        let errors = 0;
        let gcUs = 0;
        let mainThreadCpuUs = 0;
        let last: LoadResult | undefined;
        while (done < requests) {
          last = await runLoad(workload.call, Math.min(each, requests - done), concurrency);
          done += last.requests;
          wallMs += last.wallMs;
          cpuUs += last.cpuUs;
          mainThreadCpuUs += last.mainThreadCpuUs;
          errors += last.errors;
          gcUs += last.gcPauseUsPerRequest * last.requests;
          checkpoints.push({ requests: done, heapBytes: await heapAfterGc(workload) });
        }
        const load: LoadResult = {
          requests: done,
          errors,
          wallMs,
          cpuUs,
          mainThreadCpuUs,
          requestsPerSecond: (done * 1000) / wallMs,
          cpuUsPerRequest: cpuUs / done,
          gcPauseUsPerRequest: gcUs / done,
          // Per-segment latencies are not merged; the last segment's stand in.
          latencyMs: last?.latencyMs ?? { p50: Number.NaN, p99: Number.NaN, mean: Number.NaN },
        };
        return { kind: 'soak', variant: variant.id, checkpoints, load, exported: workload.exported() };
      }
      default:
        throw new Error(`unknown --mode ${values.mode}`);
    }
  } finally {
    await workload.shutdown();
  }
}

if (process.send === undefined) throw new Error('bench/child.ts is started by bench/main.ts');
{
  const report = await main();
  process.send(report, () => process.exit(0));
}
