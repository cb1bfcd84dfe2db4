import type { JsonObject } from '../internal-types.ts';

/** Vector sizes of OpenAI's embedding models; others get 1536, the size of the common ones. */
const DIMENSIONS: ReadonlyMap<string, number> = new Map([
  ['text-embedding-3-large', 3072],
  ['text-embedding-3-small', 1536],
  ['text-embedding-ada-002', 1536],
]);
const DEFAULT_DIMENSIONS = 1536;

/** Splits `input` into the items that each get a vector: strings, or token arrays. */
export function embeddingInputs(input: unknown): (string | number[])[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input];
  const items: (string | number[])[] = [];
  for (const item of input) {
    if (typeof item === 'string') items.push(item);
    else if (Array.isArray(item) && item.every((token) => typeof token === 'number')) items.push(item);
    else return undefined;
  }
  return items;
}

/**
 * An embeddings `list`, as JSON text. Each vector is a deterministic function of its input
 * (same text, same vector, across runs), unit length, float32 precision, so the `float` and
 * `base64` encodings decode to the same numbers. `base64` is the little-endian float32
 * bytes, which is what the openai SDK (v5+) asks for by default and decodes.
 */
export function embeddingList(model: string, body: JsonObject, inputs: (string | number[])[], promptTokens: number): string {
  const size = dimensions(model, body['dimensions']);
  const base64 = body['encoding_format'] === 'base64';
  const data = inputs.map((input, index) => {
    const vector = unitVector(typeof input === 'string' ? input : input.join(','), size);
    const embedding = base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  return JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
}

function dimensions(model: string, asked: unknown): number {
  if (typeof asked === 'number' && Number.isInteger(asked) && asked > 0 && asked <= 8192) return asked;
  return DIMENSIONS.get(model) ?? DEFAULT_DIMENSIONS;
}

function unitVector(seedText: string, size: number): Float32Array {
  const vector = new Float32Array(size);
  let state = fnv1a(seedText) || 1;
  let norm = 0;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, deterministic, good enough to look like a spread of values.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = (state >>> 0) / 0x8000_0000 - 1;
    vector[i] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < size; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x0100_0193);
  }
  return hash >>> 0;
}
