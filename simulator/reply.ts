import type { OutgoingHttpHeaders } from 'node:http';
import { isGone, writeThenAbort } from './abort.ts';
import { bodyWriter } from './body-writer.ts';
import { compressBody, negotiateEncoding, type Encoding } from './compression.ts';
import type { Controls } from './controls.ts';
import { errorJson, type ApiError } from './errors.ts';
import type { SimRequest, SimResponse } from './internal-types.ts';
import type { RateLimitSnapshot } from './rate-limiter.ts';
import { JSON_TYPE, responseHeaders, SSE_TYPE, type HeaderInput } from './response-headers.ts';
import { keepAliveThen, sendEvents, type StreamCut } from './sse.ts';
import type { SimulatorOptions } from './types.ts';

/** One request in flight: what every kind of answer needs to build its headers. */
export interface Exchange {
  res: SimResponse;
  options: SimulatorOptions;
  controls: Controls;
  startedAt: number;
  rateLimit: RateLimitSnapshot | undefined;
  /** The body's content-encoding, from `accept-encoding` (or the encoding control). */
  encoding: Encoding;
}

/**
 * The encoding of this request's answer: the control's if set, else what the client
 * accepts when compression is on, else none.
 */
export function chooseEncoding(req: SimRequest, options: SimulatorOptions, controls: Controls): Encoding {
  if (controls.encoding !== undefined) return controls.encoding;
  return options.compression ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';
}

// Stands in for a body that broke on the way: a JSON start, then bytes no parser accepts.
const GARBAGE_JSON = '{"id":"chatcmpl-garbage","object":"chat.comp\u0000\uFFFD{{]]"model":,,"usage":{"prompt_tokens":1e,';

/**
 * Sends a JSON body, compressed as negotiated (with its compressed content-length).
 * With `x-simulator-abort-after-chunks` or the `cut-mid-event` fault, a success sends half of
 * its bytes, then drops the connection.
 */
export function sendJson(exchange: Exchange, status: number, body: string, extra?: OutgoingHttpHeaders): void {
  const { controls } = exchange;
  const text = controls.fault === 'garbage-json' && status < 400 ? GARBAGE_JSON : body;
  const truncate = status < 400 && (controls.abortAfterChunks !== undefined || controls.fault === 'cut-mid-event');
  afterLatency(exchange, () => {
    const encoding = wireEncoding(exchange);
    const send = (bytes: Buffer): void => {
      if (isGone(exchange.res)) return;
      const headers = withEncoding(exchange, responseHeaders(exchange.options, headerInput(exchange, JSON_TYPE)));
      // Set explicitly: after writeHead, Node would fall back to chunked encoding.
      headers['content-length'] = String(bytes.length);
      if (extra !== undefined) Object.assign(headers, extra);
      writeHead(exchange.res, status, headers);
      if (truncate) writeThenAbort(exchange.res, bytes.subarray(0, bytes.length >> 1));
      else exchange.res.end(bytes);
    };
    const plain = Buffer.from(text);
    if (encoding === 'identity') return send(plain);
    compressBody(encoding, plain, send);
  });
}

export function sendError(exchange: Exchange, error: ApiError, extra?: OutgoingHttpHeaders): void {
  sendJson(exchange, error.status, errorJson(error), extra);
}

/**
 * Sends server-sent events; the latency delays the headers, keep-alive comments fill the
 * queue time (`keepAliveMs`) before the first event, `streamChunkDelayMs` spaces the events.
 */
export function sendStream(exchange: Exchange, events: readonly string[]): void {
  const { controls } = exchange;
  let cut: StreamCut | undefined;
  if (controls.abortAfterChunks !== undefined) cut = { afterEvents: controls.abortAfterChunks, midEvent: controls.fault === 'cut-mid-event' };
  else if (controls.fault === 'cut-mid-event') cut = { afterEvents: events.length >> 1, midEvent: true };
  const all = controls.fault === 'garbage-json' ? [`data: ${GARBAGE_JSON}\n\n`, ...events] : events;
  afterLatency(exchange, () => {
    writeHead(exchange.res, 200, withEncoding(exchange, responseHeaders(exchange.options, headerInput(exchange, SSE_TYPE))));
    const body = bodyWriter(exchange.res, wireEncoding(exchange));
    const queueMs = controls.keepAliveMs ?? exchange.options.keepAliveMs;
    keepAliveThen(exchange.res, body, queueMs, () => sendEvents(exchange.res, body, all, exchange.options.streamChunkDelayMs, cut));
  });
}

/** What is actually applied to the bytes: nothing under a mis-labelled gzip header. */
function wireEncoding(exchange: Exchange): Encoding {
  return exchange.controls.fault === 'mislabelled-gzip' ? 'identity' : exchange.encoding;
}

/** `content-encoding` for the body, and `vary` whenever the answer depended on accept-encoding. */
function withEncoding(exchange: Exchange, headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const label = exchange.controls.fault === 'mislabelled-gzip' ? 'gzip' : exchange.encoding;
  if (label !== 'identity') headers['content-encoding'] = label;
  if (exchange.options.compression) headers['vary'] = 'accept-encoding';
  return headers;
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
