import { describe, expect, it, vi } from 'vitest';
import { RateLimitStore, type RateLimitEntry } from '../../../src/metrics/rate-limit-store.ts';

function entry(sentAt: number, remaining: number): RateLimitEntry {
  return { attributes: {}, sentAt, observedAt: sentAt, requests: { limit: 100, remaining, reset: 1 }, tokens: undefined };
}

describe('RateLimitStore', () => {
  it('replaces the state of a quota with a response to a request sent later', () => {
    const store = new RateLimitStore(10, () => {});
    store.offer('q', entry(1, 90));
    store.offer('q', entry(2, 80));
    expect([...store.values()].map((e) => e.requests?.remaining)).toEqual([80]);
  });

  it('keeps the newer state when an older request answers last', () => {
    const store = new RateLimitStore(10, () => {});
    store.offer('q', entry(2, 80));
    store.offer('q', entry(1, 90));
    expect([...store.values()].map((e) => e.requests?.remaining)).toEqual([80]);
  });

  it('lets the later response win when two requests were sent at the same instant', () => {
    const store = new RateLimitStore(10, () => {});
    store.offer('q', entry(5, 80));
    store.offer('q', entry(5, 79));
    expect([...store.values()].map((e) => e.requests?.remaining)).toEqual([79]);
  });

  it('keeps quotas apart by key', () => {
    const store = new RateLimitStore(10, () => {});
    store.offer('a', entry(1, 1));
    store.offer('b', entry(1, 2));
    expect(store.size).toBe(2);
  });

  it('drops the least recently observed quota past the cap and says so', () => {
    const onEvict = vi.fn();
    const store = new RateLimitStore(2, onEvict);
    store.offer('a', entry(1, 1));
    store.offer('b', entry(2, 2));
    store.offer('a', entry(3, 3)); // a is now the most recent
    store.offer('c', entry(4, 4));
    expect(store.size).toBe(2);
    expect(onEvict).toHaveBeenCalledTimes(1);
    expect([...store.values()].map((e) => e.requests?.remaining)).toEqual([3, 4]);
  });

  it('does not count an ignored out-of-order response as an observation', () => {
    const store = new RateLimitStore(2, () => {});
    store.offer('a', entry(10, 1));
    store.offer('b', entry(11, 2));
    store.offer('a', entry(5, 9)); // older than what a holds: ignored, a stays least recent
    store.offer('c', entry(12, 3));
    expect([...store.values()].map((e) => e.requests?.remaining)).toEqual([2, 3]);
  });
});
