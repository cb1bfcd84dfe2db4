import { createOpenAI } from '@ai-sdk/openai';
import { embed, generateText, streamText } from 'ai';
import { describe, expect } from 'vitest';
import { expectSimulatorSpan } from '../helpers/client-span.ts';
import { simTest as it } from '../helpers/sim-test.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const model = (name: string): string | undefined => (bundledUndiciHasBodyChunks() ? name : undefined);

describe('the Vercel AI SDK (ai + @ai-sdk/openai, global fetch)', () => {
  it('gives generateText, streamText and embed one span each', async ({ sim, otel }) => {
    const openai = createOpenAI({ apiKey: 'sk-vercel-secret', baseURL: sim.url });
    const { text } = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'hi', maxRetries: 0 });
    expect(text).toBe('This is a simulated response.');
    const stream = streamText({ model: openai.chat('gpt-4o'), prompt: 'hi', maxRetries: 0 });
    let streamed = '';
    for await (const part of stream.textStream) streamed += part;
    expect(streamed).toBe('This is a simulated response.');
    await embed({ model: openai.embeddingModel('text-embedding-3-small'), value: 'hi', maxRetries: 0 });
    const spans = await otel.waitForSpans(3);
    expectSimulatorSpan(spans[0], sim, { operation: 'chat', model: model('gpt-4o-mini'), path: '/chat/completions' });
    expectSimulatorSpan(spans[1], sim, { operation: 'chat', model: model('gpt-4o') });
    expectSimulatorSpan(spans[2], sim, { operation: 'embeddings', model: model('text-embedding-3-small') });
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
