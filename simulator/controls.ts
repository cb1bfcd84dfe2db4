import type { IncomingHttpHeaders } from 'node:http';
import { parseEncoding, type Encoding } from './compression.ts';

/** Errors `x-simulator-error` forces by name, each answered with OpenAI's body for it. */
export const NAMED_ERRORS = [
  'insufficient_quota',
  'rate_limit_requests',
  'rate_limit_tokens',
  'invalid_api_key',
  'model_not_found',
  'context_length_exceeded',
  'server_error',
] as const;
export type NamedError = (typeof NAMED_ERRORS)[number];

/** Malformed answers `x-simulator-fault` asks for: what an instrumentation reading bodies must survive. */
export const FAULTS = ['mislabelled-gzip', 'garbage-json', 'cut-mid-event', 'unknown-error-shape'] as const;
export type Fault = (typeof FAULTS)[number];

/** Per-request overrides that tests send as `x-simulator-*` headers (see index.ts). */
export interface Controls {
  /** Answer with this error status (400-599) instead of running the request. */
  status: number | undefined;
  /** Answer with this OpenAI error instead of running the request. */
  error: NamedError | undefined;
  /** Latency for this request instead of `latencyMs`. */
  latencyMs: number | undefined;
  /** Keep-alive comments before this stream's first data event, instead of `keepAliveMs`. */
  keepAliveMs: number | undefined;
  /** Leave out every `x-ratelimit-*` and `openai-*` header. */
  omitHeaders: boolean;
  /** Destroy the connection (HTTP/2: reset the stream) after this many SSE events. */
  abortAfterChunks: number | undefined;
  /** Use this content-encoding whatever the client accepts (and whether compression is on). */
  encoding: Encoding | undefined;
  /** Send this malformed answer. */
  fault: Fault | undefined;
}

export function readControls(headers: IncomingHttpHeaders): Controls {
  const status = integer(headers['x-simulator-status']);
  return {
    status: status !== undefined && status >= 400 && status <= 599 ? status : undefined,
    error: oneOf(NAMED_ERRORS, headers['x-simulator-error']),
    latencyMs: integer(headers['x-simulator-latency-ms']),
    keepAliveMs: integer(headers['x-simulator-keep-alive-ms']),
    omitHeaders: headers['x-simulator-omit-headers'] === '1' || headers['x-simulator-omit-headers'] === 'true',
    abortAfterChunks: integer(headers['x-simulator-abort-after-chunks']),
    encoding: parseEncoding(headers['x-simulator-encoding']),
    fault: oneOf(FAULTS, headers['x-simulator-fault']),
  };
}

/** A non-negative integer header value, else undefined (a malformed control is ignored, not an error). */
function integer(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function oneOf<T extends string>(names: readonly T[], value: string | string[] | undefined): T | undefined {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return names.find((known) => known === name);
}
