/**
 * Network-free handler cost of one whole request: the diagnostics-channel messages of one
 * fetch POST (create -> sendHeaders -> body chunk sent -> headers [-> body chunks received]
 * -> trailers), published on undici's real channel names, through each instrumentation in
 * turn. The header message publishes no response body, as on runtimes without the body
 * channel; the body messages add one (a chat completion, a stream, a large gzip embeddings
 * response), each measured with and without its chunks so that what reading it adds shows.
 *
 * All variants share one process and one SDK and are switched on and off around their task
 * (every instrumentation unsubscribes on disable), in rounds whose order rotates, so they
 * meet the same JIT state and the same machine noise. The figure that counts is process CPU
 * per request (immune to being descheduled by other processes), minus the no-subscriber
 * baseline; tinybench's wall-clock latency is reported next to it.
 *
 * Every case with metrics shares one MeterProvider whose reader collects every 100 ms
 * (instrumentation-undici records its `http.client.request.duration` there, ours its
 * histograms and gauges), and the loop returns to the event loop every few requests so
 * collection and span export run inside the measured time.
 */
import { parseArgs } from 'node:util';
import { createNoopMeter, propagation, trace, type MeterProvider } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Bench } from 'tinybench';
import { loadLibrary } from '../lib.ts';
import { minimalSubscriber, sameOutputAs, sameOutputSubscriber } from '../variants/floor.ts';
import { METRIC_INTERVAL_MS, startSdk } from '../otel-sdk.ts';
import { median } from '../stats.ts';
import { OPENAI_RESPONSE_HEADERS } from '../variants/undici.ts';
import { bodyMessages } from './body-messages.ts';
import { flatHeaderBuffers, objectHeaders, publishRequest, type SyntheticResponse } from './messages.ts';

const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    /** Comma-separated case ids (the baseline always runs): for profiling one case. */
    only: { type: 'string' },
    /** Leave the response-body messages out. */
    'no-body': { type: 'boolean', default: false },
  },
});

const OPENAI_ORIGIN = 'https://api.openai.com';
/** Requests between two returns to the event loop. */
const YIELD_EVERY = 16;
const OTHER_ORIGIN = 'https://api.example.com';

/** One measured configuration: how to switch it on and off, and which request to publish. */
interface Case {
  readonly id: string;
  readonly description: string;
  on(): void;
  off(): void;
  readonly origin: string;
  readonly response: SyntheticResponse;
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
  /** The metric reader's interval, shared by every case with a MeterProvider. */
  metricIntervalMs: number;
  /** Instruments whose data reached the exporter: ours, the floor's and instrumentation-undici's. */
  metricsExported: string[];
  /** What reading the response body adds to ours, per body message (absent when body cases were left out). */
  bodyReading: BodyReadingRow[];
}

export interface BodyReadingRow {
  id: string;
  description: string;
  per: 'call' | 'chunk';
  chunks: number;
  /** Median over rounds of ours with the body chunks published minus ours without them, per `per`. */
  oursUs: number;
  /** Added CPU of ours and of instrumentation-undici + headers on the message with its body (per call). */
  oursCallUs: number;
  undiciHeadersCallUs: number | undefined;
  /** What the SDK alone takes for the same body output (floor-ours+chat minus floor-ours), where measured. */
  floorUs?: number;
}

