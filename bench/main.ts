/**
 * `npm run bench`: what it costs to watch OpenAI calls with this library, against bare fetch,
 * the bare SDK and @opentelemetry/instrumentation-undici, in one run.
 *
 * 1. The simulator starts in its own process (loopback, zero added latency, keep-alive).
 * 2. Every variant runs in a fresh child process, `repetitions` times in rotating order:
 *    fixed concurrency, a warm-up, then a fixed number of requests, bodies fully read.
 * 3. Alternating ON/OFF blocks in one process, for the throughput ratio (drift cancels).
 * 4. A long run of spans + gauges with heap-after-GC checkpoints (heap flat?).
 * 5. Network-free micro-benchmarks (tinybench): a whole request through the real channel
 *    names, ours vs instrumentation-undici (same MeterProvider) vs the floors, what reading
 *    response bodies adds, and the hot path's parts.
 * 6. End to end through the official `openai` SDK (chat and streamed chat, gzip bodies),
 *    NodeSDK set up alike for every variant: none, ours, the SDK-patching instrumentations,
 *    instrumentation-undici with the OpenAI headers and a do-nothing channel subscriber, each
 *    on the `openai` major it supports, alongside its uninstrumented run, in rounds of fresh
 *    processes.
 * `--parts` runs some of these only.
 * Prints the tables and the targets; writes every raw figure to bench/results/*.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AbReport, RunReport, SoakReport } from './child.ts';
import { gitInfo, machineInfo } from './machine.ts';
import type { HandlerCostReport } from './micro/handler-cost.ts';
import type { PartsReport } from './micro/parts.ts';
import type { PeerRunReport } from './peers/child.ts';
import { peerById, roundSchedule } from './peers/variants.ts';
import { summarizePeers, type PeerSummary } from './peers/summary.ts';
import { HELP, parsePlan, type Plan } from './plan.ts';
import { runChild, startSimulatorProcess } from './spawn.ts';
import { evaluateTargets, summarizeAb, summarizeSoak, summarizeVariant, type AbSummary, type SoakSummary } from './summary.ts';
import { abTable, bodyReadingTable, handlerCostTable, partsTable, peersTable, soakLine, targetTable, variantTable } from './table.ts';
import { VARIANTS, variantById } from './variants/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const script = (name: string): string => join(here, name);

const parsed = parsePlan(process.argv.slice(2));
if (parsed === 'help') {
  console.log(HELP);
  process.exit(0);
}
const plan: Plan = parsed;
const started = Date.now();
const machine = machineInfo();
const git = gitInfo(root);
const log = (line: string): void => {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
};
// Generous: a child that hangs must fail the run, not stall it forever.
const timeoutMs = plan.quick ? 60_000 : 300_000;

log(`${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage1m.toFixed(2)}; ${plan.quick ? 'QUICK run' : 'full run'}`);
const simulator = await startSimulatorProcess(script('simulator-process.ts'));
log(`simulator at ${simulator.url}`);

const childArgs = (id: string, mode: string, extra: Record<string, number>): string[] => [
  '--mode', mode, '--variant', id, '--url', simulator.url, '--concurrency', String(plan.concurrency),
  ...Object.entries(extra).flatMap(([k, v]) => [`--${k}`, String(v)]),
];
const profileArgs = (id: string): string[] =>
  plan.profile === id ? ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results', 'profiles')}`] : [];

const runs = (part: string): boolean => (plan.parts as readonly string[]).includes(part);

let exitCode = 0;
try {
  // 2. Every variant, fresh process each, rotating order per repetition.
  const variantIds = runs('variants') ? plan.variants : [];
  const variantRuns = new Map<string, RunReport[]>(variantIds.map((id) => [id, []]));
  for (let rep = 0; rep < (variantIds.length > 0 ? plan.repetitions : 0); rep++) {
    const order = variantIds.map((_, i) => variantIds[(i + rep) % variantIds.length]!);
    for (const id of order) {
      const requests = id.startsWith('openai-sdk') ? plan.sdkRequests : plan.requests;
      const report = await runChild<RunReport>(script('child.ts'), childArgs(id, 'run', { warmup: plan.warmup, requests }), {
        timeoutMs,
        execArgv: profileArgs(id),
      });
      variantRuns.get(id)!.push(report);
      log(`rep ${rep + 1}/${plan.repetitions} ${id.padEnd(16)} ${report.load.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${report.load.cpuUsPerRequest.toFixed(0).padStart(4)} us CPU/req  errors ${report.load.errors}`);
    }
  }
  const variants = variantIds.map((id) => summarizeVariant(variantById(id), variantRuns.get(id)!, variantRuns));

  // 3. Alternating ON/OFF blocks.
  const abReports: AbReport[] = [];
  const ab: AbSummary[] = [];
  for (const id of runs('ab') ? plan.abVariants : []) {
    const report = await runChild<AbReport>(
      script('child.ts'),
      childArgs(id, 'ab', { warmup: plan.warmup, requests: plan.abBlockRequests, blocks: plan.abBlocks }),
      { timeoutMs },
    );
    abReports.push(report);
    ab.push(summarizeAb(report));
    log(`ON/OFF ${id}: throughput ratio ${ab.at(-1)!.throughputRatio.toFixed(3)}`);
  }

  // 4. Heap across a long run of spans + gauges.
  let soakReport: SoakReport | undefined;
  let soak: SoakSummary | undefined;
  if (runs('soak') && plan.variants.includes('ours')) {
    soakReport = await runChild<SoakReport>(
      script('child.ts'),
      childArgs('ours', 'soak', { warmup: plan.warmup, requests: plan.soakRequests, checkpoints: plan.soakCheckpoints }),
      { timeoutMs: timeoutMs * 2 },
    );
    soak = summarizeSoak(soakReport);
    log(`soak: ${soak.requests} requests, heap growth ${soak.growthMiB.toFixed(2)} MiB`);
  }

  // 5. Network-free micro-benchmarks, each in its own process too.
  let handlerCost: HandlerCostReport | undefined;
  let parts: PartsReport | undefined;
  if (runs('micro')) {
    handlerCost = await runChild<HandlerCostReport>(
      script('micro/handler-cost.ts'),
      ['--time', String(plan.microTimeMs), '--rounds', String(plan.microRounds)],
      { timeoutMs },
    );
    log('network-free handler cost done');
    parts = await runChild<PartsReport>(script('micro/parts.ts'), ['--time', String(plan.partsTimeMs)], { timeoutMs });
    log('parts done');
  }

  // 6. End to end through the openai SDK: per round, each variant at the same time as its
  //    uninstrumented run (roundSchedule), the pairs' order rotating.
  const peerRounds: PeerRunReport[][] = [];
  const peerIds = runs('peers') ? plan.peerVariants : [];
  for (let round = 0; round < (peerIds.length > 0 ? plan.peerRounds : 0); round++) {
    const reports: PeerRunReport[] = [];
    for (const group of roundSchedule(peerIds, round)) {
      const done = await Promise.all(
        group.map(async ({ id, pairedWith }) => {
          const report = await runChild<PeerRunReport>(
            script('peers/child.ts'),
            ['--variant', id, '--url', simulator.url, '--concurrency', String(plan.peerConcurrency), '--warmup', String(plan.peerWarmup), '--calls', String(plan.peerCalls)],
            { timeoutMs, execArgv: profileArgs(id) },
          );
          return { ...report, pairedWith };
        }),
      );
      reports.push(...done);
      log(`end to end, round ${round + 1}/${plan.peerRounds} ${done.map((r) => `${r.variant}: chat ${r.load.chat.cpuUsPerRequest.toFixed(0)} us, stream ${r.load.stream.cpuUsPerRequest.toFixed(0)} us`).join('  |  ')}`);
    }
    peerRounds.push(reports);
  }
  const peers: PeerSummary[] = peerRounds.length > 0 ? summarizePeers(peerRounds, peerIds) : [];

  const targets = evaluateTargets(handlerCost, variants, ab, soak);
  const durationS = (Date.now() - started) / 1000;
  const result = {
    schema: 1,
    startedAt: new Date(started).toISOString(),
    durationS,
    quick: plan.quick,
    machine,
    git,
    library: process.env['BENCH_LIB'] === 'src' ? 'src (type-stripped)' : 'dist (npm run build)',
    plan,
    variants,
    targets,
    ab,
    soak,
    handlerCost,
    parts,
    peers,
    raw: { runs: Object.fromEntries(variantRuns), ab: abReports, soak: soakReport, peers: peerRounds },
  };
  const out = plan.out ?? join(here, 'results', plan.quick ? 'quick.tmp.json' : `${new Date(started).toISOString().slice(0, 16).replace(/:/g, '')}-${git.commit}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

  const missingSpans = variants.filter((v) => variantById(v.id).expectsSpans && v.spansExported === 0);
  const errors = variants.filter((v) => v.errors > 0);
  const peerProblems = peers.flatMap((p) => [
    ...(p.reference !== undefined && peerById(p.id).instrumenting !== 'channels-floor' && p.spans === 0 ? [`${p.id} exported no spans`] : []),
    ...Object.entries(p.workloads).flatMap(([w, s]) => (s.errors > 0 ? [`${p.id} had ${s.errors} failed ${w} calls`] : [])),
  ]);
  if (variants.length > 0) {
    console.log(`\n## ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}${plan.quick ? ' (QUICK run: figures are not meaningful)' : ''}`);
    console.log(`concurrency ${plan.concurrency}, ${plan.requests} requests per run (${plan.sdkRequests} for the SDK variants) after ${plan.warmup} warm-up, ${plan.repetitions} repetitions: median (min-max)\n`);
    console.log(variantTable(variants));
    console.log();
    for (const v of VARIANTS.filter((x) => plan.variants.includes(x.id))) console.log(`  (${v.label}) ${v.id}: ${v.description}`);
  }
  if (ab.length > 0) console.log(`\n${abTable(ab)}\n`);
  if (soak) console.log(`${soakLine(soak)}\n`);
  if (handlerCost !== undefined && parts !== undefined) {
    console.log(`network-free, metric reader every ${handlerCost.metricIntervalMs} ms; instruments that reached the exporter: ${handlerCost.metricsExported.join(', ')}\n`);
    console.log(`${handlerCostTable(handlerCost)}\n`);
    if (handlerCost.bodyReading.length > 0) console.log(`${bodyReadingTable(handlerCost)}\n`);
    console.log(`${partsTable(parts)}\n`);
  }
  if (targets.length > 0) {
    console.log(targetTable(targets));
    if (plan.quick) console.log('  (quick run: the counts are too small for the targets to mean anything; judge them on a full run)');
    for (const t of targets) console.log(`  ${t.id}: ${t.measuredBy}${t.alsoSeen ? `; also: ${t.alsoSeen}` : ''}`);
  }
  if (peers.length > 0) {
    console.log(`\n## End to end through the openai SDK: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, NodeSDK ${peers[0]!.versions['@opentelemetry/sdk-node'] ?? '?'}${plan.quick ? ' (QUICK run: figures are not meaningful)' : ''}`);
    console.log(`${plan.peerConcurrency} in flight, ${plan.peerCalls} calls per workload after ${plan.peerWarmup} warm-up, ${plan.peerRounds} rounds, each variant side by side with its uninstrumented run; chat and streamed chat (with usage), gzip bodies; process CPU (all threads) per call\n`);
    console.log(peersTable(peers));
    console.log(`\n  "added": minus the run without instrumentation on the same openai major that ran at the same time, median (min-max) over rounds; "vs ours": median added over ours' on that major; "±": half the range of CPU per call over the runs.`);
  }
  console.log(`\nraw results: ${relative(process.cwd(), out)}  (${durationS.toFixed(0)} s)`);
  if (missingSpans.length > 0 || errors.length > 0 || peerProblems.length > 0) {
    console.error(`\nBROKEN RUN: ${[...missingSpans.map((v) => `${v.id} exported no spans`), ...errors.map((v) => `${v.id} had ${v.errors} failed calls`), ...peerProblems].join('; ')}`);
    exitCode = 1;
  }
} finally {
  simulator.stop();
}
process.exitCode = exitCode;
