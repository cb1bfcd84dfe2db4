import type { Span } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * An extra OpenAI-compatible endpoint.
 * - A base URL (`https://api.groq.com/openai/v1`): scheme, host, port and path prefix must match.
 * - A bare host name (`api.together.xyz`): any scheme, port and path on that host match.
 * - A `host:port` (`localhost:11434`): any scheme and path on that host and port match.
 * Entries that are none of these are ignored, with one warning through the diagnostic logger.
 */
export type EndpointConfig = string | { url: string; provider: string };

/** What `responseHook` receives about the finished HTTP attempt. */
export interface OpenAIResponseInfo {
  /** `gen_ai.provider.name` of the matched endpoint. */
  readonly provider: string;
  /** `gen_ai.operation.name` derived from the request path. */
  readonly operation: string;
  readonly method: string;
  /** The request URL, credentials and sensitive query values redacted. */
  readonly url: string;
  /** HTTP status, or 0 when no response arrived. */
  readonly statusCode: number;
  /** `gen_ai.request.model`, when the runtime let us read it. */
  readonly model: string | undefined;
  /** The error that ended the request, if any. */
  readonly error: Error | undefined;
}

export interface OpenAIHttpInstrumentationConfig extends InstrumentationConfig {
  /**
   * Extra OpenAI-compatible endpoints. `api.openai.com`, `*.openai.azure.com` and the
   * `OPENAI_BASE_URL` environment variable are always matched.
   * @default []
   */
  endpoints?: EndpointConfig[];
  /**
   * Report rate-limit gauges as projected to collection time (remaining refills linearly to
   * the limit over the observed reset time; reset counts down) rather than as last observed.
   * @default true
   */
  projectRateLimits?: boolean;
  /**
   * Inject the active trace context (`traceparent`) into requests to OpenAI-compatible
   * endpoints. Off by default: OpenAI has no use for it and it changes the outgoing request.
   * @default false
   */
  propagateTraceContext?: boolean;
  /**
   * Called once per span, just before it ends, to add custom attributes. Errors it throws are
   * logged through the OpenTelemetry diagnostic logger, never thrown into the app.
   * @default undefined
   */
  responseHook?: (span: Span, info: OpenAIResponseInfo) => void;
  /**
   * A request that shows no sign of life for this long (no response headers, no body chunk
   * where the runtime reports them) has its span ended, so a response body that is never read
   * cannot leak state or hide a span.
   * @default 600000 (10 minutes)
   */
  unfinishedResponseTimeoutMs?: number;
}
