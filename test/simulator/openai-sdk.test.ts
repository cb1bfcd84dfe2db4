import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';

describe('the official openai SDK against the simulator', () => {
  let sim: Simulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startSimulator();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
  });
  afterAll(() => sim.close());

  it('gets a chat completion with usage', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello, simulator!' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'This is a simulated response.' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 2 });
    expect(completion.choices[0]?.message.content).toBe('This is');
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('streams a chat completion in several chunks, then the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('This is a simulated response.');
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(3);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 });
  });

  it('reads gzip-compressed answers, streamed and not (fetch asks for gzip, deflate)', async () => {
    const { response } = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const { data: stream, response: streamed } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(streamed.headers.get('content-encoding')).toBe('gzip');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
  });

  it('streams without a usage chunk unless asked', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
  });

  it('gets a legacy text completion, also streamed', async () => {
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Once upon a time' });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toBe('This is a simulated response.');
    expect(completion.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 5 });
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Once', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('This is a simulated response.');
  });

  it('gets the same deterministic embeddings as floats and in the default base64 encoding', async () => {
    const input = ['first text', 'second text'];
    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input });
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
    expect(decoded.data).toHaveLength(2);
    expect(decoded.data[0]?.embedding).toHaveLength(1536);
    expect(decoded.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
    expect(decoded.data[1]?.embedding).toEqual(floats.data[1]?.embedding);
    expect(decoded.data[0]?.embedding).not.toEqual(decoded.data[1]?.embedding);
    const norm = Math.hypot(...(floats.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 4);
    expect(decoded.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });

  it('honours the dimensions parameter and a single string input', async () => {
    const result = await client.embeddings.create({ model: 'text-embedding-3-large', input: 'one', dimensions: 8 });
    expect(result.data).toHaveLength(1);
    expect(result.data[0]?.embedding).toHaveLength(8);
  });

  it('lists models and retrieves one by id', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4o');
    expect(ids).toContain('text-embedding-3-small');
    const model = await client.models.retrieve('gpt-4o-mini');
    expect(model).toMatchObject({ id: 'gpt-4o-mini', object: 'model' });
  });

  it('counts every request it served', () => {
    expect(sim.requestCount).toBeGreaterThanOrEqual(10);
  });
});
