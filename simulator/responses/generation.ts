import { isReasoningModel, snapshotOf } from './snapshots.ts';

/**
 * What the simulated model "says": always the same words, one token each, cut short
 * (finish_reason `length`) when the request allows fewer tokens. Prompt text is never
 * echoed anywhere, so nothing a test sends can leak into a response or header.
 */
const WORDS: readonly string[] = ['This', ' is', ' a', ' simulated', ' response.'];

/** Hidden reasoning tokens an o-series model spends per choice before its answer, within the limit. */
export const REASONING_TOKENS = 8;

// OpenAI caches prompts from 1024 tokens on, in 128-token steps. The simulator reports a long
// prompt as if its prefix had been sent before, so cached tokens show up without a warm-up call.
const CACHE_MIN_TOKENS = 1024;
const CACHE_STEP_TOKENS = 128;

export interface Generation {
  /** The snapshot that answers (see snapshots.ts). */
  model: string;
  promptTokens: number;
  cachedTokens: number;
  /** Reasoning tokens of one choice. */
  reasoningTokens: number;
  /** The visible tokens of one choice; streamed one per chunk. */
  pieces: readonly string[];
  finishReason: 'stop' | 'length';
  /** How many choices (`n`); each says the same. */
  choices: number;
}

/**
 * One answer within `maxTokens` per choice: reasoning first (o-series), then the words, so
 * a tight limit leaves an o-series answer empty, as OpenAI's do.
 */
export function generate(model: string, promptTokens: number, maxTokens: number, choices = 1): Generation {
  const reasoningTokens = isReasoningModel(model) ? Math.min(REASONING_TOKENS, maxTokens) : 0;
  const room = maxTokens - reasoningTokens;
  const truncated = room < WORDS.length;
  return {
    model: snapshotOf(model),
    promptTokens,
    cachedTokens: promptTokens >= CACHE_MIN_TOKENS ? promptTokens - (promptTokens % CACHE_STEP_TOKENS) : 0,
    reasoningTokens,
    pieces: truncated ? WORDS.slice(0, room) : WORDS,
    finishReason: truncated ? 'length' : 'stop',
    choices,
  };
}

/** Completion tokens of the whole answer: every choice's reasoning and visible tokens. */
export function completionTokens({ pieces, reasoningTokens, choices }: Generation): number {
  return (pieces.length + reasoningTokens) * choices;
}

/** The `usage` object of chat and text completions. */
export function usage(generation: Generation): Record<string, unknown> {
  const { promptTokens, cachedTokens, reasoningTokens, choices } = generation;
  const completion = completionTokens(generation);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoningTokens * choices, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** Unix seconds, as in the `created` field. */
export function created(): number {
  return Math.floor(Date.now() / 1000);
}
