/**
 * The undici diagnostics channels we listen to, named once.
 * https://github.com/nodejs/undici/blob/main/docs/docs/api/DiagnosticsChannel.md
 * Channels that the running undici does not publish (the body-chunk ones before undici 7.11,
 * i.e. Node 22 and 24.0-24.3) cost nothing to subscribe to: they simply never fire.
 */
export const UNDICI_CHANNELS = {
  /** A request object was created by fetch / request / any dispatcher. */
  create: 'undici:request:create',
  /** One chunk of the request body went out (undici >= 7.11). */
  bodyChunkSent: 'undici:request:bodyChunkSent',
  /** Response status and headers arrived. */
  headers: 'undici:request:headers',
  /** One chunk of the response body arrived (undici >= 7.11). */
  bodyChunkReceived: 'undici:request:bodyChunkReceived',
  /** The response completed: the whole body was received. */
  trailers: 'undici:request:trailers',
  /** The request failed or was aborted, before or during the response. */
  error: 'undici:request:error',
} as const;
