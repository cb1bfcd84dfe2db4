/** Where an SSE splitter hands the `data` of each event. */
export interface SseDataSink {
  /** A piece of the current event's data (lines are joined with `\n`, as the SSE spec says). */
  data(buf: Uint8Array, start: number, end: number): void;
  /** A blank line ended an event that had at least one `data` field. */
  endEvent(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = [0x64, 0x61, 0x74, 0x61]; // "data"
const NEWLINE = Buffer.from('\n');

const LINE_START = 0;
const FIELD = 1; // reading a field name
const VALUE_START = 2; // just after `data:`; one space may follow
const DATA_VALUE = 3;
const IGNORE = 4; // a comment, or a field we do not read

/**
 * Splits a `text/event-stream` into events as bytes arrive, without holding lines: a `data`
 * line's bytes go straight to the sink, anything else is stepped over. Lines end in LF, CR or
 * CRLF (a CRLF may be split across chunks); fields other than `data` (`event`, `id`, `retry`,
 * unknown ones) and comments are ignored.
 */
export class SseSplitter {
  private state = LINE_START;
  /** How many bytes of the field name matched "data" (-1: not data). */
  private matched = 0;
  /** The last line ended in CR: a LF that follows belongs to it. */
  private afterCR = false;
  private eventHasData = false;
  private lineCount = 0;

  private readonly sink: SseDataSink;

  constructor(sink: SseDataSink) {
    this.sink = sink;
  }

  /** Whether an event has started but not yet ended (the stream stopped mid-event). */
  get midEvent(): boolean {
    return this.eventHasData;
  }

  write(buf: Uint8Array, start: number, end: number): void {
    let pos = start;
    let nextLF = -2;
    let nextCR = -2;
    if (this.afterCR && pos < end) {
      this.afterCR = false;
      if (buf[pos] === LF) pos++;
    }
    while (pos < end) {
      switch (this.state) {
        case LINE_START: {
          const c = buf[pos]!;
          if (c === LF || c === CR) {
            pos = this.lineEnd(buf, pos, end);
            if (this.eventHasData) {
              this.eventHasData = false;
              this.lineCount = 0;
              this.sink.endEvent();
            }
            break;
          }
          if (c === COLON) {
            this.state = IGNORE;
            pos++;
            break;
          }
          // Nearly every line is `data: ...`: take its name, colon and space at once.
          if (c === DATA[0] && pos + 5 < end && buf[pos + 1] === DATA[1] && buf[pos + 2] === DATA[2] && buf[pos + 3] === DATA[3] && buf[pos + 4] === COLON && buf[pos + 5] === SPACE) {
            this.dataLine();
            this.state = DATA_VALUE;
            pos += 6;
            break;
          }
          this.state = FIELD;
          this.matched = 0;
          break;
        }
        case FIELD: {
          const c = buf[pos]!;
          if (c === COLON) {
            this.state = this.matched === 4 ? VALUE_START : IGNORE;
            pos++;
          } else if (c === LF || c === CR) {
            // A line without a colon is a field with an empty value.
            if (this.matched === 4) this.dataLine();
            this.state = LINE_START;
            pos = this.lineEnd(buf, pos, end);
          } else {
            this.matched = this.matched >= 0 && this.matched < 4 && DATA[this.matched] === c ? this.matched + 1 : -1;
            pos++;
          }
          break;
        }
        case VALUE_START:
          this.dataLine();
          this.state = DATA_VALUE;
          if (buf[pos] === SPACE) pos++;
          break;
        case DATA_VALUE:
        case IGNORE: {
          // Each search runs once per chunk and is reused, so many short lines stay linear.
          if (nextLF !== -1 && nextLF < pos) nextLF = (buf as Buffer).indexOf(LF, pos);
          if (nextCR !== -1 && nextCR < pos) nextCR = (buf as Buffer).indexOf(CR, pos);
          let eol = nextLF < 0 || nextLF >= end ? end : nextLF;
          if (nextCR >= 0 && nextCR < eol) eol = nextCR;
          if (this.state === DATA_VALUE && eol > pos) this.sink.data(buf, pos, eol);
          if (eol === end) return;
          this.state = LINE_START;
          pos = this.lineEnd(buf, eol, end);
          break;
        }
      }
    }
  }

  /** Steps past the line ending at `pos`. */
  private lineEnd(buf: Uint8Array, pos: number, end: number): number {
    if (buf[pos] === CR) {
      if (pos + 1 < end) return buf[pos + 1] === LF ? pos + 2 : pos + 1;
      this.afterCR = true;
    }
    return pos + 1;
  }

  /** A `data` field starts: it continues the event's data after a newline. */
  private dataLine(): void {
    if (this.lineCount++ > 0) this.sink.data(NEWLINE, 0, 1);
    this.eventHasData = true;
  }
}
