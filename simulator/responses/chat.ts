import { objectId } from '../ids.ts';
import { created, usage, type Generation } from './generation.ts';

/** Names the backend configuration, as OpenAI's `system_fingerprint` does; fixed, since the simulator never changes. */
export const FINGERPRINT = 'fp_51e1070cf2';

/** A `chat.completion` object, as JSON text: one choice per `n`, usage after the choices. */
export function chatCompletion(generation: Generation): string {
  const message = { role: 'assistant', content: generation.pieces.join(''), refusal: null, annotations: [] };
  return JSON.stringify({
    id: objectId('chatcmpl'),
    object: 'chat.completion',
    created: created(),
    model: generation.model,
    choices: indexes(generation).map((index) => ({ index, message, logprobs: null, finish_reason: generation.finishReason })),
    usage: usage(generation),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  });
}

/**
 * The `data:` payloads of a streamed chat completion, as OpenAI sends them: per choice a role
 * chunk, one chunk per content token, a chunk with the finish_reason, and with
 * `stream_options.include_usage` a last chunk with empty `choices` and the usage
 * (every earlier chunk then carries `usage: null`; without it, no `usage` key at all).
 * `[DONE]` is the caller's.
 */
export function chatChunks(generation: Generation, includeUsage: boolean): string[] {
  const id = objectId('chatcmpl');
  const base = { id, object: 'chat.completion.chunk', created: created(), model: generation.model, service_tier: 'default', system_fingerprint: FINGERPRINT };
  const chunk = (index: number, delta: Record<string, unknown>, finishReason: string | null): string =>
    JSON.stringify({
      ...base,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const choices = indexes(generation);
  const chunks = choices.map((index) => chunk(index, { role: 'assistant', content: '', refusal: null }, null));
  for (const piece of generation.pieces) for (const index of choices) chunks.push(chunk(index, { content: piece }, null));
  for (const index of choices) chunks.push(chunk(index, {}, generation.finishReason));
  if (includeUsage) chunks.push(JSON.stringify({ ...base, choices: [], usage: usage(generation) }));
  return chunks;
}

export function indexes({ choices }: Generation): number[] {
  return Array.from({ length: choices }, (_, index) => index);
}
