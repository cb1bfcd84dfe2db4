import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { expectSimulatorSpan } from '../helpers/client-span.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const model = (name: string): string | undefined => (bundledUndiciHasBodyChunks() ? name : undefined);

describe('LangChain (@langchain/openai, on the openai SDK and global fetch)', () => {
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

  it('gives invoke, stream and embedQuery one span each', async () => {
    const configuration = { baseURL: sim.url };
    const chat = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-langchain-secret', configuration, maxRetries: 0 });
    const reply = await chat.invoke('hi');
    expect(reply.content).toBe('This is a simulated response.');
    let streamed = '';
    for await (const chunk of await chat.stream('hi')) streamed += String(chunk.content);
    expect(streamed).toBe('This is a simulated response.');
    const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey: 'sk-langchain-secret', configuration, maxRetries: 0 });
    await embeddings.embedQuery('hi');
    const spans = await otel.waitForSpans(3);
    expectSimulatorSpan(spans[0], sim, { operation: 'chat', model: model('gpt-4o-mini'), path: '/chat/completions' });
    expectSimulatorSpan(spans[1], sim, { operation: 'chat', model: model('gpt-4o-mini') });
    expectSimulatorSpan(spans[2], sim, { operation: 'embeddings', model: model('text-embedding-3-small') });
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
