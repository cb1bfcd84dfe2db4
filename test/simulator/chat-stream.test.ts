import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT } from './post.ts';
import { decode, rawPost, ssePayloads } from './raw.ts';

type Chunk = Record<string, unknown> & { choices: { index: number; finish_reason: string | null }[] };

async function chunks(sim: Simulator, path: string, body: Record<string, unknown>): Promise<Chunk[]> {
  const response = await rawPost(sim, path, { ...body, stream: true }, { 'accept-encoding': 'br' });
  expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  return ssePayloads(decode('br', response.body)).map((payload) => JSON.parse(payload) as Chunk);
}

describe('streamed chat and text completions', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('with include_usage end on a chunk with empty choices and the usage; earlier chunks say usage: null', async () => {
    sim = await startSimulator();
    const all = await chunks(sim, '/chat/completions', { ...CHAT, model: 'gpt-4o-mini', stream_options: { include_usage: true } });
    const last = all.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last['usage']).toMatchObject({ prompt_tokens: 5, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 0 } });
    for (const chunk of all.slice(0, -1)) expect(chunk['usage']).toBeNull();
    for (const chunk of all) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o-mini-2024-07-18', service_tier: 'default' });
      expect(chunk['id']).toBe(all[0]!['id']);
    }
    expect(all.at(-2)!.choices[0]?.finish_reason).toBe('stop');
  });

  it('without include_usage carry no usage at all', async () => {
    sim = await startSimulator();
    const all = await chunks(sim, '/chat/completions', CHAT);
    for (const chunk of all) expect(chunk).not.toHaveProperty('usage');
    expect(all.at(-1)!.choices[0]?.finish_reason).toBe('stop');
  });

  it('stream every choice of n with its own index and finish_reason, length when cut', async () => {
    sim = await startSimulator();
    const all = await chunks(sim, '/chat/completions', { ...CHAT, n: 2, max_tokens: 2, stream_options: { include_usage: true } });
    const finishes = all.flatMap((chunk) => chunk.choices.filter((choice) => choice.finish_reason !== null).map((choice) => [choice.index, choice.finish_reason]));
    expect(finishes).toEqual([
      [0, 'length'],
      [1, 'length'],
    ]);
    expect(all.at(-1)!['usage']).toMatchObject({ completion_tokens: 4 });
  });

  it('text completions stream cmpl- chunks and the usage chunk when asked', async () => {
    sim = await startSimulator();
    const all = await chunks(sim, '/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'Once', stream_options: { include_usage: true } });
    expect(all[0]!['id']).toMatch(/^cmpl-/);
    expect(all.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 5 } });
  });
});
