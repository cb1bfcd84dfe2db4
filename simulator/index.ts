/**
 * An OpenAI-compatible HTTP server for the demo, the tests and the benchmarks, and for
 * anyone to point `OPENAI_BASE_URL` at (`npm run simulator`). It answers
 * `POST /v1/chat/completions` (also streamed), `POST /v1/completions`, `POST /v1/embeddings`,
 * `GET /v1/models` and `GET /v1/models/{id}` (azure mode:
 * `/openai/deployments/{deployment}/...?api-version=...` and `GET /openai/models`) with
 * OpenAI's response shapes, error JSON and headers, and rate limits each (API key, model)
 * pair with a request bucket and a token bucket that refill linearly over `windowMs`.
 *
 * Test controls: request headers that force edge cases against the real server.
 * - `x-simulator-status: <400-599>`: answer with that status and OpenAI's error JSON,
 *   still with the usual headers (the rate-limit ones show the buckets, charged nothing).
 *   Applies once the route, API key and body were accepted. A forced 429 has no retry-after.
 * - `x-simulator-latency-ms: <n>`: wait n ms before the response headers (instead of `latencyMs`).
 * - `x-simulator-omit-headers: 1`: leave out every `x-ratelimit-*` and `openai-*` header
 *   (`x-request-id`, `apim-request-id`, `x-ms-region` and `retry-after*` stay).
 * - `x-simulator-abort-after-chunks: <n>`: on a stream, send n server-sent events
 *   (`data: [DONE]` counts as one) and then drop the connection (HTTP/2: reset the stream);
 *   on a JSON success, send the headers and half the body, then drop it.
 * A malformed control value is ignored.
 */
export { startSimulator } from './server.ts';
export { formatGoDuration } from './go-duration.ts';
export type { ModelLimits, Simulator, SimulatorOptions } from './types.ts';
