import { constants, Http2ServerResponse } from 'node:http2';
import type { ChunkWriter, SimResponse } from './internal-types.ts';

/**
 * Breaks the response off mid-body, as a dropped connection would. Over HTTP/2 only this
 * request's stream is reset (NGHTTP2_INTERNAL_ERROR), because the connection carries others.
 */
export function abortResponse(res: SimResponse): void {
  if (res instanceof Http2ServerResponse) res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  else res.socket?.destroy();
}

/** Writes `data`, then aborts once it has reached the socket, so the client does see it first. */
export function writeThenAbort(res: SimResponse, data: string | Buffer): void {
  (res as ChunkWriter).write(data, () => abortResponse(res));
}

/**
 * Whether the client is gone, so writing is pointless. HTTP/2 compat responses have no
 * `destroyed` of their own (it reads undefined): their stream has it.
 */
export function isGone(res: SimResponse): boolean {
  return res instanceof Http2ServerResponse ? res.stream.destroyed : res.destroyed;
}
