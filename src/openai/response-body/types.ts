import type { ResponseBodyFields } from '../body-fields.ts';

export type { ResponseBodyFields };

/** The header strings of a response, for callers that have not parsed them (tests, the bench). */
export interface ResponseBodyReaderInit {
  /** The `content-type` response header: JSON (`application/json`, `*+json`) or `text/event-stream`. */
  contentType: string | undefined;
  /** The `content-encoding` response header: identity, gzip, deflate, br, or zstd where Node has it. */
  contentEncoding: string | undefined;
  statusCode: number;
}

/**
 * One response's body reader. Synchronous throughout: `push` decodes and reads the bytes before
 * it returns, and copies what it keeps, so it holds no reference to the chunk. Neither method throws.
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
  /** Bytes the reader holds now: at most the document cap plus the tail window (the README states it). */
  readonly heldBytes: number;
  /**
   * The fields read. Call it once on every end path (complete, error, abort): it releases the
   * decoder. A body that was malformed, mis-labelled or cut short gives `{}`.
   */
  finish(): ResponseBodyFields;
}
