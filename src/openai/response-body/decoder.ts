import zlib from 'node:zlib';

/**
 * Incremental, synchronous decompression for the reader, which runs inside a
 * diagnostics-channel subscriber and must be done with a chunk before it returns.
 *
 * Why Node's own zlib, driven through its native handle's `writeSync`: Node's zlib streams
 * and callback APIs run on the threadpool (async), and `_processChunk`'s sync path closes the
 * handle after one call, so neither can decode a body chunk by chunk inside a subscriber. A
 * pure-JS inflater (fflate's streaming classes are sync and incremental) has no brotli or zstd,
 * costs far more per body than native inflate, and would be a new runtime dependency. The
 * native handle is what `zlib.gunzipSync` itself drives: `writeSync(flush, in, inOff, inLen,
 * out, outOff, outLen)` leaves (availOutAfter, availInAfter) in the stream's `_writeState`.
 * These are internals, so every step is checked and any surprise means "no decoder" (the
 * body then gives no fields), never a throw.
 *
 * Creating a decompressor allocates native state, which costs more than inflating a typical
 * chat response, so idle ones are kept in a pool and reset between bodies. The pool is
 * process-wide, which is per instance in practice: only one instrumentation subscribes per
 * process.
 */

export type Encoding = 'gzip' | 'deflate' | 'br' | 'zstd';

/** Where decoded bytes go; returns false to stop decoding (the reader reached its cap). */
export type DecodedSink = (buf: Buffer, start: number, end: number) => boolean;

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  reset(): void;
}

interface Engine {
  readonly stream: NodeJS.EventEmitter & { destroyed: boolean; close(): void };
  readonly handle: NativeHandle;
  readonly state: Uint32Array;
  readonly encoding: Encoding | 'deflate-raw';
}

/**
 * Idle decompressors are kept up to the most that were ever in use at once (so concurrent
 * streams reuse rather than create one each), and never more than this many per encoding.
 */
const MAX_POOLED = 64;
let inUse = 0;
let peak = 0;
const pools = new Map<Encoding | 'deflate-raw', Engine[]>();
/** All decoding is synchronous, so one output buffer serves every reader. */
const OUT = Buffer.allocUnsafe(16 * 1024);
const noop = (): void => {};

const C = zlib.constants;
const FLUSH: Record<Engine['encoding'], number> = {
  gzip: C.Z_SYNC_FLUSH,
  deflate: C.Z_SYNC_FLUSH,
  'deflate-raw': C.Z_SYNC_FLUSH,
  br: C.BROTLI_OPERATION_PROCESS,
  zstd: (C as Record<string, number>)['ZSTD_e_continue'] ?? 0,
};

const hasZstd = typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';

function create(encoding: Engine['encoding']): Engine | undefined {
  let stream: Engine['stream'];
  switch (encoding) {
    case 'gzip':
      stream = zlib.createGunzip() as Engine['stream'];
      break;
    case 'deflate':
      stream = zlib.createInflate() as Engine['stream'];
      break;
    case 'deflate-raw':
      stream = zlib.createInflateRaw() as Engine['stream'];
      break;
    case 'br':
      stream = zlib.createBrotliDecompress() as unknown as Engine['stream'];
      break;
    case 'zstd':
      if (!hasZstd) return undefined;
      stream = (zlib as unknown as { createZstdDecompress(): Engine['stream'] }).createZstdDecompress();
      break;
  }
  // A corrupt body makes the native side destroy the stream, which emits 'error' later.
  stream.on('error', noop);
  const internals = stream as unknown as { _handle?: NativeHandle; _writeState?: Uint32Array };
  const handle = internals._handle;
  const state = internals._writeState;
  if (handle === undefined || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array)) {
    stream.close();
    return undefined;
  }
  return { stream, handle, state, encoding };
}

function acquire(encoding: Engine['encoding']): Engine | undefined {
  const engine = pools.get(encoding)?.pop() ?? create(encoding);
  if (engine !== undefined && ++inUse > peak) peak = inUse;
  return engine;
}

function release(engine: Engine): void {
  inUse--;
  if (engine.stream.destroyed) return;
  let pool = pools.get(engine.encoding);
  if (pool === undefined) pools.set(engine.encoding, (pool = []));
  if (pool.length >= Math.min(peak, MAX_POOLED)) {
    engine.stream.close();
    return;
  }
  try {
    engine.handle.reset();
    pool.push(engine);
  } catch {
    engine.stream.close();
  }
}

/** Whether we can decode this `content-encoding` value (already trimmed and lower-cased). */
export function decodable(encoding: string): encoding is Encoding {
  return encoding === 'gzip' || encoding === 'deflate' || encoding === 'br' || (encoding === 'zstd' && hasZstd);
}

/**
 * One body's decompressor. `deflate` is meant to be zlib-wrapped, but some servers send raw
 * deflate: the first two bytes tell which (a zlib header is a multiple of 31 with method 8).
 */
export class Decoder {
  private engine: Engine | undefined;
  private failedState = false;
  private sniff = -1;
  private readonly encoding: Encoding;

  constructor(encoding: Encoding) {
    this.encoding = encoding;
  }

  get failed(): boolean {
    return this.failedState;
  }

  /** Decodes `chunk` into `sink`; false when the body is corrupt (or the runtime let us down). */
  write(chunk: Uint8Array, sink: DecodedSink): boolean {
    if (this.failedState) return false;
    if (chunk.length === 0) return true;
    if (this.engine === undefined) {
      let kind: Engine['encoding'] = this.encoding;
      if (kind === 'deflate') {
        if (this.sniff < 0 && chunk.length === 1) {
          this.sniff = chunk[0]!;
          return true;
        }
        const first = this.sniff >= 0 ? this.sniff : chunk[0]!;
        const second = this.sniff >= 0 ? chunk[0]! : chunk[1]!;
        if ((first & 0x0f) !== 8 || ((first << 8) | second) % 31 !== 0) kind = 'deflate-raw';
      }
      this.engine = acquire(kind);
      if (this.engine === undefined) return this.fail();
      if (this.sniff >= 0) {
        const first = Buffer.of(this.sniff);
        this.sniff = -1;
        if (!this.run(first, sink)) return false;
      }
    }
    return this.run(chunk, sink);
  }

  private run(chunk: Uint8Array, sink: DecodedSink): boolean {
    const engine = this.engine!;
    const flush = FLUSH[engine.encoding];
    let inOff = 0;
    let inLen = chunk.length;
    for (;;) {
      engine.handle.writeSync(flush, chunk, inOff, inLen, OUT, 0, OUT.length);
      if (engine.stream.destroyed) return this.fail();
      const availOut = engine.state[0]!;
      const availIn = engine.state[1]!;
      const produced = OUT.length - availOut;
      if (produced > 0 && !sink(OUT, 0, produced)) return true;
      // A full output buffer means there is more to take out of the same input.
      if (availOut !== 0 || availIn === 0 && produced === 0) return true;
      inOff += inLen - availIn;
      inLen = availIn;
    }
  }

  private fail(): false {
    this.failedState = true;
    this.close();
    return false;
  }

  /** Gives the decompressor back (reset, for the next body) or lets it go. */
  close(): void {
    const engine = this.engine;
    this.engine = undefined;
    if (engine !== undefined) release(engine);
  }
}
