import { request, type IncomingHttpHeaders } from 'node:http';
import * as zlib from 'node:zlib';
import type { Simulator } from '../../simulator/index.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came off the wire, still compressed. */
  body: Buffer;
  /** Whether the connection broke before the body ended. */
  broken: boolean;
}

/**
 * A POST through node:http, which never decompresses: the test sees the wire bytes. Resolves
 * with what arrived even when the connection breaks off mid-body.
 */
export function rawPost(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      const done = (broken: boolean) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), broken });
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(false));
      res.on('error', () => done(true));
      res.on('aborted', () => done(true));
    });
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

/**
 * Decodes a body by its content-encoding with node:zlib, flushing instead of insisting on a
 * complete stream, so a body cut off mid-way decodes as far as it got.
 */
export function decode(encoding: string | undefined, body: Buffer): string {
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case undefined:
      return body.toString('utf8');
    case 'gzip':
      return zlib.gunzipSync(body, flush).toString('utf8');
    case 'deflate':
      return zlib.inflateSync(body, flush).toString('utf8');
    case 'br':
      return zlib.brotliDecompressSync(body, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }).toString('utf8');
    case 'zstd':
      return (zlib as unknown as { zstdDecompressSync(body: Buffer): Buffer }).zstdDecompressSync(body).toString('utf8');
    default:
      throw new Error(`unexpected content-encoding ${encoding}`);
  }
}

/** The `data:` payloads of an SSE text, `[DONE]` left out. */
export function ssePayloads(text: string): string[] {
  return text
    .split('\n\n')
    .flatMap((event) => event.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)))
    .filter((payload) => payload !== '[DONE]');
}
