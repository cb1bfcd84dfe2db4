import type { DocumentState, FieldCollector } from './fields.ts';
import { MAX_NUMBER_BYTES, MAX_PREFIX_BYTES, MAX_VALUE_BYTES } from './limits.ts';
import { childFor, Kind, type PathNode } from './paths.ts';

/** How a document ended. */
export const ScanStatus = { Empty: 0, Incomplete: 1, Complete: 2, Malformed: 3 } as const;
export type ScanStatus = (typeof ScanStatus)[keyof typeof ScanStatus];

const S_VALUE = 0; // a value is due (target says where it sits)
const S_OBJ_FIRST = 1; // after `{`: a key or `}`
const S_OBJ_KEY = 2; // after `,` in an object: a key
const S_KEY = 3; // inside a key
const S_COLON = 4;
const S_AFTER = 5; // after a value inside a container: `,` or its closer
const S_ARR_FIRST = 6; // after `[`: a value or `]`
const S_STRING = 7; // inside a string value
const S_SCALAR = 8; // inside a number or literal
const S_SKIP = 9; // inside a container nobody wants: only brackets and strings matter
const S_SKIP_STRING = 10;
const S_DONE = 11; // the document's value is complete: only whitespace may follow
const S_ERROR = 12;

const QUOTE = 0x22;
/** Bytes looked at one by one before handing the search for a closing quote to indexOf. */
const SHORT_STRING = 48;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
/** Bytes a number or literal is made of (validated when it ends). */
const SCALAR_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) SCALAR_BYTE[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45 ? 1 : 0;
function isScalarByte(c: number): boolean {
  return SCALAR_BYTE[c] === 1;
}
const EMPTY = new Uint8Array(0);
/** Bytes a string scan must stop at: its end, an escape, or what makes its text more than its bytes. */
const STRING_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) STRING_BYTE[c] = c === QUOTE || c === BACKSLASH || c < 0x20 || c >= 0x80 ? 1 : 0;
/** Bytes that matter inside a skipped container. */
const SKIP_BYTE = new Uint8Array(256);
for (const c of [QUOTE, 0x7b, 0x5b, 0x7d, 0x5d]) SKIP_BYTE[c] = 1;

/** Buffer's own latin1 slicer skips `toString`'s argument handling; fall back when it is missing. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;
function asciiText(b: Uint8Array, start: number, end: number): string {
  return latin1Slice !== undefined ? latin1Slice.call(b, start, end) : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', start, end);
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * An incremental, byte-level JSON scanner that never holds the document: it follows the
 * nesting, and only at the paths the tree names does it look at values, handing short scalars to
 * the collector. Strings elsewhere are stepped over with `indexOf` for the closing quote (minding
 * backslash runs), containers elsewhere by counting brackets. It checks the structure of what it
 * reads, not every byte inside strings it skips (garbage there is the client's problem, and
 * never changes a value we report).
 */
export class JsonScanner {
  private readonly root: PathNode;
  private state = S_VALUE;
  private started = false;
  /** Wanted containers we are inside, outermost first; array frames count their elements. */
  private readonly frames: PathNode[] = [];
  private readonly positions: number[] = [];
  private depth = 0;
  /** Where the value that is due or being read sits; undefined = nowhere we care about. */
  private target: PathNode | undefined;
  private skipDepth = 0;
  /** A string's last byte so far was an unpaired backslash: the next byte is escaped. */
  private escaped = false;
  /** The string or scalar being kept spans chunks: its bytes so far. */
  private held: Buffer | undefined;
  private heldLength = 0;
  private tooLong = false;
  /** The string so far is printable ASCII without escapes: its bytes are its text. */
  private plain = true;
  /** Where a kept string or scalar started in the current chunk, or -1 when it began earlier. */
  private valueStart = -1;
  /** The first quote at or after some position of the current chunk (found once, reused). */
  private quoteChunk: Uint8Array | undefined;
  private quoteAt = -1;

  private readonly collector: FieldCollector;

  constructor(collector: FieldCollector, root: PathNode) {
    this.collector = collector;
    this.root = root;
    this.target = root;
  }

