import { Decoder, decodable, type Encoding } from './decoder.ts';
import { FieldCollector } from './fields.ts';
import { JsonScanner, ScanStatus } from './json-scanner.ts';
import { MAX_DOCUMENT_BYTES, MAX_STREAM_BYTES } from './limits.ts';
import { JSON_ERROR_ROOT, JSON_ROOT, SSE_ERROR_ROOT, SSE_ROOT } from './paths.ts';
import { SseSplitter, type SseDataSink } from './sse-splitter.ts';
import type { ResponseBodyFields, ResponseBodyReader, ResponseBodyReaderInit } from './types.ts';

const DONE = Buffer.from('[DONE]');
const EMPTY: ResponseBodyFields = Object.freeze({}) as ResponseBodyFields;

type BodyShape = 'json' | 'sse';

function shapeOf(contentType: string | undefined): BodyShape | undefined {
  if (typeof contentType !== 'string') return undefined;
  // The exact values the API sends need no slicing, trimming or lower-casing.
  if (contentType === 'application/json') return 'json';
  if (contentType === 'text/event-stream' || contentType === 'text/event-stream; charset=utf-8') return 'sse';
  if (contentType === 'application/json; charset=utf-8') return 'json';
  const semi = contentType.indexOf(';');
  const mime = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (mime === 'text/event-stream') return 'sse';
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  return undefined;
}

/** `undefined` for identity, the coding to undo, or null when we cannot undo it. */
function encodingOf(contentEncoding: string | undefined): Encoding | undefined | null {
  if (contentEncoding === undefined) return undefined;
  if (contentEncoding === 'gzip' || contentEncoding === 'br') return contentEncoding;
  const e = contentEncoding.trim().toLowerCase();
  if (e === '' || e === 'identity') return undefined;
  if (e === 'x-gzip') return 'gzip';
  return decodable(e) ? e : null;
}

/**
 * A reader for one response body, or undefined when there is nothing to read in it (not JSON
 * or SSE, or a `content-encoding` we cannot undo, e.g. two codings stacked): then the caller
 * keeps nothing per request.
 */
export function createResponseBodyReader(init: ResponseBodyReaderInit): ResponseBodyReader | undefined {
  try {
    const shape = shapeOf(init.contentType);
    if (shape === undefined) return undefined;
    const encoding = encodingOf(init.contentEncoding);
    if (encoding === null) return undefined;
    return new BodyReader(shape, encoding, init.statusCode >= 400);
  } catch {
    return undefined;
  }
}

class BodyReader implements ResponseBodyReader, SseDataSink {
  private collector: FieldCollector | undefined = new FieldCollector();
  private scanner: JsonScanner | undefined;
  private splitter: SseSplitter | undefined;
  private decoder: Decoder | undefined;
  private readonly sse: boolean;
  /** Decoded bytes seen: of the body (JSON) or of the whole stream (SSE). */
  private total = 0;
  private readonly cap: number;
  /** Bytes of the current SSE event's data; how many of them matched `[DONE]` so far (-1: not it). */
  private eventBytes = 0;
  private doneMatched = 0;
  private eventCapped = false;
  /** Past the cap: nothing more is decoded or scanned, what was read stays. */
  private capped = false;
  private broken = false;
  private finished = false;
  streamEnded = false;
  dataEvents = 0;
  private onDecoded: ((buf: Buffer, start: number, end: number) => boolean) | undefined;

  constructor(shape: BodyShape, encoding: Encoding | undefined, error: boolean) {
    this.sse = shape === 'sse';
    this.cap = this.sse ? MAX_STREAM_BYTES : MAX_DOCUMENT_BYTES;
    this.scanner = new JsonScanner(this.collector!, this.sse ? (error ? SSE_ERROR_ROOT : SSE_ROOT) : error ? JSON_ERROR_ROOT : JSON_ROOT);
    this.scanner.reset();
    if (this.sse) this.splitter = new SseSplitter(this);
    if (encoding !== undefined) this.decoder = new Decoder(encoding);
  }

