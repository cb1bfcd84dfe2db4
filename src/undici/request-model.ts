import { isJsonSpace } from '../openai/json-space.ts';

/**
 * Finds the top-level `"model": "<name>"` of a JSON request body without parsing it: the body
 * may be megabytes of prompt, and we only want one short string. Clients serialise `model`
 * either first or last in practice, so a large piece is searched only in its head and its
 * tail, never in between: a Buffer through views of it, a string by encoding only those two
 * windows. A key inside a string value is escaped (`\"model\"`) and skipped; a key inside a
 * nested object (`metadata`, tool arguments) is told apart by counting brackets between it
 * and the body's start or end. The value must be a plain printable ASCII string.
 */
export const MODEL_SCAN_HEAD_BYTES = 64 * 1024;
export const MODEL_SCAN_TAIL_BYTES = 4 * 1024;

const KEY = Buffer.from('"model"', 'latin1');

/**
 * `piece` is the body or one chunk of it; `startsBody` says whether it begins at the body's
 * first byte (a later chunk's nesting depth is unknown until its end).
 */
export function findModel(piece: Uint8Array | string, startsBody = true): string | undefined {
  const n = typeof piece === 'string' ? piece.length : piece.byteLength;
  if (n <= MODEL_SCAN_HEAD_BYTES + MODEL_SCAN_TAIL_BYTES) return scan(bytesOf(piece), startsBody, true);
  const head = typeof piece === 'string' ? bytesOf(piece.slice(0, MODEL_SCAN_HEAD_BYTES)) : view(piece, 0, MODEL_SCAN_HEAD_BYTES);
  const tail = typeof piece === 'string' ? bytesOf(piece.slice(n - MODEL_SCAN_TAIL_BYTES)) : view(piece, n - MODEL_SCAN_TAIL_BYTES, n);
  return (startsBody ? scan(head, true, false) : undefined) ?? scan(tail, false, true);
}

/** How many bytes `findModel` reads of a piece of this size. */
export function scannedBytes(size: number): number {
  return Math.min(size, MODEL_SCAN_HEAD_BYTES + MODEL_SCAN_TAIL_BYTES);
}

function bytesOf(piece: Uint8Array | string): Buffer {
  return typeof piece === 'string' ? Buffer.from(piece, 'utf8') : view(piece, 0, piece.byteLength);
}

function view(bytes: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
}

/**
 * The first top-level model in `buf`. `atStart`: `buf` begins where the body begins;
 * `atEnd`: it ends where the piece ends. A key counts when it sits one bracket deep counted
 * from the start, or closes exactly one bracket counted to the end.
 */
function scan(buf: Buffer, atStart: boolean, atEnd: boolean): string | undefined {
  for (let at = buf.indexOf(KEY); at !== -1; at = buf.indexOf(KEY, at + KEY.length)) {
    if (!followsObjectStart(buf, at)) continue;
    const value = readStringValue(buf, at + KEY.length);
    if (value === undefined) continue;
    // Whichever count is shorter first; the other only when it cannot tell.
    if (atEnd && (!atStart || buf.length - at < at) && depthChange(buf, at, buf.length) === -1) return value;
    if (atStart && depthChange(buf, 0, at) === 1) return value;
  }
  return undefined;
}

function followsObjectStart(buf: Buffer, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = buf[i]!;
    if (isJsonSpace(c)) continue;
    return c === 0x7b /* { */ || c === 0x2c /* , */;
  }
  return false;
}

/** Net bracket depth over `buf[from, to)`, strings skipped; `from` must not be inside a string. */
function depthChange(buf: Buffer, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c === 0x22 /* " */) {
      for (i++; i < to; i++) {
        const d = buf[i]!;
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return depth;
}

function readStringValue(buf: Buffer, from: number): string | undefined {
  const end = buf.length;
  let i = skipSpace(buf, from, end);
  if (buf[i] !== 0x3a /* : */) return undefined;
  i = skipSpace(buf, i + 1, end);
  if (buf[i] !== 0x22 /* " */) return undefined;
  const valueStart = i + 1;
  const limit = Math.min(end, valueStart + 256);
  for (let j = valueStart; j < limit; j++) {
    const c = buf[j]!;
    if (c === 0x22) return j === valueStart ? undefined : buf.toString('latin1', valueStart, j);
    if (c < 0x20 || c > 0x7e || c === 0x5c /* \ */) return undefined;
  }
  return undefined;
}

function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end && isJsonSpace(buf[i])) i++;
  return i;
}
