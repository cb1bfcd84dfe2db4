import zlib from 'node:zlib';

/** Every `content-encoding` the reader undoes, with how to produce it (`deflate` both zlib-wrapped and raw). */
export interface WireEncoding {
  readonly name: string;
  /** The `content-encoding` header value. */
  readonly header: string | undefined;
  encode(body: Buffer): Buffer;
}

export const ENCODINGS: readonly WireEncoding[] = [
  { name: 'identity', header: undefined, encode: (b) => b },
  { name: 'gzip', header: 'gzip', encode: (b) => zlib.gzipSync(b) },
  { name: 'deflate (zlib)', header: 'deflate', encode: (b) => zlib.deflateSync(b) },
  { name: 'deflate (raw)', header: 'deflate', encode: (b) => zlib.deflateRawSync(b) },
  { name: 'br', header: 'br', encode: (b) => zlib.brotliCompressSync(b) },
  ...(typeof zlib.zstdCompressSync === 'function' ? [{ name: 'zstd', header: 'zstd', encode: (b: Buffer) => zlib.zstdCompressSync(b) }] : []),
];

export function chunksOf(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}
