import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { decode, rawPost } from './raw.ts';

describe('embeddings bodies', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('put model and usage after the data, as OpenAI orders the keys, in float and base64', async () => {
    sim = await startSimulator();
    for (const encoding_format of ['float', 'base64']) {
      const response = await rawPost(sim, '/embeddings', { model: 'text-embedding-3-small', input: ['abcd', 'efgh'], encoding_format }, { 'accept-encoding': 'deflate' });
      const body = JSON.parse(decode('deflate', response.body)) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['object', 'data', 'model', 'usage']);
      expect(body['model']).toBe('text-embedding-3-small');
      expect(body['usage']).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    }
  });

  it('make n inputs x 1536 dimensions a multi-MB body (float), a third of it as base64', async () => {
    sim = await startSimulator();
    const input = Array.from({ length: 200 }, (_, i) => `text ${i}`);
    const float = await rawPost(sim, '/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'float' });
    const base64 = await rawPost(sim, '/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'base64' });
    expect(float.body.length).toBeGreaterThan(5_000_000);
    // 200 x 1536 float32 values, 4 bytes each, base64: 4/3 the bytes.
    expect(base64.body.length).toBeGreaterThan((200 * 1536 * 4 * 4) / 3);
    const decoded = JSON.parse(base64.body.toString()) as { data: { embedding: string }[] };
    expect(Buffer.from(decoded.data[0]!.embedding, 'base64').length).toBe(1536 * 4);
  });
});
