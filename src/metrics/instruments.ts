import { ValueType, type Histogram, type Meter, type ObservableGauge } from '@opentelemetry/api';
import {
  GEN_AI_DURATION_BUCKETS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_OPENAI_PROCESSING_DURATION,
  METRIC_REQUESTS_LIMIT,
  METRIC_REQUESTS_REMAINING,
  METRIC_REQUESTS_RESET,
  METRIC_TOKENS_LIMIT,
  METRIC_TOKENS_REMAINING,
  METRIC_TOKENS_RESET,
  UNIT_REQUEST,
  UNIT_SECONDS,
  UNIT_TOKEN,
} from '../semconv.ts';

/** The three gauges of one quota kind (requests or tokens). */
export interface QuotaGauges {
  readonly remaining: ObservableGauge;
  readonly limit: ObservableGauge;
  readonly reset: ObservableGauge;
}

export interface Instruments {
  readonly requests: QuotaGauges;
  readonly tokens: QuotaGauges;
  /** Every gauge, for the one batch observable callback. */
  readonly gauges: ObservableGauge[];
  readonly operationDuration: Histogram;
  readonly processingDuration: Histogram;
}

/** The instruments of SPEC's metrics table; names, units and buckets from `semconv.ts`. */
export function createInstruments(meter: Meter): Instruments {
  const requests: QuotaGauges = {
    remaining: meter.createObservableGauge(METRIC_REQUESTS_REMAINING, {
      unit: UNIT_REQUEST,
      valueType: ValueType.INT,
      description: 'Requests left in the current rate-limit window (x-ratelimit-remaining-requests), projected to collection time.',
    }),
    limit: meter.createObservableGauge(METRIC_REQUESTS_LIMIT, {
      unit: UNIT_REQUEST,
      valueType: ValueType.INT,
      description: 'Requests allowed per rate-limit window (x-ratelimit-limit-requests).',
    }),
    reset: meter.createObservableGauge(METRIC_REQUESTS_RESET, {
      unit: UNIT_SECONDS,
      valueType: ValueType.DOUBLE,
      description: 'Time until the request rate-limit window is full again (x-ratelimit-reset-requests), counting down.',
    }),
  };
  const tokens: QuotaGauges = {
    remaining: meter.createObservableGauge(METRIC_TOKENS_REMAINING, {
      unit: UNIT_TOKEN,
      valueType: ValueType.INT,
      description: 'Tokens left in the current rate-limit window (x-ratelimit-remaining-tokens), projected to collection time.',
    }),
    limit: meter.createObservableGauge(METRIC_TOKENS_LIMIT, {
      unit: UNIT_TOKEN,
      valueType: ValueType.INT,
      description: 'Tokens allowed per rate-limit window (x-ratelimit-limit-tokens).',
    }),
    reset: meter.createObservableGauge(METRIC_TOKENS_RESET, {
      unit: UNIT_SECONDS,
      valueType: ValueType.DOUBLE,
      description: 'Time until the token rate-limit window is full again (x-ratelimit-reset-tokens), counting down.',
    }),
  };
  const buckets = { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] };
  return {
    requests,
    tokens,
    gauges: [requests.remaining, requests.limit, requests.reset, tokens.remaining, tokens.limit, tokens.reset],
    operationDuration: meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
      unit: UNIT_SECONDS,
      valueType: ValueType.DOUBLE,
      description: 'GenAI operation duration: one HTTP attempt, from request to the end of the response body.',
      advice: buckets,
    }),
    processingDuration: meter.createHistogram(METRIC_OPENAI_PROCESSING_DURATION, {
      unit: UNIT_SECONDS,
      valueType: ValueType.DOUBLE,
      description: 'Server-side processing time OpenAI reports (openai-processing-ms).',
      advice: buckets,
    }),
  };
}