  /** Starts a new document. */
  reset(): void {
    this.state = S_VALUE;
    this.started = false;
    this.depth = 0;
    this.target = this.root;
    this.skipDepth = 0;
    this.escaped = false;
    this.heldLength = 0;
    this.tooLong = false;
    this.valueStart = -1;
    this.collector.beginDocument();
  }

  /**
   * The events of a stream mostly begin with the same bytes (id, model, fingerprint, up to the
   * `delta` of the choice) and differ only after them. The first time a document reaches a
   * part nobody wants, the bytes before it and the scanner's state there are kept; a later
   * document that begins with the same bytes resumes from that state instead of scanning them
   * again. The same bytes from the same state give the same state, so this changes no result.
   */
  private snapshot: { prefix: Buffer; length: number; depth: number; frames: PathNode[]; positions: number[]; target: PathNode | undefined; document: DocumentState } | undefined;
  /** The document being written began at `prefixStart` of this chunk (a snapshot may be taken). */
  private prefixChunk: Uint8Array | undefined;
  private prefixStart = 0;
  private snapshotMisses = 0;

  /** Writes the first bytes of a document, reusing the snapshot when they begin with its bytes. */
  writeDocumentStart(buf: Uint8Array, start: number, end: number): void {
    const snap = this.snapshot;
    const fresh = this.state === S_VALUE && this.depth === 0 && !this.started;
    if (snap !== undefined && fresh) {
      if (end - start >= snap.length && (buf as Buffer).compare(snap.prefix, 0, snap.length, start, start + snap.length) === 0) {
        this.restoreSnapshot(snap);
        this.write(buf, start + snap.length, end);
        return;
      }
      // A stream whose documents keep differing is not worth comparing: stop after a few misses.
      this.snapshot = undefined;
      if (++this.snapshotMisses > 4) {
        this.write(buf, start, end);
        return;
      }
    }
    if (fresh && this.snapshotMisses <= 4) {
      this.prefixChunk = buf;
      this.prefixStart = start;
    }
    this.write(buf, start, end);
    this.prefixChunk = undefined;
  }

  private takeSnapshot(pos: number): void {
    const chunk = this.prefixChunk!;
    this.prefixChunk = undefined;
    const length = pos - this.prefixStart;
    if (length > MAX_PREFIX_BYTES || this.snapshot !== undefined) return;
    this.snapshot = {
      prefix: Buffer.from(chunk.subarray(this.prefixStart, pos)),
      length,
      depth: this.depth,
      frames: this.frames.slice(0, this.depth),
      positions: this.positions.slice(0, this.depth),
      target: this.target,
      document: this.collector.save(),
    };
  }

  private restoreSnapshot(snap: NonNullable<JsonScanner['snapshot']>): void {
    this.started = true;
    this.depth = snap.depth;
    for (let i = 0; i < snap.depth; i++) {
      this.frames[i] = snap.frames[i]!;
      this.positions[i] = snap.positions[i]!;
    }
    this.target = snap.target;
    this.state = S_SKIP;
    this.skipDepth = 1;
    this.escaped = false;
    this.valueStart = -1;
    this.collector.restore(snap.document);
  }

  /** Drops every reference to the chunk just scanned (a reader holds no chunk between pushes). */
  endChunk(): void {
    this.quoteChunk = undefined;
    this.valueBuf = EMPTY;
  }

  /** Frees the buffer kept for values that span chunks. */
  release(): void {
    this.held = undefined;
    this.snapshot = undefined;
    this.quoteChunk = undefined;
    this.valueBuf = EMPTY;
  }

  get failed(): boolean {
    return this.state === S_ERROR;
  }

  end(): ScanStatus {
    if (this.state === S_ERROR) return ScanStatus.Malformed;
    if (!this.started) return ScanStatus.Empty;
    // A bare top-level number: nothing we want is in it.
    if (this.state === S_SCALAR && this.depth === 0) return ScanStatus.Complete;
    return this.state === S_DONE ? ScanStatus.Complete : ScanStatus.Incomplete;
  }

