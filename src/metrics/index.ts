export { createMetrics, MAX_RATE_LIMIT_SERIES } from './create-metrics.ts';
export type { MetricsObserver, MetricsOptions } from './create-metrics.ts';
