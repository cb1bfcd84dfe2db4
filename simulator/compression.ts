import * as zlib from 'node:zlib';

/** A `content-encoding` the simulator can produce; `identity` means none. */
export type Encoding = 'br' | 'gzip' | 'deflate' | 'zstd' | 'identity';

/** zstd arrived in node:zlib later (Node 22.15 / 23.8); elsewhere it is never chosen. */
export const HAS_ZSTD = typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';

// Tie-break among encodings a client accepts equally: the densest first, as CDN edges do.
const PREFERENCE: readonly Encoding[] = HAS_ZSTD ? ['br', 'zstd', 'gzip', 'deflate'] : ['br', 'gzip', 'deflate'];

// Brotli's default quality (11) takes seconds on a multi-MB body; CDNs compress on the fly at about 4.
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };

/**
 * The encoding to answer with for an `accept-encoding` header (RFC 9110 section 12.5.3):
 * the most preferred coding with the highest q-value above 0, `*` standing for any other;
 * identity when the header is absent or accepts nothing the simulator can produce.
 */
export function negotiateEncoding(header: string | string[] | undefined): Encoding {
  if (typeof header !== 'string' || header === '') return 'identity';
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (name !== '' && Number.isFinite(weight)) weights.set(name.trim(), weight);
  }
  let best: Encoding = 'identity';
  let bestWeight = 0;
  for (const encoding of PREFERENCE) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

/** Reads an encoding name, e.g. from a control header; undefined when unknown or unavailable. */
export function parseEncoding(value: string | string[] | undefined): Encoding | undefined {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (name === 'br' || name === 'gzip' || name === 'deflate' || name === 'identity') return name;
  return name === 'zstd' && HAS_ZSTD ? 'zstd' : undefined;
}

// A small body compresses faster than a hop to zlib's thread pool and back, so it is done
// inline and the answer is as prompt as an uncompressed one; large bodies (multi-MB
// embeddings) go to the thread pool, so they never stall the event loop.
const INLINE_MAX_BYTES = 64 * 1024;

type Compress = (body: Buffer, done: (error: Error | null, result: Buffer) => void) => void;
type CompressSync = (body: Buffer) => Buffer;
type ZstdZlib = { zstdCompress: Compress; zstdCompressSync: CompressSync };

const COMPRESSORS: Record<Exclude<Encoding, 'identity'>, { sync: CompressSync; async: Compress }> = {
  br: { sync: (body) => zlib.brotliCompressSync(body, BROTLI), async: (body, done) => zlib.brotliCompress(body, BROTLI, done) },
  gzip: { sync: (body) => zlib.gzipSync(body), async: (body, done) => zlib.gzip(body, done) },
  deflate: { sync: (body) => zlib.deflateSync(body), async: (body, done) => zlib.deflate(body, done) },
  zstd: {
    sync: (body) => (zlib as unknown as ZstdZlib).zstdCompressSync(body),
    async: (body, done) => (zlib as unknown as ZstdZlib).zstdCompress(body, done),
  },
};

/** Compresses a whole body (a JSON answer), inline when small, else off the main thread. */
export function compressBody(encoding: Exclude<Encoding, 'identity'>, body: Buffer, done: (result: Buffer) => void): void {
  const compressor = COMPRESSORS[encoding];
  if (body.length <= INLINE_MAX_BYTES) return done(compressor.sync(body));
  // zlib does not fail on a Buffer in memory; were it to, the body goes out as it is.
  compressor.async(body, (error, result) => done(error ? body : result));
}

/** A streaming compressor for server-sent events; its `flush()` emits what was written so far. */
export function createCompressor(encoding: Exclude<Encoding, 'identity'>): zlib.Gzip | zlib.Deflate | zlib.BrotliCompress {
  if (encoding === 'br') return zlib.createBrotliCompress(BROTLI);
  if (encoding === 'gzip') return zlib.createGzip();
  if (encoding === 'deflate') return zlib.createDeflate();
  return (zlib as unknown as { createZstdCompress(): zlib.Gzip }).createZstdCompress();
}
