import { MAX_DOCUMENT_BYTES } from './limits.ts';

/** Where a splitter hands each event that has data. */
export interface SseEventSink {
  /**
   * One event's `data` (its lines joined with `\n`, as the SSE spec says) in `buf[start, end)`,
   * valid only during the call; `whole` is false when the data passed the per-event cap and
   * was cut.
   */
  event(buf: Buffer, start: number, end: number, whole: boolean): void;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = Buffer.from('data');

/** A growable byte buffer that owns its bytes, bounded by the per-event cap. */
class Bytes {
  buf = Buffer.allocUnsafe(0);
  length = 0;
  cut = false;

  append(src: Uint8Array, start: number, end: number): void {
    let n = end - start;
    if (this.length + n > MAX_DOCUMENT_BYTES) {
      n = MAX_DOCUMENT_BYTES - this.length;
      this.cut = true;
    }
    if (n <= 0) return;
    if (this.length + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_DOCUMENT_BYTES, Math.max(256, 2 * (this.length + n))));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.buf.set(src.subarray(start, start + n), this.length);
    this.length += n;
  }

  clear(): void {
    this.length = 0;
    this.cut = false;
    // A large event's buffer is not kept for the next one.
    if (this.buf.length > 64 * 1024) this.buf = Buffer.allocUnsafe(0);
  }
}

/**
 * Splits a `text/event-stream` into events as bytes arrive. Lines end in LF, CR or CRLF (a
 * CRLF may be split across chunks); only `data` fields are kept, other fields (`event`, `id`,
 * `retry`, unknown ones) and comments are stepped over. An event whose one data line lies in
 * one chunk is handed over in place; anything cut by a chunk's end is copied and held.
 */
export class SseSplitter {
  private readonly sink: SseEventSink;
  /** A line cut by the end of a chunk. */
  private readonly line = new Bytes();
  /** The current event's data, once it had to be copied (several lines, or cut by a chunk's end). */
  private readonly data = new Bytes();
  private lines = 0;
  /** The current event's one data line, still in the chunk being written. */
  private inPlace: Buffer | undefined;
  private inPlaceStart = 0;
  private inPlaceEnd = 0;
  /** The last line ended in CR: a LF that follows belongs to it. */
  private afterCR = false;
  private crSeen = false;

  constructor(sink: SseEventSink) {
    this.sink = sink;
  }

  /** Whether the stream stopped inside an event that has data (no blank line ended it). */
  get midEvent(): boolean {
    if (this.lines > 0) return true;
    const { buf, length } = this.line;
    return length >= 4 && buf.compare(DATA, 0, 4, 0, 4) === 0 && (length === 4 || buf[4] === COLON);
  }

  /** Bytes held between chunks. */
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
      // A blank line right here (the end of nearly every event) needs no search.
      if (buf[pos] === LF && this.line.length === 0) {
        this.dispatch();
        pos++;
        continue;
      }
      if (nextLF !== -1 && nextLF < pos) nextLF = buf.indexOf(LF, pos);
      let eol = nextLF < 0 || nextLF >= end ? -1 : nextLF;
      // A stream ends its lines in LF or CRLF, or in CR alone: CRs are searched for once one
      // was seen, or when no LF is left in the chunk.
      if (this.crSeen || eol < 0) {
        if (nextCR !== -1 && nextCR < pos) nextCR = buf.indexOf(CR, pos);
        if (nextCR >= 0 && nextCR < end && (eol < 0 || nextCR < eol)) eol = nextCR;
      }
      // CRLF: the line ends at its CR.
      if (eol > pos && buf[eol] === LF && buf[eol - 1] === CR) eol--;
      if (eol < 0) {
        this.line.append(buf, pos, end);
        break;
      }
      if (this.line.length > 0) {
        this.line.append(buf, pos, eol);
        this.onLine(this.line.buf, 0, this.line.length);
        this.line.clear();
      } else {
        this.onLine(buf, pos, eol);
      }
      pos = eol + 1;
      if (buf[eol] === CR) {
        this.crSeen = true;
        if (pos < end) {
          if (buf[pos] === LF) pos++;
        } else this.afterCR = true;
      }
    }
    // The chunk is the caller's: a data line waiting for its blank line is copied before it goes.
    if (this.inPlace !== undefined) {
      this.data.append(this.inPlace, this.inPlaceStart, this.inPlaceEnd);
      this.inPlace = undefined;
    }
  }

  private onLine(buf: Buffer, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    // `data:` or a bare `data` line; anything else (comments, other fields) is not read.
    if (end - start < 4 || buf[start] !== DATA[0] || buf[start + 1] !== DATA[1] || buf[start + 2] !== DATA[2] || buf[start + 3] !== DATA[3]) return;
    let value = start + 4;
    if (value < end) {
      if (buf[value] !== COLON) return;
      value++;
      if (value < end && buf[value] === SPACE) value++;
    }
    if (this.lines++ === 0 && this.line.length === 0) {
      this.inPlace = buf;
      this.inPlaceStart = value;
      this.inPlaceEnd = end;
      return;
    }
    if (this.inPlace !== undefined) {
      this.data.append(this.inPlace, this.inPlaceStart, this.inPlaceEnd);
      this.inPlace = undefined;
    }
    if (this.lines > 1) this.data.append(NEWLINE_BYTE, 0, 1);
    this.data.append(buf, value, end);
    // A line longer than the cap was cut where it was held.
    if (buf === this.line.buf && this.line.cut) this.data.cut = true;
  }

  /** A blank line: the event ends, and is handed over if it had data. */
  private dispatch(): void {
    if (this.lines === 0) return;
    this.lines = 0;
    const inPlace = this.inPlace;
    if (inPlace !== undefined) {
      this.inPlace = undefined;
      const whole = this.inPlaceEnd - this.inPlaceStart <= MAX_DOCUMENT_BYTES;
      this.sink.event(inPlace, this.inPlaceStart, whole ? this.inPlaceEnd : this.inPlaceStart + MAX_DOCUMENT_BYTES, whole);
      return;
    }
    const { buf, length, cut } = this.data;
    this.sink.event(buf, 0, length, !cut);
    this.data.clear();
  }
}

const NEWLINE_BYTE = Buffer.of(LF);
