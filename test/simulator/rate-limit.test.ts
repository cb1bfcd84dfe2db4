import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

describe('rate limiting', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('answers 429 with retry-after headers and OpenAI error JSON once the request bucket is empty', async () => {
    sim = await startSimulator({ requestsPerWindow: 2, windowMs: 60_000 });
    await post(sim, '/chat/completions', CHAT);
    await post(sim, '/chat/completions', CHAT);
    const limited = await post(sim, '/chat/completions', CHAT);
    expect(limited.status).toBe(429);
    // One request of 2 per minute comes back after 30 s, less the time the three calls took.
    const retryAfterMs = Number(limited.headers.get('retry-after-ms'));
    expect(retryAfterMs).toBeGreaterThan(29_000);
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(limited.headers.get('x-ratelimit-reset-requests')).toMatch(/^(1m0s|59(\.\d+)?s)$/);
    expect(limited.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(await limited.json()).toEqual({
      error: {
        message: expect.stringMatching(
          /^Rate limit reached for gpt-4o in organization org-simulator on requests per min \(RPM\): Limit 2, Used 2, Requested 1\. Please try again in (30s|29(\.\d+)?s)\./,
        ),
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it('charges nothing for a rejected request', async () => {
    // An hour's window: no token refills between the calls, however slow a loaded machine is.
    sim = await startSimulator({ requestsPerWindow: 1, tokensPerWindow: 1000, windowMs: 3_600_000 });
    await post(sim, '/chat/completions', CHAT);
    const first429 = await post(sim, '/chat/completions', CHAT);
    const second429 = await post(sim, '/chat/completions', CHAT);
    expect(first429.status).toBe(429);
    expect(second429.headers.get('x-ratelimit-remaining-tokens')).toBe('985');
    expect(second429.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('answers 429 of type tokens when the prompt and max_tokens do not fit the token bucket', async () => {
    sim = await startSimulator({ tokensPerWindow: 40, windowMs: 60_000 });
    expect((await post(sim, '/chat/completions', CHAT)).status).toBe(200);
    expect((await post(sim, '/chat/completions', CHAT)).status).toBe(200);
    const limited = await post(sim, '/chat/completions', CHAT);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining-tokens')).toBe('10');
    // 5 more tokens at 40 per minute: 7.5 s, less what refilled while the test ran (up to a
    // second on a loaded machine).
    const retryAfterMs = Number(limited.headers.get('retry-after-ms'));
    expect(retryAfterMs).toBeGreaterThan(6500);
    expect(retryAfterMs).toBeLessThanOrEqual(7500);
    expect(limited.headers.get('retry-after')).toBe('8');
    const { error } = (await limited.json()) as { error: { type: string; message: string } };
    expect(error.type).toBe('tokens');
    expect(error.message).toMatch(/on tokens per min \(TPM\): Limit 40, Used 30, Requested 15\. Please try again in 7\.[45]\d*s\./);
  });

  it('rejects a request larger than the whole token bucket without a retry-after, as it can never fit', async () => {
    sim = await startSimulator({ tokensPerWindow: 10 });
    const limited = await post(sim, '/chat/completions', CHAT);
    expect(limited.status).toBe(429);
    expect(limited.headers.has('retry-after-ms')).toBe(false);
    const { error } = (await limited.json()) as { error: { type: string; message: string } };
    expect(error.type).toBe('tokens');
    expect(error.message).toMatch(/^Request too large for gpt-4o .*Limit 10, Requested 15\./);
  });

  it('lets the openai SDK succeed after it waits for retry-after-ms', async () => {
    sim = await startSimulator({ requestsPerWindow: 2, windowMs: 500 });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 3 });
    const ask = () => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    await ask();
    const started = performance.now();
    const { data, response } = await ask().withResponse();
    const waited = performance.now() - started;
    expect(data.choices[0]?.message.content).toBe('This is a simulated response.');
    expect(response.status).toBe(200);
    // One request of 2 per 500 ms refills in 250 ms; the SDK waited about that, not its 0.5-8 s backoff.
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(450);
    expect(sim.requestCount).toBe(4);
  });

  it('makes an SDK without retries throw a RateLimitError carrying the headers', async () => {
    sim = await startSimulator({ requestsPerWindow: 1 });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimitError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimitError.code).toBe('rate_limit_exceeded');
    expect(rateLimitError.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
  });
});
