import type { OpenAIResponseHeaders } from '../internal-types.ts';
import { parseResetDuration } from './duration.ts';
import { StableTokens, latin1, mayBeEventStream, plainDigits } from './bytes.ts';
import { firstListElement, parseCount, parseNonNegativeDecimal, parseRetryAfter, parseRetryAfterMs, parseToken } from './values.ts';

/**
 * Reads the OpenAI headers out of the response headers undici publishes on
 * `undici:request:headers`, in either shape it uses:
 * - HTTP/1: a flat array `[name, value, name, value, ...]` of Buffers (or strings);
 * - HTTP/2 (undici 8, Node 26's global fetch): a plain object of lower-case names, where a
 *   repeated header is an array or already joined with ", ".
 *
 * Only the ~17 names we want are ever decoded: other headers cost a length lookup.
 */
export function readResponseHeaders(raw: unknown, now?: number): OpenAIResponseHeaders {
  const out = emptyHeaders();
  const pending: PendingValues = { retryAfter: undefined, date: undefined, requestIdFallback: undefined };
  if (Array.isArray(raw)) readFlatArray(raw, out, pending);
  else if (raw !== null && typeof raw === 'object') readObject(raw as Record<string, unknown>, out, pending);
  if (out.requestId === undefined) out.requestId = pending.requestIdFallback;
  if (out.retryAfter === undefined && pending.retryAfter !== undefined) {
    const date = pending.date instanceof Uint8Array ? latin1(pending.date) : pending.date;
    // The clock is read only here: a retry-after date without a `date` header is rare.
    out.retryAfter = parseRetryAfter(pending.retryAfter, date, now ?? Date.now());
  }
  return out;
}

export function emptyHeaders(): OpenAIResponseHeaders {
  return {
    requestId: undefined,
    organization: undefined,
    project: undefined,
    version: undefined,
    processingMs: undefined,
    requestsLimit: undefined,
    requestsRemaining: undefined,
    requestsReset: undefined,
    tokensLimit: undefined,
    tokensRemaining: undefined,
    tokensReset: undefined,
    retryAfter: undefined,
    eventStream: false,
  };
}

/** Values that need another header before they can be parsed, or only serve as fallbacks. */
interface PendingValues {
  retryAfter: string | undefined;
  /** Kept as bytes when it came as bytes: only a `retry-after` date needs it decoded. */
  date: string | Uint8Array | undefined;
  requestIdFallback: string | undefined;
}

const H = {
  requestId: 0,
  organization: 1,
  project: 2,
  version: 3,
  processingMs: 4,
  requestsLimit: 5,
  requestsRemaining: 6,
  requestsReset: 7,
  tokensLimit: 8,
  tokensRemaining: 9,
  tokensReset: 10,
  retryAfterMs: 11,
  retryAfter: 12,
  apimRequestId: 13,
  date: 14,
  contentType: 15,
} as const;
type HeaderId = (typeof H)[keyof typeof H];

const WANTED: ReadonlyArray<readonly [string, HeaderId]> = [
  ['x-request-id', H.requestId],
  ['openai-organization', H.organization],
  ['openai-project', H.project],
  ['openai-version', H.version],
  ['openai-processing-ms', H.processingMs],
  ['x-ratelimit-limit-requests', H.requestsLimit],
  ['x-ratelimit-remaining-requests', H.requestsRemaining],
  ['x-ratelimit-reset-requests', H.requestsReset],
  ['x-ratelimit-limit-tokens', H.tokensLimit],
  ['x-ratelimit-remaining-tokens', H.tokensRemaining],
  ['x-ratelimit-reset-tokens', H.tokensReset],
  ['retry-after-ms', H.retryAfterMs],
  ['retry-after', H.retryAfter],
  ['apim-request-id', H.apimRequestId],
  ['date', H.date],
  ['content-type', H.contentType],
];

const BY_NAME = new Map<string, HeaderId>(WANTED);

/** Candidates indexed by name length, as lower-case bytes, so a Buffer name is never decoded. */
const BY_LENGTH: Array<Array<readonly [Uint8Array, HeaderId]> | undefined> = [];
for (const [name, id] of WANTED) {
  (BY_LENGTH[name.length] ??= []).push([Buffer.from(name, 'latin1'), id]);
}

function readFlatArray(raw: readonly unknown[], out: OpenAIResponseHeaders, pending: PendingValues): void {
  const n = raw.length - 1;
  for (let i = 0; i < n; i += 2) {
    const name = raw[i];
    let id: HeaderId | undefined;
    if (name instanceof Uint8Array) id = matchBytes(name);
    else if (typeof name === 'string') id = BY_NAME.get(name.toLowerCase());
    if (id === undefined) continue;
    const value = raw[i + 1];
    if (value instanceof Uint8Array) applyBytes(id, value, out, pending);
    else if (typeof value === 'string') apply(id, value, out, pending);
  }
}

