import { ValueType, type Counter, type Histogram, type Meter, type ObservableGauge } from '@opentelemetry/api';
import type { GenAiMetricNames } from '../config.ts';
import {
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  METRIC_GEN_AI_CLIENT_EMBEDDINGS_DURATION,
  METRIC_GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
  METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS,
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
  readonly kind: 'gauge' | 'histogram' | 'counter';
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

/**
 * The latest GenAI conventions' instruments (open-telemetry/semantic-conventions-genai), emitted
 * instead of (or, with `/dup`, besides) the previous conventions' three when
 * `OTEL_SEMCONV_STABILITY_OPT_IN` opts in. `replaces`: the previous instrument whose data it
 * carries, for the README's mapping table. Names, kinds, units and buckets are checked against
 * the conventions' own text in the tests.
 */
export const LATEST_GEN_AI_INSTRUMENT_SPECS = {
  inferenceDuration: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'GenAI client inference operation duration: one HTTP attempt, from request to the end of the response body.',
    buckets: GEN_AI_DURATION_BUCKETS,
    replaces: METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  },
  embeddingsDuration: {
    name: METRIC_GEN_AI_CLIENT_EMBEDDINGS_DURATION,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'GenAI client embeddings operation duration: one HTTP attempt, from request to the end of the response body.',
    buckets: GEN_AI_DURATION_BUCKETS,
    replaces: METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  },
  timeToFirstChunk: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'Time from the request to the first chunk of a streamed response.',
    buckets: GEN_AI_DURATION_BUCKETS,
    replaces: METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  },
  timePerOutputChunk: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
    kind: 'histogram',
    unit: UNIT_SECONDS,
    valueType: ValueType.DOUBLE,
    description: 'For each chunk of a streamed response after the first: the time from the end of the previous chunk to the end of this one.',
    buckets: GEN_AI_DURATION_BUCKETS,
    replaces: undefined,
  },
  usageInputTokens: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
    kind: 'counter',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Input (prompt) tokens used, including cached tokens.',
    replaces: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  },
  usageOutputTokens: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
    kind: 'counter',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Output (completion) tokens used, including reasoning tokens.',
    replaces: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  },
  usageCacheReadInputTokens: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS,
    kind: 'counter',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Input tokens served from the provider\'s prompt cache (a subset of the input tokens).',
    replaces: undefined,
  },
  usageReasoningOutputTokens: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS,
    kind: 'counter',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Output tokens used for reasoning (a subset of the output tokens).',
    replaces: undefined,
  },
  inferenceInputTokens: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
    kind: 'histogram',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Input (prompt) tokens per inference operation.',
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
    replaces: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  },
  inferenceOutputTokens: {
    name: METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
    kind: 'histogram',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Output (completion) tokens per inference operation.',
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
    replaces: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  },
  embeddingsInputTokens: {
    name: METRIC_GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS,
    kind: 'histogram',
    unit: UNIT_TOKEN,
    valueType: ValueType.INT,
    description: 'Input tokens per embeddings operation.',
    buckets: GEN_AI_TOKEN_USAGE_BUCKETS,
    replaces: METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  },
} as const satisfies Record<string, InstrumentSpec & { readonly replaces: string | undefined }>;

/** The three gauges of one quota kind (requests or tokens). */
export interface QuotaGauges {
  readonly remaining: ObservableGauge;
  readonly limit: ObservableGauge;
  readonly reset: ObservableGauge;
}

/** The previous GenAI conventions' instruments. */
export interface PreviousGenAiInstruments {
  readonly operationDuration: Histogram;
  readonly tokenUsage: Histogram;
  readonly timeToFirstChunk: Histogram;
}

/** The latest GenAI conventions' instruments. */
export type LatestGenAiInstruments = {
  readonly [K in keyof typeof LATEST_GEN_AI_INSTRUMENT_SPECS]: (typeof LATEST_GEN_AI_INSTRUMENT_SPECS)[K]['kind'] extends 'counter' ? Counter : Histogram;
};

export interface Instruments {
  readonly requests: QuotaGauges;
  readonly tokens: QuotaGauges;
  /** Every gauge, for the one batch observable callback. */
  readonly gauges: ObservableGauge[];
  readonly processingDuration: Histogram;
  /** Undefined when only the latest names are emitted. */
  readonly previous: PreviousGenAiInstruments | undefined;
  /** Undefined unless `OTEL_SEMCONV_STABILITY_OPT_IN` opts in. */
  readonly latest: LatestGenAiInstruments | undefined;
}

export function createInstruments(meter: Meter, names: GenAiMetricNames): Instruments {
  const gauge = ({ name, unit, valueType, description }: InstrumentSpec): ObservableGauge =>
    meter.createObservableGauge(name, { unit, valueType, description });
  const histogram = ({ name, unit, valueType, description, buckets }: InstrumentSpec): Histogram =>
    meter.createHistogram(name, { unit, valueType, description, advice: { explicitBucketBoundaries: [...(buckets ?? GEN_AI_DURATION_BUCKETS)] } });
  const counter = ({ name, unit, valueType, description }: InstrumentSpec): Counter => meter.createCounter(name, { unit, valueType, description });
  const s = INSTRUMENT_SPECS;
  const requests = { remaining: gauge(s.requestsRemaining), limit: gauge(s.requestsLimit), reset: gauge(s.requestsReset) };
  const tokens = { remaining: gauge(s.tokensRemaining), limit: gauge(s.tokensLimit), reset: gauge(s.tokensReset) };
  return {
    requests,
    tokens,
    gauges: [requests.remaining, requests.limit, requests.reset, tokens.remaining, tokens.limit, tokens.reset],
    processingDuration: histogram(s.processingDuration),
    previous: names.previous
      ? { operationDuration: histogram(s.operationDuration), tokenUsage: histogram(s.tokenUsage), timeToFirstChunk: histogram(s.timeToFirstChunk) }
      : undefined,
    latest: names.latest ? latestInstruments(histogram, counter) : undefined,
  };
}

function latestInstruments(histogram: (spec: InstrumentSpec) => Histogram, counter: (spec: InstrumentSpec) => Counter): LatestGenAiInstruments {
  const l = LATEST_GEN_AI_INSTRUMENT_SPECS;
  return {
    inferenceDuration: histogram(l.inferenceDuration),
    embeddingsDuration: histogram(l.embeddingsDuration),
    timeToFirstChunk: histogram(l.timeToFirstChunk),
    timePerOutputChunk: histogram(l.timePerOutputChunk),
    usageInputTokens: counter(l.usageInputTokens),
    usageOutputTokens: counter(l.usageOutputTokens),
    usageCacheReadInputTokens: counter(l.usageCacheReadInputTokens),
    usageReasoningOutputTokens: counter(l.usageReasoningOutputTokens),
    inferenceInputTokens: histogram(l.inferenceInputTokens),
    inferenceOutputTokens: histogram(l.inferenceOutputTokens),
    embeddingsInputTokens: histogram(l.embeddingsInputTokens),
  };
}
