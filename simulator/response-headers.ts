import type { OutgoingHttpHeaders } from 'node:http';
import { formatGoDuration } from './go-duration.ts';
import { apimRequestId, requestId } from './ids.ts';
import type { RateLimitSnapshot } from './rate-limiter.ts';
import type { SimulatorOptions } from './types.ts';

export const JSON_TYPE = 'application/json';
export const SSE_TYPE = 'text/event-stream; charset=utf-8';

/** Everything that decides the headers of one response. */
export interface HeaderInput {
  contentType: string;
  /** `performance.now()` when the request arrived; `openai-processing-ms` counts from it. */
  startedAt: number;
  /** Rate-limit state after this request; absent for endpoints without buckets. */
  rateLimit: RateLimitSnapshot | undefined;
  omit: boolean;
}

/**
 * The headers OpenAI documents under "Debugging requests" and "Rate limits".
 * Azure mode sends Azure's ids and region instead of OpenAI's ids, organization,
 * project and version, and of the rate-limit headers only `remaining`, as Azure does.
 */
export function responseHeaders(options: SimulatorOptions, input: HeaderInput): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'content-type': input.contentType };
  const azure = options.mode === 'azure';
  if (azure) {
    headers['apim-request-id'] = apimRequestId();
    headers['x-ms-region'] = 'Sweden Central';
  } else {
    headers['x-request-id'] = requestId();
  }
  if (input.omit) return headers;
  if (!azure) {
    headers['openai-organization'] = options.organization;
    if (options.project) headers['openai-project'] = options.project;
    headers['openai-version'] = options.apiVersion;
  }
  headers['openai-processing-ms'] = String(Math.round(performance.now() - input.startedAt));
  const limits = input.rateLimit;
  if (limits === undefined) return headers;
  if (!azure) {
    headers['x-ratelimit-limit-requests'] = String(limits.limitRequests);
    headers['x-ratelimit-limit-tokens'] = String(limits.limitTokens);
  }
  headers['x-ratelimit-remaining-requests'] = String(limits.remainingRequests);
  headers['x-ratelimit-remaining-tokens'] = String(limits.remainingTokens);
  if (!azure) {
    headers['x-ratelimit-reset-requests'] = formatGoDuration(limits.resetRequestsMs / 1000);
    headers['x-ratelimit-reset-tokens'] = formatGoDuration(limits.resetTokensMs / 1000);
  }
  return headers;
}
