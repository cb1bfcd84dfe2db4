import { Agent, Pool, request } from 'undici';
import { describe, expect } from 'vitest';
import { simTest as it } from '../helpers/sim-test.ts';

describe('undici.request', () => {
  it('reads the model from a string body, through the default dispatcher', async ({ sim, otel }) => {
    const { statusCode, body } = await request(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], model: 'gpt-4o-mini' }),
    });
    await body.json();
    expect(statusCode).toBe(200);
    const [span] = await otel.waitForSpans(1);
    expect(span!.name).toBe('chat gpt-4o-mini');
    expect(span!.attributes['openai.request.id']).toMatch(/^req_/);
  });

  it('works through a custom Pool and Agent with a Buffer body', async ({ sim, otel }) => {
    const pool = new Pool(sim.origin, { connections: 2 });
    const agent = new Agent();
    for (const dispatcher of [pool, agent]) {
      const { body } = await request(`${sim.url}/embeddings`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ model: 'text-embedding-3-small', input: ['a', 'b'] })),
      });
      await body.arrayBuffer();
    }
    const spans = await otel.waitForSpans(2);
    expect(spans.map((s) => s.name)).toEqual(['embeddings text-embedding-3-small', 'embeddings text-embedding-3-small']);
    await pool.close();
    await agent.close();
  });

  it('ends the span when the body is dumped without reading', async ({ sim, otel }) => {
    const { body } = await request(`${sim.url}/models`, { headers: { authorization: 'Bearer sk-test' } });
    await body.dump();
    const [span] = await otel.waitForSpans(1);
    expect(span!.name).toBe('models');
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
