import { context, type DiagLogger } from '@opentelemetry/api';
import type { MatchedTarget, RequestObserver, RequestRecord, SourceState } from '../internal-types.ts';
import { ERROR_TYPE_DISABLED, ERROR_TYPE_TIMEOUT, errorType } from './error-type.ts';
import { isTracingSuppressed } from './suppressed.ts';
import { UnfinishedSweeper } from './sweeper.ts';

/** What a source knows of a matched request when it is created. */
export interface Opening {
  readonly target: MatchedTarget;
  readonly method: unknown;
  readonly resendCount: number | undefined;
  /** Where the request body could be read at creation. */
  readonly model?: string | undefined;
  readonly source?: SourceState | undefined;
  /** Sets a request header: given when trace context is to be propagated into this request. */
  readonly inject?: ((name: string, value: string) => void) | undefined;
}

/** What the request lifecycle needs from the instrumentation. */
export interface TrackerDeps {
  readonly unfinishedResponseTimeoutMs: () => number;
  /** Told of every open, response and end, in this order (the span, then the metrics). */
  readonly observers: readonly RequestObserver[];
  readonly diag: DiagLogger;
}

/**
 * The per-request state that every event source (undici's channels, node:http's) feeds: a
 * record per matched request, found by the identity of the client's request object (a
 * WeakMap, so nothing global is keyed by strings and nothing outlives the request), ended
 * exactly once, with the sweeper behind it for requests that go silent. It announces each
 * step to its observers and knows nothing of sources, spans or metrics.
 */
export class RequestTracker {
  private readonly records = new WeakMap<object, RequestRecord>();
  private readonly observers: readonly RequestObserver[];
  private readonly sweeper: UnfinishedSweeper;
  private readonly diag: DiagLogger;

  constructor(deps: TrackerDeps) {
    this.observers = deps.observers;
    this.diag = deps.diag;
    this.sweeper = new UnfinishedSweeper(
      deps.unfinishedResponseTimeoutMs,
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
  open(request: object, opening: Opening): RequestRecord | undefined {
    if (this.records.has(request)) return undefined;
    const parentContext = context.active();
    if (isTracingSuppressed(parentContext)) return undefined;
    const { method } = opening;
    const record: RequestRecord = {
      target: opening.target,
      method: typeof method === 'string' && method !== '' ? method : 'GET',
      startTime: performance.now(),
      parentContext,
      model: opening.model,
      resendCount: opening.resendCount,
      statusCode: 0,
      headers: undefined,
      timeToFirstChunk: undefined,
      outputChunks: 0,
      lastChunkEndTime: undefined,
      body: undefined,
      endTime: undefined,
      error: undefined,
      activity: 0,
      ended: false,
      source: opening.source,
    };
    this.records.set(request, record);
    this.sweeper.track(record);
    for (const observer of this.observers) observer.onOpen?.(record, opening.inject);
    return record;
  }

  /** Response headers arrived: keep the status and parsed headers, tell the observers. */
  respond(record: RequestRecord, statusCode: number, headers: RequestRecord['headers']): void {
    record.activity++;
    record.statusCode = statusCode;
    record.headers = headers;
    for (const observer of this.observers) observer.onResponse?.(record);
  }

  /**
   * `count` more data events (chunks) of a streamed body ended, all just now. The first of them
   * gives the time to first chunk, taken here once.
   */
  chunks(record: RequestRecord, count: number): void {
    const at = performance.now();
    const previous = record.lastChunkEndTime;
    record.outputChunks += count;
    record.lastChunkEndTime = at;
    if (previous === undefined) {
      const seconds = (at - record.startTime) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) record.timeToFirstChunk = seconds;
    }
    const sincePrevious = previous === undefined ? undefined : (at - previous) / 1000;
    for (const observer of this.observers) observer.onChunks?.(record, count, sincePrevious);
  }

  /** The source saw the request end (completed, failed or aborted). */
  end(request: object | undefined, record: RequestRecord, error: unknown): void {
    if (record.ended) return;
    if (request !== undefined) this.records.delete(request);
    const endTime = performance.now();
    this.finish(record, endTime, errorType(record.statusCode, error), error, (endTime - record.startTime) / 1000);
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
        this.diag.error('ending an in-flight span on disable failed', error);
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
    this.finish(record, performance.now(), type, answered ? undefined : new Error(message), undefined);
  }

  private finish(record: RequestRecord, endTime: number, type: string | undefined, error: unknown, durationSeconds: number | undefined): void {
    record.ended = true;
    record.endTime = endTime;
    record.error = error;
    this.sweeper.untrack(record);
    // The source settles what it read (the body) and lets go of its state before anyone reads the record.
    if (record.source !== undefined) record.body = record.source.finish();
    for (const observer of this.observers) observer.onEnd(record, durationSeconds, type);
  }
}
