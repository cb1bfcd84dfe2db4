import http from 'node:http';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { describe, expect } from 'vitest';
import { bodyAttributes } from '../../helpers/body-oracle.ts';
import { expectSimulatorSpan } from '../../helpers/client-span.ts';
import { publishesBodyChunksReceived } from '../../helpers/runtime.ts';
import { simTest as it } from '../../helpers/sim-test.ts';

/**
 * Where no body chunk is published (Node 22 and 24.0-24.3 fetch; node:http clients on every
 * Node), the body attributes are absent and everything else is as it always was.
 */
const readable = await publishesBodyChunksReceived();
const messages = [{ role: 'user' as const, content: 'Say hello' }];

function expectNothingFromTheBody(span: ReadableSpan): void {
  expect(bodyAttributes(span.attributes)).toEqual({});
  expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
}

function metricNames(metrics: ResourceMetrics): string[] {
  return metrics.scopeMetrics.flatMap((s) => s.metrics.filter((m) => m.dataPoints.length > 0).map((m) => m.descriptor.name)).sort();
}

describe.runIf(!readable)('fetch where undici publishes no body chunk (Node 22, 24.0-24.3)', () => {
  it('gives the header span, openai.api.type, and nothing from the body, streamed, failed or not', async ({ sim, otel }) => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    for await (const _ of stream) void _;
    sim.setQuota({ apiKey: 'sk-dry', exhausted: true });
    await new OpenAI({ apiKey: 'sk-dry', baseURL: sim.url, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages }).catch(() => undefined);
    const [plain, streamed, dry] = await otel.waitForSpans(3);
    expectSimulatorSpan(plain, sim, { operation: 'chat', model: undefined, path: '/chat/completions' });
    expectSimulatorSpan(streamed, sim, { operation: 'chat', model: undefined });
    for (const span of [plain!, streamed!, dry!]) {
      expectNothingFromTheBody(span);
      expect(span.attributes['openai.api.type']).toBe('chat_completions');
    }
    expect(dry!.attributes['error.type']).toBe('429');
    const metrics = await otel.reader.read();
    expect(metricNames(metrics)).not.toContain('gen_ai.client.token.usage');
    expect(metricNames(metrics)).not.toContain('gen_ai.client.operation.time_to_first_chunk');
    const durations = metrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'gen_ai.client.operation.duration')!;
    for (const point of durations.dataPoints) expect(point.attributes['openai.error.code']).toBeUndefined();
  });
});

describe('node:http clients, on every Node', () => {
  it('give the header span and openai.api.type, nothing from the body', async ({ sim, otel }) => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${sim.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
    const [span] = await otel.waitForSpans(1);
    expectSimulatorSpan(span, sim, { operation: 'chat', model: undefined, path: '/chat/completions' });
    expectNothingFromTheBody(span!);
    expect(span!.attributes['openai.api.type']).toBe('chat_completions');
    expect(metricNames(await otel.reader.read())).not.toContain('gen_ai.client.token.usage');
  });
});
