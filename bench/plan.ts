import { parseArgs } from 'node:util';
import { PEER_VARIANTS } from './peers/variants.ts';
import { VARIANTS } from './variants/index.ts';

/** The parts of a run, in the order they run; `--parts` picks some. */
export const PARTS = ['variants', 'ab', 'soak', 'micro', 'peers'] as const;
export type Part = (typeof PARTS)[number];

/** How much of everything one `npm run bench` does. */
export interface Plan {
  readonly quick: boolean;
  readonly parts: readonly Part[];
  readonly variants: readonly string[];
  readonly repetitions: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly requests: number;
  /** The openai SDK is ~2x slower per call: fewer calls keep its runs as long as the others. */
  readonly sdkRequests: number;
  /** Alternating ON/OFF blocks in one process, for the throughput target. */
  readonly abVariants: readonly string[];
  readonly abBlocks: number;
  readonly abBlockRequests: number;
  /** Heap after GC across a long run of variant (e). */
  readonly soakRequests: number;
  readonly soakCheckpoints: number;
  readonly microTimeMs: number;
  readonly microRounds: number;
  readonly partsTimeMs: number;
  /** End to end through the openai SDK against the peers: a fresh process per variant and round. */
  readonly peerVariants: readonly string[];
  readonly peerRounds: number;
  readonly peerConcurrency: number;
  readonly peerWarmup: number;
  /** Measured calls per workload (chat, then streamed chat) in each process. */
  readonly peerCalls: number;
  readonly out: string | undefined;
  /** Variant whose child runs with `--cpu-prof` (profiles land in bench/results/profiles). */
  readonly profile: string | undefined;
}

const FULL = {
  repetitions: 3,
  concurrency: 16,
  warmup: 2_000,
  requests: 20_000,
  sdkRequests: 10_000,
  abBlocks: 12,
  abBlockRequests: 8_000,
  soakRequests: 200_000,
  soakCheckpoints: 8,
  // More, shorter rounds: on a shared machine the median of many interleaved rounds is steadier.
  microTimeMs: 600,
  microRounds: 9,
  partsTimeMs: 500,
  // What fits ~15 minutes on a shared 2-core machine (bench/README.md says why these sizes).
  peerRounds: 5,
  peerConcurrency: 16,
  peerWarmup: 300,
  peerCalls: 2_000,
};

/** `--quick`: every part runs, with counts only big enough to prove it works (the CI smoke test). */
const QUICK: typeof FULL = {
  repetitions: 1,
  concurrency: 4,
  warmup: 20,
  requests: 150,
  sdkRequests: 100,
  abBlocks: 4,
  abBlockRequests: 50,
  soakRequests: 400,
  soakCheckpoints: 2,
  microTimeMs: 30,
  microRounds: 1,
  partsTimeMs: 10,
  peerRounds: 1,
  peerConcurrency: 4,
  peerWarmup: 5,
  peerCalls: 20,
};

export const HELP = `usage: npm run bench [-- options]

  --quick              a smoke run: every variant and part, tiny counts (~40 s)
  --reps <n>           repetitions of each variant (default 3)
  --requests <n>       measured requests per fetch-variant run (default 20000)
  --only <ids>         comma-separated variant ids (default: all): ${VARIANTS.map((v) => v.id).join(', ')}
  --parts <names>      comma-separated parts to run (default all): ${PARTS.join(', ')}
  --peers <ids>        end-to-end variants (default all): ${PEER_VARIANTS.map((v) => v.id).join(', ')}
  --peer-rounds <n>    interleaved rounds of the end-to-end comparison (default 5)
  --peer-calls <n>     measured calls per workload and round (default 2000)
  --peer-warmup <n>    warm-up calls before each workload (default 300)
  --out <file>         where to write the JSON (default bench/results/<date>-<commit>.json;
                       with --quick bench/results/quick.tmp.json)
  --profile <id>       run that variant's (or end-to-end variant's) child with --cpu-prof
                       (bench/results/profiles/)

Environment (for investigating, not for the published figures):
  BENCH_LIB=src                 load src/*.ts instead of the built package (no build needed)
  BENCH_COMPARE=<index.ts>      a changed copy of src/: handler-cost gets a 'compare' case, and
                                ON/OFF blocks switch between it and this library
  BENCH_SAMPLER=off             spans started but not recorded (the instrumentation's own work)
  BENCH_SPAN_PROCESSOR=simple   export each span as it ends instead of in batches`;

export function parsePlan(argv: readonly string[]): Plan | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      requests: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      parts: { type: 'string' },
      peers: { type: 'string' },
      'peer-rounds': { type: 'string' },
      'peer-calls': { type: 'string' },
      'peer-warmup': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const base = values.quick ? QUICK : FULL;
  const known = new Set(VARIANTS.map((v) => v.id));
  const variants = values.only ? values.only.split(',').map((s) => s.trim()) : [...known];
  for (const id of variants) if (!known.has(id)) throw new Error(`unknown variant ${id}`);
  const parts = values.parts ? list(values.parts) : [...PARTS];
  for (const part of parts) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`unknown part ${part}; known: ${PARTS.join(', ')}`);
  const knownPeers = new Set(PEER_VARIANTS.map((v) => v.id));
  const peerVariants = values.peers ? list(values.peers) : [...knownPeers];
  for (const id of peerVariants) if (!knownPeers.has(id)) throw new Error(`unknown end-to-end variant ${id}`);
  return {
    quick: values.quick,
    ...base,
    parts: parts as Part[],
    peerVariants,
    peerRounds: values['peer-rounds'] ? positive('--peer-rounds', values['peer-rounds']) : base.peerRounds,
    peerCalls: values['peer-calls'] ? positive('--peer-calls', values['peer-calls']) : base.peerCalls,
    peerWarmup: values['peer-warmup'] ? positive('--peer-warmup', values['peer-warmup']) : base.peerWarmup,
    repetitions: values.reps ? positive('--reps', values.reps) : base.repetitions,
    requests: values.requests ? positive('--requests', values.requests) : base.requests,
    variants,
    abVariants: ['ours', 'undici', 'undici-headers', 'floor', 'floor-ours'].filter((id) => variants.includes(id)),
    out: values.out,
    profile: values.profile,
  };
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${text}`);
  return n;
}
