import * as sc from '../semconv.ts';
import type { AttributeType } from './headers.ts';

/** How a body field is read and handed on. */
export type BodyFieldType = Exclude<AttributeType, 'double'> | 'string[]';

/** One field the response body gives, where it sits in a response object, and the attribute it becomes. */
export interface ResponseBodyRow<Field extends string = string, Type extends BodyFieldType = BodyFieldType> {
  readonly field: Field;
  readonly attribute: string;
  readonly type: Type;
  /**
   * JSON paths from the top of a response object (a JSON body, an SSE event, or a Responses API
   * stream event's `response`); the first path that holds a value gives it. Chat completions'
   * names come first, the Responses API's second.
   */
  readonly paths: readonly (readonly string[])[];
  /** Read from error bodies (status >= 400) only. */
  readonly errorOnly: boolean;
  /** In a stream, the first event that has it gives it; otherwise a later event's value replaces an earlier one. */
  readonly first: boolean;
  /** The first path, dotted: what the README's table says it comes from. */
  readonly from: string;
}

function row<const Field extends string, const Type extends BodyFieldType>(
  field: Field,
  attribute: string,
  type: Type,
  paths: readonly (readonly string[])[],
  options: { errorOnly?: boolean; first?: boolean } = {},
): ResponseBodyRow<Field, Type> {
  return { field, attribute, type, paths, errorOnly: options.errorOnly ?? false, first: options.first ?? false, from: paths[0]!.join('.') };
}

/**
 * The response-body contract in one table, as the header table is for headers: the reader's
 * field list and result, the span attributes, the README check and the tests derive from it. A
 * new body field is one row here. `finishReasons` is the one field with a rule of its own (see
 * the reader's `finishReasons`): per choice `index`, or the Responses API's `status` mapped.
 */
export const RESPONSE_BODY_FIELDS = [
  row('responseId', sc.ATTR_GEN_AI_RESPONSE_ID, 'string', [['id']], { first: true }),
  row('responseModel', sc.ATTR_GEN_AI_RESPONSE_MODEL, 'string', [['model']]),
  row('finishReasons', sc.ATTR_GEN_AI_RESPONSE_FINISH_REASONS, 'string[]', [['choices', 'finish_reason'], ['status'], ['incomplete_details', 'reason']]),
  row('inputTokens', sc.ATTR_GEN_AI_USAGE_INPUT_TOKENS, 'int', [['usage', 'prompt_tokens'], ['usage', 'input_tokens']]),
  row('outputTokens', sc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, 'int', [['usage', 'completion_tokens'], ['usage', 'output_tokens']]),
  row('cachedInputTokens', sc.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, 'int', [
    ['usage', 'prompt_tokens_details', 'cached_tokens'],
    ['usage', 'input_tokens_details', 'cached_tokens'],
  ]),
  row('reasoningOutputTokens', sc.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, 'int', [
    ['usage', 'completion_tokens_details', 'reasoning_tokens'],
    ['usage', 'output_tokens_details', 'reasoning_tokens'],
  ]),
  row('serviceTier', sc.ATTR_OPENAI_RESPONSE_SERVICE_TIER, 'string', [['service_tier']]),
  row('systemFingerprint', sc.ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT, 'string', [['system_fingerprint']]),
  row('errorCode', sc.ATTR_OPENAI_ERROR_CODE, 'string', [['error', 'code']], { errorOnly: true }),
  row('errorType', sc.ATTR_OPENAI_ERROR_TYPE, 'string', [['error', 'type']], { errorOnly: true }),
] as const;

type Row = (typeof RESPONSE_BODY_FIELDS)[number];
type ValueOf<T extends BodyFieldType> = T extends 'int' ? number : T extends 'string[]' ? string[] : string;

/** What the response body told us: one optional property per row. A field the body lacks (or gives as `null` or `""`) is absent, never 0 or blank. */
export type ResponseBodyFields = { -readonly [R in Row as R['field']]?: ValueOf<R['type']> };
