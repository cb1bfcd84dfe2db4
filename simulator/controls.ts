import type { IncomingHttpHeaders } from 'node:http';

/** Per-request overrides that tests send as `x-simulator-*` headers (see index.ts). */
export interface Controls {
  /** Answer with this error status (400-599) instead of running the request. */
  status: number | undefined;
  /** Latency for this request instead of `latencyMs`. */
  latencyMs: number | undefined;
  /** Leave out every `x-ratelimit-*` and `openai-*` header. */
  omitHeaders: boolean;
  /** Destroy the connection (HTTP/2: reset the stream) after this many SSE events. */
  abortAfterChunks: number | undefined;
}

export function readControls(headers: IncomingHttpHeaders): Controls {
  const status = integer(headers['x-simulator-status']);
  return {
    status: status !== undefined && status >= 400 && status <= 599 ? status : undefined,
    latencyMs: integer(headers['x-simulator-latency-ms']),
    omitHeaders: headers['x-simulator-omit-headers'] === '1' || headers['x-simulator-omit-headers'] === 'true',
    abortAfterChunks: integer(headers['x-simulator-abort-after-chunks']),
  };
}

/** A non-negative integer header value, else undefined (a malformed control is ignored, not an error). */
function integer(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