  push(chunk: Uint8Array): void {
    if (this.finished || this.broken || this.capped) return;
    try {
      // The scanners use Buffer's native helpers; undici hands Buffers, anything else is viewed as one.
      if (!Buffer.isBuffer(chunk)) chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (this.decoder === undefined) {
        this.scan(chunk, 0, chunk.length);
      } else if (!this.decoder.write(chunk, (this.onDecoded ??= (buf, start, end) => this.scan(buf, start, end)))) {
        this.broken = true;
      }
      this.scanner?.endChunk();
      if (this.capped) this.release();
    } catch {
      this.broken = true;
      this.release();
    }
  }

  finish(): ResponseBodyFields {
    if (this.finished) return EMPTY;
    this.finished = true;
    try {
      return this.result();
    } catch {
      return EMPTY;
    } finally {
      this.release();
      this.collector = undefined;
    }
  }

  private result(): ResponseBodyFields {
    const collector = this.collector;
    const scanner = this.scanner;
    if (this.broken || collector === undefined || scanner === undefined || scanner.failed) return EMPTY;
    if (this.sse) {
      // A stream cut mid-event is a broken body; one that stopped at the cap keeps its events.
      if (this.splitter!.midEvent && !this.capped && !this.endEvent()) return EMPTY;
    } else {
      const status = scanner.end();
      if (status === ScanStatus.Malformed) return EMPTY;
      if (status === ScanStatus.Complete || this.capped) collector.commitDocument();
      else return EMPTY;
    }
    return collector.result();
  }

  /** Decoded bytes: count them against the cap, then scan them. False = stop decoding. */
  private scan(buf: Uint8Array, start: number, end: number): boolean {
    let stop = end;
    if (this.total + (end - start) > this.cap) {
      stop = start + (this.cap - this.total);
      this.capped = true;
    }
    this.total += stop - start;
    if (this.sse) this.splitter!.write(buf, start, stop);
    else this.scanner!.write(buf, start, stop);
    this.scanner!.endChunk();
    if (this.scanner!.failed) this.broken = true;
    return !this.capped && !this.broken;
  }

  /** SSE: a piece of the current event's data. `[DONE]` ends the stream and is not JSON. */
  data(buf: Uint8Array, start: number, end: number): void {
    if (this.broken || this.eventCapped) return;
    if (this.eventBytes + (end - start) > MAX_DOCUMENT_BYTES) {
      end = start + (MAX_DOCUMENT_BYTES - this.eventBytes);
      this.eventCapped = true;
    }
    const first = this.eventBytes === 0;
    this.eventBytes += end - start;
    const scanner = this.scanner!;
    let pos = start;
    if (this.doneMatched >= 0) {
      while (pos < end && this.doneMatched < DONE.length && buf[pos] === DONE[this.doneMatched]) {
        pos++;
        this.doneMatched++;
      }
      if (pos === end) return;
      // Not `[DONE]` after all: the bytes held back are ordinary data.
      if (this.doneMatched > 0) scanner.write(DONE, 0, this.doneMatched);
      else if (first) {
        this.doneMatched = -1;
        scanner.writeDocumentStart(buf, pos, end);
        if (scanner.failed) this.broken = true;
        return;
      }
      this.doneMatched = -1;
    }
    scanner.write(buf, pos, end);
    if (scanner.failed) this.broken = true;
  }

  endEvent(): boolean {
    const scanner = this.scanner!;
    let ok = true;
    if (this.doneMatched === DONE.length) {
      // `[DONE]`: nothing to read.
      this.streamEnded = true;
    } else {
      this.dataEvents++;
      if (this.doneMatched > 0) scanner.write(DONE, 0, this.doneMatched);
      const status = scanner.end();
      if (status === ScanStatus.Complete || (this.eventCapped && status !== ScanStatus.Malformed)) this.collector!.commitDocument();
      else if (status !== ScanStatus.Empty) {
        ok = false;
        this.broken = true;
      }
    }
    this.eventBytes = 0;
    this.doneMatched = 0;
    this.eventCapped = false;
    scanner.reset();
    return ok;
  }

  /** Lets go of everything but the collected fields. */
  private release(): void {
    this.decoder?.close();
    this.decoder = undefined;
    this.scanner?.release();
    if (this.finished) {
      this.scanner = undefined;
      this.splitter = undefined;
    }
  }
}
