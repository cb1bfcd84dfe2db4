import { context, propagation, trace } from '@opentelemetry/api';
import type { HandlerDeps } from '../handlers.ts';
import type { RequestRecord } from '../internal-types.ts';
import { readResponseHeaders } from '../headers/response.ts';
import { readResendCount } from '../request-headers.ts';
import { errorType } from '../span/error-type.ts';
import { finishSpan, startSpanEarly } from '../span/finish.ts';
import { isTracingSuppressed } from '../span/suppressed.ts';
import { UnfinishedSweeper } from '../span/unfinished-sweeper.ts';
import { requestTarget, type ClientRequestLike } from './target.ts';

/** The slice of a `http.IncomingMessage` we read. */
interface IncomingMessageLike {
  readonly statusCode?: unknown;
  readonly rawHeaders?: unknown;
  readonly headers?: unknown;
  readonly complete?: unknown;
  readonly errored?: unknown;
  once?(event: 'close', listener: () => void): unknown;
}

const RETRY_COUNT = 'x-stainless-retry-count';

/**
 * One method per `node:http` client channel, feeding the same record -> span / metrics path as
 * the undici handlers. Requests are correlated by the `ClientRequest` object in a WeakMap and
 * dropped on their last event. Node publishes nothing when a response body ends, so the span's
 * end comes from the response's `close` event (after its body was read or it was destroyed):
 * a listener that observes only, never reads, never handles errors in the app's place.
 */
export class NodeHttpHandlers {
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

  /** `http.client.request.created`: match, then open a record (and inject trace context if asked). */
  onCreated = (message: unknown): void => {
    const request = (message as { request?: ClientRequestLike } | null)?.request;
    if (request === undefined || request === null || typeof request !== 'object') return;
    const where = requestTarget(request);
    if (where === undefined) return;
    const target = this.deps.matcher().match(where.origin, where.path);
    if (target === undefined) return;
    // A WebSocket handshake (`ws`, Realtime API) ends in `upgrade`, not in a response: not a call we model.
    if (header(request, 'upgrade') !== undefined) return;
    // A second `created` for the same request would orphan the first record (and its span).
    if (this.records.has(request)) return;

    // The SDK's own exports (and anything else run under suppressTracing) are not the app's calls.
    const parentContext = context.active();
    if (isTracingSuppressed(parentContext)) return;
    const retries = header(request, RETRY_COUNT);
    const record: RequestRecord = {
      target,
      method: typeof request.method === 'string' && request.method !== '' ? request.method : 'GET',
      startTime: performance.now(),
      parentContext,
      span: undefined,
      model: undefined,
      modelBytesScanned: 0,
      resendCount: retries === undefined ? undefined : readResendCount([RETRY_COUNT, retries]),
      statusCode: 0,
      headers: undefined,
      streamDone: false,
      activity: 0,
      ended: false,
    };
    this.records.set(request, record);
    this.sweeper.track(record);
    if (
      this.deps.config().propagateTraceContext &&
      request.headersSent === false &&
      typeof request.setHeader === 'function' &&
      header(request, 'traceparent') === undefined
    ) {
      record.span = startSpanEarly(this.deps.tracer(), record);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(record.parentContext, record.span), carrier);
      for (const name of Object.keys(carrier)) request.setHeader(name, carrier[name]!);
    }
  };

  /** `http.client.response.finish`: the final status and headers; the body is still to come. */
  onResponseFinish = (message: unknown): void => {
    const { request, response } = (message ?? {}) as { request?: object; response?: IncomingMessageLike | null };
    if (request === undefined || request === null || response === undefined || response === null || typeof response !== 'object') return;
    const record = this.records.get(request);
    if (record === undefined || record.ended) return;
    const status = response.statusCode;
    if (typeof status !== 'number' || status < 200) return;
    record.activity++;
    record.statusCode = status;
    // `rawHeaders` keeps repeated headers apart; `headers` is the fallback shape.
    record.headers = readResponseHeaders(Array.isArray(response.rawHeaders) ? response.rawHeaders : response.headers);
    this.deps.observer.onResponse(record);
    if (typeof response.once !== 'function') {
      this.end(request, record, undefined);
      return;
    }
    response.once('close', () => {
      // An event listener, outside the channel guard: nothing may escape into the app.
      try {
        this.onResponseClose(request, record, response);
      } catch (error) {
        this.deps.diag.error('node:http response close handler failed; the response is unaffected', error);
      }
    });
  };

  /** `http.client.request.error`: failed before or instead of a response. */
  onError = (message: unknown): void => {
    const { request, error } = (message ?? {}) as { request?: object; error?: unknown };
    const record = request && this.records.get(request);
    if (record === undefined) return;
    this.end(request, record, error ?? new Error('request failed'));
  };

  /** The response was read to its end, or destroyed before that (aborted, reset). */
  private onResponseClose(request: object, record: RequestRecord, response: IncomingMessageLike): void {
    if (record.ended) return;
    if (response.complete === true) {
      this.end(request, record, undefined);
      return;
    }
    const errored = response.errored;
    this.end(request, record, errored instanceof Error ? errored : bodyAborted());
  }

  private end(request: object | undefined, record: RequestRecord, error: unknown): void {
    if (record.ended) return;
    record.ended = true;
    if (request !== undefined) this.records.delete(request);
    this.sweeper.untrack(record);
    const endTime = performance.now();
    const type = errorType(record.statusCode, error);
    finishSpan(this.deps.tracer(), record, endTime, type, error, this.deps.config().responseHook, this.deps.diag);
    this.deps.observer.onEnd(record, (endTime - record.startTime) / 1000, type);
  }
}

function header(request: ClientRequestLike, name: string): string | undefined {
  if (typeof request.getHeader !== 'function') return undefined;
  const value = request.getHeader(name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The app destroyed the response before its body was complete: an abort, as fetch would say. */
function bodyAborted(): Error {
  const error = new Error('response body destroyed before it was complete');
  error.name = 'AbortError';
  return error;
}
