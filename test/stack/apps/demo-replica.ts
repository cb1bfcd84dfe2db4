// The compose demo's workload (demo/workload.ts: chat, streamed chat, embeddings, a burst) in a
// loop, with no OpenTelemetry set-up of its own: run it as a user runs an app,
//   node --import opentelemetry-instrumentation-openai-http/register test/stack/apps/demo-replica.ts
// and the register entry point exports over OTLP as the OTEL_* variables say. Each iteration
// runs under one parent span, so the test can check that every OpenAI span hangs under it.
// Prints one JSON object a line:
//   {"event":"iteration","index":n,"traceId":..,"spanId":..,"at":<epoch ms>,"ms":..}
//   {"event":"error","message":..}
import { trace } from '@opentelemetry/api';
import OpenAI from 'openai';
import { runWorkload } from '../../../demo/workload.ts';

const emit = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

const PAUSE_MS = Number(process.env['DEMO_PAUSE_MS'] ?? 2_000);
const BURST = Number(process.env['DEMO_BURST'] ?? 16);
const tracer = trace.getTracer('demo-replica');
const client = new OpenAI({ apiKey: process.env['OPENAI_API_KEY'], baseURL: process.env['OPENAI_BASE_URL'], maxRetries: 8 });
// compose's key whose credit has run out: the first iteration makes one insufficient_quota call, as the demo does.
const dryKey = process.env['DEMO_DRY_API_KEY'];
const dryClient = dryKey ? new OpenAI({ apiKey: dryKey, baseURL: process.env['OPENAI_BASE_URL'], maxRetries: 0 }) : undefined;

let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});

for (let index = 0; !stopping; index++) {
  const started = Date.now();
  await tracer.startActiveSpan('demo iteration', async (span) => {
    try {
      await runWorkload(client, { model: 'gpt-4o-mini', burst: BURST, log: () => {}, dryClient: index === 0 ? dryClient : undefined });
      const { traceId, spanId } = span.spanContext();
      emit({ event: 'iteration', index, traceId, spanId, at: Date.now(), ms: Date.now() - started });
    } catch (error) {
      emit({ event: 'error', index, message: String(error instanceof Error ? error.message : error) });
    } finally {
      span.end();
    }
  });
  if (!stopping) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}
