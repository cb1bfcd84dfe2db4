import { afterEach, describe, expect, it } from 'vitest';
import * as semconv from '../../../src/semconv.ts';
import { harness, histogramPoints, record, type MetricsHarness } from './fixtures.ts';

/** A call whose response body was read, as the tracker leaves it when the call ends. */
function answered(body: NonNullable<ReturnType<typeof record>['body']>, sse = false, statusCode = 200): ReturnType<typeof record> {
  const r = record({ statusCode, startTime: 100 }, { bodyKind: sse ? 'sse' : 'json' });
  r.body = body;
  r.firstChunkTime = 350;
  return r;
}

describe('histograms from the response body', () => {
  let h: MetricsHarness;
  afterEach(async () => {
    await h?.shutdown();
  });

  it('records input and output tokens with the semconv buckets, the token type and the response model', async () => {
    h = harness();
    h.metrics.onEnd(answered({ inputTokens: 12, outputTokens: 0, responseModel: 'gpt-4o-2024-08-06' }), 0.5, undefined);
    const tokens = histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
    expect(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.value.sum, p.attributes['gen_ai.response.model']])).toEqual([
      ['input', 12, 'gpt-4o-2024-08-06'],
      ['output', 0, 'gpt-4o-2024-08-06'],
    ]);
    expect(tokens[0]!.value.buckets.boundaries).toEqual([...semconv.GEN_AI_TOKEN_USAGE_BUCKETS]);
    expect(tokens[0]!.attributes['error.type']).toBeUndefined();
    expect(tokens.map((p) => `${p.attributes['openai.organization']}/${p.attributes['openai.project']}`)).toEqual(['org-a/proj_a', 'org-a/proj_a']);
  });

  it('records no token sample when the body gave no usage, and none for an end it did not see without a body', async () => {
    h = harness();
    h.metrics.onEnd(answered({ responseModel: 'gpt-4o-2024-08-06', finishReasons: ['stop'] }, true), 0.5, undefined);
    h.metrics.onEnd(record(), undefined, 'timeout');
    expect(histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE)).toEqual([]);
  });

  it('records the time to first chunk for streams only, in seconds from the request start', async () => {
    h = harness();
    h.metrics.onEnd(answered({}, true), 1, undefined);
    h.metrics.onEnd(answered({}, false), 1, undefined);
    const [point, ...others] = histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK);
    expect(others).toEqual([]);
    expect(point!.value.sum).toBeCloseTo(0.25);
    expect(point!.value.count).toBe(1);
  });

  it('adds openai.error.code to the duration of a failed attempt only, bounded to the documented codes', async () => {
    h = harness();
    h.metrics.onEnd(answered({ errorCode: 'insufficient_quota', errorType: 'insufficient_quota' }, false, 429), 0.1, '429');
    h.metrics.onEnd(answered({ errorCode: 'rate_limit_exceeded' }, false, 429), 0.1, '429');
    h.metrics.onEnd(answered({ errorCode: 'acct_frozen_7' }, false, 402), 0.1, '402');
    h.metrics.onEnd(answered({ errorCode: 'insufficient_quota' }, false, 200), 0.1, undefined);
    const durations = histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(durations.map((p) => [p.attributes['error.type'], p.attributes['openai.error.code']])).toEqual([
      ['429', 'insufficient_quota'],
      ['429', 'rate_limit_exceeded'],
      ['402', '_OTHER'],
      [undefined, undefined],
    ]);
  });
});
