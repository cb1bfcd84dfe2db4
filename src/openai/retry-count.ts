/**
 * `x-stainless-retry-count`, which the official OpenAI SDKs send on every attempt: the
 * attempt's resend count when above zero (`http.request.resend_count`), else undefined.
 */
export const RETRY_COUNT_HEADER = 'x-stainless-retry-count';

export function parseRetryCount(raw: string | undefined): number | undefined {
  // The SDKs send "0" on every first attempt: the common case needs no regex.
  if (raw === undefined || raw === '0') return undefined;
  const value = raw.trim();
  if (!/^\d{1,6}$/.test(value)) return undefined;
  const count = Number(value);
  return count > 0 ? count : undefined;
}
