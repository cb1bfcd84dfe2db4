import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { LATEST_GEN_AI_INSTRUMENT_SPECS } from '../../src/metrics/instruments.ts';
import * as semconv from '../../src/semconv.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { publishesBodyChunksReceived } from '../helpers/runtime.ts';
import { histogramPoints, metric, points } from '../unit/metrics/fixtures.ts';

/**
 * `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`, end to end: the official SDK
 * against the simulator (compressed, as the real API answers), a real MeterProvider and reader.
 */
const readable = await publishesBodyChunksReceived();
const PREVIOUS: readonly string[] = [
  semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
];
const LATEST: readonly string[] = Object.values(LATEST_GEN_AI_INSTRUMENT_SPECS).map((spec) => spec.name);
const CHUNK_DELAY_MS = 40;
const messages = [{ role: 'user' as const, content: 'Say hello' }];

let sim: Simulator | undefined;
let otel: TestOtel | undefined;

async function start(optIn: string | undefined, options: Parameters<typeof startSimulator>[0] = {}): Promise<OpenAI> {
  if (optIn === undefined) delete process.env[semconv.ENV_SEMCONV_STABILITY_OPT_IN];
  else process.env[semconv.ENV_SEMCONV_STABILITY_OPT_IN] = optIn;
  sim = await startSimulator(options);
  otel = setupOtel({ endpoints: [sim.url] });
  return new OpenAI({ apiKey: 'sk-latest', baseURL: sim.url, maxRetries: 0 });
}

afterEach(async () => {
  delete process.env[semconv.ENV_SEMCONV_STABILITY_OPT_IN];
  await otel?.shutdown();
  await sim?.close();
  otel = undefined;
  sim = undefined;
});

function exportedNames(data: ResourceMetrics): string[] {
  return data.scopeMetrics.flatMap((scope) => scope.metrics.filter((m) => m.dataPoints.length > 0).map((m) => m.descriptor.name));
}

function counterSum(data: ResourceMetrics, name: string): number {
  return points(data, name).reduce((sum, p) => sum + p.value, 0);
}

