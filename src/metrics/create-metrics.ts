import { diag as globalDiag, type Attributes, type BatchObservableCallback, type DiagLogger, type BatchObservableResult, type Meter } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config.ts';
import type { RequestObserver, RequestRecord } from '../internal-types.ts';
import { fieldForMetric, headerValue, type FieldRef, type OpenAIResponseHeaders } from '../openai/headers.ts';
import { errorType } from '../requests/error-type.ts';
import { TOKEN_TYPE_INPUT, TOKEN_TYPE_OUTPUT } from '../semconv.ts';
import { boundedErrorCode } from './error-codes.ts';
import { operationAttributes, quotaSeries, tokenAttributes } from './attributes.ts';
import { createInstruments, INSTRUMENT_SPECS, type QuotaGauges } from './instruments.ts';
import { recordLatestChunks, recordLatestEnd } from './latest-conventions.ts';
import { projectQuota, type QuotaObservation } from './projection.ts';
import { RateLimitStore } from './rate-limit-store.ts';

/**
 * At most this many quotas (provider, server, organization, project, model) are reported; each
 * is 6 gauge series. Past it the least recently observed quota is dropped. Real apps use a
 * handful of models; the cap only matters when model names come from user input.
 */
export const MAX_RATE_LIMIT_SERIES = 100;

export interface MetricsOptions {
  /** Whether the instrumentation is subscribed; while it is not, gauges report nothing. @default () => true */
  readonly active?: () => boolean;
  /** Monotonic milliseconds; tests pass a fake clock. @default performance.now */
  readonly now?: () => number;
  /** @default MAX_RATE_LIMIT_SERIES */
  readonly maxSeries?: number;
  /** @default the global `diag` */
  readonly diag?: DiagLogger;
}

export type MetricsObserver = Required<Pick<RequestObserver, 'onResponse' | 'onEnd' | 'onChunks'>> & { dispose(): void };

/**
 * The metrics half: rate-limit gauges computed at collection time from the last response per
 * quota, the two duration histograms, and token usage and time to first chunk from the body. Every entry point is guarded: a failure
 * here is logged through `diag` and never reaches the app or the span.
 */
