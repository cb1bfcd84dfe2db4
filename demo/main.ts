/**
 * `npm run demo`: a realistic workload with the official `openai` SDK, instrumented, against
 * the embedded simulator (no network, no key needed), printing every span as a table row:
 * headers (request id, rate limits) and, where the runtime reads bodies, tokens, finish reason
 * and the error code that tells an exhausted quota from a rate limit.
 *
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` set: export traces and metrics over OTLP instead of printing.
 * - `OPENAI_BASE_URL` set: use that server (e.g. a standalone `npm run simulator`).
 * - `--live` with `OPENAI_API_KEY`: call the real OpenAI API (a handful of small requests).
 * - `--loop`: keep going (steady traffic with periodic bursts) until SIGTERM / SIGINT.
 */
import { parseArgs } from 'node:util';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { OpenAIHttpInstrumentation } from 'opentelemetry-instrumentation-openai-http';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { SpanTableExporter } from './span-table.ts';
import { runWorkload } from './workload.ts';

const { values: flags } = parseArgs({
  options: { live: { type: 'boolean', default: false }, loop: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (flags.help) {
  console.log('usage: npm run demo [-- --live] [-- --loop]\nsee the comment at the top of demo/main.ts');
  process.exit(0);
}

const exportOtlp = Boolean(process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
let simulator: Simulator | undefined;
let baseURL: string | undefined;
let apiKey = process.env['OPENAI_API_KEY'] ?? 'sk-demo';
if (flags.live) {
  if (!process.env['OPENAI_API_KEY']) {
    console.error('--live needs OPENAI_API_KEY');
    process.exit(2);
  }
  baseURL = undefined;
} else if (process.env['OPENAI_BASE_URL']) {
  baseURL = process.env['OPENAI_BASE_URL'];
} else {
  // Small limits so the burst meets 429s within seconds; streams wait in a queue for 150 ms,
  // sending keep-alive comments, before their first event (the "1st ms" column).
  simulator = await startSimulator({ requestsPerWindow: 12, tokensPerWindow: 4_000, windowMs: 4_000, latencyMs: 40, streamChunkDelayMs: 25, keepAliveMs: 150 });
  baseURL = simulator.url;
  apiKey = 'sk-demo';
}

const table = new SpanTableExporter();
const sdk = new NodeSDK({
  serviceName: process.env['OTEL_SERVICE_NAME'] ?? 'openai-http-demo',
  instrumentations: [new OpenAIHttpInstrumentation({ endpoints: baseURL ? [baseURL] : [] })],
  // Printing: one table row per span, no metric export. OTLP: everything from OTEL_* variables.
  ...(exportOtlp ? {} : { spanProcessors: [new SimpleSpanProcessor({ exporter: table })], metricReaders: [] }),
});
sdk.start();

console.log(
  flags.live ? 'Calling the real OpenAI API.' : `OpenAI-compatible server: ${baseURL}${simulator ? ' (embedded simulator)' : ''}`,
);
console.log(exportOtlp ? `Exporting over OTLP to ${process.env['OTEL_EXPORTER_OTLP_ENDPOINT']}` : 'Spans:\n');

const client = new OpenAI({ apiKey, baseURL, maxRetries: 8 });
// A key whose credit has run out shows the other 429 next to the rate limit's: the embedded
// simulator is told so here; a standalone one (compose) by SIM_QUOTA_EXHAUSTED_KEYS, with
// DEMO_DRY_API_KEY naming the key to the demo.
const dryKey = simulator !== undefined ? 'sk-demo-credit-ran-out' : flags.live ? undefined : process.env['DEMO_DRY_API_KEY'];
if (dryKey !== undefined) simulator?.setQuota({ apiKey: dryKey, exhausted: true });
// No retries: an exhausted quota answers 429 every time, and retrying only waits.
const dryClient = dryKey === undefined ? undefined : new OpenAI({ apiKey: dryKey, baseURL, maxRetries: 0 });
let firstRound = true;
const model = 'gpt-4o-mini';
const notes: string[] = [];
let stopping = false;
const stop = (): void => {
  stopping = true;
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

try {
  do {
    // Once: the insufficient_quota page then fires and clears within its window, as after a top-up.
    await runWorkload(client, { model, burst: flags.live ? 3 : 16, log: (line) => notes.push(line), dryClient: firstRound ? dryClient : undefined });
    firstRound = false;
    if (flags.loop) {
      for (const line of notes.splice(0)) console.log(line);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  } while (flags.loop && !stopping);
} finally {
  await sdk.shutdown();
  await simulator?.close();
}
console.log('');
for (const line of notes) console.log(line);
if (!exportOtlp) console.log(`\n${table.rows} spans. Run with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 to send them to a Collector.`);
