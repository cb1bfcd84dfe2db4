/**
 * `error.type`, kept low-cardinality as semconv asks: the HTTP status for >= 400, else the
 * error's string `code` (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`), else its `name`
 * (`AbortError`, `TimeoutError`); never the message. fetch-level wrappers such as
 * `TypeError('fetch failed')` carry the useful code on `cause`, which is read before the name.
 */
export function errorType(statusCode: number, error: unknown): string | undefined {
  if (statusCode >= 400) return String(statusCode);
  if (error === undefined || error === null) return undefined;
  const cause = typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
  return stringProp(error, 'code') ?? stringProp(cause, 'code') ?? errorName(error) ?? errorName(cause) ?? '_OTHER';
}

function stringProp(value: unknown, key: 'code' | 'name'): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
}

/** A generic `Error` name says nothing; `_OTHER` is semconv's fallback for that. */
function errorName(value: unknown): string | undefined {
  const name = stringProp(value, 'name');
  return name === 'Error' ? undefined : name;
}

/**
 * `error.type` of a call that never got a response and was given up on after
 * `unfinishedResponseTimeoutMs` of silence (the example value semconv gives for timeouts).
 */
export const ERROR_TYPE_TIMEOUT = 'timeout';

/**
 * `error.type` of a call that had no response yet when the instrumentation was disabled: its
 * outcome will never be known, and its span must not stay open.
 */
export const ERROR_TYPE_DISABLED = 'instrumentation_disabled';
