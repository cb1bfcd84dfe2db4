import { createResponseBodyReader, type ResponseBodyFields } from '../../../../src/openai/response-body/index.ts';

/** Reads `chunks` through a fresh reader, as the channel would hand them over. */
export function read(chunks: Iterable<Uint8Array>, contentType: string, contentEncoding: string | undefined, statusCode = 200): ResponseBodyFields {
  const reader = createResponseBodyReader({ contentType, contentEncoding, statusCode });
  if (reader === undefined) throw new Error(`no reader for ${contentType} ${contentEncoding}`);
  for (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}

export const JSON_TYPE = 'application/json';
export const SSE_TYPE = 'text/event-stream';
