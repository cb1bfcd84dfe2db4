import type { RequestRecord } from '../internal-types.ts';

/**
 * Ends the spans of requests that stopped showing signs of life: a response whose body the
 * app never reads produces no further channel event, and its span must not stay open (or its
 * state live) forever. One unref'd interval serves every request, and runs only while some
 * request is in flight.
 *
 * Per request the cost is an array push: no hash-table entry (a Map or Set keyed by a fresh
 * object pays for its identity hash and for the table's tombstones on every request; the
 * handler-cost bench shows the difference). Ended records are dropped lazily, when the array
 * is more than half ended ones or at the next sweep, so it stays within about twice the
 * requests in flight.
 */
export class UnfinishedSweeper {
  private tracked: RequestRecord[] = [];
  /** `untrack` calls since the array was last compacted. */
  private untracked = 0;
  /** Signs of life of records a sweep has already looked at; most requests end before one. */
  private readonly marks = new Map<RequestRecord, Mark>();
  private timer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: () => number;
  private readonly onExpire: (record: RequestRecord) => void;
  private readonly onError: (error: unknown) => void;

  /**
   * `onExpire` ends one silent record; `onError` hears what it threw. The sweep runs from a
   * timer, outside every channel guard, so a throw (a span processor's, say) must stop there
   * and must not keep the other expired records from ending.
   */
  constructor(timeoutMs: () => number, onExpire: (record: RequestRecord) => void, onError: (error: unknown) => void) {
    this.timeoutMs = timeoutMs;
    this.onExpire = onExpire;
    this.onError = onError;
  }

  /** Requests in flight (for tests and leak checks; not on the hot path). */
  get size(): number {
    let live = 0;
    for (const record of this.tracked) if (!record.ended) live++;
    return live;
  }

  track(record: RequestRecord): void {
    if (this.untracked > 32 && this.untracked * 2 > this.tracked.length) {
      this.tracked = this.tracked.filter((r) => !r.ended);
      this.untracked = 0;
    }
    this.tracked.push(record);
    if (this.timer === undefined) {
      const every = Math.min(5_000, Math.max(20, this.timeoutMs() / 4));
      this.timer = setInterval(() => {
        try {
          this.sweep();
        } catch (error) {
          this.report(error);
        }
      }, every);
      this.timer.unref();
    }
  }

  /** Called once the record has ended (`record.ended` is set): it is dropped lazily. */
  untrack(record: RequestRecord): void {
    this.untracked++;
    if (this.marks.size > 0) this.marks.delete(record);
  }

  /** Ends every record that has been silent for longer than the timeout. */
  sweep(now: number = performance.now()): void {
    const timeout = this.timeoutMs();
    const live: RequestRecord[] = [];
    const expired: RequestRecord[] = [];
    for (const record of this.tracked) {
      if (record.ended) {
        this.marks.delete(record);
        continue;
      }
      let mark = this.marks.get(record);
      if (mark === undefined) {
        // Tracked at creation, before any event: activity 0 since the request started.
        mark = { seen: 0, since: record.startTime };
        this.marks.set(record, mark);
      }
      if (record.activity !== mark.seen) {
        mark.seen = record.activity;
        mark.since = now;
        live.push(record);
      } else if (now - mark.since >= timeout) {
        this.marks.delete(record);
        expired.push(record);
      } else {
        live.push(record);
      }
    }
    this.tracked = live;
    this.untracked = 0;
    for (const record of expired) this.expire(record);
    if (this.tracked.length === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /**
   * Hands over every record still in flight and forgets them: the instrumentation is being
   * disabled, no further event will reach these requests.
   */
  drain(): RequestRecord[] {
    const records = this.tracked.filter((record) => !record.ended);
    this.clear();
    return records;
  }

  private expire(record: RequestRecord): void {
    try {
      this.onExpire(record);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // The error reporter itself failed; there is nowhere left to report to.
    }
  }

  /** Drops everything and stops the timer. */
  clear(): void {
    this.tracked = [];
    this.untracked = 0;
    this.marks.clear();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

interface Mark {
  /** `record.activity` when last looked at. */
  seen: number;
  /** When `seen` was last found to have changed (or the request started). */
  since: number;
}
