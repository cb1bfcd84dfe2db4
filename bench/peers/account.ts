/**
 * Where a variant's added CPU goes: every sample of a main-thread CPU profile is put in one
 * category by its stack, and the same categories of the run without instrumentation are
 * subtracted, per call. Work under one of this package's frames is split by what it does
 * (body decode, body reading, the SDK recording span or metric data, our own handling);
 * work outside them (GC, span export, metric collection, undici publishing the channels,
 * the openai SDK) shows what the instrumentation causes elsewhere.
 */

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Categories in table order. */
export const CATEGORIES = [
  'ours: channel handlers, request match, headers, lifecycle',
  'ours: body decode (zlib inflate of the copy we read)',
  'ours: body reading (JSON / SSE reader)',
  'ours: span attributes and names (our code)',
  'ours: span start/end, attributes (SDK: sdk-trace, core, api)',
  'ours: metrics (our code: store, attributes, gauge callbacks)',
  'ours: metrics (SDK: sdk-metrics record, hashing)',
  'ours: timers (sweeper, unfinished-response timeout)',
  'channel dispatch (node:diagnostics_channel)',
  'undici (fetch, publishing channel messages)',
  'openai SDK',
  'span export (batch processor)',
  'metric collection and export',
  'zlib in fetch (decompressing for the app)',
  'garbage collection',
  'other (node internals, event loop, program)',
] as const;
export type Category = (typeof CATEGORIES)[number];

type Frame = { functionName: string; url: string };

const isOurs = (url: string): boolean => /\/(src|dist)\//.test(url) && !url.includes('node_modules') && !url.includes('/bench/');
const pkg = (url: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];

/** One sample's category from its stack, leaf first. */
export function categorize(stack: readonly Frame[]): Category {
  const oursAt = stack.findIndex((f) => isOurs(f.url));
  if (oursAt >= 0) {
    const below = stack.slice(0, oursAt);
    const ourFile = stack[oursAt]!.url;
    if (below.some((f) => f.url === 'node:zlib' || /zlib/i.test(f.functionName)) || /decoder\.[jt]s$/.test(ourFile)) {
      return 'ours: body decode (zlib inflate of the copy we read)';
    }
    const belowPkgs = below.map((f) => pkg(f.url));
    if (belowPkgs.includes('@opentelemetry/sdk-metrics')) return 'ours: metrics (SDK: sdk-metrics record, hashing)';
    if (belowPkgs.some((p) => p === '@opentelemetry/sdk-trace' || p === '@opentelemetry/core' || p === '@opentelemetry/api')) {
      return 'ours: span start/end, attributes (SDK: sdk-trace, core, api)';
    }
    // The nearest of our frames tells what our own code was doing.
    if (/response-body/.test(ourFile)) return 'ours: body reading (JSON / SSE reader)';
    if (/\/span\//.test(ourFile)) return 'ours: span attributes and names (our code)';
    if (/\/metrics\//.test(ourFile)) return 'ours: metrics (our code: store, attributes, gauge callbacks)';
    if (/sweeper/.test(ourFile)) return 'ours: timers (sweeper, unfinished-response timeout)';
    return 'ours: channel handlers, request match, headers, lifecycle';
  }
  const leaf = stack[0];
  if (leaf?.functionName === '(garbage collector)') return 'garbage collection';
  if (leaf?.url === 'node:diagnostics_channel') return 'channel dispatch (node:diagnostics_channel)';
  const pkgs = stack.map((f) => pkg(f.url));
  if (pkgs.includes('@opentelemetry/sdk-metrics')) return 'metric collection and export';
  if (pkgs.includes('@opentelemetry/sdk-trace')) return 'span export (batch processor)';
  if (leaf?.url === 'node:zlib' || stack.some((f) => f.url === 'node:zlib')) return 'zlib in fetch (decompressing for the app)';
  if (pkgs.includes('openai') || pkgs.includes('openai-v6')) return 'openai SDK';
  if (stack.some((f) => f.url.includes('undici'))) return 'undici (fetch, publishing channel messages)';
  return 'other (node internals, event loop, program)';
}

/**
 * Microseconds of main-thread CPU per call in each category ('(idle)' samples left out). The
 * sampler ticks on wall-clock time, so on a loaded machine a sample also stands for the time
 * the thread was descheduled in that spot: each category gets its share of the samples times
 * the main-thread CPU time measured over the same calls, not the samples' own time.
 */
export function accountProfile(profile: CpuProfile, calls: number, mainThreadCpuUs: number): Record<Category, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = new Map<number, Category | undefined>();
  const totals = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    if (!categoryOf.has(id)) {
      const stack: Frame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame);
      categoryOf.set(id, stack[0]?.functionName === '(idle)' ? undefined : categorize(stack));
    }
    const category = categoryOf.get(id);
    if (category !== undefined) totals[category] += 1;
  }
  const sampled = CATEGORIES.reduce((n, c) => n + totals[c], 0);
  for (const c of CATEGORIES) totals[c] = sampled === 0 ? 0 : (totals[c] / sampled) * (mainThreadCpuUs / calls);
  return totals;
}

export interface HeapProfileNode {
  callFrame: Frame;
  selfSize: number;
  children?: HeapProfileNode[];
}

/**
 * Bytes allocated per call in each category, from a sampling heap profile that kept the
 * samples GC had already freed (so it counts every allocation, short-lived ones too): what
 * the GC helper threads and the scavenger work through.
 */
export function accountAllocations(head: HeapProfileNode, calls: number): Record<Category, number> {
  const totals = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const walk = (node: HeapProfileNode, path: Frame[]): void => {
    path.push(node.callFrame);
    if (node.selfSize > 0) totals[categorize(path.toReversed())] += node.selfSize / calls;
    for (const child of node.children ?? []) walk(child, path);
    path.pop();
  };
  walk(head, []);
  return totals;
}
