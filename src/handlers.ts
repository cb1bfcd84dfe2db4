import { context, propagation, trace, type DiagLogger, type Tracer } from '@opentelemetry/api';
import type { ResolvedConfig } from './config.ts';
import type { RequestObserver, RequestRecord, UndiciRequestLike } from './internal-types.ts';
import type { EndpointMatcher } from './match.ts';
import { findModel, scannedBytes } from './body/model.ts';
import { readResponseHeaders } from './headers/response.ts';
import { hasRequestHeader, readResendCount } from './request-headers.ts';
import { errorType } from './span/error-type.ts';
import { finishSpan, startSpanEarly } from './span/finish.ts';
import { isTracingSuppressed } from './span/suppressed.ts';
import { UnfinishedSweeper } from './span/unfinished-sweeper.ts';

/** Past this many body bytes searched without finding `"model"`, stop looking. */
const MODEL_SCAN_BUDGET_BYTES = 1024 * 1024;
const DONE_MARKER = Buffer.from('data: [DONE]', 'latin1');

export interface HandlerDeps {
  readonly tracer: () => Tracer;
  readonly config: () => ResolvedConfig;
  readonly matcher: () => EndpointMatcher;
  readonly observer: RequestObserver;
  readonly diag: DiagLogger;
}

/**
 * One method per undici channel. Each looks the request up by identity first, so requests to
 * other hosts cost one match on create and one WeakMap miss per later event. State lives in a
 * WeakMap keyed by the undici request and is dropped on the last event.
 */
export class ChannelHandlers {
  private readonly records = new WeakMap<object, RequestRecord>();
  private readonly deps: HandlerDeps;
  readonly sweeper: UnfinishedSweeper;

  constructor(deps: HandlerDeps) {
    this.deps = deps;
    this.sweeper = new UnfinishedSweeper(
      () => deps.config().unfinishedResponseTimeoutMs,
      (record) => this.end(undefined, record, undefined),
    );
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
    // A second create for the same request would orphan the first record (and its span).
    if (this.records.has(request as object)) return;

    // The SDK's own exports (and anything else run under suppressTracing) are not the app's calls.
    const parentContext = context.active();
    if (isTracingSuppressed(parentContext)) return;
    const record: RequestRecord = {
      target,
      method: typeof request.method === 'string' && request.method !== '' ? request.method : 'GET',
      startTime: performance.now(),
      parentContext,
      span: undefined,
      model: undefined,
      modelBytesScanned: 0,
      resendCount: readResendCount(request.headers),
      statusCode: 0,
      headers: undefined,
      streamDone: false,
      activity: 0,
      ended: false,
    };
    // undici.request() hands the body over as a Buffer (or string): readable without touching it.
    const body = request.body;
    if (typeof body === 'string' || body instanceof Uint8Array) this.scanForModel(record, body);

    this.records.set(request as object, record);
    this.sweeper.track(record);
    if (
      this.deps.config().propagateTraceContext &&
      typeof request.addHeader === 'function' &&
      !hasRequestHeader(request.headers, 'traceparent')
    ) {
      record.span = startSpanEarly(this.deps.tracer(), record);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(record.parentContext, record.span), carrier);
      for (const name of Object.keys(carrier)) request.addHeader(name, carrier[name]!);
    }
  };

  /** `undici:request:bodyChunkSent` (undici >= 7.11): the only way to see a fetch body. */
  onBodyChunkSent = (message: unknown): void => {
    const { request, chunk } = (message ?? {}) as { request?: object; chunk?: unknown };
    const record = request && this.records.get(request);
    if (record === undefined || record.ended) return;
    record.activity++;
    if (record.model === undefined && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      this.scanForModel(record, chunk);
    }
  };

  /** `undici:request:headers`: the final response headers. */
  onHeaders = (message: unknown): void => {
    const { request, response } = (message ?? {}) as { request?: object; response?: { statusCode?: unknown; headers?: unknown } };
    const record = request && this.records.get(request);
    if (record === undefined || record.ended || response === undefined || response === null) return;
    const status = response.statusCode;
    // 1xx (103 Early Hints) are not the answer: wait for the final headers.
    if (typeof status !== 'number' || status < 200) return;
    record.activity++;
    record.statusCode = status;
    record.headers = readResponseHeaders(response.headers);
    this.deps.observer.onResponse(record);
  };

  /** `undici:request:bodyChunkReceived` (undici >= 7.11): keeps long streams alive, spots [DONE]. */
  onBodyChunkReceived = (message: unknown): void => {
    const { request, chunk } = (message ?? {}) as { request?: object; chunk?: unknown };
    const record = request && this.records.get(request);
    if (record === undefined || record.ended) return;
    record.activity++;
    if (record.headers?.eventStream && !record.streamDone && chunk instanceof Uint8Array) {
      record.streamDone = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).includes(DONE_MARKER);
    }
  };

  /** `undici:request:trailers`: the whole body was received. */
  onTrailers = (message: unknown): void => {
    const request = (message as { request?: object } | null)?.request;
    const record = request && this.records.get(request);
    if (record !== undefined) this.end(request, record, undefined);
  };

  /** `undici:request:error`: failed or aborted, before or during the response. */
  onError = (message: unknown): void => {
    const { request, error } = (message ?? {}) as { request?: object; error?: unknown };
    const record = request && this.records.get(request);
    if (record === undefined) return;
    // The openai SDK cancels the body once it has read `data: [DONE]`: the call completed.
    this.end(request, record, record.streamDone ? undefined : (error ?? new Error('request failed')));
  };

  private end(request: object | undefined, record: RequestRecord, error: unknown): void {
    if (record.ended) return;
    record.ended = true;
    if (request !== undefined) this.records.delete(request);
    this.sweeper.untrack(record);
    const endTime = performance.now();
    const type = errorType(record.statusCode, error);
    const { responseHook } = this.deps.config();
    finishSpan(this.deps.tracer(), record, endTime, type, error, responseHook, this.deps.diag);
    this.deps.observer.onEnd(record, (endTime - record.startTime) / 1000, type);
  }

  private scanForModel(record: RequestRecord, body: Uint8Array | string): void {
    if (record.modelBytesScanned >= MODEL_SCAN_BUDGET_BYTES) return;
    record.modelBytesScanned += scannedBytes(typeof body === 'string' ? body.length : body.byteLength);
    record.model = findModel(body);
  }
}
