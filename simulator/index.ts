/**
 * An OpenAI-compatible HTTP server for the demo, the tests and the benchmarks, and for
 * anyone to point `OPENAI_BASE_URL` at (`npm run simulator`). It answers
 * `POST /v1/chat/completions`, `POST /v1/completions`, `POST /v1/responses` (each also
 * streamed), `POST /v1/embeddings`, `GET /v1/models` and `GET /v1/models/{id}` (azure mode:
 * `/openai/deployments/{deployment}/...?api-version=...`, `POST /openai/responses` and
 * `GET /openai/models`) with OpenAI's response shapes (dated model snapshots, usage with
 * cached and reasoning tokens), error JSON and headers, compresses bodies per
 * `accept-encoding` (option `compression`), and rate limits each (API key, model)
 * pair with a request bucket and a token bucket that refill linearly over `windowMs`.
 *
 * Quota: `POST /_simulator/quota` with `{"apiKey": "...", "exhausted": true}` makes every
 * further call with that key answer 429 `insufficient_quota` (`false` restores it);
 * `{"apiKey": "...", "remainingTokens": n}` lets it spend n more tokens first (the call that
 * crosses 0 still succeeds). The option `quotaExhaustedKeys` sets keys dry from the start;
 * `simulator.setQuota(update)` does the same in process.
 *
 * Test controls: request headers that force edge cases against the real server.
 * - `x-simulator-status: <400-599>`: answer with that status and OpenAI's error JSON,
 *   still with the usual headers (the rate-limit ones show the buckets, charged nothing).
 *   Applies once the route, API key and body were accepted. A forced 429 has no retry-after.
 * - `x-simulator-latency-ms: <n>`: wait n ms before the response headers (instead of `latencyMs`).
 * - `x-simulator-keep-alive-ms: <n>`: a stream sends SSE keep-alive comments for n ms before its
 *   first data event (instead of `keepAliveMs`).
 * - `x-simulator-omit-headers: 1`: leave out every `x-ratelimit-*` and `openai-*` header
 *   (`x-request-id`, `apim-request-id`, `x-ms-region` and `retry-after*` stay).
 * - `x-simulator-abort-after-chunks: <n>`: on a stream, send n server-sent events
 *   (`data: [DONE]` counts as one) and then drop the connection (HTTP/2: reset the stream);
 *   on a JSON success, send the headers and half the body, then drop it.
 *   With `x-simulator-fault: cut-mid-event` the cut falls inside the next event instead.
 * - `x-simulator-error: <name>`: answer with that OpenAI error (charging nothing):
 *   `insufficient_quota` (429), `rate_limit_requests` / `rate_limit_tokens` (429),
 *   `invalid_api_key` (401), `model_not_found` (404), `context_length_exceeded` (400),
 *   `server_error` (500).
 * - `x-simulator-encoding: br|gzip|deflate|zstd|identity`: use that content-encoding
 *   whatever the client accepts and whether compression is on.
 * - `x-simulator-fault: <name>`: a malformed answer. `mislabelled-gzip`: `content-encoding:
 *   gzip` over plain bytes; `garbage-json`: a 200 whose JSON body (or first SSE event) is
 *   garbage; `cut-mid-event`: a stream dropped halfway, inside an event (a JSON body: after
 *   half its bytes); `unknown-error-shape`: an error (`x-simulator-status`, else 500) whose
 *   body is JSON of a shape OpenAI never sends.
 * A malformed control value is ignored.
 */
export { startSimulator } from './server.ts';
export { formatGoDuration } from './go-duration.ts';
export type { ModelLimits, Simulator, SimulatorOptions } from './types.ts';
export type { QuotaUpdate } from './quota.ts';
