import { describe, expect, it } from 'vitest';
import { readResendCount } from '../../../src/undici/request-headers.ts';

describe('readResendCount', () => {
  it('reads x-stainless-retry-count when above zero', () => {
    expect(readResendCount(['content-type', 'application/json', 'X-Stainless-Retry-Count', '2'])).toBe(2);
    expect(readResendCount('host: x\r\nx-stainless-retry-count: 3\r\n')).toBe(3);
  });
  it('is absent for the first attempt and for garbage', () => {
    expect(readResendCount(['x-stainless-retry-count', '0'])).toBeUndefined();
    expect(readResendCount(['x-stainless-retry-count', '-1'])).toBeUndefined();
    expect(readResendCount(['x-stainless-retry-count', 'abc'])).toBeUndefined();
    expect(readResendCount(undefined)).toBeUndefined();
    expect(readResendCount([])).toBeUndefined();
  });
});
