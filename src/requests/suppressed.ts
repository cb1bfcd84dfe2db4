import { createContextKey, type Context } from '@opentelemetry/api';

/**
 * `@opentelemetry/core`'s suppression key, recreated (createContextKey is `Symbol.for`, so the
 * keys are one and the same): the SDK sets it while it exports, and an exporter's own HTTP
 * request to a Collector on a host matched as a provider (`localhost` for Ollama, say) must
 * not become a span or a duration sample. Not worth a dependency on core for one constant.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

export function isTracingSuppressed(ctx: Context): boolean {
  return ctx.getValue(SUPPRESS_TRACING_KEY) === true;
}
