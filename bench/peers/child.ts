/**
 * One end-to-end process: NodeSDK with one variant's instrumentation, the official `openai`
 * client of its major against the simulator, a warm-up and then the measured calls of each
 * workload (a chat completion, a streamed chat completion with usage), every answer read to
 * the end. Reports process CPU per call over IPC. Started by bench/main.ts; not run by hand.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { runLoad, type LoadResult } from '../load.ts';
import { CHAT_REQUEST } from '../variants/request.ts';
import { startPipeline, type Pipeline, type PipelineCounts } from './pipeline.ts';
import { peerById, WORKLOADS, type Workload } from './variants.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    url: { type: 'string' },
    warmup: { type: 'string', default: '200' },
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    workloads: { type: 'string', default: WORKLOADS.join(',') },
    /** Write a CPU profile of each workload's measured calls (not the start-up or warm-up) to <prefix>-<workload>.cpuprofile. */
    'profile-prefix': { type: 'string' },
    /** Write a sampled allocation profile of each workload's measured calls (every allocation, also those GC has freed) to <prefix>-<workload>.heapprofile. */
    'heap-profile-prefix': { type: 'string' },
  },
});

export interface PeerRunReport {
  variant: string;
  versions: Record<string, string>;
  /** Only the workloads that ran (all of them unless `--workloads` says otherwise). */
  load: Record<Workload, LoadResult>;
  counts: PipelineCounts;
  /** Set by bench/main.ts on a reference run: the variant it ran beside. */
  pairedWith?: string | undefined;
}

/** The HTTP status of a failed call (0 for a transport error). Read by shape: each major has its own APIError class. */
function status(error: unknown): number {
  const value = (error as { status?: unknown } | null | undefined)?.status;
  return typeof value === 'number' ? value : 0;
}

function callOf(pipeline: Pipeline, workload: Workload): () => Promise<number> {
  const { client } = pipeline;
  // A fresh body per call, as an app builds one.
  const request = () => ({ ...CHAT_REQUEST, messages: CHAT_REQUEST.messages.map((m) => ({ ...m })) });
  if (workload === 'chat') {
    return async () => {
      try {
        await client.chat.completions.create(request());
        return 200;
      } catch (error) {
        return status(error);
      }
    };
  }
  return async () => {
    try {
      const stream = await client.chat.completions.create({ ...request(), stream: true, stream_options: { include_usage: true } });
      let usage = false;
      for await (const chunk of stream) if (chunk.usage) usage = true;
      // A stream without its usage event was cut short: count it as a failed call.
      return usage ? 200 : 0;
    } catch (error) {
      return status(error);
    }
  };
}

async function main(): Promise<PeerRunReport> {
  const variant = peerById(values.variant ?? '');
  if (!values.url) throw new Error('--url is required');
  const warmup = Number(values.warmup);
  const calls = Number(values.calls);
  const concurrency = Number(values.concurrency);
  const workloads = (values.workloads ?? '').split(',').map((w) => w.trim()) as Workload[];
  for (const w of workloads) if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}`);
  const profilePrefix = values['profile-prefix'];
  const heapPrefix = values['heap-profile-prefix'];
  const pipeline = await startPipeline(variant, values.url);
  const load = {} as Record<Workload, LoadResult>;
  try {
    for (const workload of workloads) {
      const call = callOf(pipeline, workload);
      await runLoad(call, warmup, concurrency);
      const stop = profilePrefix === undefined ? undefined : await startProfiler();
      const stopHeap = heapPrefix === undefined ? undefined : await startAllocationSampler();
      load[workload] = await runLoad(call, calls, concurrency);
      if (stop !== undefined) writeFileSync(`${profilePrefix}-${workload}.cpuprofile`, JSON.stringify(await stop()));
      if (stopHeap !== undefined) writeFileSync(`${heapPrefix}-${workload}.heapprofile`, JSON.stringify(await stopHeap()));
    }
  } finally {
    await pipeline.shutdown();
  }
  return { variant: variant.id, versions: pipeline.versions, load, counts: { ...pipeline.counts } };
}

/** Samples the main thread every 100 us until the returned function is called; resolves to the profile. */
async function startProfiler(): Promise<() => Promise<unknown>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile;
  };
}

/** Samples allocations (one per 1 KiB on average), keeping those GC has freed, until the returned function is called. */
async function startAllocationSampler(): Promise<() => Promise<unknown>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    return profile;
  };
}

if (process.send === undefined) throw new Error('bench/peers/child.ts is started by bench/main.ts');
{
  const report = await main();
  process.send(report, () => process.exit(0));
}
