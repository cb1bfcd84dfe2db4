import { objectId } from '../ids.ts';
import { created, usage, type Generation } from './generation.ts';

const FINGERPRINT = 'fp_simulator';

/** A `chat.completion` object, as JSON text. */
export function chatCompletion(generation: Generation): string {
  return JSON.stringify({
    id: objectId('chatcmpl'),
    object: 'chat.completion',
    created: created(),
    model: generation.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: generation.pieces.join(''), refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: generation.finishReason,
      },
    ],
    usage: usage(generation),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  });
}

/**
 * The `data:` payloads of a streamed chat completion, as OpenAI sends them: a role chunk,
 * one chunk per content token, a chunk with the finish_reason, and with
 * `stream_options.include_usage` a last chunk with empty `choices` and the usage
 * (every earlier chunk then carries `usage: null`). `[DONE]` is the caller's.
 */
export function chatChunks(generation: Generation, includeUsage: boolean): string[] {
  const id = objectId('chatcmpl');
  const base = { id, object: 'chat.completion.chunk', created: created(), model: generation.model, service_tier: 'default', system_fingerprint: FINGERPRINT };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
    JSON.stringify({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const chunks = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of generation.pieces) chunks.push(chunk({ content: piece }, null));
  chunks.push(chunk({}, generation.finishReason));
  if (includeUsage) chunks.push(JSON.stringify({ ...base, choices: [], usage: usage(generation) }));
  return chunks;
}
