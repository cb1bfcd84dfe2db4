import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanStatusCode } from '@opentelemetry/api';
import { expect } from 'vitest';
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
export async function startReplay(): Promise<Replay> {
  const server = await startReplayServer();
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

const defined = (attributes: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));

/** The span matches what the recording and the README say, attribute by attribute. */
export function expectConformingSpan(span: ReadableSpan, exchange: Exchange, ctx: ReplayContext): void {
  const expected = expectedSpan(exchange, ctx);
  const { 'gen_ai.response.time_to_first_chunk': ttfc, ...actual } = span.attributes;
  expect(defined(actual)).toEqual(defined(expected.attributes));
  expect(span.name).toBe(expected.name);
  expect(span.status.code).toBe(expected.error ? SpanStatusCode.ERROR : SpanStatusCode.UNSET);
  if (expected.timeToFirstChunk) expect(ttfc).toBeGreaterThanOrEqual(0);
  else expect(ttfc).toBeUndefined();
  for (const name of Object.keys(span.attributes)) expect(README_ATTRIBUTES, `${name} is in the README's table`).toContain(name);
}
