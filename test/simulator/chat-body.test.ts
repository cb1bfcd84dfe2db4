import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { post } from './post.ts';

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}
interface Completion {
  id: string;
  model: string;
  service_tier: string;
  system_fingerprint: string;
  choices: { index: number; finish_reason: string; message: { content: string } }[];
  usage: Usage;
}

describe('chat completion bodies', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  const chat = async (body: Record<string, unknown>) => {
    const response = await post(sim, '/chat/completions', { messages: [{ role: 'user', content: 'abcdefgh' }], ...body });
    return { response, completion: (await response.json()) as Completion };
  };

  it('name the dated snapshot that answered, and echo models without one', async () => {
    sim = await startSimulator();
    expect((await chat({ model: 'gpt-4o-mini' })).completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect((await chat({ model: 'o4-mini' })).completion.model).toBe('o4-mini-2025-04-16');
    expect((await chat({ model: 'my-fine-tune' })).completion.model).toBe('my-fine-tune');
  });

  it('carry id, service_tier, system_fingerprint, and usage with its details', async () => {
    sim = await startSimulator();
    const { completion } = await chat({ model: 'gpt-4o-mini' });
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(completion.service_tier).toBe('default');
    expect(completion.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(completion.usage).toEqual({
      prompt_tokens: 2,
      completion_tokens: 5,
      total_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
  });

  it('stop with length when max_tokens or max_completion_tokens cuts the answer', async () => {
    sim = await startSimulator();
    for (const limit of [{ max_tokens: 3 }, { max_completion_tokens: 3 }]) {
      const { completion } = await chat({ model: 'gpt-4o', ...limit });
      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(completion.usage.completion_tokens).toBe(3);
    }
    expect((await chat({ model: 'gpt-4o', max_tokens: 5 })).completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('answer n choices, indexed, their tokens summed in usage and charged to the bucket', async () => {
    sim = await startSimulator({ tokensPerWindow: 1000 });
    const { response, completion } = await chat({ model: 'gpt-4o', n: 3, max_tokens: 10 });
    expect(completion.choices.map((choice) => [choice.index, choice.finish_reason])).toEqual([
      [0, 'stop'],
      [1, 'stop'],
      [2, 'stop'],
    ]);
    expect(completion.usage.completion_tokens).toBe(15);
    // The limiter reserves prompt + max_tokens per choice, as OpenAI does: 2 + 3 x 10.
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('968');
  });

  it('bill reasoning tokens for o-series models, within the completion limit', async () => {
    sim = await startSimulator();
    const { completion } = await chat({ model: 'o4-mini' });
    expect(completion.usage.completion_tokens_details.reasoning_tokens).toBe(8);
    expect(completion.usage.completion_tokens).toBe(13);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const tight = (await chat({ model: 'o4-mini', max_completion_tokens: 8 })).completion;
    expect(tight.usage.completion_tokens_details.reasoning_tokens).toBe(8);
    expect(tight.choices[0]?.message.content).toBe('');
    expect(tight.choices[0]?.finish_reason).toBe('length');
    expect((await chat({ model: 'gpt-4o' })).completion.usage.completion_tokens_details.reasoning_tokens).toBe(0);
  });

  it('report a long prompt (1024 tokens and up) as cached, in 128-token steps', async () => {
    sim = await startSimulator();
    const response = await post(sim, '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(4 * 1200) }] });
    const { usage } = (await response.json()) as Completion;
    expect(usage.prompt_tokens).toBe(1200);
    expect(usage.prompt_tokens_details.cached_tokens).toBe(1152);
  });

  it('prompt_tokens is what the rate limiter charged for the prompt', async () => {
    sim = await startSimulator({ tokensPerWindow: 10_000 });
    const { response, completion } = await chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'y'.repeat(400) }], max_tokens: 16 });
    expect(completion.usage.prompt_tokens).toBe(100);
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe(String(10_000 - 100 - 16));
  });
});
