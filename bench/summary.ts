import type { AbReport, RunReport, SoakReport } from './child.ts';
import type { HandlerCostReport } from './micro/handler-cost.ts';
import { median, slope, spread, type Spread } from './stats.ts';
import type { VariantInfo } from './variants/index.ts';

const MiB = 2 ** 20;

export interface VariantSummary {
  id: string;
  label: string;
  description: string;
  /** The variant its ratios are taken against: (a) bare fetch, or the bare openai SDK for (g+e). */
  reference: string | undefined;
  requestsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  cpuUsPerRequest: Spread;
  heapBeforeMiB: Spread;
  heapAfterMiB: Spread;
  /** Per repetition: this variant's req/s over the reference's in the same repetition. */
  throughputVsReference: Spread | undefined;
  /** Per repetition: this variant's process CPU per request minus the reference's (microseconds). */
  addedCpuUsVsReference: Spread | undefined;
  errors: number;
  spansExported: number;
  metricDataPoints: number;
}

/** (g+e) is compared with the bare SDK (what adding this library to an SDK app costs); the rest with (a). */
export function referenceOf(id: string): string | undefined {
  if (id === 'fetch') return undefined;
  return id === 'openai-sdk+ours' ? 'openai-sdk' : 'fetch';
}

export function summarizeVariant(info: VariantInfo, runs: RunReport[], byId: Map<string, RunReport[]>): VariantSummary {
  const reference = referenceOf(info.id);
  const refRuns = reference === undefined ? undefined : byId.get(reference);
  const paired = (f: (run: RunReport, ref: RunReport) => number): Spread | undefined => {
    if (refRuns === undefined || refRuns.length === 0) return undefined;
    const values = runs.flatMap((run, i) => (refRuns[i] ? [f(run, refRuns[i]!)] : []));
    return values.length > 0 ? spread(values) : undefined;
  };
  return {
    id: info.id,
    label: info.label,
    description: info.description,
    reference,
    requestsPerSecond: spread(runs.map((r) => r.load.requestsPerSecond)),
    p50Ms: spread(runs.map((r) => r.load.latencyMs.p50)),
    p99Ms: spread(runs.map((r) => r.load.latencyMs.p99)),
    cpuUsPerRequest: spread(runs.map((r) => r.load.cpuUsPerRequest)),
    heapBeforeMiB: spread(runs.map((r) => r.heapBeforeBytes / MiB)),
    heapAfterMiB: spread(runs.map((r) => r.heapAfterBytes / MiB)),
    throughputVsReference: paired((run, ref) => run.load.requestsPerSecond / ref.load.requestsPerSecond),
    addedCpuUsVsReference: paired((run, ref) => run.load.cpuUsPerRequest - ref.load.cpuUsPerRequest),
    errors: runs.reduce((n, r) => n + r.load.errors, 0),
    spansExported: runs.reduce((n, r) => n + r.exported.spans, 0),
    metricDataPoints: runs.reduce((n, r) => n + r.exported.metricDataPoints, 0),
  };
}

export interface AbSummary {
  variant: string;
  blocks: number;
  requestsPerBlock: number;
  /** Total ON throughput over total OFF throughput. */
  throughputRatio: number;
  /** ON/OFF throughput of each adjacent pair of blocks (ABBA order, so each pair is one ON and one OFF). */
  pairRatios: Spread;
  /** Process CPU per request, ON minus OFF, per pair (microseconds). */
  addedCpuUs: Spread;
}

export function summarizeAb(report: AbReport): AbSummary {
  const total = (on: boolean): number => {
    const blocks = report.blocks.filter((b) => b.on === on);
    return blocks.reduce((n, b) => n + b.load.requests, 0) / blocks.reduce((t, b) => t + b.load.wallMs, 0);
  };
  const ratios: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i + 1 < report.blocks.length; i += 2) {
    const pair = [report.blocks[i]!, report.blocks[i + 1]!];
    const on = pair.find((b) => b.on);
    const off = pair.find((b) => !b.on);
    if (!on || !off) continue;
    ratios.push(on.load.requestsPerSecond / off.load.requestsPerSecond);
    cpu.push(on.load.cpuUsPerRequest - off.load.cpuUsPerRequest);
  }
  return {
    variant: report.variant,
    blocks: report.blocks.length,
    requestsPerBlock: report.blocks[0]?.load.requests ?? 0,
    throughputRatio: total(true) / total(false),
    pairRatios: spread(ratios),
    addedCpuUs: spread(cpu),
  };
}

