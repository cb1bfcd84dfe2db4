import { ValueType, type Histogram, type Meter, type ObservableGauge } from '@opentelemetry/api';
import {
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
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
  /** Histograms: the bucket boundaries semconv gives. */
  readonly buckets?: readonly number[];
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
    buckets: GEN_AI_DURATION_BUCKETS,
  },
  processingDuration: {
    name: METRIC_OPENAI_PROCESSING_DURATION,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'Server-side processing time OpenAI reports (openai-processing-ms).',
    // Server time is part of the operation's: the same buckets keep the two comparable.
    buckets: GEN_AI_DURATION_BUCKETS,
  },
  tokenUsage: {
    name: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
    kind: 'histogram',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Tokens used per call, by gen_ai.token.type (input, output), from the usage the response body reports.',
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
  },
  timeToFirstChunk: {
    name: METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'Time from the request to the first chunk of a streamed response body.',
    buckets: GEN_AI_DURATION_BUCKETS,
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
  readonly tokenUsage: Histogram;
  readonly timeToFirstChunk: Histogram;
}

export function createInstruments(meter: Meter): Instruments {
  const gauge = ({ name, unit, valueType, description }: InstrumentSpec): ObservableGauge =>
    meter.createObservableGauge(name, { unit, valueType, description });
  const histogram = ({ name, unit, valueType, description, buckets }: InstrumentSpec): Histogram =>
    meter.createHistogram(name, { unit, valueType, description, advice: { explicitBucketBoundaries: [...(buckets ?? GEN_AI_DURATION_BUCKETS)] } });
  const s = INSTRUMENT_SPECS;
  const requests = { remaining: gauge(s.requestsRemaining), limit: gauge(s.requestsLimit), reset: gauge(s.requestsReset) };
  const tokens = { remaining: gauge(s.tokensRemaining), limit: gauge(s.tokensLimit), reset: gauge(s.tokensReset) };
  return {
    requests,
    tokens,
    gauges: [requests.remaining, requests.limit, requests.reset, tokens.remaining, tokens.limit, tokens.reset],
    operationDuration: histogram(s.operationDuration),
    processingDuration: histogram(s.processingDuration),
    tokenUsage: histogram(s.tokenUsage),
    timeToFirstChunk: histogram(s.timeToFirstChunk),
  };
}
