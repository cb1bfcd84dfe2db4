import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { describe, expect } from 'vitest';
import type { Simulator } from '../../../simulator/index.ts';
import { bodyAttributes, expectedFromDocuments, expectedFromResponse } from '../../helpers/body-oracle.ts';
import { durationMs } from '../../helpers/client-span.ts';
import { publishesBodyChunksReceived } from '../../helpers/runtime.ts';
import { simTest as it } from '../../helpers/sim-test.ts';

/**
 * The official SDK on global fetch, against the simulator with compression on (its default:
 * fetch asks for gzip/deflate, so every body here arrives compressed). Each span's body
 * attributes are checked against what the SDK itself parsed out of the same response.
 */
const readable = await publishesBodyChunksReceived();
const client = (sim: Simulator): OpenAI => new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
const messages = [{ role: 'user' as const, content: 'Say hello' }];
const EVERY_USAGE = ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.cache_read.input_tokens'];

function expectBody(span: ReadableSpan, expected: Attributes, required: readonly string[]): void {
  for (const key of required) expect(expected[key], `the simulator's response has ${key}`).toBeDefined();
  expect(bodyAttributes(span.attributes)).toEqual(expected);
}

function expectTimeToFirstChunk(span: ReadableSpan): void {
  const ttfc = span.attributes['gen_ai.response.time_to_first_chunk'];
  expect(ttfc).toBeTypeOf('number');
  expect(ttfc as number).toBeGreaterThan(0);
  expect((ttfc as number) * 1000).toBeLessThanOrEqual(durationMs(span));
}

describe.runIf(readable)('openai SDK: the response body on the span', () => {
  it('chat, not streamed: id, snapshot model, finish reason, tokens, tier, fingerprint', async ({ sim, otel }) => {
    const completion = await client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages });
    const [span] = await otel.waitForSpans(1);
    expectBody(span!, expectedFromDocuments([completion]), ['gen_ai.response.id', 'gen_ai.response.model', 'gen_ai.response.finish_reasons', 'openai.response.service_tier', ...EVERY_USAGE]);
    expect(span!.attributes['gen_ai.response.model']).toBe('gpt-4o-mini-2024-07-18');
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(span!.attributes['openai.api.type']).toBe('chat_completions');
    expect(span!.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
  });

  it('chat, streamed with include_usage: the usage event, the last finish reason, the time to first chunk', async ({ sim, otel }) => {
    const stream = await client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages, n: 2, max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const [span] = await otel.waitForSpans(1);
    expectBody(span!, expectedFromDocuments(chunks), ['gen_ai.response.id', 'gen_ai.response.model', 'gen_ai.response.finish_reasons', ...EVERY_USAGE]);
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['length', 'length']);
    expect(span!.status.code).toBe(0);
    expectTimeToFirstChunk(span!);
  });

  it('chat, streamed without include_usage: no token attribute, never 0', async ({ sim, otel }) => {
    const stream = await client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const [span] = await otel.waitForSpans(1);
    const expected = expectedFromDocuments(chunks);
    expect(expected['gen_ai.usage.input_tokens']).toBeUndefined();
    expectBody(span!, expected, ['gen_ai.response.id', 'gen_ai.response.model', 'gen_ai.response.finish_reasons']);
    expectTimeToFirstChunk(span!);
  });

  it('Responses API, not streamed: operation chat, api type responses, status as a finish reason', async ({ sim, otel }) => {
    const response = await client(sim).responses.create({ model: 'gpt-4o-mini', input: 'Say hello' });
    const [span] = await otel.waitForSpans(1);
    expect(span!.name).toBe('chat gpt-4o-mini');
    expect(span!.attributes['gen_ai.operation.name']).toBe('chat');
    expect(span!.attributes['openai.api.type']).toBe('responses');
    expectBody(span!, expectedFromResponse(response), ['gen_ai.response.id', 'gen_ai.response.model', 'gen_ai.response.finish_reasons', ...EVERY_USAGE]);
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('Responses API, streamed: the final response event, cut by max_output_tokens -> length', async ({ sim, otel }) => {
    const stream = await client(sim).responses.create({ model: 'o4-mini', input: 'Say hello', max_output_tokens: 10, stream: true });
    let final: unknown;
    for await (const event of stream) if ('response' in event) final = event.response;
    const [span] = await otel.waitForSpans(1);
    expectBody(span!, expectedFromResponse(final), ['gen_ai.response.id', 'gen_ai.response.model', 'gen_ai.response.finish_reasons', 'gen_ai.usage.reasoning.output_tokens', ...EVERY_USAGE]);
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['length']);
    expectTimeToFirstChunk(span!);
  });

  it('embeddings (base64, the SDK default): model and input tokens only', async ({ sim, otel }) => {
    const embeddings = await client(sim).embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b', 'c'] });
    const [span] = await otel.waitForSpans(1);
    expectBody(span!, expectedFromDocuments([embeddings]), ['gen_ai.response.model', 'gen_ai.usage.input_tokens']);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    expect(span!.attributes['openai.api.type']).toBe('embeddings');
  });

  it('completions, not streamed and streamed with usage', async ({ sim, otel }) => {
    const completion = await client(sim).completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Once' });
    const stream = await client(sim).completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Once', stream: true, stream_options: { include_usage: true } });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const [plain, streamed] = await otel.waitForSpans(2);
    expectBody(plain!, expectedFromDocuments([completion]), ['gen_ai.response.id', 'gen_ai.response.finish_reasons', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens']);
    expectBody(streamed!, expectedFromDocuments(chunks), ['gen_ai.response.id', 'gen_ai.response.finish_reasons', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens']);
    expect(plain!.attributes['gen_ai.operation.name']).toBe('text_completion');
    expect(plain!.attributes['openai.api.type']).toBe('completions');
  });
});
