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

export interface InstrumentSpec {
  readonly name: string;
  readonly kind: 'gauge' | 'histogram';
  readonly unit: string;
  readonly valueType: ValueType;
  readonly description: string;
}

/** Every instrument this package creates, in the README's order: the code and the docs check derive from it. */
export const INSTRUMENT_SPECS = {
  requestsRemaining: {
    name: METRIC_REQUESTS_REMAINING,
    kind: 'gauge',
    unit: UNIT_REQUEST,
    valueType: ValueType.INT,
    description: 'Requests left in the current rate-limit window (x-ratelimit-remaining-requests), projected to collection time.',
  },
  requestsLimit: {
    name: METRIC_REQUESTS_LIMIT,
    kind: 'gauge',
    unit: UNIT_REQUEST,
    valueType: ValueType.INT,
    description: 'Requests allowed per rate-limit window (x-ratelimit-limit-requests).',
  },
  tokensRemaining: {
    name: METRIC_TOKENS_REMAINING,
    kind: 'gauge',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Tokens left in the current rate-limit window (x-ratelimit-remaining-tokens), projected to collection time.',
  },
  tokensLimit: {
    name: METRIC_TOKENS_LIMIT,
    kind: 'gauge',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Tokens allowed per rate-limit window (x-ratelimit-limit-tokens).',
  },
  requestsReset: {
    name: METRIC_REQUESTS_RESET,
    kind: 'gauge',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'Time until the request rate-limit window is full again (x-ratelimit-reset-requests), counting down.',
  },
  tokensReset: {
    name: METRIC_TOKENS_RESET,
    kind: 'gauge',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'Time until the token rate-limit window is full again (x-ratelimit-reset-tokens), counting down.',
  },
  operationDuration: {
    name: METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'GenAI operation duration: one HTTP attempt, from request to the end of the response body.',
  },
  processingDuration: {
    name: METRIC_OPENAI_PROCESSING_DURATION,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'Server-side processing time OpenAI reports (openai-processing-ms).',
  },
} as const satisfies Record<string, InstrumentSpec>;

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

export function createInstruments(meter: Meter): Instruments {
  const gauge = ({ name, unit, valueType, description }: InstrumentSpec): ObservableGauge =>
    meter.createObservableGauge(name, { unit, valueType, description });
  // Both histograms use the buckets semconv gives for gen_ai.client.operation.duration.
  const histogram = ({ name, unit, valueType, description }: InstrumentSpec): Histogram =>
    meter.createHistogram(name, { unit, valueType, description, advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] } });
  const s = INSTRUMENT_SPECS;
  const requests = { remaining: gauge(s.requestsRemaining), limit: gauge(s.requestsLimit), reset: gauge(s.requestsReset) };
  const tokens = { remaining: gauge(s.tokensRemaining), limit: gauge(s.tokensLimit), reset: gauge(s.tokensReset) };
  return {
    requests,
    tokens,
    gauges: [requests.remaining, requests.limit, requests.reset, tokens.remaining, tokens.limit, tokens.reset],
    operationDuration: histogram(s.operationDuration),
    processingDuration: histogram(s.processingDuration),
  };
}