  write(buf: Uint8Array, start: number, end: number): void {
    let pos = start;
    while (pos < end) {
      switch (this.state) {
        case S_SKIP:
          pos = this.skip(buf, pos, end);
          if ((this.state as number) === S_AFTER) pos = this.nextKey(buf, pos, end);
          break;
        case S_SKIP_STRING: {
          const after = this.stringEnd(buf, pos, end);
          if (after < 0) return;
          pos = after;
          this.state = S_SKIP;
          break;
        }
        case S_KEY:
        case S_STRING: {
          // A key that starts in this chunk: the common pairs are read at once.
          if (this.state === S_KEY && this.valueStart === pos) {
            const next = this.pairs(buf, pos, end);
            if (next !== pos) {
              pos = next;
              break;
            }
          }
          const from = pos;
          const after = this.stringEnd(buf, pos, end);
          if (after < 0) {
            if (this.target !== undefined || this.state === S_KEY) this.hold(buf, from, end);
            return;
          }
          pos = after;
          if (this.state === S_KEY) {
            this.endKey(buf, from, after - 1);
            // Compact JSON (what the API sends) puts the colon and the value right after the
            // key: take the colon here rather than round the loop for it.
            if (pos < end && buf[pos] === 0x3a && (this.state as number) === S_COLON) {
              this.state = S_VALUE;
              pos++;
              if (pos < end && buf[pos] !== 0x20) {
                this.started = true;
                pos = this.beginValue(buf[pos]!, pos);
              }
            }
          } else {
            this.endString(buf, from, after - 1);
            pos = this.nextKey(buf, pos, end);
          }
          break;
        }
        case S_SCALAR: {
          const from = pos;
          while (pos < end && isScalarByte(buf[pos]!)) pos++;
          if (pos === end) {
            this.hold(buf, from, end);
            return;
          }
          this.endScalar(buf, from, pos);
          pos = this.nextKey(buf, pos, end);
          break;
        }
        case S_ERROR:
          return;
        default: {
          const c = buf[pos]!;
          if (isSpace(c)) {
            pos++;
            break;
          }
          this.started = true;
          pos = this.structural(c, pos);
          if (this.state === S_AFTER) pos = this.nextKey(buf, pos, end);
        }
      }
    }
    // A string or scalar that starts exactly at the chunk's end has no bytes here to keep.
    if (this.valueStart >= 0 && (this.state === S_STRING || this.state === S_KEY || this.state === S_SCALAR)) this.valueStart = -1;
  }

  /** After a value in an object, a comma and the next key's quote right after it are taken at once. */
  private nextKey(buf: Uint8Array, pos: number, end: number): number {
    if (pos + 1 < end && buf[pos] === 0x2c && buf[pos + 1] === QUOTE && this.state === S_AFTER && this.frames[this.depth - 1]!.kind === Kind.Object) {
      this.state = S_KEY;
      this.valueStart = pos + 2;
      this.heldLength = 0;
      this.tooLong = false;
      this.plain = true;
      return pos + 2;
    }
    return pos;
  }

