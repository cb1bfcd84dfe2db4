import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

const setQuota = (sim: Simulator, body: unknown) =>
  fetch(`${sim.origin}/_simulator/quota`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const callWith = (sim: Simulator, apiKey: string) => post(sim, '/chat/completions', CHAT, { authorization: `Bearer ${apiKey}` });

describe('a quota that runs dry', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('POST /_simulator/quota exhausted: true turns every call with that key into 429 insufficient_quota, and false restores it', async () => {
    sim = await startSimulator({ requestsPerWindow: 10 });
    expect((await callWith(sim, 'sk-a')).status).toBe(200);
    const set = await setQuota(sim, { apiKey: 'sk-a', exhausted: true });
    expect(await set.json()).toEqual({ apiKey: 'sk-a', exhausted: true, remainingTokens: 0 });
    const dry = await callWith(sim, 'sk-a');
    expect(dry.status).toBe(429);
    expect(await dry.json()).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    // Rate-limit headers still show the buckets, untouched by the refused call; no retry-after.
    expect(dry.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect(dry.headers.get('retry-after-ms')).toBeNull();
    expect((await callWith(sim, 'sk-other')).status).toBe(200);
    await setQuota(sim, { apiKey: 'sk-a', exhausted: false });
    expect((await callWith(sim, 'sk-a')).status).toBe(200);
  });

  it('a token budget lets calls through until their billed tokens use it up', async () => {
    sim = await startSimulator();
    // CHAT bills 5 prompt + 5 completion tokens: 25 tokens allow three calls (the third crosses 0).
    await setQuota(sim, { apiKey: 'sk-b', remainingTokens: 25 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await callWith(sim, 'sk-b')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('quotaExhaustedKeys starts those keys dry; setQuota changes them in process', async () => {
    sim = await startSimulator({ quotaExhaustedKeys: ['sk-dry'] });
    expect((await callWith(sim, 'sk-dry')).status).toBe(429);
    expect((await callWith(sim, 'sk-wet')).status).toBe(200);
    sim.setQuota({ apiKey: 'sk-dry', exhausted: false });
    sim.setQuota({ apiKey: 'sk-wet', exhausted: true });
    expect((await callWith(sim, 'sk-dry')).status).toBe(200);
    expect((await callWith(sim, 'sk-wet')).status).toBe(429);
  });

  it('rejects a control request without a key or a setting, and other methods', async () => {
    sim = await startSimulator();
    expect((await setQuota(sim, { exhausted: true })).status).toBe(400);
    expect((await setQuota(sim, { apiKey: 'k' })).status).toBe(400);
    expect((await setQuota(sim, { apiKey: 'k', remainingTokens: -1 })).status).toBe(400);
    expect((await fetch(`${sim.origin}/_simulator/quota`)).status).toBe(404);
  });

  it('works in azure mode too, and control calls do not count as API requests', async () => {
    sim = await startSimulator({ mode: 'azure' });
    await setQuota(sim, { apiKey: 'az-key', exhausted: true });
    const response = await fetch(`${sim.origin}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'api-key': 'az-key', 'content-type': 'application/json' },
      body: JSON.stringify(CHAT),
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: { code: 'insufficient_quota' } });
    expect(sim.requestCount).toBe(1);
  });
});
