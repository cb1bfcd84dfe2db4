import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { RequestRecord } from '../internal-types.ts';
import * as sc from '../semconv.ts';
import { RESPONSE_BODY_FIELDS } from '../openai/body-fields.ts';
import { HEADER_ATTRIBUTES } from '../openai/headers.ts';

/** `{operation} {model}`, or `{operation}` when the model could not be read. */
export function spanName(record: RequestRecord): string {
  const { operation } = record.target;
  return record.model === undefined ? operation : `${operation} ${record.model}`;
}

/** The attributes known when the request is created. */
export function requestAttributes(record: RequestRecord): Attributes {
  const { target } = record;
  // Key by key: below V8's top tier, where once-per-request code mostly runs, a literal with
  // computed keys makes a runtime call per key (test/unit/computed-keys.test.ts).
  const attributes: Attributes = {};
  attributes[sc.ATTR_GEN_AI_PROVIDER_NAME] = target.provider;
  attributes[sc.ATTR_GEN_AI_OPERATION_NAME] = target.operation;
  attributes[sc.ATTR_SERVER_ADDRESS] = target.serverAddress;
  attributes[sc.ATTR_SERVER_PORT] = target.serverPort;
  attributes[sc.ATTR_HTTP_REQUEST_METHOD] = record.method;
  attributes[sc.ATTR_URL_FULL] = target.url;
  if (target.apiType !== undefined) attributes[sc.ATTR_OPENAI_API_TYPE] = target.apiType;
  if (record.model !== undefined) attributes[sc.ATTR_GEN_AI_REQUEST_MODEL] = record.model;
  if (record.resendCount !== undefined) attributes[sc.ATTR_HTTP_REQUEST_RESEND_COUNT] = record.resendCount;
  return attributes;
}

/** Where response attributes go: a span, or anything that takes attributes one by one. */
export interface AttributeSink {
  setAttribute(key: string, value: AttributeValue): unknown;
}

/**
 * Sets what the response and the outcome told us; absent values are left out, never blank.
 * One `setAttribute` per value, straight from the header table: the SDK's `setAttributes`
 * would loop over an object that we would first have to build key by key.
 */
export function setResponseAttributes(span: AttributeSink, record: RequestRecord, errorType: string | undefined): void {
  if (record.statusCode > 0) span.setAttribute(sc.ATTR_HTTP_RESPONSE_STATUS_CODE, record.statusCode);
  if (errorType !== undefined) span.setAttribute(sc.ATTR_ERROR_TYPE, errorType);
  const headers = record.headers;
  if (headers === undefined) return;
  for (let i = 0; i < HEADER_ATTRIBUTES.length; i++) {
    const { index, attribute } = HEADER_ATTRIBUTES[i]!;
    const value = headers[index];
    if (value !== undefined) span.setAttribute(attribute, value);
  }
}

/**
 * What the response body told (where the runtime let it be read), straight from the body
 * table, and for a streamed response the time from the request's start to its first chunk.
 */
export function setBodyAttributes(span: AttributeSink, record: RequestRecord): void {
  const body = record.body;
  if (body !== undefined) {
    for (let i = 0; i < RESPONSE_BODY_FIELDS.length; i++) {
      const { field, attribute } = RESPONSE_BODY_FIELDS[i]!;
      const value = body[field];
      if (value !== undefined) span.setAttribute(attribute, value);
    }
  }
  if (record.timeToFirstChunk !== undefined) span.setAttribute(sc.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, record.timeToFirstChunk);
}
