/**
 * Parses the reset headers OpenAI sends (`x-ratelimit-reset-requests: 1m26.4s`), which are
 * Go `time.Duration.String()` output, into seconds.
 *
 * Grammar, as Go's `time.ParseDuration` accepts it (https://pkg.go.dev/time#ParseDuration):
 * a sequence of decimal numbers, each with an optional fraction and a unit suffix, such as
 * `300ms`, `1.5h` or `2h45m`; units `ns`, `us` (or `µs`/`μs`), `ms`, `s`, `m`, `h`; the lone
 * string `0` is also valid. Unlike Go, a sign is refused: a negative time-to-reset means
 * nothing here. Values past Go's own limit (int64 nanoseconds, ~292 years) are refused too.
 *
 * Total: returns `undefined` for anything else, never NaN, never throws.
 */
export function parseResetDuration(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const n = s.length;
  if (n === 0 || n > 64) return undefined;
  if (s === '0') return 0;

  let totalNs = 0;
  let i = 0;
  while (i < n) {
    // Number: digits, optional '.', digits; at least one digit overall.
    let mantissa = 0;
    let scale = 1;
    let digits = 0;
    let c = s.charCodeAt(i);
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      c = s.charCodeAt(++i);
    }
    if (c === 46 /* . */) {
      c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        scale *= 10;
        digits++;
        c = s.charCodeAt(++i);
      }
    }
    if (digits === 0 || digits > 30) return undefined;

    const unitNs = readUnit(s, i);
    if (unitNs === undefined) return undefined;
    i += unitNs[1];
    // Integer nanosecond arithmetic stays exact up to 2^53 ns (~104 days), so `1m26.4s` is 86.4.
    totalNs += (mantissa * unitNs[0]) / scale;
  }
  if (!(totalNs <= MAX_GO_DURATION_NS)) return undefined;
  return totalNs / 1e9;
}

const MAX_GO_DURATION_NS = 9_223_372_036_854_775_807;

/** The unit at `s[i]`: [nanoseconds per unit, characters consumed], or undefined. */
function readUnit(s: string, i: number): readonly [number, number] | undefined {
  const c0 = s.charCodeAt(i);
  const c1 = s.charCodeAt(i + 1);
  const oneChar = Number.isNaN(c1) || (c1 >= 48 && c1 <= 57) || c1 === 46;
  switch (c0) {
    case 104 /* h */:
      return oneChar ? UNIT_H : undefined;
    case 115 /* s */:
      return oneChar ? UNIT_S : undefined;
    case 109 /* m */:
      if (oneChar) return UNIT_M;
      return c1 === 115 && isUnitEnd(s, i + 2) ? UNIT_MS : undefined;
    case 110 /* n */:
      return c1 === 115 && isUnitEnd(s, i + 2) ? UNIT_NS : undefined;
    case 117 /* u */:
    case 0xb5 /* µ micro sign */:
    case 0x3bc /* μ greek mu */:
      return c1 === 115 && isUnitEnd(s, i + 2) ? UNIT_US : undefined;
    default:
      return undefined;
  }
}

function isUnitEnd(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return Number.isNaN(c) || (c >= 48 && c <= 57) || c === 46;
}

const UNIT_NS = [1, 2] as const;
const UNIT_US = [1e3, 2] as const;
const UNIT_MS = [1e6, 2] as const;
const UNIT_S = [1e9, 1] as const;
const UNIT_M = [60e9, 1] as const;
const UNIT_H = [3600e9, 1] as const;
