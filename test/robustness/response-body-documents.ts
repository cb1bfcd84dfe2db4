/**
 * Random OpenAI-like JSON documents, written as text (so a key may repeat and may be spelled
 * with escapes), and what a reader must get from them, worked out from JSON.parse of that text.
 */
import fc from 'fast-check';
import type { ResponseBodyFields } from '../../src/openai/response-body/index.ts';

/** A JSON value, or an object given as ordered (key text, value) entries that may repeat a key. */
export type Doc = null | boolean | number | string | Doc[] | { entries: Array<[string, Doc]> };

export function serialise(v: Doc, ws: string): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return `{${ws}${v.entries.map(([k, x]) => `"${k}"${ws}:${ws}${serialise(x, ws)}`).join(`,${ws}`)}${ws}}`;
  }
  if (Array.isArray(v)) return `[${ws}${v.map((x) => serialise(x, ws)).join(`,${ws}`)}${ws}]`;
  return JSON.stringify(v);
}

const text = fc.oneof(
  fc.constantFrom('gpt-4o-mini-2024-07-18', 'stop', 'length', 'completed', 'incomplete', 'failed', 'max_output_tokens', 'content_filter', 'insufficient_quota', 'default', ''),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('a"b\\c\n', 'x'.repeat(254), 'y'.repeat(257), 'é'.repeat(128), 'é'.repeat(129), '😀\u0000'),
);
const count = fc.oneof(fc.nat({ max: 100_000 }), fc.constantFrom(0, -1, 1.5, 2 ** 53, 2 ** 53 - 1, 1e21));
const scalar = fc.oneof(text, count, fc.constant(null), fc.boolean());
const obj = (entries: fc.Arbitrary<Array<[string, Doc]>>): fc.Arbitrary<Doc> => entries.map((e) => ({ entries: e }));
const nested: fc.Arbitrary<Doc> = obj(fc.array(fc.tuple(fc.constantFrom('model', 'id', 'usage', 'prompt_tokens', 'x'), scalar), { maxLength: 3 }));
/** A value where we want a string or a count: mostly the right type, sometimes not. */
const wantedValue = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: nested }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) });

function entriesOf(keys: readonly string[], value: fc.Arbitrary<Doc>, max: number): fc.Arbitrary<Array<[string, Doc]>> {
  return fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: max });
}

/** One naming of usage per object (chat's or the Responses API's), as the API sends it. */
const usage: fc.Arbitrary<Doc> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(['prompt_tokens', 'completion_tokens', 'prompt_tokens_details', 'completion_tokens_details'], ['input_tokens', 'output_tokens', 'input_tokens_details', 'output_tokens_details']).chain(([i, o, id, od]) =>
    obj(
      fc.array(
        fc.oneof(
          fc.tuple(fc.constantFrom(i!, o!, 'total_tokens'), fc.oneof(count, wantedValue)),
          fc.tuple(fc.constant(id!), fc.oneof(obj(entriesOf(['cached_tokens', 'audio_tokens'], fc.oneof(count, wantedValue), 2)), fc.constant(null))),
          fc.tuple(fc.constant(od!), fc.oneof(obj(entriesOf(['reasoning_tokens', 'audio_tokens'], fc.oneof(count, wantedValue), 2)), fc.constant(null))),
        ),
        { maxLength: 5 },
      ),
    ),
  ),
);
const choice: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 5, arbitrary: obj(fc.array(fc.oneof(fc.tuple(fc.constant('index'), fc.oneof(fc.nat({ max: 4 }), wantedValue)), fc.tuple(fc.constant('finish_reason'), wantedValue), fc.tuple(fc.constantFrom('message', 'delta'), nested)), { maxLength: 4 })) },
  { weight: 1, arbitrary: scalar },
);
const top: fc.Arbitrary<[string, Doc]> = fc.oneof(
  fc.tuple(fc.constantFrom('id', 'model', 'service_tier', 'system_fingerprint', 'status', 'object', 'created', 'mo\\u0064el', '\\u0069d'), wantedValue),
  fc.tuple(fc.constant('usage'), fc.oneof({ weight: 4, arbitrary: usage }, { weight: 1, arbitrary: wantedValue })),
  fc.tuple(fc.constant('choices'), fc.oneof({ weight: 4, arbitrary: fc.array(choice, { maxLength: 3 }) }, { weight: 1, arbitrary: wantedValue })),
  fc.tuple(fc.constant('incomplete_details'), fc.oneof(obj(entriesOf(['reason'], wantedValue, 2)), wantedValue)),
  fc.tuple(fc.constant('error'), fc.oneof(obj(entriesOf(['code', 'type', 'message', 'param'], wantedValue, 4)), wantedValue)),
  fc.tuple(fc.constantFrom('metadata', 'data', 'output'), fc.oneof(nested, fc.array(nested, { maxLength: 2 }))),
);

