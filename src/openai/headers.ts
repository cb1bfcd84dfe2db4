import * as sc from '../semconv.ts';
import {
  BODY_KIND,
  CONTENT_CODING,
  COUNT,
  GO_DURATION_SECONDS,
  LIMIT,
  MILLISECONDS_AS_SECONDS,
  RETRY_AFTER_SECONDS,
  TOKEN,
  WHOLE_MILLISECONDS,
  stableToken,
  type HeaderParser,
} from './header-parsers.ts';

/** The type a span attribute is documented with. */
export type AttributeType = 'string' | 'int' | 'double';

/** One response header OpenAI (or a compatible provider) sends, and what becomes of it. */
export interface ResponseHeaderRow<Field extends string = string, Value = unknown> {
  /** Lower-case header name. */
  readonly header: string;
  /**
   * The field of the parsed headers it fills. Several rows may fill one field: the first row
   * that has a value wins, so a later row is a fallback (Azure's `apim-request-id`).
   */
  readonly field: Field;
  readonly parser: HeaderParser<Value>;
  /** The span attribute the field becomes, if any. */
  readonly attribute?: string;
  readonly type?: AttributeType;
  /** The instrument the field feeds, if any. */
  readonly metric?: string;
}

function row<Field extends string, Value>(
  header: string,
  field: Field,
  parser: HeaderParser<Value>,
  attribute?: { name: string; type: AttributeType; metric?: string },
): ResponseHeaderRow<Field, Value> {
  return { header, field, parser, attribute: attribute?.name, type: attribute?.type, metric: attribute?.metric };
}

/**
 * The OpenAI response-header contract in one table: the reader (both header shapes), the span
 * attributes, the rate-limit metrics, the README check and the tests all derive from it.
 * A new provider header is one row here.
 * https://platform.openai.com/docs/api-reference/debugging-requests
 */
export const RESPONSE_HEADERS = [
  row('x-request-id', 'requestId', TOKEN, { name: sc.ATTR_OPENAI_REQUEST_ID, type: 'string' }),
  row('apim-request-id', 'requestId', TOKEN, { name: sc.ATTR_OPENAI_REQUEST_ID, type: 'string' }),
  row('openai-organization', 'organization', stableToken(), { name: sc.ATTR_OPENAI_ORGANIZATION, type: 'string' }),
  row('openai-project', 'project', stableToken(), { name: sc.ATTR_OPENAI_PROJECT, type: 'string' }),
  row('openai-version', 'version', stableToken(), { name: sc.ATTR_OPENAI_VERSION, type: 'string' }),
  row('openai-processing-ms', 'processingMs', WHOLE_MILLISECONDS, {
    name: sc.ATTR_OPENAI_PROCESSING_MS,
    type: 'int',
    metric: sc.METRIC_OPENAI_PROCESSING_DURATION,
  }),
  row('x-ratelimit-limit-requests', 'requestsLimit', LIMIT, {
    name: sc.ATTR_OPENAI_RATELIMIT_REQUESTS_LIMIT,
    type: 'int',
    metric: sc.METRIC_REQUESTS_LIMIT,
  }),
  row('x-ratelimit-remaining-requests', 'requestsRemaining', COUNT, {
    name: sc.ATTR_OPENAI_RATELIMIT_REQUESTS_REMAINING,
    type: 'int',
    metric: sc.METRIC_REQUESTS_REMAINING,
  }),
  row('x-ratelimit-reset-requests', 'requestsReset', GO_DURATION_SECONDS, {
    name: sc.ATTR_OPENAI_RATELIMIT_REQUESTS_RESET,
    type: 'double',
    metric: sc.METRIC_REQUESTS_RESET,
  }),
  row('x-ratelimit-limit-tokens', 'tokensLimit', LIMIT, {
    name: sc.ATTR_OPENAI_RATELIMIT_TOKENS_LIMIT,
    type: 'int',
    metric: sc.METRIC_TOKENS_LIMIT,
  }),
  row('x-ratelimit-remaining-tokens', 'tokensRemaining', COUNT, {
    name: sc.ATTR_OPENAI_RATELIMIT_TOKENS_REMAINING,
    type: 'int',
    metric: sc.METRIC_TOKENS_REMAINING,
  }),
  row('x-ratelimit-reset-tokens', 'tokensReset', GO_DURATION_SECONDS, {
    name: sc.ATTR_OPENAI_RATELIMIT_TOKENS_RESET,
    type: 'double',
    metric: sc.METRIC_TOKENS_RESET,
  }),
  row('retry-after-ms', 'retryAfter', MILLISECONDS_AS_SECONDS, { name: sc.ATTR_OPENAI_RETRY_AFTER, type: 'double' }),
  row('retry-after', 'retryAfter', RETRY_AFTER_SECONDS, { name: sc.ATTR_OPENAI_RETRY_AFTER, type: 'double' }),
  // Not attributes: what the body reader needs to know, and the stream's `data: [DONE]` check.
  row('content-type', 'bodyKind', BODY_KIND),
  row('content-encoding', 'contentEncoding', CONTENT_CODING),
] as const;

type Row = (typeof RESPONSE_HEADERS)[number];
type ValueOf<R> = R extends ResponseHeaderRow<string, infer V> ? V : never;
export type ResponseHeaderField = Row['field'];

/** A field's index in the parsed values, typed with the field's value. */
export type FieldRef<T> = number & { readonly __value?: T };

/**
 * The parsed response headers: one value per field, indexed by `FIELD`; absent or
 * unparseable: undefined. An array rather than an object with a property per field: the
 * reader and the span fill and walk it by index, where an object's properties, looked up by
 * a name from the table, are many times slower.
 */
export type OpenAIResponseHeaders = ReadonlyArray<string | number | true | undefined>;

/** Each field's index, in the order of its first row. */
export const FIELD = (() => {
  const out: Record<string, number> = {};
  let next = 0;
  for (const { field } of RESPONSE_HEADERS) if (!(field in out)) out[field] = next++;
  return out;
})() as { readonly [F in ResponseHeaderField]: FieldRef<ValueOf<Extract<Row, { field: F }>>> };

export const FIELD_COUNT = Object.keys(FIELD).length;

/** The value of one field, typed. */
export function headerValue<T>(headers: OpenAIResponseHeaders, field: FieldRef<T>): T | undefined {
  return headers[field] as T | undefined;
}

/** The span attributes the headers give: the field's index and the attribute's name, in table order. */
export const HEADER_ATTRIBUTES: ReadonlyArray<{ readonly index: number; readonly attribute: string }> = (() => {
  const out: Array<{ index: number; attribute: string }> = [];
  for (const { field, attribute } of RESPONSE_HEADERS as readonly ResponseHeaderRow[]) {
    const index = FIELD[field as ResponseHeaderField];
    if (attribute !== undefined && !out.some((a) => a.index === index)) out.push({ index, attribute });
  }
  return out;
})();
