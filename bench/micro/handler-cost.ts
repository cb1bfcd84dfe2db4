/**
 * Network-free handler cost of one whole request: the diagnostics-channel messages of one
 * fetch POST (create -> sendHeaders -> body chunk -> headers -> body chunk -> trailers),
 * published on undici's real channel names, through each instrumentation in turn.
 *
 * All variants share one process and one SDK and are switched on and off around their task
 * (every instrumentation unsubscribes on disable), in rounds whose order rotates, so they
 * meet the same JIT state and the same machine noise. The figure that counts is process CPU
 * per request (immune to being descheduled by other processes), minus the no-subscriber
 * baseline; tinybench's wall-clock latency is reported next to it.
 */
import { parseArgs } from 'node:util';
import { createNoopMeter, propagation, trace, type MeterProvider } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Bench } from 'tinybench';
import { loadLibrary } from '../lib.ts';
import { minimalSubscriber } from '../variants/floor.ts';
import { startSdk } from '../otel-sdk.ts';
import { median } from '../stats.ts';
import { OPENAI_RESPONSE_HEADERS } from '../variants/undici.ts';
import { flatHeaderBuffers, objectHeaders, publishRequest } from './messages.ts';

const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    /** Comma-separated case ids (the baseline always runs): for profiling one case. */
    only: { type: 'string' },
  },
});

const OPENAI_ORIGIN = 'https://api.openai.com';
const OTHER_ORIGIN = 'https://api.example.com';

/** One measured configuration: how to switch it on and off, and which request to publish. */
interface Case {
  readonly id: string;
  readonly description: string;
  on(): void;
  off(): void;
  readonly origin: string;
  readonly headers: Buffer[] | Record<string, string | string[]>;
}

export interface HandlerCostCase {
  id: string;
  description: string;
  /** Process CPU per request, per round (microseconds). */
  cpuUsPerRequest: number[];
  /** tinybench mean wall time per request, per round (microseconds). */
  wallUsPerRequest: number[];
  /** Median over rounds of (this case - baseline), CPU (microseconds). */
  addedCpuUs: number;
  addedWallUs: number;
}

export interface HandlerCostReport {
  kind: 'handler-cost';
  timeMsPerTask: number;
  rounds: number;
  cases: HandlerCostCase[];
  spansExported: number;
}

