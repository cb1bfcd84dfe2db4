import { describe, expect, it } from 'vitest';
import { readNamedHeaders as readResponseHeaders } from '../../helpers/header-fields.ts';

const OPENAI_HEADERS: Record<string, string> = {
  'x-request-id': 'req_8f9c1b2e',
  'openai-organization': 'acme-inc',
  'openai-project': 'proj_abc',
  'openai-version': '2020-10-01',
  'openai-processing-ms': '412',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '2000000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-remaining-tokens': '1999750',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-reset-tokens': '1m26.4s',
  'content-type': 'application/json',
};

const EXPECTED = {
  requestId: 'req_8f9c1b2e',
  organization: 'acme-inc',
  project: 'proj_abc',
  version: '2020-10-01',
  processingMs: 412,
  requestsLimit: 10000,
  tokensLimit: 2000000,
  requestsRemaining: 9999,
  tokensRemaining: 1999750,
  requestsReset: 0.006,
  tokensReset: 86.4,
  retryAfter: undefined,
  bodyKind: 'json',
  contentEncoding: undefined,
};

/** undici's HTTP/1 shape: a flat array of Buffers. */
function asBufferArray(headers: Record<string, string | string[]>): Buffer[] {
  const out: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push(Buffer.from(name), Buffer.from(v));
  }
  return out;
}

