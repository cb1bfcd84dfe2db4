/**
 * The load run: many requests through the simulator with the instrumentation on, in a process
 * of its own so that `--expose-gc` heap figures mean something. Run by load.test.ts (and by
 * hand: `node --expose-gc test/robustness/load/load-app.ts`). Settings come from the env:
 * LOAD_REQUESTS (5000), LOAD_CONCURRENCY (32), LOAD_OTLP_URL (export OTLP/HTTP there, batch
 * processor and periodic reader, as in production; default: count spans in memory only),
 * LOAD_WARMUP (requests before the first heap sample), LOAD_INSTRUMENTATION=off (the baseline).
 * Prints one JSON line: a LoadReport.
 */
import http from 'node:http';
import { context, metrics, trace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { OpenAIHttpInstrumentation } from '../../../src/index.ts';
import { startSimulator } from '../../../simulator/index.ts';
import { TestMetricReader } from '../../helpers/otel.ts';

export interface LoadReport {
  node: string;
  requests: number;
  concurrency: number;
  failures: number;
  durationMs: number;
  requestsPerSecond: number;
  /** heapUsed after GC, MB: after the warm-up, then after each tenth of the run. */
  heapMB: number[];
  heapStartMB: number;
  heapEndMB: number;
  rssEndMB: number;
  spansStarted: number;
  spansEnded: number;
  inFlightAfter: number;
  otlp: string;
}

const requests = Number(process.env['LOAD_REQUESTS'] ?? 5000);
const concurrency = Number(process.env['LOAD_CONCURRENCY'] ?? 32);
const otlpUrl = process.env['LOAD_OTLP_URL'];
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** Counts spans without keeping them: the load run must not measure an exporter's memory. */
class CountingProcessor implements SpanProcessor {
  started = 0;
  ended = 0;
  onStart(_span: Span, _ctx: Context): void {
    this.started++;
  }
  onEnd(_span: ReadableSpan): void {
    this.ended++;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const sim = await startSimulator({ requestsPerWindow: 1e9, tokensPerWindow: 1e12 });
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
const counter = new CountingProcessor();
const spanProcessors: SpanProcessor[] = [counter];
const pull = new TestMetricReader();
const readers = [];
if (otlpUrl) {
  spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces`, timeoutMillis: 1_000 }), scheduledDelayMillis: 200 }));
  readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${otlpUrl}/v1/metrics`, timeoutMillis: 500 }), exportIntervalMillis: 500, exportTimeoutMillis: 500 }));
} else {
  readers.push(pull);
}
const tracerProvider = new TracerProvider({ spanProcessors });
const meterProvider = new MeterProvider({ readers });
trace.setGlobalTracerProvider(tracerProvider);
metrics.setGlobalMeterProvider(meterProvider);
const instrumentation = new OpenAIHttpInstrumentation({ endpoints: [sim.url], enabled: false });
instrumentation.setTracerProvider(tracerProvider);
instrumentation.setMeterProvider(meterProvider);
// LOAD_INSTRUMENTATION=off: the same run without it, the baseline heap and throughput.
if (process.env['LOAD_INSTRUMENTATION'] !== 'off') instrumentation.enable();

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const headers = { authorization: 'Bearer sk-load-secret', 'content-type': 'application/json' };
const models = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'];

/** One call; the mix covers fetch (plain and streamed) and node:http, three models. */
async function call(i: number): Promise<void> {
  const model = models[i % models.length]!;
  if (i % 3 === 2) {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${sim.url}/embeddings`, { method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model, input: 'load' }));
    });
    return;
  }
  const stream = i % 3 === 1;
  const res = await fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'load' }] }),
  });
  await res.text();
  if (res.status !== 200) throw new Error(`status ${res.status}`);
}

let failures = 0;
async function run(from: number, to: number): Promise<void> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const i = next++;
      await call(i).catch(() => failures++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const heapMB = (): number => {
  gc();
  gc();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
};

// Warm-up: JIT, connection pools, the metric series and the exporter queue reach steady state.
// LOAD_WARMUP overrides it: past 2048 spans a failing exporter's batch queue is full, and stays so.
const warmup = Number(process.env['LOAD_WARMUP'] ?? Math.min(2000, Math.max(200, Math.floor(requests / 10))));
await run(0, warmup);
await new Promise((resolve) => setTimeout(resolve, 100));
const samples = [heapMB()];
const started = performance.now();
const step = Math.ceil(requests / 10);
for (let done = 0; done < requests; done += step) {
  await run(warmup + done, warmup + Math.min(requests, done + step));
  if (!otlpUrl) await pull.read();
  samples.push(heapMB());
}
const durationMs = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 50));

const report: LoadReport = {
  node: process.version,
  requests,
  concurrency,
  failures,
  durationMs: Math.round(durationMs),
  requestsPerSecond: Math.round((requests / durationMs) * 1000),
  heapMB: samples,
  heapStartMB: samples[0]!,
  heapEndMB: samples.at(-1)!,
  rssEndMB: Math.round(process.memoryUsage().rss / 1048576),
  spansStarted: Math.max(0, counter.started - warmup),
  spansEnded: Math.max(0, counter.ended - warmup),
  inFlightAfter: instrumentation.inFlightRequests,
  otlp: otlpUrl ?? 'none',
};
instrumentation.disable();
agent.destroy();
await Promise.race([Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]), new Promise((r) => setTimeout(r, 3000))]);
await sim.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
