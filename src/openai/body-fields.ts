import * as sc from '../semconv.ts';
import type { AttributeType } from './headers.ts';
import type { ResponseBodyFields } from './response-body/index.ts';

/** One field the response body reader gives, and the span attribute it becomes. */
export interface ResponseBodyRow {
  readonly field: keyof ResponseBodyFields;
  readonly attribute: string;
  readonly type: AttributeType | 'string[]';
  /** Where in the body it comes from, for the README check. */
  readonly from: string;
}

/**
 * The response-body contract in one table, as the header table is for headers: the span
 * attributes, the README check and the tests derive from it. Which body keys give each field
 * (per API, streamed or not) is the reader's business; a new field is one row here and one
 * path there.
 */
export const RESPONSE_BODY_FIELDS: readonly ResponseBodyRow[] = [
  { field: 'responseId', attribute: sc.ATTR_GEN_AI_RESPONSE_ID, type: 'string', from: 'id' },
  { field: 'responseModel', attribute: sc.ATTR_GEN_AI_RESPONSE_MODEL, type: 'string', from: 'model' },
  { field: 'finishReasons', attribute: sc.ATTR_GEN_AI_RESPONSE_FINISH_REASONS, type: 'string[]', from: 'finish_reason' },
  { field: 'inputTokens', attribute: sc.ATTR_GEN_AI_USAGE_INPUT_TOKENS, type: 'int', from: 'prompt_tokens' },
  { field: 'outputTokens', attribute: sc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, type: 'int', from: 'completion_tokens' },
  { field: 'cachedInputTokens', attribute: sc.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, type: 'int', from: 'cached_tokens' },
  { field: 'reasoningOutputTokens', attribute: sc.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, type: 'int', from: 'reasoning_tokens' },
  { field: 'serviceTier', attribute: sc.ATTR_OPENAI_RESPONSE_SERVICE_TIER, type: 'string', from: 'service_tier' },
  { field: 'systemFingerprint', attribute: sc.ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT, type: 'string', from: 'system_fingerprint' },
  { field: 'errorCode', attribute: sc.ATTR_OPENAI_ERROR_CODE, type: 'string', from: 'error.code' },
  { field: 'errorType', attribute: sc.ATTR_OPENAI_ERROR_TYPE, type: 'string', from: 'error.type' },
];
