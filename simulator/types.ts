import type { QuotaUpdate } from './quota.ts';

/** Rate limits for one model, overriding the simulator-wide ones. */
export interface ModelLimits {
  /** Requests per window for this model. @default SimulatorOptions.requestsPerWindow */
  requestsPerWindow?: number;
  /** Tokens per window for this model. @default SimulatorOptions.tokensPerWindow */
  tokensPerWindow?: number;
}

/** How the simulator behaves. Every option has a default; pass only what you change. */
export interface SimulatorOptions {
  /** Interface to listen on. Docker port publishing needs `0.0.0.0`. @default '127.0.0.1' */
  host: string;
  /** TCP port; 0 picks a free one (read it back from `Simulator.port`). @default 0 */
  port: number;
  /**
   * `openai`: OpenAI's paths under `/v1` and headers. `azure`: Azure OpenAI's
   * `/openai/deployments/{deployment}/...?api-version=` paths and headers.
   * @default 'openai'
   */
  mode: 'openai' | 'azure';
  /** Capacity of each request bucket (`x-ratelimit-limit-requests`). @default 60 */
  requestsPerWindow: number;
  /** Capacity of each token bucket (`x-ratelimit-limit-tokens`). @default 150000 */
  tokensPerWindow: number;
  /** Time for an empty bucket to refill completely, linearly. @default 60000 */
  windowMs: number;
  /** Per-model limits, keyed by model (azure mode: deployment) name. @default undefined */
  limitsByModel?: Record<string, ModelLimits>;
  /** Delay before the response headers of every request. @default 0 */
  latencyMs: number;
  /** Delay between two server-sent events of a streamed response. @default 0 */
  streamChunkDelayMs: number;
  /**
   * How long a streamed response stays queued after its headers: the server sends SSE
   * keep-alive comments (`: keep-alive`, then a blank line) until its first data event, as
   * DeepSeek does under load. `x-simulator-keep-alive-ms` sets it per request.
   * @default 0 (the first data event follows the headers)
   */
  keepAliveMs: number;
  /**
   * Compress bodies per the request's `accept-encoding` (br, zstd where Node has it, gzip,
   * deflate), with `content-encoding` and `vary: accept-encoding`, as OpenAI's edge does;
   * server-sent events are flushed one by one. `false` sends every body as is.
   * @default true
   */
  compression: boolean;
  /**
   * API keys whose quota has run dry from the start: every call answers 429
   * `insufficient_quota`. `POST /_simulator/quota` changes it at run time.
   * @default undefined (none)
   */
  quotaExhaustedKeys?: readonly string[];
  /** `openai-organization` header, also named in 429 messages. @default 'org-simulator' */
  organization: string;
  /** `openai-project` header; `undefined` leaves the header out. @default 'proj_simulator' */
  project?: string;
  /** `openai-version` header. @default '2020-10-01' */
  apiVersion: string;
  /**
   * PEM key and certificate: serve HTTPS, HTTP/2 with HTTP/1.1 fallback (ALPN).
   * @default undefined (plain HTTP/1.1)
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** A running simulator. */
export interface Simulator {
  /** Base URL for clients: `http://127.0.0.1:PORT/v1` (openai mode) or the origin (azure mode). */
  readonly url: string;
  /** `http(s)://host:port`, without a path. */
  readonly origin: string;
  /** The port actually listened on. */
  readonly port: number;
  /** The resolved options, defaults filled in. */
  readonly options: SimulatorOptions;
  /** Requests received so far, whatever their outcome (429, 404 and forced errors included). */
  readonly requestCount: number;
  /** Sets an API key's quota, as `POST /_simulator/quota` does, for in-process tests. */
  setQuota(update: QuotaUpdate): void;
  /** Stops listening and drops open connections, including keep-alive ones. */
  close(): Promise<void>;
}
