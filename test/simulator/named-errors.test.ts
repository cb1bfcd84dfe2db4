import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

describe('x-simulator-error: OpenAI error bodies by name', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it.each([
    ['insufficient_quota', 429, { type: 'insufficient_quota', code: 'insufficient_quota', param: null, message: expect.stringMatching(/^You exceeded your current quota, please check your plan and billing details\./) }],
    ['rate_limit_requests', 429, { type: 'requests', code: 'rate_limit_exceeded', param: null, message: expect.stringMatching(/^Rate limit reached for gpt-4o .* on requests per min \(RPM\)/) }],
    ['rate_limit_tokens', 429, { type: 'tokens', code: 'rate_limit_exceeded', param: null, message: expect.stringMatching(/on tokens per min \(TPM\)/) }],
    ['invalid_api_key', 401, { type: 'invalid_request_error', code: 'invalid_api_key', param: null, message: expect.stringMatching(/^Incorrect API key provided: \*+\./) }],
    ['model_not_found', 404, { type: 'invalid_request_error', code: 'model_not_found', param: null, message: 'The model `gpt-4o` does not exist or you do not have access to it.' }],
    ['context_length_exceeded', 400, { type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages', message: expect.stringMatching(/^This model's maximum context length is 128000 tokens\./) }],
    ['server_error', 500, { type: 'server_error', code: null, param: null, message: expect.any(String) }],
  ])('%s answers %i with exactly error.{message,type,param,code}, charging nothing', async (name, status, error) => {
    sim = await startSimulator({ requestsPerWindow: 10 });
    const response = await post(sim, '/chat/completions', CHAT, { 'x-simulator-error': name });
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code']);
    expect(body.error).toEqual(error);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('10');
  });

  it('masks the key in the invalid_api_key message', async () => {
    sim = await startSimulator();
    const response = await post(sim, '/chat/completions', CHAT, { 'x-simulator-error': 'invalid_api_key', authorization: 'Bearer sk-proj-abcdefghijkl1234' });
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/provided: sk-\*{17}1234\./);
    expect(error.message).not.toContain('abcdefghijkl');
  });

  it('the SDK tells insufficient_quota from a rate limit only by the body: both are RateLimitError', async () => {
    sim = await startSimulator();
    const ask = (name: string) =>
      new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0, defaultHeaders: { 'x-simulator-error': name } }).chat.completions
        .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
        .catch((caught: unknown) => caught);
    const quota = await ask('insufficient_quota');
    const limit = await ask('rate_limit_tokens');
    expect(quota).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limit).toBeInstanceOf(OpenAI.RateLimitError);
    expect((quota as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('insufficient_quota');
    expect((limit as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
  });

  it('a prompt beyond the context window is a 400 context_length_exceeded without a control', async () => {
    sim = await startSimulator({ tokensPerWindow: 10_000_000 });
    const response = await post(sim, '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(4 * 128_000) }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'context_length_exceeded', message: expect.stringContaining('resulted in 128016 tokens') } });
  });
});