describe('OTEL_SEMCONV_STABILITY_OPT_IN', () => {
  it('unset: only the previous GenAI names, none of the latest', async () => {
    const client = await start(undefined);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await otel!.waitForSpans(1);
    const names = exportedNames(await otel!.reader.read());
    expect(names).toContain(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(names.filter((n) => LATEST.includes(n))).toEqual([]);
  });

  it('gen_ai_latest_experimental among other opt-ins: the latest names and none of the previous', async () => {
    const client = await start(`http, ${semconv.SEMCONV_OPT_IN_GEN_AI_LATEST}`);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await otel!.waitForSpans(1);
    const data = await otel!.reader.read();
    const names = exportedNames(data);
    expect(names).toContain(semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION);
    expect(names.filter((n) => PREVIOUS.includes(n))).toEqual([]);
    // Ours, not the GenAI conventions': unchanged.
    expect(names).toContain(semconv.METRIC_REQUESTS_REMAINING);
    expect(names).toContain(semconv.METRIC_OPENAI_PROCESSING_DURATION);
    const [duration, ...others] = histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION);
    expect(others).toEqual([]);
    expect(duration!.value.count).toBe(1);
    expect(duration!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(sim!.url).port),
    });
    expect(duration!.attributes['error.type']).toBeUndefined();
    expect(metric(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION)!.descriptor.unit).toBe('s');
  });

  it('gen_ai_latest_experimental/dup: both sets, for the time dashboards move over', async () => {
    const client = await start(`${semconv.SEMCONV_OPT_IN_GEN_AI_LATEST}/dup`);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await otel!.waitForSpans(1);
    const names = exportedNames(await otel!.reader.read());
    expect(names).toContain(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(names).toContain(semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION);
  });

  it('a failed call: its duration carries error.type', async () => {
    const client = await start(semconv.SEMCONV_OPT_IN_GEN_AI_LATEST, { requestsPerWindow: 1 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toMatchObject({ status: 429 });
    await otel!.waitForSpans(2);
    const data = await otel!.reader.read();
    const byError = new Map(histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION).map((p) => [p.attributes['error.type'], p.value.count]));
    expect(byError).toEqual(new Map([[undefined, 1], ['429', 1]]));
  });

  describe.runIf(readable)('where the runtime lets the body be read', () => {
    it('a streamed chat: time to first chunk, one time per output chunk for each chunk after the first, the usage counters', async () => {
      const client = await start(semconv.SEMCONV_OPT_IN_GEN_AI_LATEST, { streamChunkDelayMs: CHUNK_DELAY_MS });
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
      let chunks = 0;
      let usage: OpenAI.CompletionUsage | undefined | null;
      for await (const chunk of stream) {
        chunks++;
        usage = chunk.usage ?? usage;
      }
      const [span] = await otel!.waitForSpans(1);
      const data = await otel!.reader.read();
      expect(chunks).toBeGreaterThan(3);

      const [perChunk, ...others] = histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK);
      expect(others).toEqual([]);
      expect(perChunk!.value.count).toBe(chunks - 1);
      // The simulator spaces its events by CHUNK_DELAY_MS: the gaps add up to about the time
      // from the first chunk to the last (the first may be read late on a busy machine).
      expect(perChunk!.value.sum).toBeGreaterThan(((chunks - 1) * CHUNK_DELAY_MS * 0.5) / 1000);
      expect(perChunk!.value.sum).toBeLessThan(span!.duration[0] + span!.duration[1] / 1e9);
      expect(perChunk!.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');

      const [ttfc] = histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK);
      expect(ttfc!.value.count).toBe(1);
      expect(ttfc!.value.sum).toBeCloseTo(span!.attributes['gen_ai.response.time_to_first_chunk'] as number, 6);
      expect(ttfc!.attributes['gen_ai.response.model']).toBe(span!.attributes['gen_ai.response.model']);

      expect(usage).toBeDefined();
      expect(counterSum(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS)).toBe(usage!.prompt_tokens);
      expect(counterSum(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS)).toBe(usage!.completion_tokens);
      expect(counterSum(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS)).toBe(usage!.prompt_tokens_details?.cached_tokens ?? 0);
      expect(counterSum(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS)).toBe(usage!.completion_tokens_details?.reasoning_tokens ?? 0);
      const [input] = points(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS);
      expect(input!.attributes).toMatchObject({ 'gen_ai.token.modality': 'unknown', 'gen_ai.operation.name': 'chat', 'gen_ai.response.model': span!.attributes['gen_ai.response.model'] });
      expect(input!.attributes['error.type']).toBeUndefined();
      const [perCall] = histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS);
      expect(perCall!.value).toMatchObject({ count: 1, sum: usage!.completion_tokens });
    });

    it('a stream without include_usage: counters record 0, as the conventions ask for a call whose body had no usage', async () => {
      const client = await start(semconv.SEMCONV_OPT_IN_GEN_AI_LATEST);
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      for await (const _ of stream) void _;
      await otel!.waitForSpans(1);
      const data = await otel!.reader.read();
      expect(points(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS).map((p) => p.value)).toEqual([0]);
      expect(points(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS).map((p) => p.value)).toEqual([0]);
    });

    it('a chat not streamed: no chunk timings', async () => {
      const client = await start(semconv.SEMCONV_OPT_IN_GEN_AI_LATEST);
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      await otel!.waitForSpans(1);
      const data = await otel!.reader.read();
      expect(histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK)).toEqual([]);
      expect(histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK)).toEqual([]);
      expect(counterSum(data, semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS)).toBe(completion.usage!.prompt_tokens);
    });

    it('embeddings: their own duration and input-token histogram, no inference metrics', async () => {
      const client = await start(semconv.SEMCONV_OPT_IN_GEN_AI_LATEST);
      const embeddings = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
      await otel!.waitForSpans(1);
      const data = await otel!.reader.read();
      expect(histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_EMBEDDINGS_DURATION).map((p) => p.attributes['gen_ai.operation.name'])).toEqual(['embeddings']);
      expect(histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS).map((p) => p.value.sum)).toEqual([embeddings.usage.prompt_tokens]);
      const names = exportedNames(data);
      for (const name of names) expect(name.startsWith('gen_ai.client.inference.'), name).toBe(false);
    });
  });

  describe.runIf(!readable)('where the runtime hides the body (Node 22 and 24.0-24.3 fetch)', () => {
    it('no token counts, which could not be known, and no chunk timings; durations as everywhere', async () => {
      const client = await start(semconv.SEMCONV_OPT_IN_GEN_AI_LATEST);
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
      for await (const _ of stream) void _;
      await otel!.waitForSpans(1);
      const names = exportedNames(await otel!.reader.read());
      expect(names).toContain(semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION);
      expect(names.filter((n) => n.startsWith('gen_ai.') && (n.includes('tokens') || n.includes('chunk')))).toEqual([]);
    });
  });
});
