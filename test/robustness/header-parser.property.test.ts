import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResetDuration } from '../../src/openai/duration.ts';
import { readNamedHeaders as readResponseHeaders } from '../helpers/header-fields.ts';
import type { NamedHeaders as OpenAIResponseHeaders } from '../helpers/header-fields.ts';
import { formatGoDuration } from '../../simulator/index.ts';
import { headerPairs, headerValue, junk } from './arbitraries.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const COUNTS = ['processingMs', 'requestsLimit', 'requestsRemaining', 'tokensLimit', 'tokensRemaining'] as const;
const SECONDS = ['requestsReset', 'tokensReset', 'retryAfter'] as const;
const TOKENS = ['requestId', 'organization', 'project', 'version'] as const;

/** What a parsed header set may contain: absent, or a sane value; never NaN, negative or blank. */
function expectSane(h: OpenAIResponseHeaders): void {
  for (const key of COUNTS) {
    const v = h[key];
    if (v !== undefined) expect(Number.isSafeInteger(v) && v >= 0, `${key}=${v}`).toBe(true);
  }
  for (const key of SECONDS) {
    const v = h[key];
    if (v !== undefined) expect(Number.isFinite(v) && v >= 0, `${key}=${v}`).toBe(true);
  }
  for (const key of TOKENS) {
    const v = h[key];
    if (v !== undefined) expect(/^[\x21-\x7e]{1,256}$/.test(v), `${key}=${v}`).toBe(true);
  }
  expect(h.bodyKind === undefined || h.bodyKind === 'json' || h.bodyKind === 'sse').toBe(true);
}

const asStrings = (pairs: Array<[string, string]>): string[] => pairs.flat();
const asBuffers = (pairs: Array<[string, string]>): Buffer[] => pairs.flat().map((s) => Buffer.from(s, 'latin1'));
/** Node's IncomingMessage.headers / undici's HTTP/2 shape: lower-case keys, repeats as arrays. */
function asObject(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

describe('the response header parser, on any input', () => {
  it('never throws and never yields NaN, negative, blank or out-of-range values', () => {
    fc.assert(
      fc.property(headerPairs, (pairs) => {
        expectSane(readResponseHeaders(asStrings(pairs), NOW));
        expectSane(readResponseHeaders(asBuffers(pairs), NOW));
        expectSane(readResponseHeaders(asObject(pairs), NOW));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on shapes no HTTP stack produces (odd-length arrays, numbers, nested objects)', () => {
    fc.assert(
      fc.property(fc.oneof(junk, fc.array(junk, { maxLength: 9 }), fc.dictionary(fc.string(), junk)), (raw) => {
        expectSane(readResponseHeaders(raw, NOW));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the same attributes from strings, Buffers and the object shape (repeats as arrays)', () => {
    fc.assert(
      fc.property(headerPairs, (pairs) => {
        const fromStrings = readResponseHeaders(asStrings(pairs), NOW);
        expect(readResponseHeaders(asBuffers(pairs.map(([n, v]) => [n, latin1Safe(v)])), NOW)).toEqual(
          readResponseHeaders(asStrings(pairs.map(([n, v]) => [n, latin1Safe(v)])), NOW),
        );
        expect(readResponseHeaders(asObject(pairs), NOW)).toEqual(fromStrings);
      }),
      { numRuns: 300 },
    );
  });

  it('takes the first repeated retry-after that parses, in the flat and the joined shape alike', () => {
    const flat = ['retry-after', '-1', 'Retry-After', '5'];
    expect(readResponseHeaders(flat, NOW).retryAfter).toBe(5);
    expect(readResponseHeaders(flat.map((s) => Buffer.from(s)), NOW).retryAfter).toBe(5);
    expect(readResponseHeaders({ 'retry-after': ['-1', '5'] }, NOW).retryAfter).toBe(5);
    expect(readResponseHeaders({ 'retry-after': '-1, 5' }, NOW).retryAfter).toBe(5);
    const long = 'text/event-stream; charset=utf-8';
    expect(readResponseHeaders({ 'retry-after': `${long}, ${long}, 7` }, NOW).retryAfter).toBe(7);
  });

  it('reads the same attributes when an HTTP/2 stack joined repeated values with ", "', () => {
    // Values without commas of their own (HTTP dates have one): joining is then reversible.
    const pairs = fc.array(fc.tuple(fc.constantFrom('x-ratelimit-remaining-tokens', 'x-ratelimit-reset-requests', 'x-request-id', 'retry-after', 'retry-after-ms', 'openai-processing-ms'), headerValue.filter((v) => !v.includes(',') && v.trim() === v && v.length < 1000)), { maxLength: 8 });
    fc.assert(
      fc.property(pairs, (list) => {
        const joined: Record<string, string> = {};
        for (const [name, value] of list) joined[name] = name in joined ? `${joined[name]}, ${value}` : value;
        expect(readResponseHeaders(joined, NOW)).toEqual(readResponseHeaders(asStrings(list), NOW));
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseResetDuration, on any input', () => {
  it('returns undefined or a finite non-negative number of seconds, never throws', () => {
    fc.assert(
      fc.property(fc.oneof(headerValue, fc.string(), fc.string({ unit: 'binary' })), (value) => {
        const s = parseResetDuration(value);
        if (s !== undefined) expect(Number.isFinite(s) && s >= 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("reads back what Go's Duration.String() (the simulator's formatter) writes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9e15 }), (nanos) => {
        const seconds = nanos / 1e9;
        expect(parseResetDuration(formatGoDuration(seconds))).toBeCloseTo(seconds, 6);
      }),
      { numRuns: 500 },
    );
  });
});

/** Buffers carry bytes: a value is compared through latin1, the decoding undici's bytes get. */
function latin1Safe(value: string): string {
  return Buffer.from(value, 'latin1').toString('latin1');
}
