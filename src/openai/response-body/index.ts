export { createResponseBodyReader, openResponseBody } from './reader.ts';
export type { ResponseBodyFields, ResponseBodyReader, ResponseBodyReaderInit } from './types.ts';
export { MAX_DOCUMENT_BYTES, MAX_STREAM_BYTES, TAIL_BYTES } from './limits.ts';
