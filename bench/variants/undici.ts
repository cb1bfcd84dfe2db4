import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { startSdk } from '../otel-sdk.ts';
import { fetchChat } from './request.ts';
import type { Target, Workload } from './types.ts';

/**
 * The OpenAI response headers this library reads, for instrumentation-undici's header capture:
 * the closest a generic HTTP instrumentation gets to the same span content.
 */
export const OPENAI_RESPONSE_HEADERS = [
  'x-request-id',
  'openai-organization',
  'openai-project',
  'openai-version',
  'openai-processing-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'retry-after',
  'retry-after-ms',
];

/**
 * (c) `@opentelemetry/instrumentation-undici` on the same SDK, with the same metric reader as
 * our gauges variant (its default config records `http.client.request.duration`).
 */
export function undiciVariant(captureHeaders: boolean): (target: Target) => Promise<Workload> {
  return async (target) => {
    const sdk = startSdk({ metrics: true });
    // Left enabled from construction: it re-checks `config.enabled` on every request, so
    // `enabled: false` + enable() would record nothing. No request runs before the providers are set.
    const instrumentation = new UndiciInstrumentation({
      ...(captureHeaders ? { headersToSpanAttributes: { responseHeaders: OPENAI_RESPONSE_HEADERS } } : {}),
    });
    instrumentation.setTracerProvider(sdk.tracerProvider);
    if (sdk.meterProvider) instrumentation.setMeterProvider(sdk.meterProvider);
    instrumentation.enable();
    return {
      call: fetchChat(target.baseUrl),
      toggle: (on) => (on ? instrumentation.enable() : instrumentation.disable()),
      flush: () => sdk.tracerProvider.forceFlush(),
      exported: sdk.exported,
      async shutdown() {
        instrumentation.disable();
        await sdk.shutdown();
      },
    };
  };
}
