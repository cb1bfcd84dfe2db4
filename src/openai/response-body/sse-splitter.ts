import { MAX_DOCUMENT_BYTES } from './limits.ts';

/** Where a splitter hands each event that has data. */
export interface SseEventSink {
  /**
   * One event's `data` (its lines joined with `\n`, as the SSE spec says) in `buf[start, end)`,
   * valid only during the call; `whole` is false when it passed the per-event cap and was cut.
   */
  event(buf: Buffer, start: number, end: number, whole: boolean): void;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const NEWLINE = Buffer.of(LF);

/** Bytes copied out of chunks and held, up to the per-event cap. */
class Held {
  buf = Buffer.alloc(0);
  length = 0;
  cut = false;

  append(src: Buffer, start: number, end: number): void {
    const n = Math.min(end - start, MAX_DOCUMENT_BYTES - this.length);
    if (n < end - start) this.cut = true;
    if (n <= 0) return;
    if (this.length + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_DOCUMENT_BYTES, Math.max(256, 2 * (this.length + n))));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    src.copy(this.buf, this.length, start, start + n);
    this.length += n;
  }

  clear(): void {
    this.length = 0;
    this.cut = false;
    if (this.buf.length > 64 * 1024) this.buf = Buffer.alloc(0);
  }
}

/**
 * Splits a `text/event-stream` into events as bytes arrive. Lines end in LF, CRLF or CR (a CRLF
 * may be split across chunks); only `data` fields are kept, other fields and comments are
 * stepped over. An event whose one data line lies in one chunk is handed over in place; what a
 * chunk's end cuts is copied and held.
 */
export class SseSplitter {
  private readonly sink: SseEventSink;
  /** A line cut by the end of a chunk, and the current event's data once it had to be copied. */
  private readonly line = new Held();
  private readonly data = new Held();
  /** Data lines of the current event; the first one, while it is still in the chunk being written. */
  private lines = 0;
  private inPlace: Buffer | undefined;
  private from = 0;
  private to = 0;
  /** The last line ended in CR: a LF that follows belongs to it. */
  private afterCR = false;
  /** CRs are searched for once the stream used one, or when no LF is left in the chunk. */
  private crSeen = false;

  constructor(sink: SseEventSink) {
    this.sink = sink;
  }

  /** Whether the stream stopped inside an event that has data (no blank line ended it). */
  get midEvent(): boolean {
    const { buf, length } = this.line;
    return this.lines > 0 || (length >= 4 && dataValue(buf, 0, length) >= 0);
  }

  get heldBytes(): number {
    return this.line.buf.length + this.data.buf.length;
  }

  write(buf: Buffer, start: number, end: number): void {
    let pos = start;
    if (this.afterCR && pos < end) {
      this.afterCR = false;
      if (buf[pos] === LF) pos++;
    }
    // Each search runs once per chunk and is reused, so many short lines stay linear.
    let nextLF = -2;
    let nextCR = -2;
    while (pos < end) {
      // A blank line here (the end of nearly every event) needs no search.
      if (buf[pos] === LF && this.line.length === 0) {
        this.dispatch();
        pos++;
        continue;
      }
      if (nextLF !== -1 && nextLF < pos) nextLF = buf.indexOf(LF, pos);
      let eol = nextLF < 0 || nextLF >= end ? -1 : nextLF;
      if (this.crSeen || eol < 0) {
        if (nextCR !== -1 && nextCR < pos) nextCR = buf.indexOf(CR, pos);
        if (nextCR >= 0 && nextCR < end && (eol < 0 || nextCR < eol)) eol = nextCR;
      }
      if (eol < 0) {
        this.line.append(buf, pos, end);
        break;
      }
      if (eol > pos && buf[eol] === LF && buf[eol - 1] === CR) eol--;
      if (this.line.length > 0) {
        this.line.append(buf, pos, eol);
        this.onLine(this.line.buf, 0, this.line.length);
        this.line.clear();
      } else this.onLine(buf, pos, eol);
      pos = eol + 1;
      if (buf[eol] === CR) {
        this.crSeen = true;
        if (pos === end) this.afterCR = true;
        else if (buf[pos] === LF) pos++;
      }
    }
    // The chunk is the caller's: a data line still waiting for its blank line is copied.
    if (this.inPlace !== undefined) this.copyInPlace();
  }

  private onLine(buf: Buffer, start: number, end: number): void {
    if (start === end) return this.dispatch();
    const value = dataValue(buf, start, end);
    if (value < 0) return;
    if (this.lines++ === 0 && buf !== this.line.buf) {
      this.inPlace = buf;
      this.from = value;
      this.to = end;
      return;
    }
    if (this.inPlace !== undefined) this.copyInPlace();
    if (this.lines > 1) this.data.append(NEWLINE, 0, 1);
    this.data.append(buf, value, end);
    // A line longer than the cap was cut where it was held.
    if (buf === this.line.buf && this.line.cut) this.data.cut = true;
  }

  private copyInPlace(): void {
    this.data.append(this.inPlace!, this.from, this.to);
    this.inPlace = undefined;
  }

  /** A blank line: the event ends, and is handed over if it had data. */
  private dispatch(): void {
    if (this.lines === 0) return;
    this.lines = 0;
    const inPlace = this.inPlace;
    if (inPlace !== undefined) {
      this.inPlace = undefined;
      const whole = this.to - this.from <= MAX_DOCUMENT_BYTES;
      this.sink.event(inPlace, this.from, whole ? this.to : this.from + MAX_DOCUMENT_BYTES, whole);
      return;
    }
    this.sink.event(this.data.buf, 0, this.data.length, !this.data.cut);
    this.data.clear();
  }
}

/** Where the value of a `data` line starts (after `data:` and one space, or a bare `data`), or -1 for any other line. */
function dataValue(buf: Buffer, start: number, end: number): number {
  if (end - start < 4 || buf[start] !== 0x64 || buf[start + 1] !== 0x61 || buf[start + 2] !== 0x74 || buf[start + 3] !== 0x61) return -1;
  let value = start + 4;
  if (value === end) return value;
  if (buf[value++] !== COLON) return -1;
  return value < end && buf[value] === 0x20 ? value + 1 : value;
}
