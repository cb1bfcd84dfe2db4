import type { Context, DiagLogger, Span } from '@opentelemetry/api';
import type { OpenAIResponseHeaders } from './openai/headers.ts';
import type { ResponseBodyFields, ResponseBodyReader } from './openai/response-body/index.ts';

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
  /**
   * The response body's reader, made on the first body chunk of a response worth reading (so
   * a runtime that never publishes body chunks never makes one). The request's end, on every
   * path, finishes it into `body` and drops it.
   */
  responseBody: ResponseBodyReader | undefined;
  /** False once a reader was made for this response, or found not worth making. */
  bodyReadable: boolean;
  /** `performance.now()` when the first response body chunk arrived (where the runtime reports chunks). */
  firstChunkTime: number | undefined;
  /** Data events (chunks) of a streamed body the reader has seen end, `[DONE]` not counted. */
  outputChunks: number;
  /** `performance.now()` when the last of them ended. */
  lastChunkEndTime: number | undefined;
  /** What the response body told, once the request ended; undefined where it was not read. */
  body: ResponseBodyFields | undefined;
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
