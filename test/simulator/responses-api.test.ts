import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { post } from './post.ts';
import { decode, rawPost } from './raw.ts';

const REQUEST = { model: 'gpt-4o-mini', input: 'Tell me a story' }; // 15 characters: 4 tokens

describe('the Responses API (POST /v1/responses)', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('answers a completed response object with output and usage', async () => {
    sim = await startSimulator({ tokensPerWindow: 1000 });
    const response = await post(sim, '/responses', REQUEST);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'response',
      status: 'completed',
      incomplete_details: null,
      model: 'gpt-4o-mini-2024-07-18',
      service_tier: 'default',
      output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'This is a simulated response.' }] }],
      usage: { input_tokens: 4, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 9 },
    });
    expect(body['id']).toMatch(/^resp_[0-9a-f]{48}$/);
    // Charged like chat: input tokens plus the reserved 16 output tokens.
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe(String(1000 - 4 - 16));
  });

  it('is incomplete, for max_output_tokens, when the limit cuts the answer', async () => {
    sim = await startSimulator();
    const body = (await (await post(sim, '/responses', { ...REQUEST, max_output_tokens: 2 })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 2, usage: { output_tokens: 2 } });
  });

  it('puts a reasoning item first and bills reasoning tokens for o-series models', async () => {
    sim = await startSimulator();
    const body = (await (await post(sim, '/responses', { ...REQUEST, model: 'o4-mini' })).json()) as { output: { type: string }[]; usage: unknown };
    expect(body.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(body.usage).toMatchObject({ output_tokens: 13, output_tokens_details: { reasoning_tokens: 8 } });
  });

  it('streams the event sequence OpenAI sends, ending in response.completed with the usage', async () => {
    sim = await startSimulator();
    const raw = await rawPost(sim, '/responses', { ...REQUEST, stream: true }, { 'accept-encoding': 'gzip' });
    expect(raw.headers['content-encoding']).toBe('gzip');
    const events = decode('gzip', raw.body)
      .split('\n\n')
      .filter(Boolean)
      .map((event) => {
        const [name, data] = event.split('\n');
        return { name: name!.slice(7), data: JSON.parse(data!.slice(6)) as Record<string, unknown> };
      });
    expect(events.map((event) => event.name)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(5).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    events.forEach((event, index) => expect(event.data).toMatchObject({ type: event.name, sequence_number: index }));
    expect(events[0]!.data['response']).toMatchObject({ status: 'in_progress', usage: null, output: [] });
    expect(events.at(-1)!.data['response']).toMatchObject({ status: 'completed', usage: { input_tokens: 4, output_tokens: 5 } });
  });

  it('streams response.incomplete when max_output_tokens cuts it', async () => {
    sim = await startSimulator();
    const raw = await rawPost(sim, '/responses', { ...REQUEST, stream: true, max_output_tokens: 1 });
    const last = raw.body.toString().trim().split('\n\n').at(-1)!;
    expect(last.split('\n')[0]).toBe('event: response.incomplete');
    expect(JSON.parse(last.split('\n')[1]!.slice(6))).toMatchObject({ response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it("rejects a request without input, as OpenAI does", async () => {
    sim = await startSimulator();
    const response = await post(sim, '/responses', { model: 'gpt-4o' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'input', type: 'invalid_request_error' } });
  });

  it('serves the openai SDK, streamed and not, over compressed responses', async () => {
    sim = await startSimulator();
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
    const { data, response } = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', instructions: 'be brief' }).withResponse();
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(data.output_text).toBe('This is a simulated response.');
    expect(data.usage?.input_tokens).toBe(3);
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'hi' }], stream: true });
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types[0]).toBe('response.created');
    expect(completed?.usage?.output_tokens).toBe(5);
  });
});
