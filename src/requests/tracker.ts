import { context, propagation, trace, type DiagLogger, type Tracer } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config.ts';
import type { MatchedTarget, RequestObserver, RequestRecord } from '../internal-types.ts';
import { finishSpan, startSpanEarly } from '../span/finish.ts';
import { ERROR_TYPE_DISABLED, ERROR_TYPE_TIMEOUT, errorType } from './error-type.ts';
import { isTracingSuppressed } from './suppressed.ts';
import { UnfinishedSweeper } from './sweeper.ts';

/**
 * Ends the body reader on every end path (complete, error, abort, timeout, disable): what it
 * read goes to `record.body`, for the span and the metrics, and the reader (its decoder, its
 * scanner state) is let go at once. The reader is synchronous, so nothing waits on it.
 */
function finishResponseBody(record: RequestRecord): void {
  const reader = record.responseBody;
  record.bodyReadable = false;
  if (reader === undefined) return;
  record.responseBody = undefined;
  record.body = reader.finish();
}

/** What the request lifecycle needs from the instrumentation. */
export interface TrackerDeps {
  readonly tracer: () => Tracer;
  readonly config: () => ResolvedConfig;
  readonly observer: RequestObserver;
  readonly diag: DiagLogger;
}

/**
 * The per-request state that every event source (undici's channels, node:http's) feeds: a
 * record per matched request, found by the identity of the client's request object (a
 * WeakMap, so nothing global is keyed by strings and nothing outlives the request), ended
 * exactly once (span, then metrics), with the sweeper behind it for requests that go silent.
 */
export class RequestTracker {
  private readonly records = new WeakMap<object, RequestRecord>();
  private readonly deps: TrackerDeps;
  private readonly sweeper: UnfinishedSweeper;

  constructor(deps: TrackerDeps) {
    this.deps = deps;
    this.sweeper = new UnfinishedSweeper(
      () => deps.config().unfinishedResponseTimeoutMs,
      (record) => this.giveUp(record, ERROR_TYPE_TIMEOUT, 'no response before unfinishedResponseTimeoutMs'),
      (error) => deps.diag.error('ending a silent request failed; the app is unaffected', error),
    );
  }

  /** Requests whose spans are still open. */
  get inFlight(): number {
    return this.sweeper.size;
  }

  /** The record of a request that is still open. */
  get(request: object | undefined | null): RequestRecord | undefined {
    if (request === undefined || request === null) return undefined;
    const record = this.records.get(request);
    return record === undefined || record.ended ? undefined : record;
  }

  /**
   * Opens the record of a matched request. Not when one is already open for it (a repeated
   * create would orphan the first span), nor under `suppressTracing` (the SDK's own exports
   * to a Collector on a host matched as a provider are not the app's calls).
   */
  open(request: object, target: MatchedTarget, method: unknown, resendCount: number | undefined): RequestRecord | undefined {
    if (this.records.has(request)) return undefined;
    const parentContext = context.active();
    if (isTracingSuppressed(parentContext)) return undefined;
    const record: RequestRecord = {
      target,
      method: typeof method === 'string' && method !== '' ? method : 'GET',
      startTime: performance.now(),
      parentContext,
      span: undefined,
      model: undefined,
      modelBytesScanned: 0,
      resendCount,
      statusCode: 0,
      headers: undefined,
      responseBody: undefined,
      bodyReadable: true,
      firstChunkTime: undefined,
      outputChunks: 0,
      lastChunkEndTime: undefined,
      body: undefined,
      streamDone: false,
      activity: 0,
      ended: false,
    };
    this.records.set(request, record);
    this.sweeper.track(record);
    return record;
  }

  /** Starts the record's span now, so its context can be injected through `setHeader`. */
  propagate(record: RequestRecord, setHeader: (name: string, value: string) => void): void {
    record.span = startSpanEarly(this.deps.tracer(), record);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(record.parentContext, record.span), carrier);
    for (const name of Object.keys(carrier)) setHeader(name, carrier[name]!);
  }

  /** Response headers arrived: keep the status and parsed headers, tell the metrics side. */
  respond(record: RequestRecord, statusCode: number, headers: RequestRecord['headers']): void {
    record.activity++;
    record.statusCode = statusCode;
    record.headers = headers;
    this.deps.observer.onResponse(record);
  }

  /** The body reader saw `count` more chunks (data events) of a stream end, all just now. */
  chunks(record: RequestRecord, count: number): void {
    const at = performance.now();
    const previous = record.lastChunkEndTime;
    record.outputChunks += count;
    record.lastChunkEndTime = at;
    this.deps.observer.onChunks?.(record, count, previous === undefined ? undefined : (at - previous) / 1000);
  }

  /** The source saw the request end (completed, failed or aborted): its span, then its duration. */
  end(request: object | undefined, record: RequestRecord, error: unknown): void {
    if (record.ended) return;
    if (request !== undefined) this.records.delete(request);
    const endTime = performance.now();
    const type = errorType(record.statusCode, error);
    this.finish(record, endTime, type, error);
    this.deps.observer.onEnd(record, (endTime - record.startTime) / 1000, type);
  }

  /**
   * Ends every request still in flight: the instrumentation is being disabled and no further
   * event will reach them. Each is guarded on its own, so one failure cannot leave the others open.
   */
  endAll(): void {
    for (const record of this.sweeper.drain()) {
      try {
        this.giveUp(record, ERROR_TYPE_DISABLED, 'the instrumentation was disabled before a response arrived');
      } catch (error) {
        this.deps.diag.error('ending an in-flight span on disable failed', error);
      }
    }
  }

  /**
   * Ends a request whose end we did not see. Without a response, the call is an error of its
   * own type; either way the time we waited is not the call's duration, so none is recorded.
   */
  private giveUp(record: RequestRecord, noResponseType: string, message: string): void {
    if (record.ended) return;
    const answered = record.statusCode > 0;
    const type = answered ? errorType(record.statusCode, undefined) : noResponseType;
    this.finish(record, performance.now(), type, answered ? undefined : new Error(message));
    this.deps.observer.onEnd(record, undefined, type);
  }

  private finish(record: RequestRecord, endTime: number, type: string | undefined, error: unknown): void {
    record.ended = true;
    this.sweeper.untrack(record);
    finishResponseBody(record);
    const config = this.deps.config();
    finishSpan(this.deps.tracer(), record, endTime, type, error, config.responseHook, this.deps.diag);
  }
}
