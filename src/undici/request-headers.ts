import { RETRY_COUNT_HEADER, parseRetryCount } from '../openai/retry-count.ts';

/**
 * Reading an outgoing undici request's headers, which undici keeps as a flat
 * `[name, value, ...]` array of strings (undici >= 6), or as one `name: value\r\n` string in
 * older releases.
 */

/** `x-stainless-retry-count` as a resend count, when above zero. */
export function readResendCount(headers: unknown): number | undefined {
  return parseRetryCount(requestHeader(headers, RETRY_COUNT_HEADER));
}

/**
 * Whether the outgoing request already carries `name` (lower-case): another instrumentation
 * (instrumentation-undici, say) may have injected `traceparent` before us, and a second one
 * would make the header invalid (W3C Trace Context allows exactly one).
 */
export function hasRequestHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) return arrayIndexOf(headers, name) !== -1;
  return typeof headers === 'string' && stringHeaderStart(headers, name) !== -1;
}

/** The first value of header `name` (lower-case), or undefined. */
function requestHeader(headers: unknown, name: string): string | undefined {
  if (Array.isArray(headers)) {
    const at = arrayIndexOf(headers, name);
    if (at === -1) return undefined;
    const value = headers[at + 1];
    return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
  }
  if (typeof headers !== 'string') return undefined;
  const start = stringHeaderStart(headers, name);
  if (start === -1) return undefined;
  const end = headers.indexOf('\r\n', start);
  return headers.slice(start + name.length + 1, end === -1 ? undefined : end).trim();
}

function arrayIndexOf(headers: readonly unknown[], name: string): number {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const key = headers[i];
    if (typeof key === 'string' && key.length === name.length && key.toLowerCase() === name) return i;
  }
  return -1;
}

/** Where the line `name: ...` starts in the string shape: at the start or after a CRLF, never mid-name. */
function stringHeaderStart(headers: string, name: string): number {
  const lower = headers.toLowerCase();
  const wanted = `${name}:`;
  for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, at + 1)) {
    if (at === 0 || lower.charCodeAt(at - 1) === 0x0a) return at;
  }
  return -1;
}
