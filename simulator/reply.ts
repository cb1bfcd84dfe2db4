import type { OutgoingHttpHeaders } from 'node:http';
import { isGone, writeThenAbort } from './abort.ts';
import type { Controls } from './controls.ts';
import { errorJson, type ApiError } from './errors.ts';
import type { SimResponse } from './internal-types.ts';
import type { RateLimitSnapshot } from './rate-limiter.ts';
import { JSON_TYPE, responseHeaders, SSE_TYPE, type HeaderInput } from './response-headers.ts';
import { sendEvents } from './sse.ts';
import type { SimulatorOptions } from './types.ts';

/** One request in flight: what every kind of answer needs to build its headers. */
export interface Exchange {
  res: SimResponse;
  options: SimulatorOptions;
  controls: Controls;
  startedAt: number;
  rateLimit: RateLimitSnapshot | undefined;
}

/** Sends a JSON body. With `x-simulator-abort-after-chunks`, a success sends half of it, then drops the connection. */
export function sendJson(exchange: Exchange, status: number, body: string, extra?: OutgoingHttpHeaders): void {
  afterLatency(exchange, () => {
    const headers = responseHeaders(exchange.options, headerInput(exchange, JSON_TYPE));
    // Set explicitly: after writeHead, Node would fall back to chunked encoding.
    headers['content-length'] = String(Buffer.byteLength(body));
    if (extra !== undefined) Object.assign(headers, extra);
    writeHead(exchange.res, status, headers);
    if (exchange.controls.abortAfterChunks !== undefined && status < 400) writeThenAbort(exchange.res, body.slice(0, body.length >> 1));
    else exchange.res.end(body);
  });
}

export function sendError(exchange: Exchange, error: ApiError, extra?: OutgoingHttpHeaders): void {
  sendJson(exchange, error.status, errorJson(error), extra);
}

/** Sends server-sent events; the latency delays the headers, `streamChunkDelayMs` spaces the events. */
export function sendStream(exchange: Exchange, payloads: readonly string[]): void {
  afterLatency(exchange, () => {
    writeHead(exchange.res, 200, responseHeaders(exchange.options, headerInput(exchange, SSE_TYPE)));
    sendEvents(exchange.res, payloads, exchange.options.streamChunkDelayMs, exchange.controls.abortAfterChunks);
  });
}

/** Runs `write` after the configured latency; with none, right away and without a timer (the hot path). */
function afterLatency(exchange: Exchange, write: () => void): void {
  const latency = exchange.controls.latencyMs ?? exchange.options.latencyMs;
  if (latency === 0) {
    write();
    return;
  }
  setTimeout(() => {
    // The client may have given up while it waited.
    if (!isGone(exchange.res)) write();
  }, latency);
}

function headerInput(exchange: Exchange, contentType: string): HeaderInput {
  return { contentType, startedAt: exchange.startedAt, rateLimit: exchange.rateLimit, omit: exchange.controls.omitHeaders };
}

function writeHead(res: SimResponse, status: number, headers: OutgoingHttpHeaders): void {
  // HTTP/1 and HTTP/2 responses overload writeHead differently; both accept this call.
  (res as { writeHead(status: number, headers: OutgoingHttpHeaders): unknown }).writeHead(status, headers);
}
