/**
 * Rate-limit projection: what a quota looks like at collection time, given
 * what the last response said about it. A pure function of (observation, elapsed time), so
 * unit tests drive it with plain numbers.
 *
 * OpenAI refills a window continuously: `x-ratelimit-reset-*` is the time until the window is
 * full again. Between two responses we therefore assume the quota refills linearly from the
 * observed `remaining` to `limit` over the observed reset time, and that `reset` counts down to
 * 0. That assumes nobody else used the quota meanwhile, which is exactly why an alert on "low
 * remaining" can clear by itself once an app stops calling: the window did refill.
 */

/** One quota (requests or tokens) as a response reported it; absent headers are undefined. */
export interface QuotaObservation {
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** Seconds until the window is full again. */
  readonly reset: number | undefined;
}

/**
 * The quota `elapsedSeconds` after it was observed. Elapsed time that is negative or not a
 * number counts as 0 (report as observed), so a clock oddity can never yield NaN.
 */
export function projectQuota(observed: QuotaObservation, elapsedSeconds: number): QuotaObservation {
  const elapsed = Number.isFinite(elapsedSeconds) && elapsedSeconds > 0 ? elapsedSeconds : 0;
  const { limit, remaining, reset } = observed;
  return {
    limit,
    remaining: projectRemaining(limit, remaining, reset, elapsed),
    reset: reset === undefined ? undefined : Math.max(0, reset - elapsed),
  };
}

function projectRemaining(
  limit: number | undefined,
  remaining: number | undefined,
  reset: number | undefined,
  elapsed: number,
): number | undefined {
  if (remaining === undefined) return undefined;
  // Without a limit and a reset time (Azure sends only `remaining`) there is nothing to refill
  // towards: report the value as observed rather than guess.
  if (elapsed === 0 || limit === undefined || reset === undefined || remaining >= limit) return remaining;
  // A reset of 0 means "full again now".
  if (elapsed >= reset) return limit;
  // Whole units only, rounded down: a gauge never promises a request the window can't take yet.
  return Math.floor(remaining + (limit - remaining) * (elapsed / reset));
}
