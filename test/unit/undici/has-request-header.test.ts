import { describe, expect, it } from 'vitest';
import { hasRequestHeader } from '../../../src/undici/request-headers.ts';

describe('hasRequestHeader', () => {
  it("finds a header in undici's flat array, whatever its case, and in the old string shape", () => {
    expect(hasRequestHeader(['content-type', 'a', 'TraceParent', '00-x'], 'traceparent')).toBe(true);
    expect(hasRequestHeader(['content-type', 'traceparent'], 'traceparent')).toBe(false);
    expect(hasRequestHeader('host: a\r\ntraceparent: 00-x\r\n', 'traceparent')).toBe(true);
    expect(hasRequestHeader(undefined, 'traceparent')).toBe(false);
    expect(hasRequestHeader([1, 2, 3], 'traceparent')).toBe(false);
  });

  it('does not take a header whose name merely ends with the one asked for', () => {
    expect(hasRequestHeader('host: a\r\nx-traceparent: 00-x\r\n', 'traceparent')).toBe(false);
    expect(hasRequestHeader('x-traceparent: 00-x\r\n', 'traceparent')).toBe(false);
    expect(hasRequestHeader('TraceParent: 00-x\r\n', 'traceparent')).toBe(true);
    expect(hasRequestHeader('host: a\r\nuser-agent: traceparent: x\r\n', 'traceparent')).toBe(false);
  });
});
