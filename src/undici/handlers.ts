import type { RequestRecord, SourceDeps, UndiciRequestLike } from '../internal-types.ts';
import type { RequestTracker } from '../requests/tracker.ts';
import { FIELD } from '../openai/headers.ts';
import { readResponseHeaders } from '../openai/response-headers.ts';
import { hasRequestHeader, readResendCount } from './request-headers.ts';
import { findModel, scannedBytes } from './request-model.ts';
import { responseBodyReaderFor } from './response-body.ts';
import { endsWithDone } from './stream-done.ts';

/** Past this many body bytes searched without finding `"model"`, stop looking. */
const MODEL_SCAN_BUDGET_BYTES = 1024 * 1024;

/**
 * One method per undici channel. Each looks the request up by identity first, so requests to
 * other hosts cost one match on create and one WeakMap miss per later event. State lives in a
 * WeakMap keyed by the undici request and is dropped on the last event.
 */
export class UndiciHandlers {
  private readonly tracker: RequestTracker;
  private readonly deps: SourceDeps;

  constructor(tracker: RequestTracker, deps: SourceDeps) {
    this.tracker = tracker;
    this.deps = deps;
  }

  /** `undici:request:create`: match, then open a record. */
  onCreate = (message: unknown): void => {
    const request = (message as { request?: UndiciRequestLike } | null)?.request;
    if (request === undefined || request === null) return;
    const target = this.deps.matcher().match(request.origin, request.path);
    if (target === undefined) return;
    // A WebSocket handshake (global WebSocket, Realtime API) ends in an upgrade, never in
    // trailers: it is not a call we model, and its record would otherwise linger.
    if (request.upgrade) return;
    const record = this.tracker.open(request as object, target, request.method, readResendCount(request.headers));
    if (record === undefined) return;
    // undici.request() hands the body over as a Buffer (or string): readable without touching it.
    const body = request.body;
    if (typeof body === 'string' || body instanceof Uint8Array) scanForModel(record, body);
    if (this.deps.propagateTraceContext() && typeof request.addHeader === 'function' && !hasRequestHeader(request.headers, 'traceparent')) {
      this.tracker.propagate(record, (name, value) => request.addHeader!(name, value));
    }
  };

  /** `undici:request:bodyChunkSent` (undici >= 7.11): the only way to see a fetch body. */
  onBodyChunkSent = (message: unknown): void => {
    const { request, chunk } = (message ?? {}) as { request?: object; chunk?: unknown };
    const record = this.tracker.get(request);
    if (record === undefined) return;
    record.activity++;
    if (record.model === undefined && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      scanForModel(record, chunk);
    }
  };

  /** `undici:request:headers`: the final response headers. */
  onHeaders = (message: unknown): void => {
    const { request, response } = (message ?? {}) as { request?: object; response?: { statusCode?: unknown; headers?: unknown } };
    const record = this.tracker.get(request);
    if (record === undefined || response === undefined || response === null) return;
    const status = response.statusCode;
    // 1xx (103 Early Hints) are not the answer: wait for the final headers.
    if (typeof status !== 'number' || status < 200) return;
    this.tracker.respond(record, status, readResponseHeaders(response.headers));
  };

  /**
   * `undici:request:bodyChunkReceived` (undici >= 7.11): keeps long streams alive, spots
   * [DONE], hands the chunk to the body reader, made on the first chunk (a runtime that never
   * publishes this channel never pays for one), and notes when the first data came.
   */
  onBodyChunkReceived = (message: unknown): void => {
    const { request, chunk } = (message ?? {}) as { request?: object; chunk?: unknown };
    const record = this.tracker.get(request);
    if (record === undefined) return;
    record.activity++;
    // Only chunks of the final response count: nothing before its headers is the answer.
    if (!(chunk instanceof Uint8Array) || record.statusCode === 0) return;
    if (record.headers !== undefined && record.headers[FIELD.bodyKind] === 'sse' && !record.streamDone) {
      record.streamDone = endsWithDone(chunk);
    }
    if (record.bodyReadable) {
      record.bodyReadable = false;
      record.responseBody = responseBodyReaderFor(record);
    }
    const reader = record.responseBody;
    if (reader !== undefined) {
      reader.push(chunk);
      // A compressed stream shows its [DONE] only once decoded.
      if (reader.streamEnded) record.streamDone = true;
      if (reader.dataEvents > record.outputChunks) this.tracker.chunks(record, reader.dataEvents - record.outputChunks);
    }
    // A stream that is read starts at its first data event, not at the keep-alive comments a
    // queued request gets; any other body at its first chunk.
    if (record.firstChunkTime === undefined && (reader === undefined || reader.dataEvents > 0 || record.headers?.[FIELD.bodyKind] !== 'sse')) {
      record.firstChunkTime = performance.now();
    }
  };

  /** `undici:request:trailers`: the whole body was received. */
  onTrailers = (message: unknown): void => {
    const request = (message as { request?: object } | null)?.request;
    const record = this.tracker.get(request);
    if (record !== undefined) this.tracker.end(request, record, undefined);
  };

  /** `undici:request:error`: failed or aborted, before or during the response. */
  onError = (message: unknown): void => {
    const { request, error } = (message ?? {}) as { request?: object; error?: unknown };
    const record = this.tracker.get(request);
    if (record === undefined) return;
    // The openai SDK cancels the body once it has read `data: [DONE]`: the call completed.
    this.tracker.end(request, record, record.streamDone ? undefined : (error ?? new Error('request failed')));
  };
}

function scanForModel(record: RequestRecord, body: Uint8Array | string): void {
  if (record.modelBytesScanned >= MODEL_SCAN_BUDGET_BYTES) return;
  const startsBody = record.modelBytesScanned === 0;
  record.modelBytesScanned += scannedBytes(typeof body === 'string' ? body.length : body.byteLength);
  record.model = findModel(body, startsBody);
}
