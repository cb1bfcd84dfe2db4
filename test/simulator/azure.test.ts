import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('azure mode', () => {
  let sim: Simulator;
  let client: AzureOpenAI;
  beforeAll(async () => {
    sim = await startSimulator({ mode: 'azure', requestsPerWindow: 5, limitsByModel: { 'my-embedder': { requestsPerWindow: 7 } } });
    client = new AzureOpenAI({ endpoint: sim.origin, apiKey: 'azure-key', apiVersion: '2024-10-21', deployment: 'my-gpt-4o', maxRetries: 0 });
  });
  afterAll(() => sim.close());

  it('serves the AzureOpenAI client on deployment paths, with the deployment as the model', async () => {
    expect(sim.url).toBe(sim.origin);
    const { data, response } = await client.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('This is a simulated response.');
    expect(data.model).toBe('my-gpt-4o');
    expect(new URL(response.url).pathname).toBe('/openai/deployments/my-gpt-4o/chat/completions');
  });

  it("sends Azure's ids and region and only the remaining rate-limit headers", async () => {
    const { response } = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('apim-request-id')).toMatch(UUID);
    expect(response.headers.get('x-ms-region')).toBe('Sweden Central');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('3');
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toMatch(/^\d+$/);
    expect(response.headers.has('openai-processing-ms')).toBe(true);
    for (const absent of [
      'x-request-id',
      'openai-organization',
      'openai-project',
      'openai-version',
      'x-ratelimit-limit-requests',
      'x-ratelimit-limit-tokens',
      'x-ratelimit-reset-requests',
      'x-ratelimit-reset-tokens',
    ]) {
      expect(response.headers.has(absent), absent).toBe(false);
    }
  });

  it('limits each deployment separately and serves embeddings and streams', async () => {
    const embedder = new AzureOpenAI({ endpoint: sim.origin, apiKey: 'azure-key', apiVersion: '2024-10-21', deployment: 'my-embedder' });
    const { data, response } = await embedder.embeddings.create({ model: 'x', input: 'text' }).withResponse();
    expect(data.data[0]?.embedding).toHaveLength(1536);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('6');
    const stream = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('This is a simulated response.');
  });

  it('takes the key from the api-key header, or answers 401 without one', async () => {
    const path = `${sim.origin}/openai/deployments/other/chat/completions?api-version=2024-10-21`;
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });
    const ok = await fetch(path, { method: 'POST', headers: { 'api-key': 'k', 'content-type': 'application/json' }, body });
    expect(ok.status).toBe(200);
    const denied = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('requires the api-version query parameter, as Azure does', async () => {
    const response = await fetch(`${sim.origin}/openai/deployments/d/chat/completions`, {
      method: 'POST',
      headers: { 'api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('api-version');
  });

  it('answers 404 for OpenAI paths', async () => {
    const response = await fetch(`${sim.origin}/v1/chat/completions`, { method: 'POST', headers: { 'api-key': 'k' }, body: '{}' });
    expect(response.status).toBe(404);
  });

  it('serves the Responses API outside deployments, with the model from the body', async () => {
    const { data, response } = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi' }).withResponse();
    expect(new URL(response.url).pathname).toBe('/openai/responses');
    expect(data.model).toBe('gpt-4o-mini-2024-07-18');
    expect(data.status).toBe('completed');
  });
});
