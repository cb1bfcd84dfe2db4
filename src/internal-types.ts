import type { Context, Span } from '@opentelemetry/api';

/** Where a request goes, once matched: provider and operation are low-cardinality names. */
export interface MatchedTarget {
  readonly provider: string;
  readonly operation: string;
  readonly serverAddress: string;
  readonly serverPort: number;
  /** Redacted `url.full`. */
  readonly url: string;
}

/** The OpenAI "Debugging requests" response headers, typed. Absent or unparseable: undefined. */
export interface OpenAIResponseHeaders {
  requestId: string | undefined;
  organization: string | undefined;
  project: string | undefined;
  version: string | undefined;
  processingMs: number | undefined;
  requestsLimit: number | undefined;
  requestsRemaining: number | undefined;
  requestsReset: number | undefined;
  tokensLimit: number | undefined;
  tokensRemaining: number | undefined;
  tokensReset: number | undefined;
  /** Seconds, from `retry-after-ms`, else `retry-after`. */
  retryAfter: number | undefined;
  /** True when the body is a server-sent event stream (a streamed completion). */
  eventStream: boolean;
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
  /** The attempt ended (completed, failed, aborted or timed out). */
  onEnd(record: RequestRecord, durationSeconds: number, errorType: string | undefined): void;
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
