import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { metricPoints } from '../helpers/metric-points.ts';
import { bundledUndiciHasBodyChunks, publishesBodyChunksReceived } from '../helpers/runtime.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import type { Exchange } from './normalise.ts';
import { expectedSpan, README_ATTRIBUTES, type ReplayContext } from './oracle.ts';
import { startReplayServer, type ReplayServer } from './replay-server.ts';

export const PROVIDER = { openai: 'openai', azure: 'azure.ai.openai' } as const;

export interface Replay {
  readonly server: ReplayServer;
  readonly otel: TestOtel;
  context(exchange: Exchange): ReplayContext;
  /** The one span the exchange gave; the exporter is emptied for the next. */
  span(): Promise<ReadableSpan>;
  close(): Promise<void>;
}

/**
 * The replay server, the instrumentation with both recorded services as endpoints (Azure
 * paths under `/openai`, OpenAI's under `/v1`), and what this runtime lets it read.
 */
export async function startReplay(tls?: { key: Buffer; cert: Buffer }): Promise<Replay> {
  const server = await startReplayServer(tls);
  const responseBodyReadable = await publishesBodyChunksReceived();
  const requestBodyReadable = bundledUndiciHasBodyChunks();
  const otel = setupOtel({
    endpoints: [
      { url: `${server.origin}/openai`, provider: PROVIDER.azure },
      { url: `${server.origin}/v1`, provider: PROVIDER.openai },
    ],
  });
  return {
    server,
    otel,
    context: (exchange) => ({ origin: server.origin, port: server.port, provider: PROVIDER[exchange.service], requestBodyReadable, responseBodyReadable }),
    async span() {
      const [span] = await otel.waitForSpans(1);
      otel.exporter.reset();
      return span!;
    },
    async close() {
      await otel.shutdown();
      await server.close();
    },
  };
}

/** After the whole corpus: every metric point is a finite, non-negative number with no blank attribute. */
export async function expectSaneMetrics(replay: Replay): Promise<void> {
  const points = metricPoints(await replay.otel.reader.read());
  expect(points.length).toBeGreaterThan(0);
  for (const point of points) {
    expect(Number.isFinite(point.value) && point.value >= 0, `${point.name} ${point.value}`).toBe(true);
    for (const [name, value] of Object.entries(point.attributes)) expect(value, `${point.name} ${name}`).not.toBe('');
  }
}

const defined = (attributes: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));

/** The span matches what the recording and the README say, attribute by attribute. */
export function expectConformingSpan(span: ReadableSpan, exchange: Exchange, ctx: ReplayContext): void {
  const expected = expectedSpan(exchange, ctx);
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
  for (const name of Object.keys(span.attributes)) expect(README_ATTRIBUTES, `${name} is in the README's table`).toContain(name);
}

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
 * In the enclosing `describe`: one test per exchange, each sent by `send` to a replay server
 * (HTTPS and HTTP/2 when given `tls`), its span checked against the oracle; after them all, no
 * request missed its exchange and every metric point is sane.
 */
export function replayCorpus(exchanges: readonly Exchange[], send: Send, tls?: { key: Buffer; cert: Buffer }): void {
  let replay: Replay;
  beforeAll(async () => {
    replay = await startReplay(tls);
  });
  afterAll(async () => {
    expect(replay.server.mismatches).toEqual([]);
    await expectSaneMetrics(replay);
    await replay.close();
  });
  for (const exchange of exchanges) {
    it(`${exchange.id} gives the span the recording and the README call for`, async () => {
      replay.server.serve(exchange);
      expect(await send(exchange, replay.server.origin)).toBe(exchange.response.status);
      expectConformingSpan(await replay.span(), exchange, replay.context(exchange));
    });
  }
}
