import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT } from './post.ts';
import { decode, rawPost } from './raw.ts';

const STREAM = { ...CHAT, stream: true };

describe('x-simulator-fault: malformed answers', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('mislabelled-gzip labels plain bytes as gzip, JSON and SSE alike', async () => {
    sim = await startSimulator();
    for (const body of [CHAT, STREAM]) {
      const response = await rawPost(sim, '/chat/completions', body, { 'accept-encoding': 'gzip, br', 'x-simulator-fault': 'mislabelled-gzip' });
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.body.subarray(0, 2)).not.toEqual(Buffer.from([0x1f, 0x8b]));
      expect(response.body.toString()).toMatch(/^(\{"id":"chatcmpl-|data: \{)/);
    }
  });

  it('garbage-json sends a 200 whose JSON body, or first SSE event, does not parse', async () => {
    sim = await startSimulator();
    const json = await rawPost(sim, '/chat/completions', CHAT, { 'accept-encoding': 'gzip', 'x-simulator-fault': 'garbage-json' });
    expect(json.status).toBe(200);
    expect(() => JSON.parse(decode('gzip', json.body))).toThrow();
    const sse = await rawPost(sim, '/chat/completions', STREAM, { 'x-simulator-fault': 'garbage-json' });
    const [first, ...rest] = sse.body.toString().split('\n\n');
    expect(() => JSON.parse(first!.slice(6))).toThrow();
    expect(rest.join('\n\n')).toContain('data: [DONE]');
  });

  it.each([undefined, 'gzip', 'br'])('cut-mid-event drops a %s stream inside an event', async (encoding) => {
    sim = await startSimulator();
    const headers: Record<string, string> = { 'x-simulator-fault': 'cut-mid-event' };
    if (encoding !== undefined) headers['accept-encoding'] = encoding;
    const response = await rawPost(sim, '/chat/completions', STREAM, headers);
    expect(response.broken).toBe(true);
    expect(response.headers['content-encoding']).toBe(encoding);
    const text = decode(encoding, response.body);
    // Four whole events of the eight, then half of the fifth.
    const events = text.split('\n\n');
    expect(events).toHaveLength(5);
    expect(events[4]).toMatch(/^data: \{"id":"chatcmpl-/);
    expect(() => JSON.parse(events[4]!.slice(6))).toThrow();
    expect(text).not.toContain('[DONE]');
  });

  it('cut-mid-event with x-simulator-abort-after-chunks cuts inside the event after that many', async () => {
    sim = await startSimulator({ streamChunkDelayMs: 5 });
    const response = await rawPost(sim, '/chat/completions', STREAM, { 'x-simulator-fault': 'cut-mid-event', 'x-simulator-abort-after-chunks': '1' });
    expect(response.broken).toBe(true);
    const events = response.body.toString().split('\n\n');
    expect(events).toHaveLength(2);
    expect(events[1]!.length).toBeGreaterThan(10);
  });

  it('cut-mid-event on a JSON answer sends half of its bytes, then drops the connection', async () => {
    sim = await startSimulator();
    const response = await rawPost(sim, '/chat/completions', CHAT, { 'accept-encoding': 'gzip', 'x-simulator-fault': 'cut-mid-event' });
    expect(response.broken).toBe(true);
    expect(response.body.length).toBe(Number(response.headers['content-length']) >> 1);
  });

  it('unknown-error-shape answers an error status with JSON of a shape OpenAI never sends', async () => {
    sim = await startSimulator();
    const response = await rawPost(sim, '/chat/completions', CHAT, { 'x-simulator-fault': 'unknown-error-shape', 'x-simulator-status': '429' });
    expect(response.status).toBe(429);
    const body = JSON.parse(response.body.toString()) as Record<string, unknown>;
    expect(typeof body['error']).toBe('string');
    const fallback = await rawPost(sim, '/chat/completions', CHAT, { 'x-simulator-fault': 'unknown-error-shape' });
    expect(fallback.status).toBe(500);
  });
});
