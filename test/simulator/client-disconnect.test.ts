import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('a client that goes away', () => {
  it.each([
    ['HTTP/1.1', false],
    ['HTTP/2', true],
  ])('mid-stream or during the latency leaves the server serving (%s)', async (_protocol, h2) => {
    const tls = h2 ? { key: fixture('localhost-key.pem'), cert: fixture('localhost-cert.pem') } : undefined;
    const sim = await startSimulator({ streamChunkDelayMs: 20, tls });
    const agent = new Agent({ allowH2: h2, connect: { rejectUnauthorized: false } });
    try {
      const request = (signal: AbortSignal, headers: Record<string, string> = {}) =>
        fetch(`${sim.url}/chat/completions`, {
          dispatcher: agent,
          signal,
          method: 'POST',
          headers: { authorization: 'Bearer k', 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
        });
      const midStream = new AbortController();
      const streaming = await request(midStream.signal);
      await streaming.body?.getReader().read();
      midStream.abort();
      const duringLatency = new AbortController();
      const waiting = request(duringLatency.signal, { 'x-simulator-latency-ms': '300' }).catch(() => undefined);
      // Aborts once the server has the request, however long a loaded machine takes to deliver it.
      while (sim.requestCount < 2) await sleep(5);
      duringLatency.abort();
      await waiting;
      // Long enough for the remaining delayed events and the latency to have fired into closed requests.
      await sleep(400);
      const after = await fetch(`${sim.url}/models`, { dispatcher: agent, headers: { authorization: 'Bearer k' } });
      expect(after.status).toBe(200);
      expect(sim.requestCount).toBe(3);
    } finally {
      await agent.close();
      await sim.close();
    }
  });
});