  /**
   * The fast path for the members of an object we follow, in compact JSON with the whole member
   * in this chunk: a plain key, its colon, and a value that is skipped (a string, number or
   * literal nobody wants) or kept (a plain string or a count), then the comma and the next key.
   * `pos` is just after a key's opening quote. Anything else (an escape or non-ASCII byte in the
   * key, whitespace, a container, a value that runs past the chunk, a value the tree wants in a
   * form this path does not handle) is left to the general machine, in the state it would have
   * reached by itself: at a key's first byte (S_KEY), or at a value's first byte (S_VALUE, with
   * the key's target), or after a value (S_AFTER). Returns where it stopped.
   */
  private pairs(buf: Uint8Array, pos: number, end: number): number {
    const frame = this.frames[this.depth - 1]!;
    for (;;) {
      const keyStart = pos;
      let p = pos;
      while (p < end && STRING_BYTE[buf[p]!] === 0) p++;
      // The colon and the value's first byte must be here too.
      if (p + 2 >= end || buf[p] !== QUOTE || buf[p + 1] !== 0x3a) return keyStart;
      const t = childFor(frame, buf, keyStart, p);
      const v = p + 2;
      const c = buf[v]!;
      if (t === undefined) {
        if (c === QUOTE) {
          // A string nobody wants: only its end matters (escapes are stepped over, not checked).
          let q = v + 1;
          while (q < end) {
            const d = buf[q]!;
            if (d === QUOTE) break;
            q += d === BACKSLASH ? 2 : 1;
          }
          if (q >= end) return this.atValue(t, v);
          pos = q + 1;
          this.state = S_AFTER;
        } else if (SCALAR_BYTE[c] === 1 && !(c >= 0x41 && c <= 0x5a)) {
          let q = v;
          while (q < end && buf[q]! >= 0x30 && buf[q]! <= 0x39) q++;
          // A plain integer (what `created` and the counts nobody wants are) needs no other check.
          if (q < end && q > v && SCALAR_BYTE[buf[q]!] === 0 && (c !== 0x30 || q - v === 1)) {
            this.state = S_AFTER;
            pos = q;
            if (pos + 1 < end && buf[pos] === 0x2c && buf[pos + 1] === QUOTE) {
              pos += 2;
              this.state = S_KEY;
              this.valueStart = pos;
              this.heldLength = 0;
              this.tooLong = false;
              this.plain = true;
              continue;
            }
            return pos;
          }
          while (q < end && SCALAR_BYTE[buf[q]!] === 1) q++;
          if (q >= end) return this.atValue(t, v);
          this.target = undefined;
          this.valueStart = v;
          this.endScalar(buf, v, q);
          if (this.state === S_ERROR) return q;
          pos = q;
        } else return this.atValue(t, v);
      } else if (c === 0x6e && v + 4 < end && buf[v + 1] === 0x75 && buf[v + 2] === 0x6c && buf[v + 3] === 0x6c && SCALAR_BYTE[buf[v + 4]!] === 0) {
        // `null` where the tree wants something: the leaf (or every leaf under the key) is absent.
        if (t.kind === Kind.String || t.kind === Kind.Count) this.collector.set(t.leaf, null);
        else this.collector.clear(t.leaves, t.holdsChoices);
        this.state = S_AFTER;
        pos = v + 4;
      } else if (t.kind === Kind.Count && SCALAR_BYTE[c] === 1 && !(c >= 0x41 && c <= 0x5a)) {
        // A count is a plain decimal integer: its value is summed as its digits are found.
        let q = v;
        let n = 0;
        let d = c - 0x30;
        while (d >= 0 && d <= 9) {
          n = n * 10 + d;
          if (++q >= end) break;
          d = buf[q]! - 0x30;
        }
        if (q >= end) return this.atValue(t, v);
        if (SCALAR_BYTE[buf[q]!] === 0 && q > v && q - v <= 16 && (c !== 0x30 || q - v === 1)) {
          this.collector.set(t.leaf, n <= Number.MAX_SAFE_INTEGER ? n : null);
          this.state = S_AFTER;
          pos = q;
          if (pos + 1 < end && buf[pos] === 0x2c && buf[pos + 1] === QUOTE) {
            pos += 2;
            this.state = S_KEY;
            this.valueStart = pos;
            this.heldLength = 0;
            this.tooLong = false;
            this.plain = true;
            continue;
          }
          return pos;
        }
        while (q < end && SCALAR_BYTE[buf[q]!] === 1) q++;
        if (q >= end) return this.atValue(t, v);
        this.target = t;
        this.valueStart = v;
        this.endScalar(buf, v, q);
        if (this.state === S_ERROR) return q;
        pos = q;
      } else if (t.kind === Kind.String && c === QUOTE && this.collector.wants(t.leaf)) {
        let q = v + 1;
        while (q < end && STRING_BYTE[buf[q]!] === 0) q++;
        if (q >= end || buf[q] !== QUOTE || q - (v + 1) > MAX_VALUE_BYTES) return this.atValue(t, v);
        this.collector.setAscii(t.leaf, buf, v + 1, q, asciiText);
        this.state = S_AFTER;
        pos = q + 1;
      } else return this.atValue(t, v);
      // After the value: a comma and the next key's quote go round again.
      if (pos + 1 < end && buf[pos] === 0x2c && buf[pos + 1] === QUOTE) {
        pos += 2;
        this.state = S_KEY;
        this.valueStart = pos;
        this.heldLength = 0;
        this.tooLong = false;
        this.plain = true;
        continue;
      }
      return pos;
    }
  }

