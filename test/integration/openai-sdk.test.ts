import OpenAI from 'openai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const modelReadable = bundledUndiciHasBodyChunks();

describe('the official openai SDK against the simulator', () => {
  let sim: Simulator;
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
    await sim.close();
  });

  describe('with room in the rate limits', () => {
    beforeEach(async () => {
      sim = await startSimulator({ requestsPerWindow: 100, tokensPerWindow: 100_000, streamChunkDelayMs: 15 });
      otel = setupOtel({ endpoints: [sim.url] });
    });

    it('gives a chat call one CLIENT span with every documented attribute, typed', async () => {
      const client = new OpenAI({ apiKey: 'sk-test-secret', baseURL: sim.url });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
      const [span] = await otel.waitForSpans(1);
      expect(span!.kind).toBe(SpanKind.CLIENT);
      expect(span!.name).toBe(modelReadable ? 'chat gpt-4o-mini' : 'chat');
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
      const a = span!.attributes;
      expect(a).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.operation.name': 'chat',
        'server.address': '127.0.0.1',
        'server.port': sim.port,
        'http.request.method': 'POST',
        'url.full': `${sim.url}/chat/completions`,
        'http.response.status_code': 200,
        'openai.organization': 'org-simulator',
        'openai.project': 'proj_simulator',
        'openai.version': '2020-10-01',
        'openai.ratelimit.requests.limit': 100,
        'openai.ratelimit.requests.remaining': 99,
        'openai.ratelimit.tokens.limit': 100_000,
      });
      if (modelReadable) expect(a['gen_ai.request.model']).toBe('gpt-4o-mini');
      else expect(a['gen_ai.request.model']).toBeUndefined();
      expect(a['openai.request.id']).toMatch(/^req_[0-9a-f]{32}$/);
      expect(Number.isInteger(a['openai.processing_ms'])).toBe(true);
      expect(a['openai.ratelimit.tokens.remaining']).toBeLessThan(100_000);
      expect(typeof a['openai.ratelimit.requests.reset']).toBe('number');
      expect(a['openai.ratelimit.requests.reset']).toBeGreaterThan(0);
      expect(a['openai.ratelimit.tokens.reset']).toBeGreaterThan(0);
      expect(a['error.type']).toBeUndefined();
      expect(a['http.request.resend_count']).toBeUndefined();
      expect(a['openai.retry_after']).toBeUndefined();
      expect(JSON.stringify(a)).not.toContain('sk-test-secret');
      expect(JSON.stringify(a)).not.toContain('Hello');
    });

    it('keeps a streamed completion span open until the stream has been read to the end', async () => {
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url });
      const started = performance.now();
      const stream = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Stream please' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const headersAt = performance.now();
      let chunks = 0;
      for await (const _ of stream) chunks++;
      const readAt = performance.now();
      const [span] = await otel.waitForSpans(1);
      expect(chunks).toBeGreaterThan(3);
      const durationMs = span!.duration[0] * 1e3 + span!.duration[1] / 1e6;
      // The span ends when the last chunk arrives, which a loaded client may read later: it must
      // at least cover the server's paced stream (a 15 ms pause before each chunk).
      expect(durationMs).toBeGreaterThan((chunks - 1) * 15 * 0.8);
      expect(durationMs).toBeLessThanOrEqual(readAt - started + 5);
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
      expect(span!.attributes['openai.request.id']).toMatch(/^req_/);
    });

    it('ends an aborted stream with an error status and a low-cardinality error.type', async () => {
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true },
        { signal: controller.signal },
      );
      let seen = 0;
      try {
        for await (const _ of stream) {
          seen++;
          controller.abort();
        }
      } catch {
        // Whether the SDK surfaces the abort as an error is its business; the span must say so.
      }
      expect(seen).toBe(1);
      const [span] = await otel.waitForSpans(1);
      expect(span!.status.code).toBe(SpanStatusCode.ERROR);
      expect(span!.attributes['http.response.status_code']).toBe(200);
      expect(span!.attributes['error.type']).toBe('AbortError');
      expect(otel.instrumentation.inFlightRequests).toBe(0);
    });

    it('names embeddings and completions spans after their operation', async () => {
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url });
      await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
      await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'hi' });
      await client.models.list();
      const spans = await otel.waitForSpans(3);
      expect(spans.map((s) => s.attributes['gen_ai.operation.name'])).toEqual(['embeddings', 'text_completion', 'models']);
      if (modelReadable) expect(spans.map((s) => s.name)).toEqual(['embeddings text-embedding-3-small', 'text_completion gpt-3.5-turbo-instruct', 'models']);
    });
  });

  describe('when the rate limit runs out', () => {
    beforeEach(async () => {
      sim = await startSimulator({ requestsPerWindow: 1, windowMs: 300 });
      otel = setupOtel({ endpoints: [sim.url] });
    });

    it('gives one span per attempt: the 429 with retry-after, the retry with its resend count', async () => {
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 3 });
      await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'a' }] });
      await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'b' }] });
      const spans = await otel.waitForSpans(3);
      const [first, limited, retried] = spans;
      expect(first!.attributes['http.request.resend_count']).toBeUndefined();
      expect(limited!.attributes['http.response.status_code']).toBe(429);
      expect(limited!.attributes['error.type']).toBe('429');
      expect(limited!.status.code).toBe(SpanStatusCode.ERROR);
      expect(limited!.attributes['openai.ratelimit.requests.remaining']).toBe(0);
      expect(limited!.attributes['openai.retry_after']).toBeGreaterThan(0);
      expect(limited!.attributes['openai.retry_after']).toBeLessThanOrEqual(0.3);
      expect(retried!.attributes['http.response.status_code']).toBe(200);
      expect(retried!.attributes['http.request.resend_count']).toBeGreaterThanOrEqual(1);
      expect(retried!.status.code).toBe(SpanStatusCode.UNSET);
    });
  });
});
