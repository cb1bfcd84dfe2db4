import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { describe, expect } from 'vitest';
import { expectSimulatorSpan } from '../helpers/client-span.ts';
import { simTest as it } from '../helpers/sim-test.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const model = (name: string): string | undefined => (bundledUndiciHasBodyChunks() ? name : undefined);

describe('LangChain (@langchain/openai, on the openai SDK and global fetch)', () => {
  it('gives invoke, stream and embedQuery one span each', async ({ sim, otel }) => {
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
