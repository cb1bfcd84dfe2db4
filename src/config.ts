import { ENV_SEMCONV_STABILITY_OPT_IN, SEMCONV_OPT_IN_GEN_AI_LATEST } from './semconv.ts';
import type { EndpointConfig, OpenAIHttpInstrumentationConfig } from './types.ts';

/** The defaults, in one place; `resolveConfig` applies them on every read. */
export const DEFAULTS = {
  endpoints: [] as EndpointConfig[],
  projectRateLimits: true,
  propagateTraceContext: false,
  unfinishedResponseTimeoutMs: 600_000,
  /** Until the new GenAI conventions ship as a package, the names dashboards use today. */
  genAiMetrics: { previous: true, latest: false },
} as const;

/**
 * Which GenAI metric names are emitted: the ones in `semconv.ts` marked as the previous
 * conventions, the latest conventions' (`gen_ai.client.inference.*`), or both.
 */
export interface GenAiMetricNames {
  readonly previous: boolean;
  readonly latest: boolean;
}

export interface ResolvedConfig {
  readonly endpoints: readonly EndpointConfig[];
  readonly projectRateLimits: boolean;
  readonly propagateTraceContext: boolean;
  readonly responseHook: OpenAIHttpInstrumentationConfig['responseHook'];
  readonly unfinishedResponseTimeoutMs: number;
  /** From `OTEL_SEMCONV_STABILITY_OPT_IN`, as read at resolution time. */
  readonly genAiMetrics: GenAiMetricNames;
  /** `OPENAI_BASE_URL` as read at resolution time. */
  readonly envBaseUrl: string | undefined;
}

/** Defaults resolved on read, so `setConfig({})` can never drop them. */
export function resolveConfig(
  config: OpenAIHttpInstrumentationConfig,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConfig {
  const timeout = config.unfinishedResponseTimeoutMs;
  return {
    endpoints: Array.isArray(config.endpoints) ? config.endpoints : DEFAULTS.endpoints,
    projectRateLimits: config.projectRateLimits ?? DEFAULTS.projectRateLimits,
    propagateTraceContext: config.propagateTraceContext ?? DEFAULTS.propagateTraceContext,
    responseHook: typeof config.responseHook === 'function' ? config.responseHook : undefined,
    unfinishedResponseTimeoutMs:
      typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0
        ? timeout
        : DEFAULTS.unfinishedResponseTimeoutMs,
    genAiMetrics: genAiMetricNames(env[ENV_SEMCONV_STABILITY_OPT_IN]),
    envBaseUrl: env['OPENAI_BASE_URL'] || undefined,
  };
}

/**
 * `OTEL_SEMCONV_STABILITY_OPT_IN` is a comma-separated list, read the way every OpenTelemetry
 * instrumentation reads it (`http`, `http/dup`, `database`...; entries trimmed, case ignored):
 * `gen_ai_latest_experimental` switches to the latest GenAI names and drops the previous ones,
 * as the GenAI conventions ask
 * (https://github.com/open-telemetry/semantic-conventions/blob/main/docs/gen-ai/README.md). The
 * conventions define no `/dup` form for it; `gen_ai_latest_experimental/dup` emits both, as
 * `/dup` does for HTTP and database, for the time dashboards move from one set to the other.
 * (`semconvStabilityFromStr` of `@opentelemetry/instrumentation` reads it the same way, but
 * only its newer releases have it, and the dependency range reaches back further.)
 */
export function genAiMetricNames(optIn: string | undefined): GenAiMetricNames {
  const entries = (optIn ?? '').split(',').map((entry) => entry.trim().toLowerCase());
  if (entries.includes(`${SEMCONV_OPT_IN_GEN_AI_LATEST}/dup`)) return { previous: true, latest: true };
  if (entries.includes(SEMCONV_OPT_IN_GEN_AI_LATEST)) return { previous: false, latest: true };
  return DEFAULTS.genAiMetrics;
}
