import diagnosticsChannel from 'node:diagnostics_channel';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { UNDICI_CHANNELS } from '../../src/undici/channels.ts';
import { ERROR_TYPE_DISABLED, ERROR_TYPE_TIMEOUT } from '../../src/requests/error-type.ts';
import { metricPoints } from '../helpers/metric-points.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

const ORIGIN = 'http://openai.test';

/** A request that undici created and that never got an answer: no further event follows. */
function createUnansweredRequest(): object {
  const request = { origin: ORIGIN, path: '/v1/chat/completions', method: 'POST', headers: [], body: '{"model":"gpt-4o"}' };
  diagnosticsChannel.channel(UNDICI_CHANNELS.create).publish({ request });
  return request;
}

async function durationPoints(otel: TestOtel): Promise<number> {
  return metricPoints(await otel.reader.read()).filter((p) => p.name === 'gen_ai.client.operation.duration').length;
}

describe('a call that never got an answer', () => {
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
  });

  it('is an error with error.type "timeout" when the unfinished-response timeout ends it, and records no duration', async () => {
    otel = setupOtel({ endpoints: [ORIGIN], unfinishedResponseTimeoutMs: 50 });
    createUnansweredRequest();
    const [span] = await otel.waitForSpans(1, 3_000);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe(ERROR_TYPE_TIMEOUT);
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
    expect(await durationPoints(otel)).toBe(0);
  });

  it('is an error with its own error.type when disable() ends it, and records no duration', async () => {
    otel = setupOtel({ endpoints: [ORIGIN] });
    createUnansweredRequest();
    otel.instrumentation.disable();
    const [span] = await otel.waitForSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe(ERROR_TYPE_DISABLED);
    expect(await durationPoints(otel)).toBe(0);
  });

  it('still records the duration of a call that did end, next to one that did not', async () => {
    otel = setupOtel({ endpoints: [ORIGIN] });
    const answered = createUnansweredRequest();
    diagnosticsChannel.channel(UNDICI_CHANNELS.headers).publish({ request: answered, response: { statusCode: 200, headers: [] } });
    diagnosticsChannel.channel(UNDICI_CHANNELS.trailers).publish({ request: answered, trailers: [] });
    createUnansweredRequest();
    otel.instrumentation.disable();
    await otel.waitForSpans(2);
    expect(await durationPoints(otel)).toBe(1);
  });
});
