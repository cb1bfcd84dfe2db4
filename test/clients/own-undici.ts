import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { expectSimulatorSpan } from '../helpers/client-span.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

/** The parts of an npm `undici` package (7 or 8) the tests drive. */
export interface UndiciModule {
  fetch(url: string, init: Record<string, unknown>): Promise<{ json(): Promise<unknown> }>;
  request(url: string, options: Record<string, unknown>): Promise<{ body: { json(): Promise<unknown> } }>;
  Agent: new () => { close(): Promise<void> };
  Pool: new (origin: string, options?: Record<string, unknown>) => { close(): Promise<void> };
}

const headers = { authorization: 'Bearer sk-own-undici-secret', 'content-type': 'application/json' };
const chat = (model: string): string => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });

/**
 * An app that installs its own undici next to Node's bundled copy. Loading it installs its Agent
 * as the global dispatcher (undici >= 7 does that on import), so global fetch goes through it
 * too: every request is published once, by whichever copy ran it, and the model is readable.
 */
export function describeOwnUndici(name: string, undici: UndiciModule): void {
  describe(`an app with its own ${name} next to the bundled one`, () => {
    let sim: Simulator;
    let otel: TestOtel;
    beforeEach(async () => {
      sim = await startSimulator();
      otel = setupOtel({ endpoints: [sim.url] });
    });
    afterEach(async () => {
      await otel.shutdown();
      await sim.close();
    });

    it('gives global fetch, its fetch with an Agent and its request with a Pool one span each, with the model', async () => {
      const agent = new undici.Agent();
      const pool = new undici.Pool(sim.origin, { connections: 2 });
      await (await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: chat('gpt-global') })).json();
      await (await undici.fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: chat('gpt-agent'), dispatcher: agent })).json();
      const { body } = await undici.request(`${sim.url}/chat/completions`, { method: 'POST', headers, body: chat('gpt-pool'), dispatcher: pool });
      await body.json();
      const spans = await otel.waitForSpans(3);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(otel.spans()).toHaveLength(3);
      expectSimulatorSpan(spans[0], sim, { operation: 'chat', model: 'gpt-global', path: '/chat/completions' });
      expectSimulatorSpan(spans[1], sim, { operation: 'chat', model: 'gpt-agent' });
      expectSimulatorSpan(spans[2], sim, { operation: 'chat', model: 'gpt-pool' });
      expect(otel.instrumentation.inFlightRequests).toBe(0);
      await agent.close();
      await pool.close();
    });
  });
}
