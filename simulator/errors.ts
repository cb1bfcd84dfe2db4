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
