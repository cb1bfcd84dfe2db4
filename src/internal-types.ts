import type { Context, DiagLogger } from '@opentelemetry/api';
import type { OpenAIResponseHeaders } from './openai/headers.ts';
import type { ResponseBodyFields } from './openai/response-body/index.ts';

/** Where a request goes, once matched: provider and operation are low-cardinality names. */
export interface MatchedTarget {
  readonly provider: string;
  readonly operation: string;
  /** `openai.api.type`: set for the APIs whose response bodies are read, from the path. */
  readonly apiType: string | undefined;
  readonly serverAddress: string;
  readonly serverPort: number;
  /** Redacted `url.full`. */
  readonly url: string;
}


/**
 * The lifecycle of one matched request, from its creation to its end, whatever source reported
 * it. Set by the tracker (and the parsed values the source hands it); read by the observers.
 */
export interface RequestRecord {
  readonly target: MatchedTarget;
  readonly method: string;
  /** `performance.now()` at creation: the span's start time. */
  readonly startTime: number;
  readonly parentContext: Context;
  model: string | undefined;
  resendCount: number | undefined;
  /** 0 until response headers arrive. */
  statusCode: number;
  headers: OpenAIResponseHeaders | undefined;
  /** Seconds from the start to the first data event of a streamed response, where the runtime shows the body. */
  timeToFirstChunk: number | undefined;
  /** Data events (chunks) of a streamed body that have ended, `[DONE]` not counted. */
  outputChunks: number;
  /** `performance.now()` when the last of them ended. */
  lastChunkEndTime: number | undefined;
  /** What the response body told, once the request ended; undefined where it was not read. */
  body: ResponseBodyFields | undefined;
  /** `performance.now()` at the end, and the error it ended with (transport errors, aborts). */
  endTime: number | undefined;
  error: unknown;
  /** Bumped on every event: the unfinished-response sweeper reads it as a sign of life. */
  activity: number;
  ended: boolean;
  /** What only the source that opened the record keeps (undici: its body reader). */
  readonly source: SourceState | undefined;
}

/** The part of a record that one event source owns. */
export interface SourceState {
  /** The request ended, on whichever path: what the response body told, and let go of the rest. */
  finish(): ResponseBodyFields | undefined;
}

/**
 * What the span and the metrics are told about each attempt, alike. Each method runs inside a
 * channel handler: it must not throw into the app (the subscription guard catches what escapes).
 */
export interface RequestObserver {
  /**
   * A record was opened. `inject` is given when trace context is to go into this request: an
   * observer that has a context to propagate sets its headers through it.
   */
  onOpen?(record: RequestRecord, inject: ((name: string, value: string) => void) | undefined): void;
  /** Final response headers arrived: the rate-limit state in `record.headers` is fresh. */
  onResponse?(record: RequestRecord): void;
  /**
   * The attempt ended (completed, failed, aborted or given up on); `record.body` is settled.
   * `durationSeconds` is undefined when the end was not observed (the call went silent, or the
   * instrumentation was disabled): the time until we stopped waiting is not the call's duration.
   */
  onEnd(record: RequestRecord, durationSeconds: number | undefined, errorType: string | undefined): void;
  /**
   * `count` more chunks (SSE data events) of a streamed body ended, all at this moment;
   * `sincePrevious` is the time in seconds since the chunk before them ended (undefined when the
   * first of them is the stream's first chunk).
   */
  onChunks?(record: RequestRecord, count: number, sincePrevious: number | undefined): void;
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
