/**
 * Formats seconds the way OpenAI's `x-ratelimit-reset-*` headers do, which is Go's
 * `time.Duration.String()` (https://pkg.go.dev/time#Duration.String):
 * - under one second a single unit with up to 3 (`µs`) or 6 (`ms`) fractional digits,
 *   trailing zeros dropped: `6ms`, `1.5ms`, `500µs`, `800ms`, `42ns`;
 * - from one second on, `h`, `m` and `s` with the larger units only once reached and
 *   up to 9 fractional second digits: `1s`, `1m26.4s`, `6m0s`, `2h0m0s`, `19m45.394s`;
 * - zero is `0s`; negative values get a leading `-`.
 * The value is rounded to whole nanoseconds; exact up to 2^53 ns (about 104 days).
 */
export function formatGoDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`cannot format a duration of ${seconds} s`);
  const nanos = Math.round(Math.abs(seconds) * 1e9);
  if (nanos === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  if (nanos < 1e3) return `${sign}${nanos}ns`;
  if (nanos < 1e6) return `${sign}${withFraction(nanos, 3)}µs`;
  if (nanos < 1e9) return `${sign}${withFraction(nanos, 6)}ms`;
  const wholeSeconds = Math.floor(nanos / 1e9);
  const secondsPart = `${withFraction(nanos % 1e9 + (wholeSeconds % 60) * 1e9, 9)}s`;
  const totalMinutes = Math.floor(wholeSeconds / 60);
  if (totalMinutes === 0) return sign + secondsPart;
  const hours = Math.floor(totalMinutes / 60);
  const minutesPart = `${totalMinutes % 60}m${secondsPart}`;
  return hours === 0 ? sign + minutesPart : `${sign}${hours}h${minutesPart}`;
}

/** `value / 10^digits` in decimal, trailing fractional zeros and a bare point dropped (Go's fmtFrac). */
function withFraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}` : `${whole}.${fraction}`;
}
