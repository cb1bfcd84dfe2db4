/**
 * The end-to-end comparison's variants: what an app calling OpenAI through the official SDK
 * could register instead of this library, each on the `openai` major it supports, and the
 * same SDK without instrumentation on that major as its reference.
 */

/** What the child registers in NodeSDK besides the shared pipeline. */
export type Instrumenting =
  | 'none'
  | 'ours'
  | 'undici-headers'
  | 'channels-floor'
  | 'contrib-openai'
  | 'traceloop-openai';

/** The npm names the `openai` majors are installed under (package.json aliases). */
export const OPENAI_PACKAGES = { 7: 'openai', 6: 'openai-v6' } as const;
export type OpenAIMajor = keyof typeof OPENAI_PACKAGES;

export interface PeerVariant {
  readonly id: string;
  /** How the table names it (a package's version is added to its name). */
  readonly name: string;
  readonly major: OpenAIMajor;
  readonly instrumenting: Instrumenting;
  /** The package whose version the table names (its own, or undefined for none / ours / the floor). */
  readonly packageName: string | undefined;
  readonly description: string;
}

/** Every variant in table order; each major's bare run comes first, the reference of that major. */
export const PEER_VARIANTS: readonly PeerVariant[] = [
  { id: 'sdk7-bare', name: 'no instrumentation', major: 7, instrumenting: 'none', packageName: undefined, description: 'no instrumentation (reference)' },
  { id: 'sdk7-ours', name: 'ours', major: 7, instrumenting: 'ours', packageName: undefined, description: 'this library (spans, gauges, histograms)' },
  {
    id: 'sdk7-undici-headers', name: '@opentelemetry/instrumentation-undici, 13 OpenAI headers',
    major: 7,
    instrumenting: 'undici-headers',
    packageName: '@opentelemetry/instrumentation-undici',
    description: 'instrumentation-undici capturing the 13 OpenAI response headers',
  },
  {
    id: 'sdk7-channels-floor', name: 'floor: a do-nothing subscriber on the same undici channels',
    major: 7,
    instrumenting: 'channels-floor',
    packageName: undefined,
    description: "floor: a subscriber that does nothing, on the undici channels ours subscribes to",
  },
  { id: 'sdk6-bare', name: 'no instrumentation', major: 6, instrumenting: 'none', packageName: undefined, description: 'no instrumentation (reference)' },
  { id: 'sdk6-ours', name: 'ours', major: 6, instrumenting: 'ours', packageName: undefined, description: 'this library (spans, gauges, histograms)' },
  {
    id: 'sdk6-contrib-openai', name: '@opentelemetry/instrumentation-openai',
    major: 6,
    instrumenting: 'contrib-openai',
    packageName: '@opentelemetry/instrumentation-openai',
    description: 'the contrib OpenAI SDK instrumentation (supports openai < 7)',
  },
  {
    id: 'sdk6-traceloop-openai', name: '@traceloop/instrumentation-openai',
    major: 6,
    instrumenting: 'traceloop-openai',
    packageName: '@traceloop/instrumentation-openai',
    description: "Traceloop's OpenAI SDK instrumentation (supports openai < 7)",
  },
];

/** The two calls every variant makes, each through the SDK with every byte of the answer read. */
export const WORKLOADS = ['chat', 'stream'] as const;
export type Workload = (typeof WORKLOADS)[number];

export function peerById(id: string): PeerVariant {
  const found = PEER_VARIANTS.find((v) => v.id === id);
  if (found === undefined) throw new Error(`unknown end-to-end variant ${id}; known: ${PEER_VARIANTS.map((v) => v.id).join(', ')}`);
  return found;
}

/** The variant without instrumentation on the same `openai` major: what added CPU is measured against. */
export function referenceOf(variant: PeerVariant): PeerVariant {
  return PEER_VARIANTS.find((v) => v.major === variant.major && v.instrumenting === 'none')!;
}

/** One child process of a round: a variant, or its reference run beside it. */
export interface ScheduledRun {
  readonly id: string;
  /** For a reference run: the variant it is the reference of, in this round. */
  readonly pairedWith: string | undefined;
}

/**
 * The runs of one round, in groups that run at the same time. On a shared machine the load
 * moves the CPU time per call by tens of percent within minutes, so every variant runs
 * alongside its own run without instrumentation: both meet the same load, and the difference
 * between them keeps only what the instrumentation adds. The pairs' order rotates by round.
 */
export function roundSchedule(ids: readonly string[], round: number): ScheduledRun[][] {
  const variants = PEER_VARIANTS.filter((v) => ids.includes(v.id));
  const instrumented = variants.filter((v) => v.instrumenting !== 'none');
  const rotated = instrumented.map((_, i) => instrumented[(i + round) % instrumented.length]!);
  const groups: ScheduledRun[][] = rotated.map((variant) => {
    const reference = referenceOf(variant);
    const group: ScheduledRun[] = [{ id: variant.id, pairedWith: undefined }];
    if (ids.includes(reference.id)) group.push({ id: reference.id, pairedWith: variant.id });
    return group;
  });
  // A reference asked for alone (no variant of its major selected) still runs once.
  for (const bare of variants.filter((v) => v.instrumenting === 'none' && !groups.flat().some((r) => r.id === v.id))) {
    groups.push([{ id: bare.id, pairedWith: undefined }]);
  }
  return groups;
}