function matchBytes(name: Uint8Array): HeaderId | undefined {
  const candidates = BY_LENGTH[name.length];
  if (candidates === undefined) return undefined;
  // Indexed loops, not `for...of` with destructuring: this runs for every header of every
  // OpenAI response, and the iterator protocol was a measurable part of it.
  outer: for (let k = 0; k < candidates.length; k++) {
    const [bytes, id] = candidates[k]!;
    // `| 0x20` lower-cases ASCII letters and leaves '-' and digits as they are.
    for (let j = 0; j < bytes.length; j++) {
      if ((name[j]! | 0x20) !== bytes[j]) continue outer;
    }
    return id;
  }
  return undefined;
}

const STABLE = new StableTokens(parseToken);

/** `apply` for a value still in bytes: decodes only what it has to (see bytes.ts). */
function applyBytes(id: HeaderId, value: Uint8Array, out: OpenAIResponseHeaders, pending: PendingValues): void {
  switch (id) {
    case H.date:
      pending.date ??= value;
      return;
    case H.contentType:
      if (!out.eventStream && mayBeEventStream(value)) apply(id, latin1(value), out, pending);
      return;
    case H.organization:
      if (out.organization === undefined) out.organization = STABLE.read(id, value);
      return;
    case H.project:
      if (out.project === undefined) out.project = STABLE.read(id, value);
      return;
    case H.version:
      if (out.version === undefined) out.version = STABLE.read(id, value);
      return;
    case H.processingMs:
    case H.requestsLimit:
    case H.requestsRemaining:
    case H.tokensLimit:
    case H.tokensRemaining: {
      const count = plainDigits(value);
      if (count !== undefined) setCount(id, count, out);
      else apply(id, latin1(value), out, pending);
      return;
    }
    default:
      apply(id, latin1(value), out, pending);
  }
}

/** What `apply` stores for a count header whose value is plain digits; first value wins. */
function setCount(id: HeaderId, count: number, out: OpenAIResponseHeaders): void {
  switch (id) {
    case H.processingMs:
      out.processingMs ??= count;
      return;
    case H.requestsLimit:
      out.requestsLimit ??= count;
      return;
    case H.requestsRemaining:
      out.requestsRemaining ??= count;
      return;
    case H.tokensLimit:
      out.tokensLimit ??= count;
      return;
    case H.tokensRemaining:
      out.tokensRemaining ??= count;
      return;
  }
}

function readObject(raw: Record<string, unknown>, out: OpenAIResponseHeaders, pending: PendingValues): void {
  for (const [name, id] of WANTED) {
    const value = raw[name];
    if (typeof value === 'string') apply(id, value, out, pending);
    else if (Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string') apply(id, v, out, pending);
    }
  }
}

/** Keeps the first value that parses for each header; later repeats only fill gaps. */
function apply(id: HeaderId, value: string, out: OpenAIResponseHeaders, pending: PendingValues): void {
  switch (id) {
    case H.requestId:
      out.requestId ??= parseToken(value);
      return;
    case H.organization:
      out.organization ??= parseToken(value);
      return;
    case H.project:
      out.project ??= parseToken(value);
      return;
    case H.version:
      out.version ??= parseToken(value);
      return;
    case H.processingMs: {
      const ms = parseNonNegativeDecimal(value);
      out.processingMs ??= ms === undefined ? undefined : Math.round(ms);
      return;
    }
    case H.requestsLimit:
      out.requestsLimit ??= parseCount(value);
      return;
    case H.requestsRemaining:
      out.requestsRemaining ??= parseCount(value);
      return;
    case H.requestsReset:
      out.requestsReset ??= firstDuration(value);
      return;
    case H.tokensLimit:
      out.tokensLimit ??= parseCount(value);
      return;
    case H.tokensRemaining:
      out.tokensRemaining ??= parseCount(value);
      return;
    case H.tokensReset:
      out.tokensReset ??= firstDuration(value);
      return;
    case H.retryAfterMs:
      out.retryAfter ??= parseRetryAfterMs(value);
      return;
    case H.retryAfter:
      // The first value that parses wins, as for every header (whether it parses does not
      // depend on `date`); keeping the first raw one lost `retry-after: -1` + `retry-after: 5`.
      if (pending.retryAfter === undefined && parseRetryAfter(value, undefined, 0) !== undefined) pending.retryAfter = value;
      return;
    case H.apimRequestId:
      pending.requestIdFallback ??= parseToken(value);
      return;
    case H.date:
      pending.date ??= value;
      return;
    case H.contentType:
      if (!out.eventStream) out.eventStream = /^\s*text\/event-stream/i.test(value);
      return;
  }
}

function firstDuration(value: string): number | undefined {
  return firstListElement(value, parseResetDuration);
}
