import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

/** Reads a body until it ends or breaks off; returns what arrived and whether it broke. */
async function readUntilBroken(response: Response): Promise<{ text: string; broken: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, broken: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, broken: true };
  }
}

describe('test-control request headers', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('x-simulator-status forces that status with error JSON and the usual headers, charging nothing', async () => {
    sim = await startSimulator({ requestsPerWindow: 10 });
    const response = await post(sim, '/chat/completions', CHAT, { 'x-simulator-status': '503' });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { message: expect.stringContaining('503'), type: 'server_error', param: null, code: null },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('openai-organization')).toBe('org-simulator');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('10');
    const models = await fetch(`${sim.url}/models`, { headers: { authorization: 'Bearer k', 'x-simulator-status': '500' } });
    expect(models.status).toBe(500);
  });

  it('a forced 429 looks like a rate-limit error to the SDK', async () => {
    sim = await startSimulator();
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0, defaultHeaders: { 'x-simulator-status': '429' } });
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('x-simulator-latency-ms delays the response headers and shows in openai-processing-ms', async () => {
    sim = await startSimulator();
    const started = performance.now();
    const response = await post(sim, '/chat/completions', CHAT, { 'x-simulator-latency-ms': '150' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual(149);
  });

  it('x-simulator-omit-headers leaves out every x-ratelimit-* and openai-* header but still charges', async () => {
    sim = await startSimulator();
    const response = await post(sim, '/chat/completions', CHAT, { 'x-simulator-omit-headers': '1' });
    expect(response.status).toBe(200);
    const names = [...response.headers.keys()];
    expect(names.filter((name) => name.startsWith('x-ratelimit-') || name.startsWith('openai-'))).toEqual([]);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const next = await post(sim, '/chat/completions', CHAT);
    expect(next.headers.get('x-ratelimit-remaining-requests')).toBe('58');
  });

  it('x-simulator-abort-after-chunks drops the connection after that many server-sent events', async () => {
    sim = await startSimulator();
    // Uncompressed: fetch's decompressor drops what it still holds when the connection breaks.
    const response = await post(sim, '/chat/completions', { ...CHAT, stream: true }, { 'x-simulator-abort-after-chunks': '3', 'accept-encoding': 'identity' });
    expect(response.status).toBe(200);
    const { text, broken } = await readUntilBroken(response);
    expect(broken).toBe(true);
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(3);
    expect(text).not.toContain('[DONE]');
  });

  it('x-simulator-abort-after-chunks makes the SDK stream fail mid-way', async () => {
    sim = await startSimulator({ streamChunkDelayMs: 5 });
    // Identity: when a compressed connection breaks, fetch's decompressor drops what it still
    // holds, so how many events the SDK sees would depend on timing.
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: sim.url,
      maxRetries: 0,
      defaultHeaders: { 'x-simulator-abort-after-chunks': '2', 'x-simulator-encoding': 'identity' },
    });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const received: unknown[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk);
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(Error);
    expect(received).toHaveLength(2);
  });

  it('x-simulator-abort-after-chunks 0 sends only the headers, and a JSON answer breaks off halfway', async () => {
    sim = await startSimulator();
    const stream = await post(sim, '/chat/completions', { ...CHAT, stream: true }, { 'x-simulator-abort-after-chunks': '0' });
    expect(stream.status).toBe(200);
    const streamed = await readUntilBroken(stream);
    expect(streamed.broken).toBe(true);
    expect(streamed.text).not.toContain('data:');
    const json = await post(sim, '/chat/completions', CHAT, { 'x-simulator-abort-after-chunks': '1' });
    expect(json.status).toBe(200);
    expect((await readUntilBroken(json)).broken).toBe(true);
  });

  it('spaces streamed events by streamChunkDelayMs', async () => {
    sim = await startSimulator({ streamChunkDelayMs: 20 });
    const started = performance.now();
    const response = await post(sim, '/chat/completions', { ...CHAT, stream: true });
    const { text, broken } = await readUntilBroken(response);
    expect(broken).toBe(false);
    const events = text.split('\n\n').filter(Boolean).length;
    expect(events).toBe(8);
    expect(performance.now() - started).toBeGreaterThanOrEqual((events - 1) * 20 - 5);
  });
});
