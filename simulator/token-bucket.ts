/**
 * A bucket that holds up to `capacity` units and refills continuously and linearly,
 * from empty to full in `windowMs`. Times are monotonic milliseconds (`performance.now()`);
 * the level is computed lazily, so an idle bucket costs no timer.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly #perMs: number;
  #level: number;
  #at: number;

  constructor(capacity: number, windowMs: number, now: number) {
    this.capacity = capacity;
    this.#perMs = capacity / windowMs;
    this.#level = capacity;
    this.#at = now;
  }

  /** Units available at `now` (fractional). */
  level(now: number): number {
    if (now > this.#at) {
      this.#level = Math.min(this.capacity, this.#level + (now - this.#at) * this.#perMs);
      this.#at = now;
    }
    return this.#level;
  }

  /** Whether `amount` units are available at `now`; a few ulps of float drift count as available. */
  fits(amount: number, now: number): boolean {
    return this.level(now) + 1e-9 >= amount;
  }

  /** Removes `amount` units; call only after `fits`. */
  take(amount: number, now: number): void {
    this.#level = Math.max(0, this.level(now) - amount);
  }

  /** Milliseconds until `amount` units are available (0 if they are); Infinity if they never will be. */
  msUntil(amount: number, now: number): number {
    if (amount > this.capacity) return Infinity;
    return Math.max(0, (amount - this.level(now)) / this.#perMs);
  }

  /** Milliseconds until the bucket is full again. */
  msUntilFull(now: number): number {
    return (this.capacity - this.level(now)) / this.#perMs;
  }
}
