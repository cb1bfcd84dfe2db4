/**
 * Finds `"model": "<name>"` in a JSON request body without parsing it or copying it: the
 * body may be megabytes of prompt, and we only want one short string. Clients serialise
 * `model` either first or last in practice, so a large chunk is searched only at its head
 * and its tail. A key inside a string value is escaped (`\"model\"`) and skipped; only a key
 * that follows `{` or `,` counts. The value must be a plain printable ASCII string.
 */
export const MODEL_SCAN_HEAD_BYTES = 64 * 1024;
export const MODEL_SCAN_TAIL_BYTES = 4 * 1024;

const KEY = Buffer.from('"model"', 'latin1');

export function findModel(body: Uint8Array | string): string | undefined {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : toBuffer(body);
  const n = buf.length;
  if (n <= MODEL_SCAN_HEAD_BYTES + MODEL_SCAN_TAIL_BYTES) return scan(buf, 0, n);
  return scan(buf, 0, MODEL_SCAN_HEAD_BYTES) ?? scan(buf, n - MODEL_SCAN_TAIL_BYTES, n);
}

/** How many bytes `findModel` reads of a body of this size. */
export function scannedBytes(size: number): number {
  return Math.min(size, MODEL_SCAN_HEAD_BYTES + MODEL_SCAN_TAIL_BYTES);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function scan(buf: Buffer, start: number, end: number): string | undefined {
  let from = start;
  for (;;) {
    const at = buf.indexOf(KEY, from);
    if (at === -1 || at + KEY.length > end) return undefined;
    from = at + KEY.length;
    if (!followsObjectStart(buf, at, start)) continue;
    const value = readStringValue(buf, from, end);
    if (value !== undefined) return value;
  }
}

function followsObjectStart(buf: Buffer, at: number, start: number): boolean {
  for (let i = at - 1; i >= start; i--) {
    const c = buf[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b /* { */ || c === 0x2c /* , */;
  }
  return at === 0;
}

function readStringValue(buf: Buffer, from: number, end: number): string | undefined {
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
  while (i < end) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}
