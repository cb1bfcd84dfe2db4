/**
 * `error.type`, kept low-cardinality as semconv asks: the HTTP status for >= 400, else the
 * error's string `code` (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`), else its `name`
 * (`AbortError`, `TimeoutError`); never the message. fetch wraps network failures in a
 * `TypeError('fetch failed')` whose `cause` holds the useful code, so the cause is read too.
 */
export function errorType(statusCode: number, error: unknown): string | undefined {
  if (statusCode >= 400) return String(statusCode);
  if (error === undefined || error === null) return undefined;
  return fromError(error) ?? (typeof error === 'object' ? fromError((error as { cause?: unknown }).cause) : undefined) ?? '_OTHER';
}

function fromError(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && code.length > 0 && code.length <= 64) return code;
  if (typeof name === 'string' && name.length > 0 && name.length <= 64 && name !== 'Error') return name;
  return undefined;
}
