import { formatGoDuration } from './go-duration.ts';
import type { Rejection } from './rate-limiter.ts';

/** One error as OpenAI returns it: `{"error":{"message","type","param","code"}}`. */
export interface ApiError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export function errorJson({ message, type, param, code }: ApiError): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export function invalidUrl(method: string, path: string): ApiError {
  return { status: 404, message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null };
}

export function missingApiKey(): ApiError {
  return {
    status: 401,
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    type: 'invalid_request_error',
    param: null,
    code: null,
  };
}

export function badRequest(message: string, param: string | null = null): ApiError {
  return { status: 400, message, type: 'invalid_request_error', param, code: null };
}

export function tooLarge(): ApiError {
  return { status: 413, message: 'Request body too large.', type: 'invalid_request_error', param: null, code: null };
}

/** The error a `x-simulator-status` header asks for, typed the way OpenAI types that status. */
export function forcedStatus(status: number): ApiError {
  if (status === 429) {
    return { status, message: 'Rate limit reached (forced by x-simulator-status).', type: 'requests', param: null, code: 'rate_limit_exceeded' };
  }
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = status === 401 ? 'invalid_api_key' : null;
  return { status, message: `Simulated error with status ${status} (forced by x-simulator-status).`, type, param: null, code };
}

/** OpenAI's 429 wording, which names the window "per min" whatever `windowMs` is. */
export function rateLimited(rejection: Rejection, model: string, organization: string): ApiError {
  const { kind, limit, used, requested, retryAfterMs } = rejection;
  const window = kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  const where = `for ${model} in organization ${organization} on ${window}`;
  const visit = 'Visit https://platform.openai.com/account/rate-limits to learn more.';
  const message = Number.isFinite(retryAfterMs)
    ? `Rate limit reached ${where}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${formatGoDuration(retryAfterMs / 1000)}. ${visit}`
    : `Request too large ${where}: Limit ${limit}, Requested ${requested}. The input or output tokens must be reduced in order to run successfully. ${visit}`;
  return { status: 429, message, type: kind, param: null, code: 'rate_limit_exceeded' };
}

/** The 429 of an account whose credit ran out: waiting will not help, paying will. */
export function insufficientQuota(): ApiError {
  return {
    status: 429,
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota',
  };
}

/** OpenAI names the wrong key only masked; so does the simulator, so no key ends up in a log. */
export function invalidApiKey(apiKey: string): ApiError {
  const masked = apiKey.length > 8 ? `${apiKey.slice(0, 3)}${'*'.repeat(apiKey.length - 7)}${apiKey.slice(-4)}` : '*'.repeat(apiKey.length);
  return {
    status: 401,
    message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  };
}

export function modelNotFound(model: string): ApiError {
  return { status: 404, message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' };
}

export function contextLengthExceeded(window: number, tokens: number): ApiError {
  return {
    status: 400,
    message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`,
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  };
}

export function serverError(): ApiError {
  return {
    status: 500,
    message:
      'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.',
    type: 'server_error',
    param: null,
    code: null,
  };
}

/**
 * An error body of a shape OpenAI never sends (a string `error`, the details elsewhere), as
 * a proxy or a compatible server might: a reader of error bodies must shrug it off.
 */
export const UNKNOWN_ERROR_SHAPE = JSON.stringify({ error: 'Upstream request failed', detail: { status: 'error', code: 7, type: 42 } });
