import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { metricPoints, type MetricPoint } from '../helpers/metric-points.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { bundledUndiciHasBodyChunks, publishesBodyChunksReceived } from '../helpers/runtime.ts';
import type { Exchange } from './normalise.ts';
import { expectedSpan, README_ATTRIBUTES, type Expectation } from './oracle.ts';
import { startReplayServer, type ReplayServer } from './replay-server.ts';

export const PROVIDER = { openai: 'openai', azure: 'azure.ai.openai' } as const;

/** Sends one recorded request the way a client does; resolves with the HTTP status it got. */
export type Send = (exchange: Exchange, origin: string) => Promise<number>;

/** The recorded request through global `fetch`, its body read to the end. */
export const sendWithFetch: Send = async (exchange, origin) => {
  const response = await fetch(`${origin}${exchange.request.path}`, {
    method: exchange.request.method,
    headers: { 'content-type': 'application/json' },
    body: exchange.request.body,
  });
  await response.arrayBuffer();
  return response.status;
};

/**
 * The instrumentation with both recorded services as endpoints (Azure paths under `/openai`,
 * OpenAI's under `/v1`), a fresh SDK per exchange so its metrics are its own, and gauges as
 * observed (no projection), so they can be compared with the headers.
 */
function instrument(server: ReplayServer): TestOtel {
  return setupOtel({
    projectRateLimits: false,
    endpoints: [
      { url: `${server.origin}/openai`, provider: PROVIDER.azure },
      { url: `${server.origin}/v1`, provider: PROVIDER.openai },
    ],
  });
}

/**
 * In the enclosing `describe`: one test per exchange, each sent by `send` to a replay server
 * (HTTPS and HTTP/2 when given `tls`), its span and metrics checked against the oracle; after
 * them all, no request missed its exchange.
 */
export function replayCorpus(exchanges: readonly Exchange[], send: Send, tls?: { key: Buffer; cert: Buffer }): void {
  let server: ReplayServer;
  let readable: { requestBodyReadable: boolean; responseBodyReadable: boolean };
  beforeAll(async () => {
    server = await startReplayServer(tls);
    readable = { requestBodyReadable: bundledUndiciHasBodyChunks(), responseBodyReadable: await publishesBodyChunksReceived() };
  });
  afterAll(async () => {
    expect(server.mismatches).toEqual([]);
    await server.close();
  });
  for (const exchange of exchanges) {
    it(`${exchange.id} gives the span and metrics the recording and the README call for`, async () => {
      const otel = instrument(server);
      try {
        server.serve(exchange);
        expect(await send(exchange, server.origin)).toBe(exchange.response.status);
        const [span] = await otel.waitForSpans(1);
        const expected = expectedSpan(exchange, { origin: server.origin, port: server.port, provider: PROVIDER[exchange.service], ...readable });
        expectConformingSpan(span!, expected);
        expectConformingMetrics(metricPoints(await otel.reader.read()), expected);
      } finally {
        await otel.shutdown();
      }
    });
  }
}

const defined = (attributes: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));

/** The span matches what the recording and the README say, attribute by attribute. */
function expectConformingSpan(span: ReadableSpan, expected: Expectation): void {
  const { 'gen_ai.response.time_to_first_chunk': ttfc, ...actual } = span.attributes;
  expect(defined(actual)).toEqual(defined(expected.attributes));
  expect(span.name).toBe(expected.name);
  expect(span.status.code).toBe(expected.error ? SpanStatusCode.ERROR : SpanStatusCode.UNSET);
  if (expected.timeToFirstChunk) {
    expect(ttfc).toBeGreaterThanOrEqual(0);
    expect(ttfc as number).toBeLessThanOrEqual(span.duration[0] + span.duration[1] / 1e9);
  } else {
    expect(ttfc).toBeUndefined();
  }
  for (const name of [...Object.keys(span.attributes), ...Object.keys(expected.attributes)]) {
    expect(README_ATTRIBUTES, `${name} is in the README's table`).toContain(name);
  }
}

/** The README's gauges carry their span attribute's name; with projection off, its value. */
const GAUGES = [
  'openai.ratelimit.requests.limit',
  'openai.ratelimit.requests.remaining',
  'openai.ratelimit.requests.reset',
  'openai.ratelimit.tokens.limit',
  'openai.ratelimit.tokens.remaining',
  'openai.ratelimit.tokens.reset',
] as const;

/**
 * The metrics match the README's metric table: each gauge the header value as observed, on the
 * quota attributes; one duration sample with the operation attributes; the processing time,
 * token counts and time to first chunk where the recording has them; every point finite, >= 0,
 * no blank attribute.
 */
function expectConformingMetrics(points: readonly MetricPoint[], expected: Expectation): void {
  const a = expected.attributes;
  const named = (name: string) => points.filter((p) => p.name === name);
  const quota: Attributes = defined({
    'gen_ai.provider.name': a['gen_ai.provider.name'],
    'server.address': a['server.address'],
    'openai.organization': a['openai.organization'],
    'openai.project': a['openai.project'],
    'gen_ai.request.model': a['gen_ai.request.model'],
  }) as Attributes;
  for (const gauge of GAUGES) {
    expect(named(gauge).map((p) => [p.value, p.attributes]), gauge).toEqual(a[gauge] === undefined ? [] : [[a[gauge], quota]]);
  }
  const [duration, ...more] = named('gen_ai.client.operation.duration');
  expect(more).toEqual([]);
  expect(duration?.attributes).toMatchObject(
    defined({ 'gen_ai.operation.name': a['gen_ai.operation.name'], 'gen_ai.provider.name': a['gen_ai.provider.name'], 'error.type': a['error.type'] }),
  );
  const processingMs = a['openai.processing_ms'];
  expect(named('openai.processing.duration').map((p) => p.value)).toEqual(typeof processingMs === 'number' ? [processingMs / 1000] : []);
  const tokens = named('gen_ai.client.token.usage');
  for (const [type, attribute] of [['input', 'gen_ai.usage.input_tokens'], ['output', 'gen_ai.usage.output_tokens']] as const) {
    const sums = tokens.filter((p) => p.attributes['gen_ai.token.type'] === type).map((p) => p.value);
    expect(sums, `${type} tokens`).toEqual(a[attribute] === undefined ? [] : [a[attribute]]);
  }
  expect(named('gen_ai.client.operation.time_to_first_chunk').length).toBe(expected.timeToFirstChunk ? 1 : 0);
  for (const point of points) {
    expect(Number.isFinite(point.value) && point.value >= 0, `${point.name} ${point.value}`).toBe(true);
    for (const [name, value] of Object.entries(point.attributes)) expect(value, `${point.name} ${name}`).not.toBe('');
  }
}