export interface SoakSummary {
  variant: string;
  requests: number;
  checkpoints: Array<{ requests: number; heapMiB: number }>;
  /** Least-squares heap growth per request, from the first measured checkpoint on (bytes). */
  bytesPerRequest: number;
  /** That slope times the requests: what the run would have leaked (MiB). */
  growthMiB: number;
}

export function summarizeSoak(report: SoakReport): SoakSummary {
  // The checkpoint taken right after warm-up still holds start-up garbage that only a later
  // GC cycle gives back; the trend is fitted from the first measured segment on.
  const fitted = report.checkpoints.length > 2 ? report.checkpoints.slice(1) : report.checkpoints;
  const xs = fitted.map((c) => c.requests);
  const ys = fitted.map((c) => c.heapBytes);
  const perRequest = slope(xs, ys);
  return {
    variant: report.variant,
    requests: report.load.requests,
    checkpoints: report.checkpoints.map((c) => ({ requests: c.requests, heapMiB: c.heapBytes / MiB })),
    bytesPerRequest: perRequest,
    growthMiB: (perRequest * report.load.requests) / MiB,
  };
}

export interface Target {
  id: string;
  description: string;
  /** Which measurement decides it. */
  measuredBy: string;
  value: number;
  limit: number;
  comparison: '<=' | '>=' | '<';
  met: boolean;
  /** Other measurements of the same thing, for context. */
  alsoSeen?: string;
}

