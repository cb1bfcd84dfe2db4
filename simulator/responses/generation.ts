/**
 * What the simulated model "says": always the same words, one token each, cut short
 * (finish_reason `length`) when the request allows fewer tokens. Prompt text is never
 * echoed anywhere, so nothing a test sends can leak into a response or header.
 */
const WORDS: readonly string[] = ['This', ' is', ' a', ' simulated', ' response.'];

export interface Generation {
  model: string;
  promptTokens: number;
  /** One entry per completion token; streamed one per chunk. */
  pieces: readonly string[];
  finishReason: 'stop' | 'length';
}

export function generate(model: string, promptTokens: number, maxTokens: number): Generation {
  const truncated = maxTokens < WORDS.length;
  return {
    model,
    promptTokens,
    pieces: truncated ? WORDS.slice(0, maxTokens) : WORDS,
    finishReason: truncated ? 'length' : 'stop',
  };
}

/** The `usage` object of chat and text completions. */
export function usage({ promptTokens, pieces }: Generation): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: pieces.length,
    total_tokens: promptTokens + pieces.length,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** Unix seconds, as in the `created` field. */
export function created(): number {
  return Math.floor(Date.now() / 1000);
}
