import type { RequestRecord } from '../internal-types.ts';

/**
 * Ends the spans of requests that stopped showing signs of life: a response whose body the
 * app never reads produces no further channel event, and its span must not stay open (or its
 * state live) forever. One unref'd interval serves every request, and runs only while some
 * request is in flight; per request the cost is a Set insertion and a counter.
 */
export class UnfinishedSweeper {
  private readonly tracked = new Map<RequestRecord, { seen: number; since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: () => number;
  private readonly onExpire: (record: RequestRecord) => void;

  constructor(timeoutMs: () => number, onExpire: (record: RequestRecord) => void) {
    this.timeoutMs = timeoutMs;
    this.onExpire = onExpire;
  }

  get size(): number {
    return this.tracked.size;
  }

  track(record: RequestRecord): void {
    this.tracked.set(record, { seen: record.activity, since: performance.now() });
    if (this.timer === undefined) {
      const every = Math.min(5_000, Math.max(20, this.timeoutMs() / 4));
      this.timer = setInterval(() => this.sweep(), every);
      this.timer.unref();
    }
  }

  untrack(record: RequestRecord): void {
    this.tracked.delete(record);
  }

  /** Ends every record that has been silent for longer than the timeout. */
  sweep(now: number = performance.now()): void {
    const timeout = this.timeoutMs();
    for (const [record, mark] of this.tracked) {
      if (record.activity !== mark.seen) {
        mark.seen = record.activity;
        mark.since = now;
      } else if (now - mark.since >= timeout) {
        this.tracked.delete(record);
        this.onExpire(record);
      }
    }
    if (this.tracked.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /**
   * Ends every tracked record now: the instrumentation is being disabled, no further event
   * will reach these requests, and their spans must neither stay open nor appear later.
   */
  expireAll(): void {
    const records = [...this.tracked.keys()];
    this.clear();
    for (const record of records) this.onExpire(record);
  }

  /** Drops everything (used when the instrumentation is torn down in tests). */
  clear(): void {
    this.tracked.clear();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
