import { FIELD, FIELD_COUNT, type OpenAIResponseHeaders, type ResponseHeaderField } from '../../src/openai/headers.ts';
import { readResponseHeaders } from '../../src/openai/response-headers.ts';

type Value<F extends ResponseHeaderField> = (typeof FIELD)[F] extends infer R ? (R extends { readonly __value?: infer T } ? T : never) : never;

/** The parsed headers as an object with one property per field: easier to read in assertions. */
export type NamedHeaders = { [F in ResponseHeaderField]: Value<F> | undefined };

export function named(values: OpenAIResponseHeaders): NamedHeaders {
  const out: Record<string, unknown> = {};
  for (const [field, index] of Object.entries(FIELD)) out[field] = values[index];
  return out as NamedHeaders;
}

/** Parsed headers built from named fields (the rest absent), as the reader would give them. */
export function headerValues(fields: Partial<NamedHeaders>): OpenAIResponseHeaders {
  const values: Array<OpenAIResponseHeaders[number]> = Array.from({ length: FIELD_COUNT }, () => undefined);
  for (const [field, value] of Object.entries(fields)) values[FIELD[field as ResponseHeaderField]] = value as OpenAIResponseHeaders[number];
  return values;
}

/** `readResponseHeaders`, named. */
export function readNamedHeaders(raw: unknown, now?: number): NamedHeaders {
  return named(readResponseHeaders(raw, now));
}