export function createMetrics(meter: Meter, config: () => ResolvedConfig, options: MetricsOptions = {}): MetricsObserver {
  const now = options.now ?? (() => performance.now());
  const active = options.active ?? (() => true);
  const diag = options.diag ?? globalDiag;
  const instruments = createInstruments(meter, config().genAiMetrics);
  const { previous, latest } = instruments;
  let warnedAboutCap = false;
  const store = new RateLimitStore(options.maxSeries ?? MAX_RATE_LIMIT_SERIES, () => {
    if (warnedAboutCap) return;
    warnedAboutCap = true;
    diag.warn(
      `more than ${options.maxSeries ?? MAX_RATE_LIMIT_SERIES} rate-limit quotas (provider, server, organization, project, model) seen; ` +
        'the least recently observed ones are no longer reported',
    );
  });

  // Runs once per collection, for all six gauges together, so they describe one instant.
  const observeGauges: BatchObservableCallback = (result) => {
    try {
      if (!active()) return;
      const at = now();
      const project = config().projectRateLimits;
      for (const entry of store.values()) {
        const elapsedSeconds = project ? (at - entry.observedAt) / 1000 : 0;
        if (entry.requests) observeQuota(result, instruments.requests, projectQuota(entry.requests, elapsedSeconds), entry.attributes);
        if (entry.tokens) observeQuota(result, instruments.tokens, projectQuota(entry.tokens, elapsedSeconds), entry.attributes);
      }
    } catch (error) {
      diag.error('rate-limit gauges: collection failed', error);
    }
  };
  meter.addBatchObservableCallback(observeGauges, instruments.gauges);

  return {
    // Fires when the final response headers arrive: the rate-limit headers describe the quota
    // now, not when a (possibly long) stream ends.
    onResponse(record) {
      try {
        const headers = record.headers;
        if (headers === undefined) return;
        recordRateLimits(store, record, headers, now());
        const processingMs = headerValue(headers, PROCESSING_MS);
        if (processingMs !== undefined && Number.isFinite(processingMs) && processingMs >= 0) {
          instruments.processingDuration.record(processingMs / 1000, operationAttributes(record, errorType(record.statusCode, undefined)));
        }
      } catch (error) {
        diag.error('metrics: recording a response failed', error);
      }
    },
    // Fires once per attempt, however it ended; an end we did not see has no duration. What
    // the body told (tokens, error code, first chunk) is recorded whichever way it ended.
    onEnd(record, durationSeconds, type) {
      try {
        const body = record.body;
        const duration = durationSeconds !== undefined && Number.isFinite(durationSeconds) && durationSeconds >= 0 ? durationSeconds : undefined;
        const code = type !== undefined && body?.errorCode !== undefined ? boundedErrorCode(body.errorCode) : undefined;
        const ttfc = record.timeToFirstChunk;
        if (previous !== undefined) {
          if (duration !== undefined) previous.operationDuration.record(duration, operationAttributes(record, type, code));
          if (body !== undefined) {
            if (isCount(body.inputTokens)) previous.tokenUsage.record(body.inputTokens, tokenAttributes(record, TOKEN_TYPE_INPUT, body.responseModel));
            if (isCount(body.outputTokens)) previous.tokenUsage.record(body.outputTokens, tokenAttributes(record, TOKEN_TYPE_OUTPUT, body.responseModel));
          }
          if (ttfc !== undefined) previous.timeToFirstChunk.record(ttfc, operationAttributes(record, type));
        }
        if (latest !== undefined) recordLatestEnd(latest, record, duration, type, code, ttfc);
      } catch (error) {
        diag.error('metrics: recording an ended call failed', error);
      }
    },
    // Fires as chunks of a streamed body end; only the latest conventions measure the gaps.
    onChunks(record, count, sincePrevious) {
      if (latest === undefined) return;
      try {
        recordLatestChunks(latest, record, count, sincePrevious);
      } catch (error) {
        diag.error('metrics: recording stream chunks failed', error);
      }
    },
    dispose() {
      meter.removeBatchObservableCallback(observeGauges, instruments.gauges);
    },
  };
}

function recordRateLimits(store: RateLimitStore, record: RequestRecord, headers: OpenAIResponseHeaders, observedAt: number): void {
  const requests = quota(headers, REQUESTS);
  const tokens = quota(headers, TOKENS);
  // A response without rate-limit headers (an error page, a proxy) says nothing about the quota.
  if (requests === undefined && tokens === undefined) return;
  const { key, attributes } = quotaSeries(record);
  store.offer(key, { attributes, sentAt: record.startTime, observedAt, requests, tokens });
}

/** The header fields a quota's gauges are fed from (the header table's `metric` column). */
interface QuotaFields {
  readonly limit: FieldRef<number>;
  readonly remaining: FieldRef<number>;
  readonly reset: FieldRef<number>;
}

const S = INSTRUMENT_SPECS;
const REQUESTS: QuotaFields = { limit: fieldForMetric(S.requestsLimit.name), remaining: fieldForMetric(S.requestsRemaining.name), reset: fieldForMetric(S.requestsReset.name) };
const TOKENS: QuotaFields = { limit: fieldForMetric(S.tokensLimit.name), remaining: fieldForMetric(S.tokensRemaining.name), reset: fieldForMetric(S.tokensReset.name) };
const PROCESSING_MS = fieldForMetric(S.processingDuration.name);

function quota(headers: OpenAIResponseHeaders, fields: QuotaFields): QuotaObservation | undefined {
  const limit = headerValue(headers, fields.limit);
  const remaining = headerValue(headers, fields.remaining);
  const reset = headerValue(headers, fields.reset);
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return { limit: finite(limit), remaining: finite(remaining), reset: finite(reset) };
}

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0;
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function observeQuota(result: BatchObservableResult, gauges: QuotaGauges, values: QuotaObservation, attributes: Attributes): void {
  if (values.remaining !== undefined) result.observe(gauges.remaining, values.remaining, attributes);
  if (values.limit !== undefined) result.observe(gauges.limit, values.limit, attributes);
  if (values.reset !== undefined) result.observe(gauges.reset, values.reset, attributes);
}
