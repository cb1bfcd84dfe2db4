import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectQuota } from '../../../src/metrics/projection.ts';

describe('projectQuota', () => {
  const observed = { limit: 600, remaining: 0, reset: 60 };

  it('reports the observed values at the moment of the observation', () => {
    expect(projectQuota(observed, 0)).toEqual(observed);
  });

  it('refills remaining linearly towards the limit over the observed reset time', () => {
    expect(projectQuota(observed, 15).remaining).toBe(150);
    expect(projectQuota(observed, 30).remaining).toBe(300);
    expect(projectQuota({ limit: 100, remaining: 40, reset: 6 }, 3).remaining).toBe(70);
  });

  it('rounds a partly refilled unit down, never promising what the window cannot take yet', () => {
    expect(projectQuota({ limit: 10, remaining: 0, reset: 3 }, 1).remaining).toBe(3);
  });

  it('counts reset down to 0 and then reports remaining equal to the limit', () => {
    expect(projectQuota(observed, 45).reset).toBe(15);
    expect(projectQuota(observed, 60)).toEqual({ limit: 600, remaining: 600, reset: 0 });
    expect(projectQuota(observed, 3600)).toEqual({ limit: 600, remaining: 600, reset: 0 });
  });

  it('treats a reset of 0 as a window that is already full', () => {
    expect(projectQuota({ limit: 50, remaining: 10, reset: 0 }, 0.001).remaining).toBe(50);
  });

  it('reports remaining as observed when there is no limit or reset to refill towards (Azure)', () => {
    expect(projectQuota({ limit: undefined, remaining: 7, reset: undefined }, 30)).toEqual({ limit: undefined, remaining: 7, reset: undefined });
    expect(projectQuota({ limit: 100, remaining: 7, reset: undefined }, 30).remaining).toBe(7);
    expect(projectQuota({ limit: undefined, remaining: 7, reset: 10 }, 4)).toEqual({ limit: undefined, remaining: 7, reset: 6 });
  });

  it('leaves a remaining above the limit as observed', () => {
    expect(projectQuota({ limit: 10, remaining: 12, reset: 5 }, 2).remaining).toBe(12);
  });

  it('treats negative or non-finite elapsed time as no time at all', () => {
    for (const elapsed of [-5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(projectQuota(observed, elapsed)).toEqual(observed);
    }
  });

  it('always gives finite values between the observation and the limit, never NaN', () => {
    const count = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(count, count, fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ noNaN: false }), (limit, remaining, reset, elapsed) => {
        const r = Math.min(limit, remaining);
        const out = projectQuota({ limit, remaining: r, reset }, elapsed);
        expect(Number.isFinite(out.remaining)).toBe(true);
        expect(Number.isFinite(out.reset)).toBe(true);
        expect(out.remaining).toBeGreaterThanOrEqual(r);
        expect(out.remaining).toBeLessThanOrEqual(limit);
        expect(out.reset).toBeGreaterThanOrEqual(0);
        expect(out.reset).toBeLessThanOrEqual(reset);
      }),
    );
  });

  it('never decreases remaining or increases reset as time passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.001, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), (limit, remaining, reset, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const obs = { limit, remaining: Math.min(limit, remaining), reset };
        expect(projectQuota(obs, late).remaining!).toBeGreaterThanOrEqual(projectQuota(obs, early).remaining!);
        expect(projectQuota(obs, late).reset!).toBeLessThanOrEqual(projectQuota(obs, early).reset!);
      }),
    );
  });
});
