import { OPENAI_ERROR_CODE_OTHER } from '../semconv.ts';

/**
 * `openai.error.code` values the duration histogram may carry: the codes OpenAI documents for
 * its error bodies (https://platform.openai.com/docs/guides/error-codes). Any other code is
 * recorded as `_OTHER`, so a provider's free-form codes cannot grow the series without bound.
 */
const OPENAI_ERROR_CODES = new Set<string>([
  'insufficient_quota',
  'rate_limit_exceeded',
  'invalid_api_key',
  'invalid_organization',
  'invalid_project',
  'account_deactivated',
  'billing_hard_limit_reached',
  'unsupported_country_region_territory',
  'model_not_found',
  'context_length_exceeded',
  'string_above_max_length',
  'invalid_value',
  'invalid_type',
  'invalid_prompt',
  'missing_required_parameter',
  'unknown_parameter',
  'unsupported_parameter',
  'unsupported_value',
  'content_filter',
  'content_policy_violation',
  'server_error',
  'server_is_overloaded',
  'slow_down',
]);

/** The code as the duration histogram records it: a documented one, else `_OTHER`. */
export function boundedErrorCode(code: string): string {
  return OPENAI_ERROR_CODES.has(code) ? code : OPENAI_ERROR_CODE_OTHER;
}
