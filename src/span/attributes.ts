import type { Attributes } from '@opentelemetry/api';
import type { RequestRecord } from '../internal-types.ts';
import * as sc from '../semconv.ts';

/** `{operation} {model}`, or `{operation}` when the model could not be read. */
export function spanName(record: RequestRecord): string {
  const { operation } = record.target;
  return record.model === undefined ? operation : `${operation} ${record.model}`;
}

/** The attributes known when the request is created. */
export function requestAttributes(record: RequestRecord): Attributes {
  const { target } = record;
  const attributes: Attributes = {
    [sc.ATTR_GEN_AI_PROVIDER_NAME]: target.provider,
    [sc.ATTR_GEN_AI_OPERATION_NAME]: target.operation,
    [sc.ATTR_SERVER_ADDRESS]: target.serverAddress,
    [sc.ATTR_SERVER_PORT]: target.serverPort,
    [sc.ATTR_HTTP_REQUEST_METHOD]: record.method,
    [sc.ATTR_URL_FULL]: target.url,
  };
  if (record.model !== undefined) attributes[sc.ATTR_GEN_AI_REQUEST_MODEL] = record.model;
  if (record.resendCount !== undefined) attributes[sc.ATTR_HTTP_REQUEST_RESEND_COUNT] = record.resendCount;
  return attributes;
}

/** Adds what the response and the outcome told us; absent values are left out, never blank. */
export function addResponseAttributes(attributes: Attributes, record: RequestRecord, errorType: string | undefined): Attributes {
  if (record.statusCode > 0) attributes[sc.ATTR_HTTP_RESPONSE_STATUS_CODE] = record.statusCode;
  if (errorType !== undefined) attributes[sc.ATTR_ERROR_TYPE] = errorType;
  const h = record.headers;
  if (h === undefined) return attributes;
  if (h.requestId !== undefined) attributes[sc.ATTR_OPENAI_REQUEST_ID] = h.requestId;
  if (h.organization !== undefined) attributes[sc.ATTR_OPENAI_ORGANIZATION] = h.organization;
  if (h.project !== undefined) attributes[sc.ATTR_OPENAI_PROJECT] = h.project;
  if (h.version !== undefined) attributes[sc.ATTR_OPENAI_VERSION] = h.version;
  if (h.processingMs !== undefined) attributes[sc.ATTR_OPENAI_PROCESSING_MS] = h.processingMs;
  if (h.requestsLimit !== undefined) attributes[sc.ATTR_OPENAI_RATELIMIT_REQUESTS_LIMIT] = h.requestsLimit;
  if (h.requestsRemaining !== undefined) attributes[sc.ATTR_OPENAI_RATELIMIT_REQUESTS_REMAINING] = h.requestsRemaining;
  if (h.requestsReset !== undefined) attributes[sc.ATTR_OPENAI_RATELIMIT_REQUESTS_RESET] = h.requestsReset;
  if (h.tokensLimit !== undefined) attributes[sc.ATTR_OPENAI_RATELIMIT_TOKENS_LIMIT] = h.tokensLimit;
  if (h.tokensRemaining !== undefined) attributes[sc.ATTR_OPENAI_RATELIMIT_TOKENS_REMAINING] = h.tokensRemaining;
  if (h.tokensReset !== undefined) attributes[sc.ATTR_OPENAI_RATELIMIT_TOKENS_RESET] = h.tokensReset;
  if (h.retryAfter !== undefined) attributes[sc.ATTR_OPENAI_RETRY_AFTER] = h.retryAfter;
  return attributes;
}