describe('readResponseHeaders', () => {
  it('reads every OpenAI header from the HTTP/1 Buffer array', () => {
    expect(readResponseHeaders(asBufferArray(OPENAI_HEADERS))).toEqual(EXPECTED);
  });

  it('reads the same values from the HTTP/2 plain object', () => {
    expect(readResponseHeaders({ ...OPENAI_HEADERS, ':status': '200' })).toEqual(EXPECTED);
  });

  it('reads string arrays and mixed-case names', () => {
    const flat = Object.entries(OPENAI_HEADERS).flatMap(([k, v]) => [k.toUpperCase(), v]);
    expect(readResponseHeaders(flat)).toEqual(EXPECTED);
    const mixed = asBufferArray(Object.fromEntries(Object.entries(OPENAI_HEADERS).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), v])));
    expect(readResponseHeaders(mixed)).toEqual(EXPECTED);
  });

  it('takes the first value that parses when a header is repeated', () => {
    const h1 = readResponseHeaders(asBufferArray({ 'x-ratelimit-remaining-requests': ['garbage', '500', '400'], 'x-request-id': ['', 'req_2'] }));
    expect(h1.requestsRemaining).toBe(500);
    expect(h1.requestId).toBe('req_2');
  });

  it('splits values an HTTP/2 stack joined with commas', () => {
    const h2 = readResponseHeaders({ 'x-ratelimit-remaining-requests': '500, 400', 'x-ratelimit-reset-tokens': 'soon, 1s', 'x-request-id': 'req_1, req_2' });
    expect(h2.requestsRemaining).toBe(500);
    expect(h2.tokensReset).toBe(1);
    expect(h2.requestId).toBe('req_1');
    expect(readResponseHeaders({ 'x-ratelimit-limit-tokens': ['12', '13'] }).tokensLimit).toBe(12);
  });

  it('leaves garbage, negative and empty values out instead of guessing', () => {
    const h = readResponseHeaders({
      'x-ratelimit-remaining-requests': '-1',
      'x-ratelimit-remaining-tokens': '',
      'x-ratelimit-limit-requests': '1e3',
      'x-ratelimit-limit-tokens': '12.5',
      'x-ratelimit-reset-requests': '-6ms',
      'x-ratelimit-reset-tokens': 'NaN',
      'openai-processing-ms': 'fast',
      'openai-organization': 'acme\u0000inc',
      'x-request-id': 'x'.repeat(300),
      'retry-after': 'later',
    });
    for (const [key, value] of Object.entries(h)) {
      if (key !== 'bodyKind') expect(value, key).toBeUndefined();
    }
  });

  it('prefers retry-after-ms, and reads retry-after as seconds or as a date relative to the response date', () => {
    expect(readResponseHeaders({ 'retry-after-ms': '1500', 'retry-after': '2' }).retryAfter).toBe(1.5);
    expect(readResponseHeaders({ 'retry-after': '20' }).retryAfter).toBe(20);
    expect(
      readResponseHeaders({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT', date: 'Wed, 21 Oct 2015 07:28:00 GMT' }).retryAfter,
    ).toBe(30);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(readResponseHeaders(asBufferArray({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), now).retryAfter).toBe(10);
    expect(readResponseHeaders({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT', date: 'Wed, 21 Oct 2015 07:28:00 GMT' }).retryAfter).toBe(0);
  });

  it('falls back to Azure apim-request-id only when x-request-id is absent', () => {
    expect(readResponseHeaders({ 'apim-request-id': 'a1b2' }).requestId).toBe('a1b2');
    expect(readResponseHeaders({ 'apim-request-id': 'a1b2', 'x-request-id': 'req_1' }).requestId).toBe('req_1');
  });

  it('recognises a server-sent event stream and JSON, and nothing else, as a body to read', () => {
    expect(readResponseHeaders({ 'content-type': 'text/event-stream; charset=utf-8' }).bodyKind).toBe('sse');
    expect(readResponseHeaders(asBufferArray({ 'Content-Type': 'Text/Event-Stream' })).bodyKind).toBe('sse');
    for (const json of ['application/json', 'application/json; charset=utf-8', ' Application/JSON', 'application/problem+json']) {
      expect(readResponseHeaders({ 'content-type': json }).bodyKind, json).toBe('json');
      expect(readResponseHeaders(asBufferArray({ 'content-type': json })).bodyKind, json).toBe('json');
    }
    for (const other of ['text/plain', 'application/jsonl', 'application/octet-stream', 'image/png', '']) {
      expect(readResponseHeaders({ 'content-type': other }).bodyKind, other).toBeUndefined();
      expect(readResponseHeaders(asBufferArray({ 'content-type': other })).bodyKind, other).toBeUndefined();
    }
  });

  it('reads content-encoding as what the body reader does with it: a coding to undo, identity, or other', () => {
    expect(readResponseHeaders({ 'content-encoding': ' GZIP ' }).contentEncoding).toBe('gzip');
    expect(readResponseHeaders({ 'content-encoding': 'x-gzip' }).contentEncoding).toBe('gzip');
    expect(readResponseHeaders({ 'content-encoding': 'Identity' }).contentEncoding).toBe('identity');
    expect(readResponseHeaders(asBufferArray({ 'Content-Encoding': 'gzip, br' })).contentEncoding).toBe('other');
    expect(readResponseHeaders({ 'content-encoding': 'compress' }).contentEncoding).toBe('other');
  });

  it('reads content-encoding from Buffers as from strings, whether it repeats or changes', () => {
    for (const v of ['br', 'br', 'GZIP', 'gzip', ' br ', 'x\u0000', 'br', 'gzip, br', 'deflate', 'identity']) {
      expect(readResponseHeaders(asBufferArray({ 'Content-Encoding': v })).contentEncoding, v).toBe(readResponseHeaders({ 'content-encoding': v }).contentEncoding);
    }
    // undici's header Buffers are views into a reused socket buffer: the same bytes object may change.
    const value = Buffer.from('gzip');
    expect(readResponseHeaders([Buffer.from('content-encoding'), value]).contentEncoding).toBe('gzip');
    value.write('zstd');
    expect(readResponseHeaders([Buffer.from('content-encoding'), value]).contentEncoding).toBe('zstd');
  });

  it('returns an empty result for shapes it does not know', () => {
    for (const raw of [undefined, null, 'x-request-id: 1', 42, [1, 2, 3], [Buffer.from('x-request-id')]]) {
      expect(readResponseHeaders(raw).requestId).toBeUndefined();
    }
  });
});
