/**
 * Reads `x-stainless-retry-count` (set by the official OpenAI SDKs on every attempt) from the
 * outgoing request's headers, which undici keeps as a flat `[name, value, ...]` array of
 * strings (undici >= 6), or as one `name: value\r\n` string in older releases.
 */
const NAME = 'x-stainless-retry-count';

export function readResendCount(headers: unknown): number | undefined {
  let raw: string | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = headers[i];
      if (typeof name === 'string' && name.length === NAME.length && name.toLowerCase() === NAME) {
        const value = headers[i + 1];
        raw = typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
        break;
      }
    }
  } else if (typeof headers === 'string') {
    const match = /^x-stainless-retry-count:[ \t]*(\d{1,6})[ \t]*$/im.exec(headers);
    raw = match?.[1];
  }
  // The SDKs send "0" on every first attempt: the common case needs no regex.
  if (raw === undefined || raw === '0' || !/^\d{1,6}$/.test(raw.trim())) return undefined;
  const count = Number(raw.trim());
  return count > 0 ? count : undefined;
}

/**
 * Whether the outgoing request already carries `name` (in either of undici's shapes): another
 * instrumentation (instrumentation-undici, say) may have injected `traceparent` before us, and
 * a second one would make the header invalid (W3C Trace Context allows exactly one).
 */
export function hasRequestHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      const key = headers[i];
      if (typeof key === 'string' && key.length === name.length && key.toLowerCase() === name) return true;
    }
    return false;
  }
  return typeof headers === 'string' && headers.toLowerCase().includes(`${name}:`);
}
