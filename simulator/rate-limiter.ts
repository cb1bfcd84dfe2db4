import { TokenBucket } from './token-bucket.ts';
import type { SimulatorOptions } from './types.ts';

/** What the x-ratelimit-* headers say right after a request was (or wasn't) admitted. */
export interface RateLimitSnapshot {
  limitRequests: number;
  limitTokens: number;
  remainingRequests: number;
  remainingTokens: number;
  /** Whole milliseconds until the bucket is full again (rounded up, so it is full by then). */
  resetRequestsMs: number;
  resetTokensMs: number;
}

export interface Rejection {
  kind: 'requests' | 'tokens';
  limit: number;
  used: number;
  requested: number;
  /** Whole milliseconds until the request fits both buckets; Infinity when it never can. */
  retryAfterMs: number;
}

export type Admission =
  | { admitted: true; snapshot: RateLimitSnapshot }
  | { admitted: false; snapshot: RateLimitSnapshot; rejection: Rejection };

interface Buckets {
  requests: TokenBucket;
  tokens: TokenBucket;
}

/**
 * OpenAI limits each organization per model; the simulator stands one API key in for
 * one organization, so every (API key, model) pair gets its own request and token buckets.
 * A rejected request consumes nothing, as with OpenAI.
 */
export class RateLimiter {
  readonly #options: SimulatorOptions;
  readonly #buckets = new Map<string, Buckets>();

  constructor(options: SimulatorOptions) {
    this.#options = options;
  }

  /** Charges 1 request and `tokens` tokens if both fit now, else rejects without charging. */
  admit(apiKey: string, model: string, tokens: number, now: number): Admission {
    const buckets = this.#bucketsFor(apiKey, model, now);
    const rejection = reject(buckets, tokens, now);
    if (rejection) return { admitted: false, snapshot: snapshot(buckets, now), rejection };
    buckets.requests.take(1, now);
    buckets.tokens.take(tokens, now);
    return { admitted: true, snapshot: snapshot(buckets, now) };
  }

  /** The current state without charging anything (for forced error responses). */
  peek(apiKey: string, model: string, now: number): RateLimitSnapshot {
    return snapshot(this.#bucketsFor(apiKey, model, now), now);
  }

  #bucketsFor(apiKey: string, model: string, now: number): Buckets {
    // A newline can't occur in a header value, so the joined key is unambiguous.
    const id = `${apiKey}\n${model}`;
    let buckets = this.#buckets.get(id);
    if (buckets === undefined) {
      const { requestsPerWindow, tokensPerWindow, windowMs, limitsByModel } = this.#options;
      const own = limitsByModel?.[model];
      buckets = {
        requests: new TokenBucket(own?.requestsPerWindow ?? requestsPerWindow, windowMs, now),
        tokens: new TokenBucket(own?.tokensPerWindow ?? tokensPerWindow, windowMs, now),
      };
      this.#buckets.set(id, buckets);
    }
    return buckets;
  }
}

function reject({ requests, tokens }: Buckets, cost: number, now: number): Rejection | undefined {
  // A request larger than the whole token bucket can never fit: OpenAI's "Request too large".
  if (cost > tokens.capacity) return rejection('tokens', tokens, cost, Infinity, now);
  const requestsFit = requests.fits(1, now);
  const tokensFit = tokens.fits(cost, now);
  if (requestsFit && tokensFit) return undefined;
  // Retrying after this long fits both buckets, so the SDK's honoured retry-after-ms succeeds.
  const retryAfterMs = Math.max(1, wholeMsUp(Math.max(requests.msUntil(1, now), tokens.msUntil(cost, now))));
  return requestsFit
    ? rejection('tokens', tokens, cost, retryAfterMs, now)
    : rejection('requests', requests, 1, retryAfterMs, now);
}

function rejection(kind: Rejection['kind'], bucket: TokenBucket, requested: number, retryAfterMs: number, now: number): Rejection {
  const limit = bucket.capacity;
  return { kind, limit, used: limit - whole(bucket.level(now)), requested, retryAfterMs };
}

function snapshot({ requests, tokens }: Buckets, now: number): RateLimitSnapshot {
  return {
    limitRequests: requests.capacity,
    limitTokens: tokens.capacity,
    remainingRequests: whole(requests.level(now)),
    remainingTokens: whole(tokens.level(now)),
    resetRequestsMs: wholeMsUp(requests.msUntilFull(now)),
    resetTokensMs: wholeMsUp(tokens.msUntilFull(now)),
  };
}

// Refill arithmetic leaves float dust (59.999999999 after taking 1 from 60 and adding back
// a refill): round it away so headers show the integers a reader expects.
function whole(units: number): number {
  return Math.floor(units + 1e-9);
}

function wholeMsUp(ms: number): number {
  return Math.ceil(ms - 1e-6);
}
