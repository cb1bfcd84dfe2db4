import fc from 'fast-check';
import { formatGoDuration } from '../../simulator/index.ts';

/** Every response header name the parser looks for. */
export const OPENAI_HEADER_NAMES = [
  'x-request-id',
  'openai-organization',
  'openai-project',
  'openai-version',
  'openai-processing-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'retry-after-ms',
  'retry-after',
  'apim-request-id',
  'date',
  'content-type',
] as const;

/** A header name: one we read (in any letter case) or any other RFC 9110 token. */
export const headerName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...OPENAI_HEADER_NAMES).chain((name) =>
    fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) =>
      [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''),
    ),
  ),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/),
);

/** Values as servers send them, and as they should not: numbers, -1, durations, dates, junk, huge, non-ASCII. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 10_000_000 }).map(String),
  fc.constantFrom('-1', '0', '', ' ', '1e3', '0x10', 'NaN', 'Infinity', '9007199254740993', '12.5', '.5', '5.'),
  fc.double({ min: 0, max: 200_000, noNaN: true }).map((s) => formatGoDuration(s)),
  fc.constantFrom('6ms', '0.8s', '1m26.4s', '2h0m0s', '-5s', '1h1h', 'ms', '1.s', '500µs', '7.66s'),
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.constantFrom('text/event-stream; charset=utf-8', 'application/json', 'TEXT/EVENT-STREAM'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 100_000 }).map((n) => '1,'.repeat(n)),
);

/** A header list: name/value pairs, names often repeated. */
export const headerPairs: fc.Arbitrary<Array<[string, string]>> = fc.array(fc.tuple(headerName, headerValue), { maxLength: 30 });

/** Anything at all, for the fields of a channel message that a broken publisher might fill. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(undefined, null, NaN, -1, 0, '', Symbol('s'), () => 1, new Uint8Array(3)),
);
