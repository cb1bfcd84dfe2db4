import OpenAI from 'openai';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import * as semconv from '../../src/semconv.ts';
import { setupOtel, TestMetricReader, type TestOtel } from '../helpers/otel.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';
import { gauge, histogramPoints, metric, points } from '../unit/metrics/fixtures.ts';

const modelReadable = bundledUndiciHasBodyChunks();

describe('metrics from real calls through the instrumentation', () => {
  let sim: Simulator;
  let otel: TestOtel;
  let client: OpenAI;
  beforeEach(async () => {
    sim = await startSimulator({ requestsPerWindow: 10, tokensPerWindow: 10_000, windowMs: 60_000 });
    otel = setupOtel({ endpoints: [sim.url] });
    client = new OpenAI({ apiKey: 'sk-metrics', baseURL: sim.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await otel.shutdown();
    await sim.close();
  });

  const chat = (): Promise<unknown> => client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });

  it('reports the quota the simulator announced, as one series per quota', async () => {
    await chat();
    await chat();
    await otel.waitForSpans(2);
    const data = await otel.reader.read();
    const [point, ...others] = points(data, semconv.METRIC_REQUESTS_REMAINING);
    expect(others).toEqual([]);
    // Projection may add a refilled request between the response and the collection.
    expect(point?.value).toBeGreaterThanOrEqual(8);
    expect(point?.value).toBeLessThanOrEqual(9);
    expect(point?.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'server.address': '127.0.0.1',
      'openai.organization': 'org-simulator',
      'openai.project': 'proj_simulator',
      ...(modelReadable ? { 'gen_ai.request.model': 'gpt-4o-mini' } : {}),
    });
    expect(gauge(data, semconv.METRIC_REQUESTS_LIMIT)).toBe(10);
    expect(gauge(data, semconv.METRIC_TOKENS_LIMIT)).toBe(10_000);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBeGreaterThan(0);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBeLessThanOrEqual(12);
    expect(metric(data, semconv.METRIC_TOKENS_RESET)?.descriptor.unit).toBe('s');
  });

  it('counts every attempt in gen_ai.client.operation.duration, a 429 with error.type "429"', async () => {
    for (let i = 0; i < 10; i++) await chat();
    await expect(chat()).rejects.toMatchObject({ status: 429 });
    await otel.waitForSpans(11);
    const data = await otel.reader.read();
    const byError = new Map(histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION).map((p) => [p.attributes['error.type'], p.value.count]));
    expect(byError.get(undefined)).toBe(10);
    expect(byError.get('429')).toBe(1);
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBeLessThanOrEqual(1);
    const processed = histogramPoints(data, semconv.METRIC_OPENAI_PROCESSING_DURATION).reduce((n, p) => n + p.value.count, 0);
    expect(processed).toBe(11);
  });

  it('stops reporting gauges once the instrumentation is disabled', async () => {
    await chat();
    await otel.waitForSpans(1);
    otel.instrumentation.disable();
    expect(points(await otel.reader.read(), semconv.METRIC_REQUESTS_REMAINING)).toEqual([]);
  });

  it('moves its gauges to a new MeterProvider and leaves none behind on the old one', async () => {
    const reader = new TestMetricReader();
    const provider = new MeterProvider({ readers: [reader] });
    otel.instrumentation.setMeterProvider(provider);
    await chat();
    await otel.waitForSpans(1);
    expect(points(await reader.read(), semconv.METRIC_REQUESTS_REMAINING)).toHaveLength(1);
    expect(points(await otel.reader.read(), semconv.METRIC_REQUESTS_REMAINING)).toEqual([]);
    await provider.shutdown();
  });
});
