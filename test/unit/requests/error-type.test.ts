import { describe, expect, it } from 'vitest';
import { errorType } from '../../../src/requests/error-type.ts';

describe('errorType', () => {
  it('is the status code for HTTP errors', () => {
    expect(errorType(429, undefined)).toBe('429');
    expect(errorType(500, new Error('x'))).toBe('500');
  });
  it('is the error code, then the error name, never the message', () => {
    expect(errorType(0, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorType(200, new DOMException('This operation was aborted', 'AbortError'))).toBe('AbortError');
    expect(errorType(0, new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }))).toBe('UND_ERR_SOCKET');
    expect(errorType(0, new TypeError('fetch failed'))).toBe('TypeError');
    expect(errorType(0, new Error('boom'))).toBe('_OTHER');
    expect(errorType(0, 'a string')).toBe('_OTHER');
  });
  it('is absent when nothing failed', () => {
    expect(errorType(200, undefined)).toBeUndefined();
  });
});
