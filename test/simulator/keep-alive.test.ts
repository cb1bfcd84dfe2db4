import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT } from './post.ts';
import { rawPost } from './raw.ts';

const STREAM = { ...CHAT, stream: true };

describe('keep-alive comments while a stream is queued', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('x-simulator-keep-alive-ms sends SSE comments and blank lines, then the usual events', async () => {
    sim = await startSimulator();
    const started = performance.now();
    const response = await rawPost(sim, '/chat/completions', STREAM, { 'x-simulator-keep-alive-ms': '120' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    const text = response.body.toString();
    const head = text.slice(0, text.indexOf('data: '));
    expect(head).toMatch(/^(: keep-alive\n\n){2,}$/);
    expect(text.slice(head.length)).toMatch(/^data: \{"id":"chatcmpl-/);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('keepAliveMs queues every stream; JSON answers are not delayed', async () => {
    sim = await startSimulator({ keepAliveMs: 60 });
    const stream = await rawPost(sim, '/chat/completions', STREAM);
    expect(stream.body.toString()).toMatch(/^: keep-alive\n\n/);
    const started = performance.now();
    const json = await rawPost(sim, '/chat/completions', CHAT);
    expect(json.body.toString()).toMatch(/^\{"id":"chatcmpl-/);
    expect(performance.now() - started).toBeLessThan(60);
  });

  it('refuses a negative keepAliveMs', async () => {
    await expect(startSimulator({ keepAliveMs: -1 })).rejects.toThrow(/keepAliveMs/);
    sim = await startSimulator();
  });
});
