import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

const headers = { authorization: 'Bearer sk-toggle', 'content-type': 'application/json' };
const body = (stream = false): string => JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content: 'hi' }] });

describe('disabling and re-enabling at runtime', () => {
  let sim: Simulator;
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
    await sim.close();
  });

  it('ends the spans of calls in flight when disabled, and leaves no state behind', async () => {
    sim = await startSimulator({ streamChunkDelayMs: 20 });
    otel = setupOtel({ endpoints: [sim.url] });
    const res = await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: body(true) });
    const viaHttp = new Promise<http.IncomingMessage>((resolve) =>
      http.request(`${sim.url}/chat/completions`, { method: 'POST', headers }, resolve).end(body(true)),
    );
    const httpRes = await viaHttp;
    expect(otel.instrumentation.inFlightRequests).toBe(2);
    otel.instrumentation.disable();
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    expect(otel.spans()).toHaveLength(2);
    // The rest of both streams arrives after the disable: nothing more is recorded.
    await res.text();
    httpRes.resume();
    await new Promise((resolve) => httpRes.on('close', resolve));
    expect(otel.spans()).toHaveLength(2);
    expect(otel.spans().every((s) => s.ended)).toBe(true);
  });

  it('survives being toggled many times under traffic: each call gives at most one span, none is left open', async () => {
    sim = await startSimulator({ requestsPerWindow: 10_000 });
    otel = setupOtel({ endpoints: [sim.url] });
    let toggles = 0;
    const toggler = setInterval(() => {
      if (toggles++ % 2 === 0) otel.instrumentation.disable();
      else otel.instrumentation.enable();
    }, 1);
    const calls = Array.from({ length: 200 }, async (_, i) => {
      if (i % 2 === 0) return (await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: body(i % 4 === 0) })).text();
      return new Promise<void>((resolve) =>
        http.request(`${sim.url}/embeddings`, { method: 'POST', headers }, (r) => r.resume().on('close', resolve)).end('{"model":"e","input":"x"}'),
      );
    });
    await Promise.all(calls);
    clearInterval(toggler);
    otel.instrumentation.enable();
    expect(toggles).toBeGreaterThan(2);
    expect(otel.spans().length).toBeLessThanOrEqual(200);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    // Enabled again: observed as usual.
    const before = otel.spans().length;
    await (await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: body() })).text();
    await otel.waitForSpans(before + 1);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
