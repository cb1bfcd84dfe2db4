import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { OpenAIHttpInstrumentation } from '../../src/index.ts';
import type { OpenAIHttpInstrumentationConfig } from '../../src/index.ts';

/** A reader whose collect() the test calls; fails the test if collection reports errors. */
export class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
  async read(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection reported errors');
    return resourceMetrics;
  }
}

export interface TestOtel {
  readonly instrumentation: OpenAIHttpInstrumentation;
  readonly exporter: InMemorySpanExporter;
  readonly reader: TestMetricReader;
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  /** Finished spans so far. */
  spans(): ReadableSpan[];
  /** Waits until `count` spans have ended (spans end asynchronously to the caller's await). */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReadableSpan[]>;
  shutdown(): Promise<void>;
}

/**
 * A real SDK (in-memory span exporter, a pull metric reader) with the instrumentation
 * enabled. Call `shutdown()` in afterEach: it disables the instrumentation, so the channel
 * subscriptions never leak into the next test.
 */
export function setupOtel(config: OpenAIHttpInstrumentationConfig = {}): TestOtel {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new OpenAIHttpInstrumentation({ ...config, enabled: false });
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  if (config.enabled !== false) instrumentation.enable();

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return {
    instrumentation,
    exporter,
    reader,
    tracerProvider,
    meterProvider,
    spans,
    async waitForSpans(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (spans().length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} spans, got ${spans().length}: ${spans().map((s) => s.name).join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return spans();
    },
    async shutdown() {
      instrumentation.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
      contextManager.disable();
    },
  };
}
