import { describe, expect, it } from 'vitest';
import { latin1, mayBeBodyKind, plainDigits } from '../../../src/openai/bytes.ts';
import { readNamedHeaders as readResponseHeaders } from '../../helpers/header-fields.ts';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('header bytes', () => {
  it('reads plain digits without decoding, and declines anything else', () => {
    expect(plainDigits(b('9999'))).toBe(9999);
    expect(plainDigits(b('0'))).toBe(0);
    expect(plainDigits(b('123456789012345'))).toBe(123456789012345);
    for (const odd of ['', ' 1', '1 ', '1,2', '-1', '1.5', '1e3', '1234567890123456']) expect(plainDigits(b(odd)), odd).toBeUndefined();
  });

  it('rules out content types the body reader does not want only when the regexes could not match', () => {
    expect(mayBeBodyKind(b('image/png'))).toBe(false);
    expect(mayBeBodyKind(b(''))).toBe(false);
    for (const maybe of ['text/event-stream', 'Text/plain', ' \t\u00a0text/event-stream', 'application/json', ' Application/problem+json']) expect(mayBeBodyKind(b(maybe)), maybe).toBe(true);
  });

  it('decodes Buffers and plain Uint8Arrays alike', () => {
    const bytes = b('req_\u00e9');
    expect(latin1(bytes)).toBe('req_\u00e9');
    expect(latin1(new Uint8Array(bytes))).toBe('req_\u00e9');
  });

  it('gives the same headers from bytes as from strings where the fast paths decline', () => {
    const pairs: Array<[string, string]> = [
      ['x-ratelimit-remaining-requests', ' 12 '],
      ['x-ratelimit-limit-requests', '500, 400'],
      ['openai-processing-ms', '412.6'],
      ['x-ratelimit-limit-tokens', 'nope'],
      ['x-ratelimit-limit-tokens', '7'],
      ['retry-after', 'Wed, 21 Oct 2015 07:28:30 GMT'],
      ['Date', 'Wed, 21 Oct 2015 07:28:00 GMT'],
      ['content-type', '\u00a0text/event-stream'],
    ];
    const now = Date.parse('Wed, 21 Oct 2015 07:00:00 GMT');
    const fromBytes = readResponseHeaders(pairs.flat().map(b), now);
    expect(fromBytes).toEqual(readResponseHeaders(pairs.flat(), now));
    expect(fromBytes).toMatchObject({ requestsRemaining: 12, requestsLimit: 500, processingMs: 413, tokensLimit: 7, retryAfter: 30, bodyKind: 'sse' });
  });
});
