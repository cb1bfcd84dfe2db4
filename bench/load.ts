import { PerformanceObserver } from 'node:perf_hooks';
import { sortedQuantile } from './stats.ts';

export interface LoadResult {
  requests: number;
  /** Calls that did not answer 200. */
  errors: number;
  wallMs: number;
  /** Process CPU (user + system, every thread) during the load. */
  cpuUs: number;
  /** CPU of the main (JavaScript) thread alone; the rest is GC helpers, libuv and V8 threads. */
  mainThreadCpuUs: number;
  requestsPerSecond: number;
  cpuUsPerRequest: number;
  latencyMs: { p50: number; p99: number; mean: number };
  /** Main-thread GC pauses during the load (perf_hooks 'gc' entries), per request (microseconds). */
  gcPauseUsPerRequest: number;
}

/**
 * A closed loop: `concurrency` callers, each starting its next call when the last one has
 * finished, until `requests` calls are done. Fixed concurrency and count, so every variant does
 * the same work and throughput differences come only from the time each call takes.
 */
export async function runLoad(call: () => Promise<number>, requests: number, concurrency: number): Promise<LoadResult> {
  const latencies = new Float64Array(requests);
  let next = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const i = next++;
      const start = performance.now();
      const status = await call();
      latencies[i] = performance.now() - start;
      if (status !== 200) errors++;
    }
  };
  let gcMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const thread0 = process.threadCpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const thread = process.threadCpuUsage(thread0);
  // Entries are delivered asynchronously: let the last ones arrive.
  await new Promise((resolve) => setImmediate(resolve));
  gcObserver.disconnect();
  const cpuUs = cpu.user + cpu.system;
  let sum = 0;
  for (const l of latencies) sum += l;
  latencies.sort();
  return {
    requests,
    errors,
    wallMs,
    cpuUs,
    mainThreadCpuUs: thread.user + thread.system,
    requestsPerSecond: (requests * 1000) / wallMs,
    cpuUsPerRequest: cpuUs / requests,
    latencyMs: { p50: sortedQuantile(latencies, 0.5), p99: sortedQuantile(latencies, 0.99), mean: sum / requests },
    gcPauseUsPerRequest: (gcMs * 1000) / requests,
  };
}
