import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';

interface ErrorJson {
  error: { message: string; type: string; param: string | null; code: string | null };
}

describe('errors', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('answers an unknown path with 404 and OpenAI error JSON', async () => {
    const response = await post(sim, '/no/such/thing', CHAT);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/no/such/thing)', type: 'invalid_request_error', param: null, code: null },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    // No model, no bucket: a 404 has no rate-limit headers, as with OpenAI.
    expect(response.headers.has('x-ratelimit-remaining-requests')).toBe(false);
  });

  it('answers the wrong method on a known path with 404', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, { headers: { authorization: 'Bearer k' } });
    expect(response.status).toBe(404);
  });

  it('answers a body that is not a JSON object with 400', async () => {
    for (const body of ['{not json', '[1,2]', '"text"']) {
      const response = await post(sim, '/chat/completions', body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as ErrorJson;
      expect(json.error.type).toBe('invalid_request_error');
      expect(json.error.message).toMatch(/could not parse the JSON body/);
    }
  });

  it('answers a request without model or messages with 400 naming the parameter, charging nothing', async () => {
    const noModel = await post(sim, '/chat/completions', { messages: CHAT.messages });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as ErrorJson).error.param).toBe('model');
    const noMessages = await post(sim, '/chat/completions', { model: 'gpt-4o' });
    expect(((await noMessages.json()) as ErrorJson).error.param).toBe('messages');
    const badInput = await post(sim, '/embeddings', { model: 'text-embedding-3-small', input: [{}] });
    expect(((await badInput.json()) as ErrorJson).error.param).toBe('input');
    const charged = await post(sim, '/chat/completions', CHAT, { authorization: 'Bearer sk-fresh' });
    expect(charged.headers.get('x-ratelimit-remaining-requests')).toBe('59');
  });

  it('answers a request without an API key with 401, which the SDK reports as an AuthenticationError', async () => {
    const response = await fetch(`${sim.url}/models`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorJson).error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0, defaultHeaders: { authorization: null } });
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('serves any model name, as compatible servers do', async () => {
    const response = await post(sim, '/chat/completions', { ...CHAT, model: 'my-org/custom-model-7b' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe('my-org/custom-model-7b');
    const model = await fetch(`${sim.url}/models/my-org/custom-model-7b`, { headers: { authorization: 'Bearer k' } });
    expect(((await model.json()) as { id: string }).id).toBe('my-org/custom-model-7b');
  });
});
