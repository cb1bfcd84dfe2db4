import type { Attributes } from '@opentelemetry/api';
import type { RequestRecord } from '../internal-types.ts';
import * as sc from '../semconv.ts';
import { HEADER_ATTRIBUTES } from '../openai/headers.ts';

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
  const headers = record.headers;
  if (headers === undefined) return attributes;
  for (let i = 0; i < HEADER_ATTRIBUTES.length; i++) {
    const { field, attribute } = HEADER_ATTRIBUTES[i]!;
    const value = headers[field];
    if (value !== undefined) attributes[attribute] = value;
  }
  return attributes;
}
