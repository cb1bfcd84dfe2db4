import type { Attributes } from '@opentelemetry/api';
import type { QuotaObservation } from './projection.ts';

/** The last known state of one quota (one gauge series per instrument). */
export interface RateLimitEntry {
  readonly attributes: Attributes;
  /**
   * When the request that carried this state was sent. Orders responses: the server admitted
   * a request sent later after one sent earlier, so its headers describe a newer state, even
   * when they arrive first (a slow call admitted earlier can answer after a quick later one).
   */
  readonly sentAt: number;
  /** When its response headers arrived, on the metrics clock: projection runs from here. */
  readonly observedAt: number;
  readonly requests: QuotaObservation | undefined;
  readonly tokens: QuotaObservation | undefined;
}

/**
 * The rate-limit state per quota, bounded. Past `maxSeries` quotas, the one observed least
 * recently is dropped (it stops being reported), so fresh state, the state an alert needs, always
 * has room, and a stream of distinct model names can't grow memory or series without bound.
 */
export class RateLimitStore {
  // Map iteration order is insertion order; re-inserting on every update keeps the least
  // recently observed quota first, so eviction is O(1).
  readonly #entries = new Map<string, RateLimitEntry>();
  readonly #maxSeries: number;
  readonly #onEvict: () => void;
  /** The key stored last, i.e. already at the end of the order: it is updated in place. */
  #newestKey: string | undefined;

  constructor(maxSeries: number, onEvict: () => void) {
    this.#maxSeries = Math.max(1, Math.floor(maxSeries));
    this.#onEvict = onEvict;
  }

  /**
   * Stores `entry` for `key` unless the stored state came from a request sent later (a newer
   * response always wins, whatever order responses arrive in).
   */
  offer(key: string, entry: RateLimitEntry): void {
    const current = this.#entries.get(key);
    if (current !== undefined) {
      if (entry.sentAt < current.sentAt) return;
      // Deleting and re-inserting the same key on every response fills V8's hash table with
      // tombstones and rehashes it every few calls (the handler-cost bench shows it). The key
      // stored last is already where a re-insertion would put it.
      if (key !== this.#newestKey) this.#entries.delete(key);
    } else if (this.#entries.size >= this.#maxSeries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
      this.#onEvict();
    }
    this.#entries.set(key, entry);
    this.#newestKey = key;
  }

  values(): IterableIterator<RateLimitEntry> {
    return this.#entries.values();
  }

  get size(): number {
    return this.#entries.size;
  }
}
