/**
 * Node's own HTTP client channels (`node:http` / `node:https`), named once. Clients that do not
 * use undici (the `openai` v4 SDK on node-fetch, axios, got, `http.request`) are seen here.
 * https://nodejs.org/api/diagnostics_channel.html#http
 * All four are published by every Node version this package supports (>= 22.15; `created`
 * arrived in 22.12 / 23.2, `error` in 22.13 / 23.2), verified on 22.15, 22.23, 24.0, 24.21, 26.10.
 * Node publishes no body-chunk events for this client, so the request body (the model) is not
 * observable, and the response body's end is seen through the response's own `close` event.
 */
export const NODE_HTTP_CHANNELS = {
  /** A `ClientRequest` was constructed: nothing sent yet, headers may still be set. */
  created: 'http.client.request.created',
  /** The final response's status and headers arrived (its body has not been read yet). */
  responseFinish: 'http.client.response.finish',
  /** The request failed before a response (refused, reset, aborted, timed out and destroyed). */
  error: 'http.client.request.error',
} as const;
