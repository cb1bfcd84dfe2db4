import { describe, expect, it } from 'vitest';
import { genAiMetricNames, resolveConfig } from '../../src/config.ts';

describe('OTEL_SEMCONV_STABILITY_OPT_IN, read for the GenAI metric names', () => {
  it.each([
    [undefined, { previous: true, latest: false }],
    ['', { previous: true, latest: false }],
    ['http', { previous: true, latest: false }],
    ['gen_ai_latest', { previous: true, latest: false }],
    ['gen_ai_latest_experimental', { previous: false, latest: true }],
    [' http/dup , gen_ai_latest_experimental ', { previous: false, latest: true }],
    ['GEN_AI_LATEST_EXPERIMENTAL', { previous: false, latest: true }],
    ['gen_ai_latest_experimental/dup', { previous: true, latest: true }],
    ['gen_ai_latest_experimental,gen_ai_latest_experimental/dup', { previous: true, latest: true }],
  ])('%j gives %j', (value, expected) => {
    expect(genAiMetricNames(value)).toEqual(expected);
  });

  it('is resolved with the rest of the config, from the environment it is given', () => {
    expect(resolveConfig({}, { OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental' }).genAiMetrics).toEqual({ previous: false, latest: true });
    expect(resolveConfig({}, {}).genAiMetrics).toEqual({ previous: true, latest: false });
  });
});