  /** Hands a member over to the general machine at its value's first byte. */
  private atValue(t: PathNode | undefined, pos: number): number {
    this.state = S_VALUE;
    this.target = t;
    this.valueStart = -1;
    return pos;
  }

  /** A byte outside strings and scalars; returns where to go on. */
  private structural(c: number, pos: number): number {
    switch (this.state) {
      case S_VALUE:
      case S_ARR_FIRST:
        if (this.state === S_ARR_FIRST && c === 0x5d) {
          this.pop();
          return pos + 1;
        }
        return this.beginValue(c, pos);
      case S_OBJ_FIRST:
      case S_OBJ_KEY:
        if (c === QUOTE) {
          this.state = S_KEY;
          this.valueStart = pos + 1;
          this.heldLength = 0;
          this.tooLong = false;
          this.plain = true;
          return pos + 1;
        }
        if (c === 0x7d && this.state === S_OBJ_FIRST) {
          this.pop();
          return pos + 1;
        }
        break;
      case S_COLON:
        if (c === 0x3a) {
          this.state = S_VALUE;
          return pos + 1;
        }
        break;
      case S_AFTER: {
        const frame = this.frames[this.depth - 1]!;
        if (frame.kind === Kind.Object) {
          if (c === 0x2c) {
            this.state = S_OBJ_KEY;
            return pos + 1;
          }
          if (c === 0x7d) {
            this.pop();
            return pos + 1;
          }
        } else {
          if (c === 0x2c) {
            this.positions[this.depth - 1]!++;
            this.target = frame.element;
            this.state = S_VALUE;
            return pos + 1;
          }
          if (c === 0x5d) {
            this.pop();
            return pos + 1;
          }
        }
        break;
      }
      case S_DONE:
        break;
    }
    this.state = S_ERROR;
    return pos + 1;
  }

  private beginValue(c: number, pos: number): number {
    const t = this.target;
    if (t !== undefined && (t.kind === Kind.Object || t.kind === Kind.Array)) this.collector.clear(t.leaves, t.holdsChoices);
    if (c === QUOTE) {
      if (t !== undefined && (t.kind !== Kind.String || !this.collector.wants(t.leaf))) this.drop(t);
      this.state = S_STRING;
      this.valueStart = pos + 1;
      this.heldLength = 0;
      this.tooLong = false;
      this.plain = true;
      return pos + 1;
    }
    if (c === 0x7b || c === 0x5b) {
      const wanted = t !== undefined && t.kind === (c === 0x7b ? Kind.Object : Kind.Array);
      if (!wanted) {
        if (t !== undefined) this.drop(t);
        this.state = S_SKIP;
        this.skipDepth = 1;
        if (this.prefixChunk !== undefined) this.takeSnapshot(pos + 1);
        return pos + 1;
      }
      const parent = this.depth > 0 ? this.frames[this.depth - 1] : undefined;
      if (parent !== undefined && parent.kind === Kind.Array) this.collector.beginChoice(this.positions[this.depth - 1]!);
      this.frames[this.depth] = t;
      this.positions[this.depth] = 0;
      this.depth++;
      if (c === 0x7b) {
        this.state = S_OBJ_FIRST;
      } else {
        this.state = S_ARR_FIRST;
        this.target = t.element;
      }
      return pos + 1;
    }
    if (isScalarByte(c) && !(c >= 0x41 && c <= 0x5a)) {
      if (t !== undefined && t.kind !== Kind.String && t.kind !== Kind.Count) this.target = undefined;
      this.state = S_SCALAR;
      this.valueStart = pos;
      this.heldLength = 0;
      this.tooLong = false;
      return pos;
    }
    this.state = S_ERROR;
    return pos + 1;
  }

