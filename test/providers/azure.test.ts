import OpenAI, { AzureOpenAI } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import type { TestServer } from '../helpers/http-server.ts';
import { metricPoints } from '../helpers/metric-points.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { startProviderServer } from './provider-server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const API_KEY = 'azure-secret-key-123';

describe('Azure OpenAI', () => {
  let sim: Simulator | undefined;
  let server: TestServer | undefined;
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
    await sim?.close();
    await server?.close();
    sim = undefined;
    server = undefined;
  });

  it("names the provider azure.ai.openai, takes apim-request-id as the request id and records only Azure's remaining headers", async () => {
    sim = await startSimulator({ mode: 'azure', requestsPerWindow: 20 });
    otel = setupOtel({ endpoints: [{ url: `${sim.origin}/openai`, provider: 'azure.ai.openai' }] });
    const client = new AzureOpenAI({ endpoint: sim.origin, apiKey: API_KEY, apiVersion: '2024-10-21', deployment: 'my-gpt-4o', maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
    const [chat, embeddings] = await otel.waitForSpans(2);
    expect(chat!.attributes).toMatchObject({
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.operation.name': 'chat',
      'url.full': `${sim.origin}/openai/deployments/my-gpt-4o/chat/completions?api-version=2024-10-21`,
      'http.response.status_code': 200,
      'openai.ratelimit.requests.remaining': 19,
    });
    expect(chat!.attributes['openai.request.id']).toMatch(UUID);
    expect(chat!.attributes['openai.ratelimit.tokens.remaining']).toBeTypeOf('number');
    for (const absent of [
      'openai.organization',
      'openai.project',
      'openai.version',
      'openai.ratelimit.requests.limit',
      'openai.ratelimit.tokens.limit',
      'openai.ratelimit.requests.reset',
      'openai.ratelimit.tokens.reset',
    ]) {
      expect(chat!.attributes[absent], absent).toBeUndefined();
    }
    expect(embeddings!.attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(JSON.stringify([chat!.attributes, embeddings!.attributes])).not.toContain(API_KEY);
  });

  it('leaves out -1 quota values from spans and gauges, and prefers x-request-id when both ids are sent', async () => {
    server = await startProviderServer({
      'apim-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e',
      'x-request-id': 'req_both',
      'x-ratelimit-remaining-requests': '-1',
      'x-ratelimit-remaining-tokens': '-1',
      'x-ms-region': 'East US',
    });
    otel = setupOtel({ endpoints: [{ url: `${server.origin}/openai`, provider: 'azure.ai.openai' }] });
    const client = new AzureOpenAI({ endpoint: server.origin, apiKey: API_KEY, apiVersion: '2024-10-21', deployment: 'd', maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const [span] = await otel.waitForSpans(1);
    expect(span!.attributes['openai.request.id']).toBe('req_both');
    expect(span!.attributes['openai.ratelimit.requests.remaining']).toBeUndefined();
    expect(span!.attributes['openai.ratelimit.tokens.remaining']).toBeUndefined();
    const points = metricPoints(await otel.reader.read());
    expect(points.filter((p) => p.name.startsWith('openai.ratelimit.'))).toEqual([]);
    for (const point of points) expect(point.value, point.name).toBeGreaterThanOrEqual(0);
  });

  it("leaves out Azure's unit-less resets and a 0 limit, keeps a 0 remaining: never a guessed unit or a ratio over zero", async () => {
    // What Azure OpenAI sends (recorded live, see test/conformance): a reset with no unit next to
    // a renewal period, and, on its Responses API, quota values of 0 and -1.
    server = await startProviderServer({
      'apim-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e',
      'x-ratelimit-limit-requests': '0',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '500',
      'x-ratelimit-renewalperiod-requests': '60',
      'x-ratelimit-limit-tokens': '120000',
      'x-ratelimit-remaining-tokens': '-1',
      'x-ratelimit-reset-tokens': '7',
      'x-ratelimit-renewalperiod-tokens': '60',
    });
    otel = setupOtel({ endpoints: [{ url: `${server.origin}/openai`, provider: 'azure.ai.openai' }] });
    const client = new AzureOpenAI({ endpoint: server.origin, apiKey: API_KEY, apiVersion: '2024-10-21', deployment: 'd', maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const [span] = await otel.waitForSpans(1);
    const ratelimit = Object.fromEntries(Object.entries(span!.attributes).filter(([name]) => name.startsWith('openai.ratelimit.')));
    expect(ratelimit).toEqual({ 'openai.ratelimit.requests.remaining': 0, 'openai.ratelimit.tokens.limit': 120000 });
    const points = metricPoints(await otel.reader.read()).filter((p) => p.name.startsWith('openai.ratelimit.'));
    expect(points.map((p) => [p.name, p.value]).sort()).toEqual([
      ['openai.ratelimit.requests.remaining', 0],
      ['openai.ratelimit.tokens.limit', 120000],
    ]);
  });

  it('is seen through the plain OpenAI client pointed at an Azure deployment URL too', async () => {
    sim = await startSimulator({ mode: 'azure' });
    otel = setupOtel({ endpoints: [{ url: `${sim.origin}/openai`, provider: 'azure.ai.openai' }] });
    const client = new OpenAI({
      apiKey: API_KEY,
      baseURL: `${sim.origin}/openai/deployments/my-gpt-4o`,
      defaultQuery: { 'api-version': '2024-10-21' },
      defaultHeaders: { 'api-key': API_KEY },
      maxRetries: 0,
    });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const [span] = await otel.waitForSpans(1);
    expect(span!.attributes['gen_ai.provider.name']).toBe('azure.ai.openai');
    expect(span!.attributes['openai.request.id']).toMatch(UUID);
  });
});
