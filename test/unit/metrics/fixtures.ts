import { context, type Attributes } from '@opentelemetry/api';
import { MeterProvider, type DataPoint, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resolveConfig, type ResolvedConfig } from '../../../src/config.ts';
import { headerValues, type NamedHeaders } from '../../helpers/header-fields.ts';
import type { RequestRecord } from '../../../src/internal-types.ts';
import { createMetrics, type MetricsObserver, type MetricsOptions } from '../../../src/metrics/index.ts';
import type { OpenAIHttpInstrumentationConfig } from '../../../src/types.ts';
import { TestMetricReader } from '../../helpers/otel.ts';

/** A request record as the handlers would build it, with OpenAI-like response headers. */
export function record(
  overrides: { startTime?: number; model?: string | undefined; statusCode?: number; operation?: string; provider?: string; serverAddress?: string } = {},
  headers: Partial<NamedHeaders> = {},
): RequestRecord {
  return {
    target: {
      provider: overrides.provider ?? 'openai',
      operation: overrides.operation ?? 'chat',
      apiType: 'chat_completions',
      serverAddress: overrides.serverAddress ?? 'api.openai.com',
      serverPort: 443,
      url: 'https://api.openai.com/v1/chat/completions',
    },
    method: 'POST',
    startTime: overrides.startTime ?? 0,
    parentContext: context.active(),
    span: undefined,
    model: 'model' in overrides ? overrides.model : 'gpt-4o',
    modelBytesScanned: 0,
    resendCount: undefined,
    statusCode: overrides.statusCode ?? 200,
    headers: headerValues({ requestId: 'req_1', organization: 'org-a', project: 'proj_a', ...headers }),
    responseBody: undefined,
    bodyReadable: true,
    firstChunkTime: undefined,
    outputChunks: 0,
    lastChunkEndTime: undefined,
    body: undefined,
    streamDone: false,
    activity: 0,
    ended: false,
  };
}

/** Rate-limit headers of one response: requests and tokens. */
export function limits(requests: [limit: number, remaining: number, reset: number], tokens?: [number, number, number]): Partial<NamedHeaders> {
  const [tl, tr, ts] = tokens ?? [10_000, 10_000, 0];
  return {
    requestsLimit: requests[0],
    requestsRemaining: requests[1],
    requestsReset: requests[2],
    tokensLimit: tl,
    tokensRemaining: tr,
    tokensReset: ts,
  };
}

export interface MetricsHarness {
  readonly metrics: MetricsObserver;
  readonly reader: TestMetricReader;
  readonly provider: MeterProvider;
  /** The fake clock the metrics read, in milliseconds: move `clock.ms` to let time pass. */
  readonly clock: { ms: number };
  setConfig(config: OpenAIHttpInstrumentationConfig): void;
  collect(): Promise<ResourceMetrics>;
  shutdown(): Promise<void>;
}

/** createMetrics on a real MeterProvider with a fake clock the test moves. */
export function harness(config: OpenAIHttpInstrumentationConfig = {}, options: MetricsOptions = {}): MetricsHarness {
  const reader = new TestMetricReader();
  const provider = new MeterProvider({ readers: [reader] });
  const clock = { ms: 1_000 };
  let resolved: ResolvedConfig = resolveConfig(config, {});
  const metrics = createMetrics(provider.getMeter('test'), () => resolved, { now: () => clock.ms, ...options });
  return {
    metrics,
    reader,
    provider,
    clock,
    setConfig(next) {
      resolved = resolveConfig(next, {});
    },
    collect: () => reader.read(),
    shutdown: () => provider.shutdown(),
  };
}

/** The data points of metric `name`, or [] when it was not exported. */
export function points<T = number>(resourceMetrics: ResourceMetrics, name: string): DataPoint<T>[] {
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name === name) return metric.dataPoints as DataPoint<T>[];
    }
  }
  return [];
}

/** The single value of gauge `name` for a series whose attributes include `match`. */
export function gauge(resourceMetrics: ResourceMetrics, name: string, match: Attributes = {}): number | undefined {
  const found = points(resourceMetrics, name).filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
  if (found.length > 1) throw new Error(`${found.length} series of ${name} match ${JSON.stringify(match)}`);
  return found[0]?.value;
}

export function histogramPoints(resourceMetrics: ResourceMetrics, name: string): DataPoint<Histogram>[] {
  return points<Histogram>(resourceMetrics, name);
}

/** The exported metric `name` (descriptor and points), or undefined. */
export function metric(resourceMetrics: ResourceMetrics, name: string): MetricData | undefined {
  for (const scope of resourceMetrics.scopeMetrics) {
    const found = scope.metrics.find((m) => m.descriptor.name === name);
    if (found) return found;
  }
  return undefined;
}