  /** A wanted leaf holds something of the wrong type: it is absent (and replaces an earlier copy). */
  private drop(t: PathNode): void {
    if (t.kind === Kind.String || t.kind === Kind.Count) this.collector.set(t.leaf, null);
    this.target = undefined;
  }

  private pop(): void {
    this.depth--;
    const parent = this.depth > 0 ? this.frames[this.depth - 1] : undefined;
    if (parent !== undefined && parent.kind === Kind.Array && this.frames[this.depth]!.kind === Kind.Object) this.collector.endChoice();
    this.valueDone();
  }

  private valueDone(): void {
    this.state = this.depth === 0 ? S_DONE : S_AFTER;
  }

  /** Steps over an unwanted container; returns where it stopped. */
  private skip(buf: Uint8Array, pos: number, end: number): number {
    let depth = this.skipDepth;
    while (pos < end) {
      const c = buf[pos++]!;
      if (SKIP_BYTE[c] === 0) continue;
      if (c === QUOTE) {
        // (Stepping over short strings right here, rather than in the string scanner, reads a
        // chat body faster but halves the speed of this loop over an embeddings body's numbers.)
        this.skipDepth = depth;
        this.state = S_SKIP_STRING;
        return pos;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          this.skipDepth = 0;
          this.valueDone();
          return pos;
        }
      }
    }
    this.skipDepth = depth;
    return pos;
  }

  /** Finds the closing quote of the string we are in: the position after it, or -1 when the chunk ends first. */
  private stringEnd(buf: Uint8Array, pos: number, end: number): number {
    if (this.escaped) {
      this.escaped = false;
      this.plain = false;
      pos++;
      if (pos >= end) return -1;
    }
    // Most strings we meet are short keys and values: a plain loop finds their end sooner
    // than a call into native indexOf would.
    const near = pos + SHORT_STRING < end ? pos + SHORT_STRING : end;
    while (pos < near) {
      const c = buf[pos]!;
      if (STRING_BYTE[c] === 0) {
        pos++;
        continue;
      }
      if (c === QUOTE) return pos + 1;
      this.plain = false;
      if (c === BACKSLASH) {
        if (pos + 1 >= end) {
          this.escaped = true;
          return -1;
        }
        pos += 2;
      } else pos++;
    }
    this.plain = false;
    if (pos >= end) return -1;
    for (;;) {
      let q: number;
      if (buf === this.quoteChunk && this.quoteAt >= pos) q = this.quoteAt;
      else {
        q = (buf as Buffer).indexOf(QUOTE, pos);
        if (q < 0) q = buf.length;
        this.quoteChunk = buf;
        this.quoteAt = q;
      }
      const stop = q < end ? q : end;
      let run = 0;
      for (let i = stop - 1; i >= pos && buf[i] === BACKSLASH; i--) run++;
      if (q >= end) {
        this.escaped = (run & 1) === 1;
        return -1;
      }
      if ((run & 1) === 0) return q + 1;
      pos = q + 1;
    }
  }

  /** Keeps the bytes of a value that continues in the next chunk (up to the cap). */
  private hold(buf: Uint8Array, from: number, end: number): void {
    const start = this.valueStart >= 0 ? this.valueStart : from;
    this.valueStart = -1;
    const n = end - start;
    if (this.tooLong || this.heldLength + n > MAX_VALUE_BYTES) {
      this.tooLong = true;
      return;
    }
    this.held ??= Buffer.allocUnsafe(MAX_VALUE_BYTES);
    this.held.set(buf.subarray(start, end), this.heldLength);
    this.heldLength += n;
  }

  /** Where the value that just ended lies (`valueBuf[valueFrom, valueTo)`): in the chunk, or in `held`. */
  private valueBuf: Uint8Array = EMPTY;
  private valueFrom = 0;
  private valueTo = 0;

  /** Locates the value that just ended; false when it was too long to keep. */
  private locateValue(buf: Uint8Array, from: number, end: number): boolean {
    if (this.valueStart >= 0) {
      const start = this.valueStart;
      this.valueStart = -1;
      if (end - start > MAX_VALUE_BYTES) return false;
      this.valueBuf = buf;
      this.valueFrom = start;
      this.valueTo = end;
      return true;
    }
    this.hold(buf, from, end);
    if (this.tooLong) return false;
    this.valueBuf = this.held!;
    this.valueFrom = 0;
    this.valueTo = this.heldLength;
    return true;
  }

  private endKey(buf: Uint8Array, from: number, end: number): void {
    this.state = S_COLON;
    const frame = this.frames[this.depth - 1]!;
    if (!this.locateValue(buf, from, end)) {
      this.target = undefined;
      return;
    }
    const text = this.decode(this.valueBuf, this.valueFrom, this.valueTo, false);
    if (text === undefined) {
      this.target = childFor(frame, this.valueBuf, this.valueFrom, this.valueTo);
    } else if (text !== null) {
      const key = Buffer.from(text, 'utf8');
      this.target = childFor(frame, key, 0, key.length);
    }
  }

  private endString(buf: Uint8Array, from: number, end: number): void {
    const t = this.target;
    this.valueDone();
    if (t === undefined) return;
    if (!this.locateValue(buf, from, end)) {
      this.collector.set(t.leaf, null);
      return;
    }
    if (this.plain) {
      this.collector.setAscii(t.leaf, this.valueBuf, this.valueFrom, this.valueTo, asciiText);
      return;
    }
    const text = this.decode(this.valueBuf, this.valueFrom, this.valueTo, true);
    if (text !== null) this.collector.set(t.leaf, text ?? '');
  }

  /**
   * A string's text: undefined when it is plain bytes the caller may use as they are (keys) or
   * the empty marker for values, null when it is not valid JSON (the document is then malformed).
   * Escapes are rare in the values we keep, so they go through JSON.parse of those few bytes.
   */
  private decode(b: Uint8Array, start: number, end: number, asValue: boolean): string | null | undefined {
    if (this.plain) return asValue ? asciiText(b, start, end) : undefined;
    let escapes = false;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c < 0x20) {
        this.state = S_ERROR;
        return null;
      }
      if (c === BACKSLASH) escapes = true;
    }
    if (!escapes) return asValue ? (b as Buffer).toString('utf8', start, end) : undefined;
    try {
      return JSON.parse(`"${(b as Buffer).toString('utf8', start, end)}"`) as string;
    } catch {
      this.state = S_ERROR;
      return null;
    }
  }

  /** A number or literal ended at `end`: check it (wanted or not), and hand a wanted one over. */
  private endScalar(buf: Uint8Array, from: number, end: number): void {
    const t = this.target;
    this.valueDone();
    if (!this.locateValue(buf, from, end)) {
      // Longer than any count or literal: not kept, and not worth checking.
      if (t !== undefined) this.collector.set(t.leaf, null);
      return;
    }
    const b = this.valueBuf;
    const start = this.valueFrom;
    const stop = this.valueTo;
    const count = plainCount(b, start, stop);
    if (count >= 0) {
      if (t !== undefined) this.collector.set(t.leaf, t.kind === Kind.Count && count <= Number.MAX_SAFE_INTEGER ? count : null);
      return;
    }
    if (isLiteral(b, start, stop)) {
      if (t !== undefined) this.collector.set(t.leaf, null);
      return;
    }
    const text = asciiText(b, start, stop);
    if (!NUMBER.test(text)) {
      this.state = S_ERROR;
      return;
    }
    if (t === undefined) return;
    const n = Number(text);
    this.collector.set(t.leaf, t.kind === Kind.Count && Number.isSafeInteger(n) && n >= 0 ? n : null);
  }
}

/** The value of a plain decimal integer (no sign, no leading zero, no fraction), else -1. */
function plainCount(b: Uint8Array, start: number, end: number): number {
  if (end - start > 16 || end === start || (b[start] === 0x30 && end - start > 1)) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const NULL = [0x6e, 0x75, 0x6c, 0x6c];
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
function isLiteral(b: Uint8Array, start: number, end: number): boolean {
  const word = end - start === 4 ? (b[start] === 0x6e ? NULL : TRUE) : end - start === 5 ? FALSE : undefined;
  if (word === undefined) return false;
  for (let i = 0; i < word.length; i++) if (b[start + i] !== word[i]) return false;
  return true;
}
