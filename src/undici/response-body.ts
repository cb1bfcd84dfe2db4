import type { RequestRecord } from '../internal-types.ts';
import { FIELD, headerValue } from '../openai/headers.ts';
import { createResponseBodyReader, type ResponseBodyReader } from '../openai/response-body/index.ts';

const CONTENT_TYPE = { json: 'application/json', sse: 'text/event-stream' } as const;

/**
 * The body reader for a response, made on its first body chunk, or undefined when the body has
 * nothing to tell: not JSON or SSE, or a success from an endpoint whose response shape is not
 * one we know (a `/models` listing has a top-level `id` that is not a response id). Error
 * bodies are read on every matched endpoint: their `error.code` means the same everywhere.
 */
export function responseBodyReaderFor(record: RequestRecord): ResponseBodyReader | undefined {
  const headers = record.headers;
  if (headers === undefined) return undefined;
  const kind = headerValue(headers, FIELD.bodyKind);
  if (kind === undefined) return undefined;
  if (record.target.apiType === undefined && record.statusCode < 400) return undefined;
  return createResponseBodyReader({
    contentType: CONTENT_TYPE[kind],
    contentEncoding: headerValue(headers, FIELD.contentEncoding),
    statusCode: record.statusCode,
  });
}
