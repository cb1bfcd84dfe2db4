import type { JsonObject, Operation } from './internal-types.ts';

/**
 * Completion tokens reserved when a request names no `max_tokens`/`max_completion_tokens`.
 * 16 is the documented default of `max_tokens` in the legacy completions API; chat has no
 * documented default (OpenAI reserves the model's output limit), but a small one keeps
 * simulated buckets readable and still covers the simulated answer (about 6 tokens).
 */
export const DEFAULT_MAX_TOKENS = 16;

/** OpenAI's rule of thumb: about 4 characters of English text per token. */
export function tokensForText(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Estimated prompt tokens of a request: the text it sends, at 4 characters a token. */
export function promptTokens(operation: Operation, body: JsonObject): number {
  if (operation === 'chat') return tokensForText(messageChars(body['messages']));
  if (operation === 'responses') return responsesInputTokens(body);
  const input = operation === 'embeddings' ? body['input'] : body['prompt'];
  return inputTokens(input);
}

/** Completion tokens one choice may use: the caller's limit, else the default; none for embeddings. */
export function maxCompletionTokens(operation: Operation, body: JsonObject): number {
  if (operation === 'embeddings') return 0;
  const asked =
    operation === 'chat' ? (body['max_completion_tokens'] ?? body['max_tokens'])
    : operation === 'responses' ? body['max_output_tokens']
    : body['max_tokens'];
  return typeof asked === 'number' && Number.isInteger(asked) && asked > 0 ? asked : DEFAULT_MAX_TOKENS;
}

/** How many choices the request asks for (`n`, chat and completions only; 1 to 128, else 1). */
export function choiceCount(operation: Operation, body: JsonObject): number {
  const n = body['n'];
  if (operation === 'embeddings' || operation === 'responses') return 1;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 128 ? n : 1;
}

/**
 * What a request costs against the token bucket: estimated prompt tokens plus the
 * completion tokens all its choices may produce, as OpenAI estimates before running the model.
 */
export function tokenCost(operation: Operation, body: JsonObject): number {
  return promptTokens(operation, body) + maxCompletionTokens(operation, body) * choiceCount(operation, body);
}

/** Responses API: `instructions` plus `input`, a string or a list of messages like chat's. */
function responsesInputTokens(body: JsonObject): number {
  const instructions = body['instructions'];
  const input = body['input'];
  const chars = (typeof instructions === 'string' ? instructions.length : 0) + (typeof input === 'string' ? input.length : messageChars(input));
  return tokensForText(chars);
}

function messageChars(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let chars = 0;
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const content: unknown = (message as JsonObject)['content'];
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      // Multi-part content: only the text parts count (images are priced differently by OpenAI).
      for (const part of content) {
        const text: unknown = typeof part === 'object' && part !== null ? (part as JsonObject)['text'] : undefined;
        if (typeof text === 'string') chars += text.length;
      }
    }
  }
  return chars;
}

/** `prompt`/`input` may be a string, strings, a token array or token arrays; tokens count as given. */
function inputTokens(input: unknown): number {
  if (typeof input === 'string') return tokensForText(input.length);
  if (!Array.isArray(input)) return 0;
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += tokensForText(item.length);
    else if (typeof item === 'number') tokens += 1;
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}
