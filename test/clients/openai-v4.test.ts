import { SpanStatusCode } from '@opentelemetry/api';
import OpenAI from 'openai-v4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { durationMs, expectSimulatorSpan } from '../helpers/client-span.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

// openai v4 sends through node-fetch, i.e. node:http: seen on Node's http.client.* channels.
// Node publishes no request-body events there, so the model is never known.
describe('the openai v4 SDK (node-fetch over node:http)', () => {
  let sim: Simulator;
  let otel: TestOtel;
  let client: OpenAI;
  beforeEach(async () => {
    sim = await startSimulator({ streamChunkDelayMs: 10 });
    otel = setupOtel({ endpoints: [sim.url] });
    client = new OpenAI({ apiKey: 'sk-v4-secret', baseURL: sim.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await otel.shutdown();
    await sim.close();
  });

  it('gives a chat call the same span as the fetch-based SDKs, without the model', async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const [span] = await otel.waitForSpans(1);
    expectSimulatorSpan(span, sim, { operation: 'chat', model: undefined, path: '/chat/completions' });
    expect(otel.spans()).toHaveLength(1);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });

  it('keeps a streamed call open until the stream has been read', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'stream' }], stream: true });
    const headersAt = performance.now();
    let chunks = 0;
    for await (const _ of stream) chunks++;
    const readMs = performance.now() - headersAt;
    const [span] = await otel.waitForSpans(1);
    expect(chunks).toBeGreaterThan(3);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(durationMs(span!)).toBeGreaterThan(readMs - 5);
  });

  it('records a 429 with its rate-limit state and one span per retry attempt', async () => {
    const retrying = new OpenAI({ apiKey: 'sk-v4-secret', baseURL: sim.url, maxRetries: 1 });
    await expect(
      retrying.chat.completions.create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-simulator-status': '429' } },
      ),
    ).rejects.toThrow();
    const spans = await otel.waitForSpans(2);
    expect(spans.map((s) => s.attributes['error.type'])).toEqual(['429', '429']);
    expect(spans.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['openai.ratelimit.requests.limit']).toBe(60);
  });

  it('marks a stream the server drops as an error', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'stream' }], stream: true },
      { headers: { 'x-simulator-abort-after-chunks': '2' } },
    );
    await expect(
      (async () => {
        for await (const _ of stream);
      })(),
    ).rejects.toThrow();
    const [span] = await otel.waitForSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNRESET');
  });
});
