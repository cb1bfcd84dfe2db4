/** What the response body told us. A field the body lacks (or gives as `null`) is absent, never 0. */
export interface ResponseBodyFields {
  /** Top-level `id` (`chatcmpl-...`, `cmpl-...`, `resp_...`); SSE: the first event that has one. */
  responseId?: string;
  /** Top-level `model`: the snapshot that answered. */
  responseModel?: string;
  /** One per choice, in `index` order (SSE: the last non-null one per index); Responses API: its status in chat's vocabulary. */
  finishReasons?: string[];
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  reasoningOutputTokens?: number;
  serviceTier?: string;
  systemFingerprint?: string;
  /** Error bodies (status >= 400) only: `error.code`, never the message. */
  errorCode?: string;
  /** Error bodies (status >= 400) only: `error.type`. */
  errorType?: string;
}

/** What the caller knows about the response when its headers arrive. */
export interface ResponseBodyReaderInit {
  /** The `content-type` response header: JSON (`application/json`, `*+json`) or `text/event-stream`. */
  contentType: string | undefined;
  /** The `content-encoding` response header: identity, gzip, deflate, br, or zstd where Node has it. */
  contentEncoding: string | undefined;
  statusCode: number;
}

/**
 * One response's body reader. Synchronous throughout: `push` decodes and scans the bytes before
 * it returns, so it holds no reference to the chunk. Neither method throws.
 */
export interface ResponseBodyReader {
  /** The raw bytes as they came off the wire (still compressed), in any chunking. */
  push(chunk: Uint8Array): void;
  /**
   * A stream's decoded bytes held `data: [DONE]`: the server said the call is complete, so a
   * client that cancels the body afterwards (the openai SDK does) did not fail.
   */
  readonly streamEnded: boolean;
  /**
   * How many data events (chunks) of a stream have ended so far, `[DONE]` not counted; 0 for
   * JSON. The first one marks the time to first chunk: SSE comments and blank lines that a
   * server sends while the request is queued are not data events.
   */
  readonly dataEvents: number;
  /**
   * The fields read. Call it once on every end path (complete, error, abort): it releases the
   * decoder. A body that was malformed, mis-labelled or cut short gives `{}`.
   */
  finish(): ResponseBodyFields;
}
