import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointConfig } from '../../src/index.ts';
import type { TestServer } from '../helpers/http-server.ts';
import { metricPoints } from '../helpers/metric-points.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { startProviderServer } from './provider-server.ts';

/**
 * OpenAI-compatible providers, each stood in for by a local server under the provider's own
 * base path and with the rate-limit headers it sends, and named through `endpoints`.
 */
describe('OpenAI-compatible providers through `endpoints`', () => {
  let server: TestServer;
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
    await server.close();
  });

  async function chatThrough(basePath: string, endpoint: (origin: string) => EndpointConfig): Promise<Record<string, unknown>> {
    otel = setupOtel({ endpoints: [endpoint(server.origin)] });
    const client = new OpenAI({ apiKey: 'provider-secret', baseURL: `${server.origin}${basePath}`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'llama-3.3-70b', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
    const [span] = await otel.waitForSpans(1);
    return span!.attributes;
  }

  it("Groq: per-day request limits and sub-second resets such as '0.8s'", async () => {
    server = await startProviderServer({
      'x-request-id': 'req_01jgroq',
      'x-ratelimit-limit-requests': '14400',
      'x-ratelimit-limit-tokens': '6000',
      'x-ratelimit-remaining-requests': '14399',
      'x-ratelimit-remaining-tokens': '5990',
      'x-ratelimit-reset-requests': '6s',
      'x-ratelimit-reset-tokens': '0.8s',
    });
    const a = await chatThrough('/openai/v1', (origin) => ({ url: `${origin}/openai/v1`, provider: 'groq' }));
    expect(a).toMatchObject({
      'gen_ai.provider.name': 'groq',
      'gen_ai.operation.name': 'chat',
      'openai.request.id': 'req_01jgroq',
      'openai.ratelimit.requests.limit': 14400,
      'openai.ratelimit.requests.remaining': 14399,
      'openai.ratelimit.requests.reset': 6,
      'openai.ratelimit.tokens.limit': 6000,
      'openai.ratelimit.tokens.remaining': 5990,
      'openai.ratelimit.tokens.reset': 0.8,
    });
    const gauges = metricPoints(await otel.reader.read()).filter((p) => p.name.startsWith('openai.ratelimit.'));
    expect(gauges.length).toBeGreaterThan(0);
    for (const g of gauges) {
      expect(g.attributes['gen_ai.provider.name']).toBe('groq');
      expect(Number.isFinite(g.value) && g.value >= 0, g.name).toBe(true);
    }
  });

  it('Groq: a 429 near the end of the day carries hours-long resets and retry-after', async () => {
    server = await startProviderServer(
      {
        'retry-after': '2',
        'x-ratelimit-limit-requests': '14400',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '2h59m56.5s',
        'x-ratelimit-reset-tokens': '7.66s',
      },
      429,
    );
    const a = await chatThrough('/openai/v1', (origin) => ({ url: `${origin}/openai/v1`, provider: 'groq' }));
    expect(a).toMatchObject({
      'error.type': '429',
      'openai.retry_after': 2,
      'openai.ratelimit.requests.remaining': 0,
      'openai.ratelimit.requests.reset': 10796.5,
      'openai.ratelimit.tokens.reset': 7.66,
    });
  });

  it("OpenRouter: its own rate-limit header names are left alone, nothing is guessed", async () => {
    server = await startProviderServer({
      'x-ratelimit-limit': '20',
      'x-ratelimit-remaining': '19',
      'x-ratelimit-reset': '1741305600000',
    });
    const a = await chatThrough('/api/v1', (origin) => ({ url: `${origin}/api/v1`, provider: 'openrouter' }));
    expect(a['gen_ai.provider.name']).toBe('openrouter');
    // No header-derived openai.* attribute; only which OpenAI API the path names, as for any provider speaking it.
    expect(Object.keys(a).filter((k) => k.startsWith('openai.'))).toEqual(['openai.api.type']);
    expect(a['openai.api.type']).toBe('chat_completions');
  });

  it('Together: a bare host entry matches any port and path on that host', async () => {
    server = await startProviderServer({
      'x-request-id': 'together-7f3a',
      'x-ratelimit-limit-tokens': '180000',
      'x-ratelimit-remaining-tokens': '179990',
      'x-ratelimit-reset-tokens': '1s',
    });
    const a = await chatThrough('/v1', () => ({ url: '127.0.0.1', provider: 'together' }));
    expect(a).toMatchObject({
      'gen_ai.provider.name': 'together',
      'openai.request.id': 'together-7f3a',
      'openai.ratelimit.tokens.limit': 180000,
      'openai.ratelimit.tokens.remaining': 179990,
      'openai.ratelimit.tokens.reset': 1,
    });
  });

  it('a local vLLM or Ollama server without any OpenAI header: HTTP and GenAI attributes only, nothing empty', async () => {
    server = await startProviderServer({});
    const a = await chatThrough('/v1', (origin) => ({ url: `${origin}/v1`, provider: 'ollama' }));
    expect(a).toMatchObject({ 'gen_ai.provider.name': 'ollama', 'gen_ai.operation.name': 'chat', 'http.response.status_code': 200 });
    // No header-derived openai.* attribute; only which OpenAI API the path names, as for any provider speaking it.
    expect(Object.keys(a).filter((k) => k.startsWith('openai.'))).toEqual(['openai.api.type']);
    expect(a['openai.api.type']).toBe('chat_completions');
    for (const [key, value] of Object.entries(a)) expect(value === '' || Number.isNaN(value), key).toBe(false);
    expect(metricPoints(await otel.reader.read()).filter((p) => p.name.startsWith('openai.ratelimit.'))).toEqual([]);
  });
});
