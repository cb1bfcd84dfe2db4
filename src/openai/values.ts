/**
 * Pure, total parsers for single header values: string in, value or `undefined` out.
 * No NaN, no throw, no guess. A value that a server repeated and an HTTP/2 stack joined
 * (`"500, 400"`) yields the first element that parses, as for a repeated header.
 */

const MAX_SAFE_DIGITS = 15;

/** `"9999"` -> 9999. Digits only: signs (Azure's `-1`), exponents and fractions are refused. */
export function parseCount(value: string): number | undefined {
  return firstListElement(value, parseCountExact);
}

function parseCountExact(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > MAX_SAFE_DIGITS) return undefined;
  let out = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    out = out * 10 + c;
  }
  return out;
}

/** A non-negative decimal such as `"412"` or `"1500.5"`; no sign, no exponent. */
export function parseNonNegativeDecimal(value: string): number | undefined {
  return firstListElement(value, parseDecimalExact);
}

function parseDecimalExact(s: string): number | undefined {
  const dot = s.indexOf('.');
  if (dot === -1) return parseCountExact(s);
  const whole = dot === 0 ? 0 : parseCountExact(s.slice(0, dot));
  const frac = s.slice(dot + 1);
  if (whole === undefined || frac.length === 0 || frac.length > 9) return undefined;
  const f = parseCountExact(frac);
  return f === undefined ? undefined : whole + f / 10 ** frac.length;
}

/**
 * Identifiers (`x-request-id`, `openai-organization`, ...): printable ASCII, at most 256
 * characters, first list element. Anything else is left out rather than recorded half-decoded.
 */
export function parseToken(value: string): string | undefined {
  return firstListElement(value, parseTokenExact);
}

function parseTokenExact(s: string): string | undefined {
  const n = s.length;
  if (n === 0 || n > 256) return undefined;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return undefined;
  }
  return s;
}

/**
 * `retry-after` (RFC 9110 section 10.2.3): delta-seconds, or an HTTP-date, which is taken
 * relative to the response's `date` header (else to `now`) and floored at 0.
 */
export function parseRetryAfter(value: string, date: string | undefined, now: number): number | undefined {
  const s = value.trim();
  const seconds = parseCountExact(s);
  if (seconds !== undefined) return seconds;
  // Only a date is length-capped (Date.parse on a huge string costs); a long joined list
  // ("junk, junk, ..., 30") still yields its first delta-seconds, as the flat shape does.
  const at = s.length > 64 ? undefined : httpDate(s);
  if (at !== undefined) {
    const base = date === undefined ? now : (httpDate(date.trim()) ?? now);
    return Math.max(0, (at - base) / 1000);
  }
  // Not a date: maybe a joined list of delta-seconds ("30, 20").
  return s.includes(',') ? firstListElement(s, parseCountExact) : undefined;
}

/** `retry-after-ms`: milliseconds, returned as seconds. */
export function parseRetryAfterMs(value: string): number | undefined {
  const ms = parseNonNegativeDecimal(value);
  return ms === undefined ? undefined : ms / 1000;
}

// IMF-fixdate and the obsolete forms all contain a weekday and "GMT"; Date.parse reads them.
function httpDate(s: string): number | undefined {
  if (!s.endsWith('GMT')) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

export function firstListElement<T>(value: string, parse: (s: string) => T | undefined): T | undefined {
  if (value.indexOf(',') === -1) return parse(value.trim());
  for (const part of value.split(',')) {
    const v = parse(part.trim());
    if (v !== undefined) return v;
  }
  return undefined;
}
