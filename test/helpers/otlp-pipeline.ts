import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OpenAIHttpInstrumentation, type OpenAIHttpInstrumentationConfig } from '../../src/index.ts';

export interface OtlpPipeline {
  readonly instrumentation: OpenAIHttpInstrumentation;
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  shutdown(): Promise<void>;
}

/**
 * The production shape: batch span processor and periodic metric reader exporting OTLP/HTTP
 * JSON to `url` (a receiver, a closed port, a failing or a stalling endpoint).
 */
export function setupOtlpPipeline(url: string, config: OpenAIHttpInstrumentationConfig = {}, exportIntervalMillis = 200): OtlpPipeline {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const tracerProvider = new TracerProvider({
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 2_000 }), scheduledDelayMillis: 50 })],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${url}/v1/metrics`, timeoutMillis: Math.min(1_000, exportIntervalMillis) }),
        exportIntervalMillis,
        exportTimeoutMillis: Math.min(1_000, exportIntervalMillis),
      }),
    ],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  const instrumentation = new OpenAIHttpInstrumentation({ ...config, enabled: false });
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  instrumentation.enable();
  return {
    instrumentation,
    tracerProvider,
    meterProvider,
    async shutdown() {
      instrumentation.disable();
      // A dead or stalled endpoint must not hold the test: shutdown is bounded by the timeouts.
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      context.disable();
      contextManager.disable();
    },
  };
}
