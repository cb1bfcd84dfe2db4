import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

describe('bucket refill', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('refills the buckets linearly over the window, not all at once', async () => {
    // One request back every 200 ms, 15 tokens (one request's worth) every 200 ms.
    sim = await startSimulator({ requestsPerWindow: 10, tokensPerWindow: 150, windowMs: 2000 });
    let drained = await post(sim, '/chat/completions', CHAT);
    for (let i = 0; i < 20 && drained.status === 200; i++) drained = await post(sim, '/chat/completions', CHAT);
    expect(drained.status).toBe(429);
    expect(drained.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const tokensWhenDrained = Number(drained.headers.get('x-ratelimit-remaining-tokens'));

    await sleep(1000);
    // Half the window later half of each bucket is back; this request takes 1 request and 15 tokens of it.
    const halfway = await post(sim, '/chat/completions', CHAT);
    expect(halfway.status).toBe(200);
    const requests = Number(halfway.headers.get('x-ratelimit-remaining-requests'));
    expect(requests).toBeGreaterThanOrEqual(4);
    expect(requests).toBeLessThanOrEqual(5);
    const tokensBack = Number(halfway.headers.get('x-ratelimit-remaining-tokens')) + 15 - tokensWhenDrained;
    expect(tokensBack).toBeGreaterThanOrEqual(74);
    expect(tokensBack).toBeLessThanOrEqual(95);
    const resetSeconds = seconds(halfway.headers.get('x-ratelimit-reset-requests'));
    expect(resetSeconds).toBeGreaterThan(0.9);
    expect(resetSeconds).toBeLessThanOrEqual(1.2);

    await sleep(2000);
    const full = await post(sim, '/chat/completions', CHAT);
    expect(full.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect(full.headers.get('x-ratelimit-remaining-tokens')).toBe('135');
    expect(full.headers.get('x-ratelimit-reset-requests')).toBe('200ms');
  });

  it('gives every API key its own buckets', async () => {
    sim = await startSimulator({ requestsPerWindow: 1 });
    expect((await post(sim, '/chat/completions', CHAT, { authorization: 'Bearer sk-a' })).status).toBe(200);
    expect((await post(sim, '/chat/completions', CHAT, { authorization: 'Bearer sk-a' })).status).toBe(429);
    const other = await post(sim, '/chat/completions', CHAT, { authorization: 'Bearer sk-b' });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('gives every model its own buckets, with its own limits when configured', async () => {
    sim = await startSimulator({ requestsPerWindow: 1, limitsByModel: { 'gpt-4o-mini': { requestsPerWindow: 500, tokensPerWindow: 2_000_000 } } });
    expect((await post(sim, '/chat/completions', CHAT)).status).toBe(200);
    expect((await post(sim, '/chat/completions', CHAT)).status).toBe(429);
    const mini = await post(sim, '/chat/completions', { ...CHAT, model: 'gpt-4o-mini' });
    expect(mini.status).toBe(200);
    expect(mini.headers.get('x-ratelimit-limit-requests')).toBe('500');
    expect(mini.headers.get('x-ratelimit-limit-tokens')).toBe('2000000');
    expect(mini.headers.get('x-ratelimit-remaining-requests')).toBe('499');
    const embeddings = await post(sim, '/embeddings', { model: 'text-embedding-3-small', input: 'x' });
    expect(embeddings.headers.get('x-ratelimit-limit-requests')).toBe('1');
    expect(embeddings.headers.get('x-ratelimit-remaining-tokens')).toBe('149999');
  });
});

/** Seconds from the `1.1s` / `950ms` forms a reset header takes within a few seconds. */
function seconds(value: string | null): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(value ?? '');
  if (!match) return Number.NaN;
  return Number(match[1]) / (match[2] === 'ms' ? 1000 : 1);
}
