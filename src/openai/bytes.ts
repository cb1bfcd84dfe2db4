/**
 * Reading HTTP/1 header values straight from the Buffers undici hands over. Decoding a Buffer
 * to a string is a native call, the costliest step of reading a header; the numbers
 * OpenAI sends are plain digits, read here without one, and values we may not need (`date`,
 * most `content-type`s) are not decoded at all. Anything unusual falls back to the string
 * parsers, so the result is always the same as decoding first.
 */

/** Header bytes as the string undici would give (latin1: one char per byte, as `http` does). */
export function latin1(value: Uint8Array): string {
  return Buffer.isBuffer(value)
    ? value.toString('latin1')
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
}

/**
 * The value when it is 1 to 15 ASCII digits and nothing else (what `parseCount` returns for
 * such input), else undefined: the caller then decodes and parses the general way.
 */
export function plainDigits(value: Uint8Array): number | undefined {
  const n = value.length;
  if (n === 0 || n > 15) return undefined;
  let out = 0;
  for (let i = 0; i < n; i++) {
    const d = value[i]! - 48;
    if (d < 0 || d > 9) return undefined;
    out = out * 10 + d;
  }
  return out;
}

/**
 * False when the value cannot be a `content-type` the body reader wants (`text/event-stream`,
 * `application/...json`): its first byte that is not regex whitespace (ASCII 9-13, space,
 * latin1 no-break space) is not `t`, `T`, `a` or `A`.
 */
export function mayBeBodyKind(value: Uint8Array): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if ((c >= 9 && c <= 13) || c === 0x20 || c === 0xa0) continue;
    return c === 0x74 || c === 0x54 || c === 0x61 || c === 0x41;
  }
  return false;
}
