import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../simulator/token-bucket.ts';

describe('TokenBucket', () => {
  it('starts full and refills linearly to full over the window', () => {
    const bucket = new TokenBucket(100, 1000, 0);
    bucket.take(100, 0);
    expect(bucket.level(0)).toBe(0);
    expect(bucket.level(250)).toBeCloseTo(25);
    expect(bucket.level(500)).toBeCloseTo(50);
    expect(bucket.level(2000)).toBe(100);
  });

  it('says how long until an amount fits and until it is full', () => {
    const bucket = new TokenBucket(60, 60_000, 0);
    bucket.take(60, 0);
    expect(bucket.msUntil(1, 0)).toBeCloseTo(1000);
    expect(bucket.msUntilFull(0)).toBeCloseTo(60_000);
    expect(bucket.fits(1, 999)).toBe(false);
    expect(bucket.fits(1, 1000)).toBe(true);
    expect(bucket.msUntil(61, 0)).toBe(Infinity);
  });
});
