import { objectId } from '../ids.ts';
import { indexes } from './chat.ts';
import { created, usage, type Generation } from './generation.ts';

/** A legacy `text_completion` object, as JSON text: one choice per `n`. */
export function textCompletion(generation: Generation): string {
  const text = generation.pieces.join('');
  return JSON.stringify({
    id: objectId('cmpl'),
    object: 'text_completion',
    created: created(),
    model: generation.model,
    choices: indexes(generation).map((index) => ({ text, index, logprobs: null, finish_reason: generation.finishReason })),
    usage: usage(generation),
  });
}

/** The `data:` payloads of a streamed text completion: one per token and choice, the last of each with the finish_reason, then usage if asked. */
export function textCompletionChunks(generation: Generation, includeUsage: boolean): string[] {
  const base = { id: objectId('cmpl'), object: 'text_completion', created: created(), model: generation.model };
  const last = generation.pieces.length - 1;
  const chunks: string[] = [];
  generation.pieces.forEach((text, position) => {
    for (const index of indexes(generation)) {
      chunks.push(
        JSON.stringify({
          ...base,
          choices: [{ text, index, logprobs: null, finish_reason: position === last ? generation.finishReason : null }],
          ...(includeUsage ? { usage: null } : {}),
        }),
      );
    }
  });
  if (includeUsage) chunks.push(JSON.stringify({ ...base, choices: [], usage: usage(generation) }));
  return chunks;
}
