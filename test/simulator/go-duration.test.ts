import { describe, expect, it } from 'vitest';
import { formatGoDuration } from '../../simulator/index.ts';

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [0.006, '6ms'],
    [0.0015, '1.5ms'],
    [0.8, '800ms'],
    [0.0005, '500µs'],
    [4.2e-8, '42ns'],
    [1, '1s'],
    [59.9, '59.9s'],
    [360, '6m0s'],
    [86.4, '1m26.4s'],
    [1185.394, '19m45.394s'],
    [7200, '2h0m0s'],
    [3723.5, '1h2m3.5s'],
    [-1.5, '-1.5s'],
  ])('formats %d seconds as %s, like Go time.Duration.String()', (seconds, expected) => {
    expect(formatGoDuration(seconds)).toBe(expected);
  });

  it('refuses a non-finite duration instead of printing a guess', () => {
    expect(() => formatGoDuration(Number.NaN)).toThrow(RangeError);
  });
});
