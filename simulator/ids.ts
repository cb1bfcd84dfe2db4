import { randomUUID } from 'node:crypto';

// randomUUID draws from a cached entropy pool, so it is the cheapest unique id Node offers;
// without its dashes it is the 32 hex digits OpenAI's ids carry.

/** OpenAI's `x-request-id`: `req_` and 32 hex digits. */
export function requestId(): string {
  return `req_${hex32()}`;
}

/** Azure's `apim-request-id`: a UUID. */
export function apimRequestId(): string {
  return randomUUID();
}

/** Object ids such as `chatcmpl-…` and `cmpl-…`. */
export function objectId(prefix: string): string {
  return `${prefix}-${hex32()}`;
}

function hex32(): string {
  return randomUUID().replaceAll('-', '');
}
