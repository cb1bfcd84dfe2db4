import { parseResetDuration } from './duration.ts';
import { StableToken, latin1, mayBeBodyKind, plainDigits } from './bytes.ts';
import { firstListElement, parseCount, parseNonNegativeDecimal, parseRetryAfter, parseRetryAfterMs, parseToken } from './values.ts';

/**
 * How one response header's value becomes a typed value. `text` is the definition: pure and
 * total (undefined for anything it does not accept). `bytes`, where present, gives the same
 * answer straight from the Buffer undici hands over on HTTP/1, skipping a decode where it can.
 */
export interface HeaderParser<T> {
  text(value: string): T | undefined;
  bytes?(value: Uint8Array): T | undefined;
  /**
   * Set when the value is relative to the response's `date` header (a retry-after HTTP date):
   * `text` then only says whether the value is usable, and `dated` gives the value once the
   * date is known (`date`: the response's `date` header; `now`: the clock, when it is absent).
   */
  dated?(value: string, date: string | undefined, now: number): T | undefined;
}

/** Identifiers: printable ASCII, at most 256 characters. */
export const TOKEN: HeaderParser<string> = { text: parseToken };

/**
 * An identifier that carries the same bytes in every response an app gets (organization,
 * project, API version): each row gets its own one-entry memo, so a repeat costs a byte
 * compare instead of a decode and a parse.
 */
export function stableToken(): HeaderParser<string> {
  const memo = new StableToken(parseToken);
  return { text: parseToken, bytes: (value) => memo.read(value) };
}

/** Counts (quota limits and remainders): digits only, so Azure's `-1` is left out. */
export const COUNT: HeaderParser<number> = {
  text: parseCount,
  bytes: (value) => plainDigits(value) ?? parseCount(latin1(value)),
};

/**
 * Quota limits: a count above 0. A request that was answered had a quota of at least one, so a
 * limit of 0 (Azure OpenAI's Responses API sends 0 and -1 where it reports no quota) is no limit,
 * and recording it would put a zero under every remaining / limit ratio.
 */
export const LIMIT: HeaderParser<number> = {
  text: (value) => positive(COUNT.text(value)),
  bytes: (value) => positive(COUNT.bytes!(value)),
};

function positive(n: number | undefined): number | undefined {
  return n === 0 ? undefined : n;
}

/** Milliseconds as a whole number (`openai-processing-ms` may carry a fraction). */
export const WHOLE_MILLISECONDS: HeaderParser<number> = {
  text: (value) => {
    const ms = parseNonNegativeDecimal(value);
    return ms === undefined ? undefined : Math.round(ms);
  },
  bytes: (value) => plainDigits(value) ?? WHOLE_MILLISECONDS.text(latin1(value)),
};

/** Go duration (`1m26.4s`) to seconds; the first element of a joined list that parses. */
export const GO_DURATION_SECONDS: HeaderParser<number> = {
  text: (value) => firstListElement(value, parseResetDuration),
};

/** `retry-after-ms` to seconds. */
export const MILLISECONDS_AS_SECONDS: HeaderParser<number> = { text: parseRetryAfterMs };

/** `retry-after`: delta-seconds, or an HTTP date taken relative to the response's `date`. */
export const RETRY_AFTER_SECONDS: HeaderParser<number> = {
  text: (value) => parseRetryAfter(value, undefined, 0),
  dated: parseRetryAfter,
};

/** How a response body is laid out, for the body reader: one JSON document, or server-sent events. */
export type BodyKind = 'json' | 'sse';

const JSON_MEDIA_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * `content-type`: a server-sent event stream (a streamed completion), JSON (`application/json`
 * or a `+json` type), or neither (undefined: nothing in the body to read).
 */
export const BODY_KIND: HeaderParser<BodyKind> = {
  text: (value) => (/^\s*text\/event-stream/i.test(value) ? 'sse' : JSON_MEDIA_TYPE.test(value) ? 'json' : undefined),
  // Nearly every answer has one of two exact values: those are told apart from the bytes alone.
  bytes: (value) => {
    if (equalsAscii(value, APPLICATION_JSON)) return 'json';
    return mayBeBodyKind(value) ? BODY_KIND.text(latin1(value)) : undefined;
  },
};

const APPLICATION_JSON = 'application/json';

function equalsAscii(value: Uint8Array, text: string): boolean {
  if (value.length !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (value[i] !== text.charCodeAt(i)) return false;
  return true;
}

function parseContentCoding(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v.length === 0 || v.length > 64) return undefined;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return undefined;
  }
  return v;
}

// An API answers with one or two codings: a repeat costs a byte compare instead of a decode.
const lastContentCoding = new StableToken(parseContentCoding);

/**
 * `content-encoding`, lower-cased and trimmed, as the server sent it: the body reader decides
 * what it can undo (a stacked `gzip, br` it cannot, so the value is kept whole, commas and all).
 */
export const CONTENT_CODING: HeaderParser<string> = {
  text: parseContentCoding,
  bytes: (value) => lastContentCoding.read(value),
};
