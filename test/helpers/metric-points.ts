import type { Attributes } from '@opentelemetry/api';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

export interface MetricPoint {
  readonly name: string;
  readonly attributes: Attributes;
  /** Gauges and sums: the value; histograms: their sum. */
  readonly value: number;
}

/** Every data point of every metric, flattened, for assertions that hold across all of them. */
export function metricPoints(resourceMetrics: ResourceMetrics): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints as ReadonlyArray<{ attributes: Attributes; value: unknown }>) {
        const v = point.value;
        const value = typeof v === 'number' ? v : Number((v as { sum?: unknown } | null)?.sum);
        out.push({ name: metric.descriptor.name, attributes: point.attributes, value });
      }
    }
  }
  return out;
}
