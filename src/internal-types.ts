import type { Attributes, Context, DiagLogger, Span } from '@opentelemetry/api';
import type { OpenAIResponseHeaders } from './openai/headers.ts';

/** Where a request goes, once matched: provider and operation are low-cardinality names. */
export interface MatchedTarget {
  readonly provider: string;
  readonly operation: string;
  readonly serverAddress: string;
  readonly serverPort: number;
  /** Redacted `url.full`. */
  readonly url: string;
}

/**
 * Reads a response body as it streams past, where the runtime hands its chunks over (the
 * shape of `openai/response-body`'s reader). The undici handlers push chunks; the span's end,
 * on every end path, finishes it and adds what it found.
 */
export interface ResponseBodyObserver {
  push(chunk: Uint8Array): void;
  /** What the body told, as span attributes; undefined when it told nothing. Called once. */
  finish(): Attributes | undefined;
}

/** Per-request state, from `undici:request:create` to the span's end. */
export interface RequestRecord {
  readonly target: MatchedTarget;
  readonly method: string;
  /** `performance.now()` at creation: the span's start time. */
  readonly startTime: number;
  readonly parentContext: Context;
  /** Set only when the span had to exist before the response (trace-context propagation). */
  span: Span | undefined;
  model: string | undefined;
  /** Body bytes already searched for the model; bounded so huge bodies cost nothing more. */
  modelBytesScanned: number;
  resendCount: number | undefined;
  /** 0 until response headers arrive. */
  statusCode: number;
  headers: OpenAIResponseHeaders | undefined;
  /** Set where the response body can be read (none is built yet). */
  responseBody: ResponseBodyObserver | undefined;
  /** Saw `data: [DONE]` in a streamed body: a later cancel is not an error. */
  streamDone: boolean;
  /** Bumped on every event: the unfinished-response sweeper reads it as a sign of life. */
  activity: number;
  ended: boolean;
}

/** What the metrics side is told about each attempt. */
export interface RequestObserver {
  /** Final response headers arrived: the rate-limit state in `record.headers` is fresh. */
  onResponse(record: RequestRecord): void;
  /**
   * The attempt ended (completed, failed, aborted or given up on). `durationSeconds` is
   * undefined when the end was not observed (the call went silent, or the instrumentation was
   * disabled): the time until we stopped waiting is not the call's duration.
   */
  onEnd(record: RequestRecord, durationSeconds: number | undefined, errorType: string | undefined): void;
}

/** The slice of an undici `Request` we read. Everything is optional: other undici versions vary. */
export interface UndiciRequestLike {
  readonly origin?: unknown;
  readonly path?: unknown;
  readonly method?: unknown;
  readonly headers?: unknown;
  readonly body?: unknown;
  /** `'websocket'` for a WebSocket handshake. */
  readonly upgrade?: unknown;
  addHeader?(name: string, value: string): unknown;
}

/** Decides whether a request goes to an OpenAI-compatible API, and where exactly. */
export interface TargetMatcher {
  match(origin: unknown, path: unknown): MatchedTarget | undefined;
}

/** What an event source's handlers need besides the request tracker. */
export interface SourceDeps {
  /** The matcher of the current config (rebuilt after `setConfig`). */
  readonly matcher: () => TargetMatcher;
  /** `propagateTraceContext` of the current config. */
  readonly propagateTraceContext: () => boolean;
  readonly diag: DiagLogger;
}
