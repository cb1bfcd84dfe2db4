import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

// Go's time.Duration.String() as OpenAI sends it: `0s`, `6ms`, `1.5ms`, `1m26.4s`, `2h0m0s`.
const GO_DURATION = /^(0s|\d+(\.\d+)?(ns|µs|ms)|(\d+h)?(\d+m)?\d+(\.\d+)?s)$/;

describe('response headers', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('carry the rate-limit headers, whose remaining counts go down with each request', async () => {
    // An hour's window: no token refills between the calls, however slow a loaded machine is.
    sim = await startSimulator({ requestsPerWindow: 10, tokensPerWindow: 1000, windowMs: 3_600_000 });
    const first = await post(sim, '/chat/completions', CHAT);
    const second = await post(sim, '/chat/completions', CHAT);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('985');
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('8');
    expect(second.headers.get('x-ratelimit-remaining-tokens')).toBe('970');
  });

  it('say when each bucket is full again, in Go duration format', async () => {
    sim = await startSimulator({ requestsPerWindow: 60, tokensPerWindow: 150_000, windowMs: 60_000 });
    const response = await post(sim, '/chat/completions', CHAT);
    const resetRequests = response.headers.get('x-ratelimit-reset-requests') ?? '';
    const resetTokens = response.headers.get('x-ratelimit-reset-tokens') ?? '';
    expect(resetRequests).toMatch(GO_DURATION);
    expect(resetTokens).toMatch(GO_DURATION);
    // One request of 60 per minute refills in 1 s; 15 tokens of 150000 per minute in 6 ms.
    expect(resetRequests).toMatch(/^(1s|99\dms)$/);
    expect(resetTokens).toMatch(/^[56]ms$/);
  });

  it('identify the request and the organization the way OpenAI does', async () => {
    sim = await startSimulator({ organization: 'acme-inc', project: 'proj_abc', apiVersion: '2020-10-01', latencyMs: 20 });
    const [a, b] = await Promise.all([post(sim, '/chat/completions', CHAT), post(sim, '/chat/completions', CHAT)]);
    expect(a?.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(a?.headers.get('x-request-id')).not.toBe(b?.headers.get('x-request-id'));
    expect(a?.headers.get('openai-organization')).toBe('acme-inc');
    expect(a?.headers.get('openai-project')).toBe('proj_abc');
    expect(a?.headers.get('openai-version')).toBe('2020-10-01');
    expect(a?.headers.get('content-type')).toBe('application/json');
    const processingMs = Number(a?.headers.get('openai-processing-ms'));
    expect(Number.isInteger(processingMs)).toBe(true);
    expect(processingMs).toBeGreaterThanOrEqual(19);
  });

  it('leave out openai-project when the project is set to undefined', async () => {
    sim = await startSimulator({ project: undefined });
    const response = await post(sim, '/chat/completions', CHAT);
    expect(response.headers.has('openai-project')).toBe(false);
    expect(response.headers.get('openai-organization')).toBe('org-simulator');
  });

  it('mark a stream as server-sent events', async () => {
    sim = await startSimulator();
    const response = await post(sim, '/chat/completions', { ...CHAT, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('59');
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('never echo the prompt into a header', async () => {
    sim = await startSimulator();
    const response = await post(sim, '/chat/completions', { ...CHAT, messages: [{ role: 'user', content: 'SECRET-PROMPT' }] });
    for (const [, value] of response.headers) expect(value).not.toContain('SECRET-PROMPT');
  });
});
