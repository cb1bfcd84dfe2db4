import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  ExportResultCode,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  type ExportResult,
} from '@opentelemetry/core';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';

/** Counts what it is given and drops it: the export pipeline runs, the network does not. */
class DroppingSpanExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

class DroppingMetricExporter implements PushMetricExporter {
  exports = 0;
  dataPoints = 0;
  /** Instrument names that reached the exporter with data: proof that a comparator recorded its metrics. */
  readonly names = new Set<string>();
  export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.exports++;
    for (const scope of batch.scopeMetrics) {
      for (const metric of scope.metrics) {
        this.dataPoints += metric.dataPoints.length;
        if (metric.dataPoints.length > 0) this.names.add(metric.descriptor.name);
      }
    }
    done({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/**
 * How often the metric reader collects and exports. 100 ms, ten times NodeSDK's default rate:
 * collection is part of what metrics cost, and a short interval makes sure every variant with
 * a MeterProvider pays its share within a run. BENCH_METRIC_INTERVAL_MS overrides it.
 */
export const METRIC_INTERVAL_MS = Number(process.env['BENCH_METRIC_INTERVAL_MS'] ?? '') || 100;

export interface BenchSdk {
  readonly tracerProvider: TracerProvider;
  /** Present when metrics are on: a reader that collects (and drops) every METRIC_INTERVAL_MS. */
  readonly meterProvider: MeterProvider | undefined;
  /** Spans and metric data points that reached the exporters (a check that the variant did its work). */
  exported(): { spans: number; metricExports: number; metricDataPoints: number };
  /** Names of the instruments whose data reached the metric exporter so far. */
  metricNames(): string[];
  shutdown(): Promise<void>;
}

/**
 * The SDK every instrumented variant shares, set up as NodeSDK would be by default
 * (AsyncLocalStorage context, W3C trace-context and baggage propagators, a batching span
 * processor), with exporters that drop everything so only the in-process cost is measured.
 */
export function startSdk(options: { metrics: boolean }): BenchSdk {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const spanExporter = new DroppingSpanExporter();
  // BENCH_SPAN_PROCESSOR=simple: export each span as it ends (an experiment: with the batch
  // processor, spans wait up to a batch in memory, which the GC notices).
  const processor =
    process.env['BENCH_SPAN_PROCESSOR'] === 'simple'
      ? new SimpleSpanProcessor({ exporter: spanExporter })
      : new BatchSpanProcessor({ exporter: spanExporter });
  // BENCH_SAMPLER=off: spans are started but never recorded (an experiment: the instrumentation's
  // own work without the SDK's recording).
  const sampler = process.env['BENCH_SAMPLER'] === 'off' ? { sampler: new AlwaysOffSampler() } : {};
  const tracerProvider = new TracerProvider({ spanProcessors: [processor], ...sampler });
  trace.setGlobalTracerProvider(tracerProvider);

  const metricExporter = new DroppingMetricExporter();
  let meterProvider: MeterProvider | undefined;
  if (options.metrics) {
    const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: METRIC_INTERVAL_MS });
    meterProvider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(meterProvider);
  }
  return {
    tracerProvider,
    meterProvider,
    exported: () => ({ spans: spanExporter.spans, metricExports: metricExporter.exports, metricDataPoints: metricExporter.dataPoints }),
    metricNames: () => [...metricExporter.names].sort(),
    async shutdown() {
      await tracerProvider.forceFlush();
      await meterProvider?.forceFlush();
      await tracerProvider.shutdown();
      await meterProvider?.shutdown();
    },
  };
}
