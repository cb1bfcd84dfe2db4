import { context, propagation, trace, type DiagLogger, type Tracer } from '@opentelemetry/api';
import type { ResolvedConfig } from './config.ts';
import type { MatchedTarget, RequestObserver, RequestRecord } from './internal-types.ts';
import type { EndpointMatcher } from './match.ts';
import { errorType } from './span/error-type.ts';
import { finishSpan, startSpanEarly } from './span/finish.ts';
import { isTracingSuppressed } from './span/suppressed.ts';
import { UnfinishedSweeper } from './span/unfinished-sweeper.ts';

export interface HandlerDeps {
  readonly tracer: () => Tracer;
  readonly config: () => ResolvedConfig;
  readonly matcher: () => EndpointMatcher;
  readonly observer: RequestObserver;
  readonly diag: DiagLogger;
}

/**
 * The per-request state that both channel families (undici's and node:http's) share: a record
 * per matched request, found by the identity of the client's request object (a WeakMap, so
 * nothing global is keyed by strings and nothing outlives the request), ended exactly once
 * (span, then metrics), with the sweeper behind it for requests that go silent.
 */
export class RequestTracker {
  private readonly records = new WeakMap<object, RequestRecord>();
  readonly deps: HandlerDeps;
  readonly sweeper: UnfinishedSweeper;

  constructor(deps: HandlerDeps) {
    this.deps = deps;
    this.sweeper = new UnfinishedSweeper(
      () => deps.config().unfinishedResponseTimeoutMs,
      (record) => this.end(undefined, record, undefined),
    );
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
      streamDone: false,
      activity: 0,
      ended: false,
    };
    this.records.set(request, record);
    this.sweeper.track(record);
    return record;
  }

  /** Whether trace context should go out with requests (`propagateTraceContext`). */
  get propagates(): boolean {
    return this.deps.config().propagateTraceContext;
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

  /** Ends the record once: its span, then its duration sample. */
  end(request: object | undefined, record: RequestRecord, error: unknown): void {
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
