import { objectId } from '../ids.ts';
import { created, usage, type Generation } from './generation.ts';

/** A legacy `text_completion` object, as JSON text. */
export function textCompletion(generation: Generation): string {
  return JSON.stringify({
    id: objectId('cmpl'),
    object: 'text_completion',
    created: created(),
    model: generation.model,
    choices: [{ text: generation.pieces.join(''), index: 0, logprobs: null, finish_reason: generation.finishReason }],
    usage: usage(generation),
  });
}

/** The `data:` payloads of a streamed text completion: one per token, the last with the finish_reason, then usage if asked. */
export function textCompletionChunks(generation: Generation, includeUsage: boolean): string[] {
  const base = { id: objectId('cmpl'), object: 'text_completion', created: created(), model: generation.model };
  const last = generation.pieces.length - 1;
  const chunks = generation.pieces.map((text, index) =>
    JSON.stringify({
      ...base,
      choices: [{ text, index: 0, logprobs: null, finish_reason: index === last ? generation.finishReason : null }],
      ...(includeUsage ? { usage: null } : {}),
    }),
  );
  if (includeUsage) chunks.push(JSON.stringify({ ...base, choices: [], usage: usage(generation) }));
  return chunks;
}