export function evaluateTargets(
  handlerCost: HandlerCostReport | undefined,
  variants: VariantSummary[],
  ab: AbSummary[],
  soak: SoakSummary | undefined,
): Target[] {
  const targets: Target[] = [];
  const added = (id: string): number | undefined => handlerCost?.cases.find((c) => c.id === id)?.addedCpuUs;
  const e2e = (id: string): number | undefined => variants.find((v) => v.id === id)?.addedCpuUsVsReference?.median;
  const ours = added('ours');
  const theirs = added('undici-headers');
  if (ours !== undefined && theirs !== undefined) {
    const e2eOurs = e2e('ours');
    const e2eTheirs = e2e('undici-headers');
    targets.push(
      check({
        id: 'handler-cpu',
        description: 'our added handler CPU per OpenAI request (spans + gauges) <= 0.5x instrumentation-undici with header capture',
        measuredBy: `network-free: ${ours.toFixed(2)} us / ${theirs.toFixed(2)} us per request (bench/micro/handler-cost.ts)`,
        value: ours / theirs,
        limit: 0.5,
        comparison: '<=',
        alsoSeen: [
          `median of the per-round ratios ${perRoundRatio(handlerCost!, 'ours', 'undici-headers').toFixed(2)}`,
          e2eOurs !== undefined && e2eTheirs !== undefined
            ? `end to end, process CPU/request minus bare fetch: ${e2eOurs.toFixed(1)} us / ${e2eTheirs.toFixed(1)} us = ${(e2eOurs / e2eTheirs).toFixed(2)} (noisy: the difference of two ~250 us figures)`
            : undefined,
        ]
          .filter(Boolean)
          .join('; '),
      }),
    );
  }
  const abOurs = ab.find((a) => a.variant === 'ours');
  if (abOurs !== undefined) {
    const separate = variants.find((v) => v.id === 'ours')?.throughputVsReference?.median;
    const undiciAb = ab.find((a) => a.variant === 'undici-headers');
    targets.push(
      check({
        id: 'throughput',
        description: 'loopback throughput with spans + gauges >= 0.95x bare fetch',
        measuredBy: `alternating ON/OFF blocks in one process (${abOurs.blocks} x ${abOurs.requestsPerBlock} requests, ABBA), total ON/OFF req/s`,
        value: abOurs.throughputRatio,
        limit: 0.95,
        comparison: '>=',
        alsoSeen: [
          `per pair ${abOurs.pairRatios.median.toFixed(3)} (${abOurs.pairRatios.min.toFixed(3)}-${abOurs.pairRatios.max.toFixed(3)})`,
          separate !== undefined ? `separate processes (e)/(a) ${separate.toFixed(3)}` : undefined,
          undiciAb !== undefined ? `instrumentation-undici + headers, same method: ${undiciAb.throughputRatio.toFixed(3)}` : undefined,
        ]
          .filter(Boolean)
          .join('; '),
      }),
    );
  }
  const floorOurs = added('floor-ours');
  if (ours !== undefined && floorOurs !== undefined) {
    targets.push(
      check({
        id: 'floor-gap',
        description: 'our handler CPU per OpenAI request within 1 us of a minimal subscriber emitting the same span and metric records',
        measuredBy: `network-free: ${ours.toFixed(2)} us - ${floorOurs.toFixed(2)} us (floor-ours: values known in advance, only the SDK's work)`,
        value: ours - floorOurs,
        limit: 1,
        comparison: '<=',
        alsoSeen: `median of the per-round differences ${perRoundDifference(handlerCost!, 'ours', 'floor-ours').toFixed(2)} us`,
      }),
    );
  }
  const body = (id: string) => handlerCost?.bodyReading.find((b) => b.id === id);
  const chat = body('chat');
  if (chat !== undefined) {
    const gzip = body('chat-gzip');
    targets.push(
      check({
        id: 'body-chat',
        description: 'reading the body of a non-streamed chat completion adds <= 2 us per call',
        measuredBy: `network-free, identity: ours with the body chunk published minus without (${chat.oursCallUs.toFixed(2)} us per call in all)`,
        value: chat.oursUs,
        limit: 2,
        comparison: '<=',
        alsoSeen: gzip !== undefined ? `gzip: ${gzip.oursUs.toFixed(2)} us` : undefined,
      }),
    );
  }
  const stream = body('stream');
  if (stream !== undefined) {
    targets.push(
      check({
        id: 'body-stream-chunk',
        description: 'reading a streamed chat completion adds <= 0.5 us per chunk',
        measuredBy: `network-free, ${stream.chunks} SSE events one per chunk, with usage: (with - without body chunks) / chunks`,
        value: stream.oursUs,
        limit: 0.5,
        comparison: '<=',
      }),
    );
  }
  const small = body('embeddings-3mb-gzip');
  const big = body('embeddings-12mb-gzip');
  if (small !== undefined && big !== undefined) {
    targets.push(
      check({
        id: 'body-flat-past-cap',
        description: 'past the cap, body reading does not grow with body size (12 MB / 3 MB gzip embeddings)',
        measuredBy: `network-free: ${big.oursUs.toFixed(0)} us / ${small.oursUs.toFixed(0)} us per call`,
        value: big.oursUs / small.oursUs,
        limit: 1.25,
        comparison: '<=',
      }),
    );
  }
  const other = added('ours-other-host');
  const fetchCpu = variants.find((v) => v.id === 'fetch')?.cpuUsPerRequest;
  const fetchNoise = fetchCpu === undefined ? Number.NaN : fetchCpu.max - fetchCpu.min;
  if (other !== undefined) {
    const e2eOther = e2e('ours-other-host');
    targets.push(
      check({
        id: 'other-hosts',
        description: 'requests to other hosts: added CPU < 1 us',
        measuredBy: 'network-free, whole request through the channels (bench/micro/handler-cost.ts)',
        value: other,
        limit: 1,
        comparison: '<',
        alsoSeen: e2eOther !== undefined ? `end to end (f)-(a): ${e2eOther.toFixed(1)} us/request, where (a) alone spans ${fetchNoise.toFixed(1)} us between repetitions` : undefined,
      }),
    );
  }
  if (soak !== undefined) {
    targets.push(
      check({
        id: 'heap-flat',
        description: `heap after GC flat across ${soak.requests} requests (spans + gauges)`,
        measuredBy: `least-squares growth over the heap-after-GC checkpoints after warm-up (${soak.bytesPerRequest.toFixed(2)} bytes/request)`,
        value: soak.growthMiB,
        limit: 1,
        comparison: '<',
      }),
    );
  }
  return targets;
}

/** Median over rounds of (a - baseline) / (b - baseline): each round's cases ran back to back. */
function perRoundRatio(report: HandlerCostReport, a: string, b: string): number {
  const series = (id: string): number[] => report.cases.find((c) => c.id === id)?.cpuUsPerRequest ?? [];
  const base = series('baseline');
  const as = series(a);
  const bs = series(b);
  return median(as.map((v, r) => (v - base[r]!) / (bs[r]! - base[r]!)));
}

function perRoundDifference(report: HandlerCostReport, a: string, b: string): number {
  const series = (id: string): number[] => report.cases.find((c) => c.id === id)?.cpuUsPerRequest ?? [];
  const bs = series(b);
  return median(series(a).map((v, r) => v - bs[r]!));
}

function check(t: Omit<Target, 'met'>): Target {
  const met = t.comparison === '<=' ? t.value <= t.limit : t.comparison === '>=' ? t.value >= t.limit : t.value < t.limit;
  return { ...t, met };
}
