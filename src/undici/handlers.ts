import type { SourceDeps, UndiciRequestLike } from '../internal-types.ts';
import type { RequestTracker } from '../requests/tracker.ts';
import { readResponseHeaders } from '../openai/response-headers.ts';
import { hasRequestHeader, readResendCount } from './request-headers.ts';
import { findModel, scannedBytes } from './request-model.ts';
import { UndiciState } from './state.ts';

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
    const inject =
      this.deps.propagateTraceContext() && typeof request.addHeader === 'function' && !hasRequestHeader(request.headers, 'traceparent')
        ? (name: string, value: string) => request.addHeader!(name, value)
        : undefined;
    const source = new UndiciState();
    // undici.request() hands the body over as a Buffer (or string): readable without touching it.
    const body = request.body;
    const model = typeof body === 'string' || body instanceof Uint8Array ? scanForModel(source, body) : undefined;
    this.tracker.open(request as object, { target, method: request.method, resendCount: readResendCount(request.headers), model, source, inject });
  };

  /** `undici:request:bodyChunkSent` (undici >= 7.11): the only way to see a fetch body. */
  onBodyChunkSent = (message: unknown): void => {
    const { request, chunk } = (message ?? {}) as { request?: object; chunk?: unknown };
    const record = this.tracker.get(request);
    if (record === undefined) return;
    record.activity++;
    if (record.model === undefined && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      if (record.source instanceof UndiciState) record.model = scanForModel(record.source, chunk);
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
   * `undici:request:bodyChunkReceived` (undici >= 7.11): keeps long streams alive, hands the
   * chunk to this request's body reading, and announces the stream's data events it ended.
   */
  onBodyChunkReceived = (message: unknown): void => {
    const { request, chunk } = (message ?? {}) as { request?: object; chunk?: unknown };
    const record = this.tracker.get(request);
    if (record === undefined) return;
    record.activity++;
    // Only chunks of the final response count: nothing before its headers is the answer.
    const source = record.source;
    if (!(chunk instanceof Uint8Array) || record.statusCode === 0 || !(source instanceof UndiciState)) return;
    const ended = source.push(record, chunk);
    if (ended > 0) this.tracker.chunks(record, ended);
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
    const done = record.source instanceof UndiciState && record.source.streamDone;
    this.tracker.end(request, record, done ? undefined : (error ?? new Error('request failed')));
  };
}

/** The model, searched for in one more piece of the request body (within a byte budget). */
function scanForModel(state: UndiciState, body: Uint8Array | string): string | undefined {
  if (state.modelBytesScanned >= MODEL_SCAN_BUDGET_BYTES) return undefined;
  const startsBody = state.modelBytesScanned === 0;
  state.modelBytesScanned += scannedBytes(typeof body === 'string' ? body.length : body.byteLength);
  return findModel(body, startsBody);
}