async function main(): Promise<HandlerCostReport> {
  const { OpenAIHttpInstrumentation } = await loadLibrary();
  const sdk = startSdk({ metrics: true });
  const flat: SyntheticResponse = { path: '/v1/chat/completions', headers: flatHeaderBuffers() };
  const object: SyntheticResponse = { path: '/v1/chat/completions', headers: objectHeaders() };

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
  const floorOurs = sameOutputSubscriber(
    trace.getTracer('bench-floor-ours'),
    sdk.meterProvider!.getMeter('bench-floor-ours'),
    OPENAI_ORIGIN,
    sameOutputAs({ origin: OPENAI_ORIGIN, path: '/v1/chat/completions' }),
  );
  // The same, plus what ours takes from a chat completion's body (span attributes, token usage).
  const floorOursBody = sameOutputSubscriber(
    trace.getTracer('bench-floor-ours'),
    sdk.meterProvider!.getMeter('bench-floor-ours-body'),
    OPENAI_ORIGIN,
    sameOutputAs({ origin: OPENAI_ORIGIN, path: '/v1/chat/completions' }, true),
  );
  const undici = makeUndici(sdk, false);
  const undiciHeaders = makeUndici(sdk, true);
  const propagator = propagation;
  const savedPropagator = (propagator as unknown as { _getGlobalPropagator(): Parameters<typeof propagation.setGlobalPropagator>[0] })._getGlobalPropagator();

  const nothing = (): void => {};
  const cases: Case[] = [
    { id: 'baseline', description: 'no subscriber (what undici pays anyway)', on: nothing, off: nothing, origin: OPENAI_ORIGIN, response: flat },
    { id: 'ours', description: 'this library, spans + gauges', on: () => ours.enable(), off: () => ours.disable(), origin: OPENAI_ORIGIN, response: flat },
    { id: 'ours-spans', description: 'this library, spans only', on: () => oursSpansOnly.enable(), off: () => oursSpansOnly.disable(), origin: OPENAI_ORIGIN, response: flat },
    { id: 'ours-http2-headers', description: 'this library, spans + gauges, HTTP/2 header object', on: () => ours.enable(), off: () => ours.disable(), origin: OPENAI_ORIGIN, response: object },
    { id: 'ours-other-host', description: 'this library, request to a non-OpenAI host', on: () => ours.enable(), off: () => ours.disable(), origin: OTHER_ORIGIN, response: flat },
    { id: 'floor', description: 'minimal subscriber: one SDK span, no attributes (the floor)', on: () => floor.enable(), off: () => floor.disable(), origin: OPENAI_ORIGIN, response: flat },
    { id: 'floor-ours', description: 'minimal subscriber emitting our span and metric records, values known in advance (our floor)', on: () => floorOurs.enable(), off: () => floorOurs.disable(), origin: OPENAI_ORIGIN, response: flat },
    { id: 'undici', description: 'instrumentation-undici, default config, same MeterProvider', on: () => undici.enable(), off: () => undici.disable(), origin: OPENAI_ORIGIN, response: flat },
    { id: 'undici-headers', description: 'instrumentation-undici + OpenAI response headers captured, same MeterProvider', on: () => undiciHeaders.enable(), off: () => undiciHeaders.disable(), origin: OPENAI_ORIGIN, response: flat },
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
      response: flat,
    },
  ];
  // Body messages: ours with and without the body chunks (what reading the body adds),
  // and instrumentation-undici + headers, which never reads a body, on the same message.
  const messages = values['no-body'] ? [] : bodyMessages();
  for (const m of messages) {
    if (m.id === 'chat') {
      cases.push({ id: 'floor-ours+chat', description: 'floor-ours plus the body\'s span attributes and token-usage records, values known in advance', on: () => floorOursBody.enable(), off: () => floorOursBody.disable(), origin: OPENAI_ORIGIN, response: m.withBody });
    }
    cases.push(
      { id: `ours+${m.id}`, description: `this library, ${m.description}`, on: () => ours.enable(), off: () => ours.disable(), origin: OPENAI_ORIGIN, response: m.withBody },
      { id: `ours+${m.id}-unread`, description: `this library, the same headers, body chunks not published (Node 22)`, on: () => ours.enable(), off: () => ours.disable(), origin: OPENAI_ORIGIN, response: m.withoutBody },
      { id: `undici-headers+${m.id}`, description: `instrumentation-undici + headers, ${m.description}`, on: () => undiciHeaders.enable(), off: () => undiciHeaders.disable(), origin: OPENAI_ORIGIN, response: m.withBody },
    );
  }
  if (compare !== undefined) {
    cases.push({ id: 'compare', description: `BENCH_COMPARE=${comparePath}, spans + gauges`, on: () => compare.enable(), off: () => compare.disable(), origin: OPENAI_ORIGIN, response: flat });
    for (const m of messages) {
      cases.push({ id: `compare+${m.id}`, description: `BENCH_COMPARE=${comparePath}, ${m.description}`, on: () => compare.enable(), off: () => compare.disable(), origin: OPENAI_ORIGIN, response: m.withBody });
    }
  }
  const only = values.only?.split(',');
  // The compare cases follow the cases of ours they shadow.
  const kept = (id: string): boolean => id === 'baseline' || only!.includes(id) || (id === 'compare' && only!.includes('ours')) || (id.startsWith('compare+') && only!.includes(`ours+${id.slice(8)}`));
  if (only !== undefined) cases.splice(0, cases.length, ...cases.filter((c) => kept(c.id)));
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
      const bench = new Bench({ time, warmupTime: Math.min(200, time / 4), iterations: time < 100 ? 8 : 64 });
      let cpu0 = process.cpuUsage();
      let calls = 0;
      bench.add(
        c.id,
        async () => {
          publishRequest(c.origin, c.response);
          // Back to the event loop now and then, as a real app goes between requests: the
          // metric reader's and the span processor's timers run, and their cost is counted.
          if (++calls % YIELD_EVERY === 0) await new Promise(setImmediate);
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
  await sdk.meterProvider?.forceFlush();
  const added = (id: string): number | undefined => {
    const series = cpu.get(id);
    return series === undefined || series.length === 0 ? undefined : median(series.map((v, r) => v - base(cpu, r)));
  };
  const bodyReading: BodyReadingRow[] = [];
  for (const m of messages) {
    const read = cpu.get(`ours+${m.id}`);
    const unread = cpu.get(`ours+${m.id}-unread`);
    if (read === undefined || unread === undefined || read.length === 0 || unread.length === 0) continue;
    const chunks = m.withBody.bodyChunks!.length;
    const divisor = m.per === 'chunk' ? chunks : 1;
    bodyReading.push({
      id: m.id,
      description: m.description,
      per: m.per,
      chunks,
      oursUs: median(read.map((v, r) => (v - unread[r]!) / divisor)),
      oursCallUs: added(`ours+${m.id}`)!,
      undiciHeadersCallUs: added(`undici-headers+${m.id}`),
      ...(m.id === 'chat' && cpu.get('floor-ours+chat')?.length && cpu.get('floor-ours')?.length
        ? { floorUs: median(cpu.get('floor-ours+chat')!.map((v, r) => v - cpu.get('floor-ours')![r]!)) }
        : {}),
    });
  }
  return {
    kind: 'handler-cost',
    timeMsPerTask: time,
    rounds,
    spansExported: sdk.exported().spans,
    metricIntervalMs: METRIC_INTERVAL_MS,
    metricsExported: sdk.metricNames(),
    bodyReading,
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
  console.log(`metric reader every ${report.metricIntervalMs} ms; instruments exported: ${report.metricsExported.join(', ')}`);
  console.table(report.bodyReading);
  console.table(report.cases.map(({ id, addedCpuUs, addedWallUs, cpuUsPerRequest }) => ({ id, addedCpuUs, addedWallUs, cpu: cpuUsPerRequest.map((v) => v.toFixed(2)).join(' ') })));
  process.exit(0);
}