async function main(): Promise<HandlerCostReport> {
  const { OpenAIHttpInstrumentation } = await loadLibrary();
  const sdk = startSdk({ metrics: true });
  const flat = flatHeaderBuffers();
  const object = objectHeaders();

  const ours = new OpenAIHttpInstrumentation({ enabled: false });
  ours.setTracerProvider(sdk.tracerProvider);
  if (sdk.meterProvider) ours.setMeterProvider(sdk.meterProvider);
  const oursSpansOnly = new OpenAIHttpInstrumentation({ enabled: false });
  oursSpansOnly.setTracerProvider(sdk.tracerProvider);
  const noMeters: MeterProvider = { getMeter: () => createNoopMeter() };
  oursSpansOnly.setMeterProvider(noMeters);
  // BENCH_COMPARE=<path to an index.ts>: a changed copy of src/ as one more case, measured in
  // the same rounds as 'ours', which is how a hot-path change is judged on a noisy machine.
  const comparePath = process.env['BENCH_COMPARE'];
  const compare = comparePath ? new (await loadLibrary(comparePath)).OpenAIHttpInstrumentation({ enabled: false }) : undefined;
  compare?.setTracerProvider(sdk.tracerProvider);
  if (compare && sdk.meterProvider) compare.setMeterProvider(sdk.meterProvider);
  const floor = minimalSubscriber(trace.getTracer('bench-floor'));
  const undici = makeUndici(sdk, false);
  const undiciHeaders = makeUndici(sdk, true);
  const propagator = propagation;
  const savedPropagator = (propagator as unknown as { _getGlobalPropagator(): Parameters<typeof propagation.setGlobalPropagator>[0] })._getGlobalPropagator();

  const nothing = (): void => {};
  const cases: Case[] = [
    { id: 'baseline', description: 'no subscriber (what undici pays anyway)', on: nothing, off: nothing, origin: OPENAI_ORIGIN, headers: flat },
    { id: 'ours', description: 'this library, spans + gauges', on: () => ours.enable(), off: () => ours.disable(), origin: OPENAI_ORIGIN, headers: flat },
    { id: 'ours-spans', description: 'this library, spans only', on: () => oursSpansOnly.enable(), off: () => oursSpansOnly.disable(), origin: OPENAI_ORIGIN, headers: flat },
    { id: 'ours-http2-headers', description: 'this library, spans + gauges, HTTP/2 header object', on: () => ours.enable(), off: () => ours.disable(), origin: OPENAI_ORIGIN, headers: object },
    { id: 'ours-other-host', description: 'this library, request to a non-OpenAI host', on: () => ours.enable(), off: () => ours.disable(), origin: OTHER_ORIGIN, headers: flat },
    { id: 'floor', description: 'minimal subscriber: one SDK span, no attributes (the floor)', on: () => floor.enable(), off: () => floor.disable(), origin: OPENAI_ORIGIN, headers: flat },
    { id: 'undici', description: 'instrumentation-undici, default config', on: () => undici.enable(), off: () => undici.disable(), origin: OPENAI_ORIGIN, headers: flat },
    { id: 'undici-headers', description: 'instrumentation-undici + OpenAI response headers captured', on: () => undiciHeaders.enable(), off: () => undiciHeaders.disable(), origin: OPENAI_ORIGIN, headers: flat },
    {
      id: 'undici-headers-no-propagation',
      description: 'instrumentation-undici + headers, no propagator registered (no traceparent injected)',
      on: () => {
        propagation.disable();
        undiciHeaders.enable();
      },
      off: () => {
        undiciHeaders.disable();
        propagation.setGlobalPropagator(savedPropagator);
      },
      origin: OPENAI_ORIGIN,
      headers: flat,
    },
  ];
  if (compare !== undefined) {
    cases.push({ id: 'compare', description: `BENCH_COMPARE=${comparePath}, spans + gauges`, on: () => compare.enable(), off: () => compare.disable(), origin: OPENAI_ORIGIN, headers: flat });
  }
  const only = values.only?.split(',');
  if (only !== undefined) cases.splice(0, cases.length, ...cases.filter((c) => c.id === 'baseline' || c.id === 'compare' || only.includes(c.id)));
  // Both libraries disabled to start; each case switches its own on.
  ours.disable();
  undici.disable();
  undiciHeaders.disable();

  const time = Number(values.time);
  const rounds = Number(values.rounds);
  const cpu = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  const wall = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so no case always runs first (cold) or last (after the most garbage).
    const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
    for (const c of order) {
      const bench = new Bench({ time, warmupTime: Math.min(200, time / 4), iterations: 64 });
      let cpu0 = process.cpuUsage();
      let calls = 0;
      bench.add(
        c.id,
        async () => {
          calls++;
          publishRequest(c.origin, c.headers);
        },
        {
        beforeAll(mode) {
          c.on();
          if (mode === 'run') {
            calls = 0;
            cpu0 = process.cpuUsage();
          }
        },
        afterAll(mode) {
          if (mode === 'run') {
            const used = process.cpuUsage(cpu0);
            cpu.get(c.id)!.push((used.user + used.system) / calls);
          }
          c.off();
        },
        },
      );
      await bench.run();
      const result = bench.tasks[0]!.result;
      if (result.state !== 'completed') throw new Error(`${c.id}: ${result.state}`);
      wall.get(c.id)!.push(result.latency.mean * 1000);
    }
  }

  const base = (series: Map<string, number[]>, round: number): number => series.get('baseline')![round]!;
  await sdk.tracerProvider.forceFlush();
  return {
    kind: 'handler-cost',
    timeMsPerTask: time,
    rounds,
    spansExported: sdk.exported().spans,
    cases: cases.map((c) => ({
      id: c.id,
      description: c.description,
      cpuUsPerRequest: cpu.get(c.id)!,
      wallUsPerRequest: wall.get(c.id)!,
      addedCpuUs: median(cpu.get(c.id)!.map((v, r) => v - base(cpu, r))),
      addedWallUs: median(wall.get(c.id)!.map((v, r) => v - base(wall, r))),
    })),
  };
}

function makeUndici(sdk: ReturnType<typeof startSdk>, captureHeaders: boolean): UndiciInstrumentation {
  const instrumentation = new UndiciInstrumentation(
    captureHeaders ? { headersToSpanAttributes: { responseHeaders: OPENAI_RESPONSE_HEADERS } } : {},
  );
  instrumentation.setTracerProvider(sdk.tracerProvider);
  if (sdk.meterProvider) instrumentation.setMeterProvider(sdk.meterProvider);
  return instrumentation;
}

const report = await main();
if (process.send) process.send(report, () => process.exit(0));
else {
  console.table(report.cases.map(({ id, addedCpuUs, addedWallUs, cpuUsPerRequest }) => ({ id, addedCpuUs, addedWallUs, cpu: cpuUsPerRequest.map((v) => v.toFixed(2)).join(' ') })));
  process.exit(0);
}
