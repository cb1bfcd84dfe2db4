import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** The parsed JSON request body; only objects are accepted. */
export type JsonObject = Record<string, unknown>;

/** The endpoints that generate output and are rate limited. */
export type Operation = 'chat' | 'text_completion' | 'embeddings' | 'responses';

/** Node hands these over HTTP/1.1 (plain or TLS fallback) and HTTP/2 alike. */
export type SimRequest = IncomingMessage | Http2ServerRequest;
export type SimResponse = ServerResponse | Http2ServerResponse;

/**
 * The write() both response kinds share. Their declared overloads differ, which makes
 * TypeScript refuse a call on the union, so callers view a response through this.
 */
export interface ChunkWriter {
  write(chunk: string | Buffer, callback?: () => void): boolean;
}
