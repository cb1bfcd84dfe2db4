/** What `POST /_simulator/quota` (or `quotaExhaustedKeys`) sets for one API key. */
export interface QuotaUpdate {
  apiKey: string;
  /** `true`: every further call with the key gets 429 `insufficient_quota`; `false`: unlimited again. */
  exhausted?: boolean;
  /** Tokens the key may still spend (prompt plus completion, as billed); the call that crosses 0 still succeeds. */
  remainingTokens?: number;
}

/**
 * Per-key credit, as billing sees it: unlimited unless a test sets a budget or exhausts it.
 * One simulator holds it for every client, so app replicas sharing a key run dry together.
 */
export class QuotaBook {
  readonly #remaining = new Map<string, number>();

  constructor(exhaustedKeys: readonly string[] = []) {
    for (const apiKey of exhaustedKeys) this.#remaining.set(apiKey, 0);
  }

  update({ apiKey, exhausted, remainingTokens }: QuotaUpdate): void {
    if (remainingTokens !== undefined) this.#remaining.set(apiKey, remainingTokens);
    if (exhausted === true) this.#remaining.set(apiKey, 0);
    else if (exhausted === false && remainingTokens === undefined) this.#remaining.delete(apiKey);
  }

  /** Tokens left for the key; Infinity when it has no budget. */
  remaining(apiKey: string): number {
    return this.#remaining.get(apiKey) ?? Infinity;
  }

  isExhausted(apiKey: string): boolean {
    return this.remaining(apiKey) <= 0;
  }

  /** Bills a served call; keys without a budget cost nothing to track. */
  spend(apiKey: string, tokens: number): void {
    const left = this.#remaining.get(apiKey);
    if (left !== undefined) this.#remaining.set(apiKey, left - tokens);
  }
}

/** Reads a control request's JSON; undefined unless it names a key and sets something valid. */
export function parseQuotaUpdate(text: string): QuotaUpdate | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { apiKey, exhausted, remainingTokens } = body as Record<string, unknown>;
  if (typeof apiKey !== 'string' || apiKey === '') return undefined;
  if (exhausted !== undefined && typeof exhausted !== 'boolean') return undefined;
  if (remainingTokens !== undefined && !(typeof remainingTokens === 'number' && Number.isFinite(remainingTokens) && remainingTokens >= 0)) return undefined;
  if (exhausted === undefined && remainingTokens === undefined) return undefined;
  return { apiKey, exhausted, remainingTokens };
}