export const document: fc.Arbitrary<{ text: string; status: number }> = fc.record({
  entries: fc.array(top, { maxLength: 10 }),
  ws: fc.constantFrom('', ' ', '\n\t'),
  status: fc.constantFrom(200, 429),
}).map(({ entries, ws, status }) => ({ text: serialise({ entries }, ws), status }));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: Json | undefined): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Strings are kept up to 256 bytes as sent (escapes included). */
// A "" counts as absent: no attribute is ever the empty string.
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' && v !== '' && Buffer.byteLength(JSON.stringify(v)) - 2 <= 256 ? v : undefined);
const cnt = (v: Json | undefined): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/** What the reader must give for a JSON document, from JSON.parse of its text. */
export function expectedFields(textOfDoc: string, status: number): ResponseBodyFields {
  const doc = JSON.parse(textOfDoc) as Json;
  const out: ResponseBodyFields = {};
  if (!isObject(doc)) return out;
  const put = <K extends keyof ResponseBodyFields>(k: K, v: ResponseBodyFields[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  put('responseId', str(doc['id']));
  put('responseModel', str(doc['model']));
  const reasons: string[] = [];
  if (Array.isArray(doc['choices'])) {
    doc['choices'].forEach((c, position) => {
      if (!isObject(c)) return;
      const index = 'index' in c ? cnt(c['index']) : position;
      const reason = str(c['finish_reason']);
      if (index !== undefined && index < 128 && reason !== undefined) reasons[index] = reason;
    });
  }
  const listed = reasons.filter((r) => r !== undefined);
  const status_ = str(doc['status']);
  if (listed.length > 0) out.finishReasons = listed;
  else if (status_ !== undefined) {
    const details = doc['incomplete_details'];
    const reason = isObject(details) ? str(details['reason']) : undefined;
    out.finishReasons = [
      status_ === 'completed' ? 'stop' : status_ === 'failed' ? 'error' : status_ !== 'incomplete' ? status_ : reason === 'max_output_tokens' ? 'length' : (reason ?? status_),
    ];
  }
  const usage = doc['usage'];
  if (isObject(usage)) {
    put('inputTokens', cnt(usage['prompt_tokens'] ?? usage['input_tokens']));
    put('outputTokens', cnt(usage['completion_tokens'] ?? usage['output_tokens']));
    const inDetails = usage['prompt_tokens_details'] ?? usage['input_tokens_details'];
    const outDetails = usage['completion_tokens_details'] ?? usage['output_tokens_details'];
    if (isObject(inDetails)) put('cachedInputTokens', cnt(inDetails['cached_tokens']));
    if (isObject(outDetails)) put('reasoningOutputTokens', cnt(outDetails['reasoning_tokens']));
  }
  put('serviceTier', str(doc['service_tier']));
  put('systemFingerprint', str(doc['system_fingerprint']));
  const error = doc['error'];
  if (status >= 400 && isObject(error)) {
    put('errorCode', str(error['code']));
    put('errorType', str(error['type']));
  }
  return out;
}
