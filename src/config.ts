import type { EndpointConfig, OpenAIHttpInstrumentationConfig } from './types.ts';

/** The defaults, in one place; `resolveConfig` applies them on every read. */
export const DEFAULTS = {
  endpoints: [] as EndpointConfig[],
  projectRateLimits: true,
  propagateTraceContext: false,
  unfinishedResponseTimeoutMs: 600_000,
} as const;

export interface ResolvedConfig {
  readonly endpoints: readonly EndpointConfig[];
  readonly projectRateLimits: boolean;
  readonly propagateTraceContext: boolean;
  readonly responseHook: OpenAIHttpInstrumentationConfig['responseHook'];
  readonly unfinishedResponseTimeoutMs: number;
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
    envBaseUrl: env['OPENAI_BASE_URL'] || undefined,
  };
}
