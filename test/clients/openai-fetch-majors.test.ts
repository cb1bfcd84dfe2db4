import OpenAI from 'openai';
import OpenAIv5 from 'openai-v5';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { expectSimulatorSpan } from '../helpers/client-span.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const model = (name: string): string | undefined => (bundledUndiciHasBodyChunks() ? name : undefined);

/** The two SDK majors that call global fetch; both must look the same to the instrumentation. */
const MAJORS = [
  { label: 'current major', Client: OpenAI },
  { label: 'v5, the previous major on fetch', Client: OpenAIv5 as unknown as typeof OpenAI },
];

describe.each(MAJORS)('the openai SDK, $label (global fetch)', ({ Client }) => {
  let sim: Simulator;
  let otel: TestOtel;
  let client: OpenAI;
  beforeEach(async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    client = new Client({ apiKey: 'sk-sdk-secret', baseURL: sim.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await otel.shutdown();
    await sim.close();
  });

  it('gives chat, streamed chat, embeddings and completions one span each', async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const _ of stream);
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
    await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'hi' });
    const spans = await otel.waitForSpans(4);
    expectSimulatorSpan(spans[0], sim, { operation: 'chat', model: model('gpt-4o-mini'), path: '/chat/completions' });
    expectSimulatorSpan(spans[1], sim, { operation: 'chat', model: model('gpt-4o') });
    expectSimulatorSpan(spans[2], sim, { operation: 'embeddings', model: model('text-embedding-3-small'), path: '/embeddings' });
    expectSimulatorSpan(spans[3], sim, { operation: 'text_completion', model: model('gpt-3.5-turbo-instruct'), path: '/completions' });
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
