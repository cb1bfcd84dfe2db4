import { constants } from 'node:zlib';
import { abortResponse, writeThenAbort } from './abort.ts';
import { createCompressor, type Encoding } from './compression.ts';
import type { ChunkWriter, SimResponse } from './internal-types.ts';

/** Writes a response body in pieces, each reaching the client at once, compressed or not. */
export interface BodyWriter {
  /** Writes `text` and flushes it through the compressor, so the client can decode it now. */
  write(text: string): void;
  /** Writes `text` and ends the body. */
  end(text: string): void;
  /** Writes `text`, then drops the connection once it reached the socket. */
  writeThenAbort(text: string): void;
}

export function bodyWriter(res: SimResponse, encoding: Encoding): BodyWriter {
  if (encoding === 'identity') {
    return {
      write: (text) => void (res as ChunkWriter).write(text),
      end: (text) => void res.end(text),
      writeThenAbort: (text) => writeThenAbort(res, text),
    };
  }
  return compressingWriter(res, encoding);
}

/**
 * Compresses into the response the way a compressing proxy streams: a sync flush after each
 * piece (brotli and zstd: their flush operation), so every event is decodable on arrival.
 */
function compressingWriter(res: SimResponse, encoding: Exclude<Encoding, 'identity'>): BodyWriter {
  const compressor = createCompressor(encoding);
  const flushKind = encoding === 'gzip' || encoding === 'deflate' ? constants.Z_SYNC_FLUSH : undefined;
  // Writes to the response not yet on the socket, and what to do once there are none.
  let pending = 0;
  let whenWritten: (() => void) | undefined;
  compressor.on('data', (chunk: Buffer) => {
    pending++;
    (res as unknown as { write(chunk: Buffer, done: () => void): boolean }).write(chunk, () => {
      if (--pending === 0 && whenWritten !== undefined) {
        const next = whenWritten;
        whenWritten = undefined;
        next();
      }
    });
  });
  compressor.on('end', () => res.end());
  // A client that went away leaves nothing to compress for.
  res.once('close', () => compressor.destroy());
  compressor.on('error', () => abortResponse(res));
  const flush = (done?: () => void): void => {
    if (flushKind === undefined) compressor.flush(done);
    else compressor.flush(flushKind, done);
  };
  return {
    write(text) {
      compressor.write(text);
      flush();
    },
    end(text) {
      compressor.end(text);
    },
    writeThenAbort(text) {
      compressor.write(text);
      flush(() => {
        if (pending === 0) abortResponse(res);
        else whenWritten = () => abortResponse(res);
      });
    },
  };
}
