import diagnosticsChannel from 'node:diagnostics_channel';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDICI_CHANNELS } from '../../src/undici/channels.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { headerPairs, junk } from './arbitraries.ts';
import { captureDiag, expectCleanMetrics, expectCleanSpans } from './channel-harness.ts';

const ORIGIN = 'http://openai.test';

/** An undici request as a publisher might hand it over: mostly plausible, sometimes not. */
const requestObject = fc.record({
  origin: fc.oneof(fc.constant(ORIGIN), fc.constant('http://other.test'), junk),
  path: fc.oneof(fc.constantFrom('/v1/chat/completions', '/v1/embeddings', '/v1/models?x=1', '/elsewhere'), junk),
  method: fc.oneof(fc.constantFrom('POST', 'GET'), junk),
  headers: fc.oneof(
    headerPairs.map((pairs) => pairs.flat()),
    fc.constant(['x-stainless-retry-count', '2']),
    fc.string().map((s) => `x-stainless-retry-count: ${s}\r\n`),
    junk,
  ),
  body: fc.oneof(fc.constant('{"model":"gpt-4o","messages":[]}'), fc.string(), fc.uint8Array({ maxLength: 64 }), junk),
  upgrade: fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant('websocket')),
});

const responseHeaders = fc.oneof(
  headerPairs.map((pairs) => pairs.flatMap(([n, v]) => [Buffer.from(n), Buffer.from(v, 'latin1')])),
  headerPairs.map((pairs) => Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]))),
  junk,
);

/** One event on one of the requests, in any order, duplicated or out of place. */
const event = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), index: fc.nat(3) }),
  fc.record({ kind: fc.constant('bodyChunkSent' as const), index: fc.nat(3), chunk: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string(), junk) }),
  fc.record({
    kind: fc.constant('headers' as const),
    index: fc.nat(3),
    statusCode: fc.oneof(fc.constantFrom(100, 103, 200, 204, 429, 500), fc.integer(), junk),
    headers: responseHeaders,
  }),
  fc.record({ kind: fc.constant('bodyChunkReceived' as const), index: fc.nat(3), chunk: fc.oneof(fc.constant(Buffer.from('data: [DONE]\n\n')), fc.uint8Array({ maxLength: 64 }), junk) }),
  fc.record({ kind: fc.constant('trailers' as const), index: fc.nat(3), trailers: junk }),
  fc.record({ kind: fc.constant('error' as const), index: fc.nat(3), error: fc.oneof(fc.constant(Object.assign(new Error('x'), { code: 'ECONNRESET' })), junk) }),
  fc.record({ kind: fc.constant('garbage' as const), index: fc.nat(3), channel: fc.constantFrom(...Object.values(UNDICI_CHANNELS)), message: junk }),
);

const publish = (name: string, message: unknown): void => diagnosticsChannel.channel(name).publish(message);

describe('the undici channel handlers, fed random and out-of-order events', () => {
  let otel: TestOtel;
  let diagnostics: ReturnType<typeof captureDiag>;
  beforeAll(() => {
    diagnostics = captureDiag();
    otel = setupOtel({ endpoints: [`${ORIGIN}/v1`], propagateTraceContext: true });
  });
  afterAll(async () => {
    await otel.shutdown();
    diagnostics.restore();
  });

  it('never throws, records no NaN or blank value, and holds no per-request state once every request ended', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestObject, { minLength: 4, maxLength: 4 }), fc.array(event, { maxLength: 25 }), async (requests, events) => {
        otel.exporter.reset();
        const added: string[][] = requests.map(() => []);
        const objects = requests.map((r, i) => ({ ...r, addHeader: (name: string, value: string) => added[i]!.push(name, value) }));
        for (const e of events) {
          const request = objects[e.index];
          if (e.kind === 'create') publish(UNDICI_CHANNELS.create, { request });
          else if (e.kind === 'bodyChunkSent') publish(UNDICI_CHANNELS.bodyChunkSent, { request, chunk: e.chunk });
          else if (e.kind === 'headers') publish(UNDICI_CHANNELS.headers, { request, response: { statusCode: e.statusCode, headers: e.headers } });
          else if (e.kind === 'bodyChunkReceived') publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: e.chunk });
          else if (e.kind === 'trailers') publish(UNDICI_CHANNELS.trailers, { request, trailers: e.trailers });
          else if (e.kind === 'error') publish(UNDICI_CHANNELS.error, { request, error: e.error });
          else publish(e.channel, e.message);
        }
        // Whatever happened, the last event of every request arrives in the end.
        for (const request of objects) publish(UNDICI_CHANNELS.trailers, { request, trailers: [] });
        expect(diagnostics.errors).toEqual([]);
        expect(otel.instrumentation.inFlightRequests).toBe(0);
        const spans = otel.spans();
        expectCleanSpans(spans);
        // One span per request at most, however many events repeated.
        expect(spans.length).toBeLessThanOrEqual(objects.length);
        // traceparent injected at most once per request.
        for (const headers of added) expect(headers.filter((h) => h === 'traceparent').length).toBeLessThanOrEqual(1);
        await expectCleanMetrics(otel);
      }),
      { numRuns: 150 },
    );
  });

  it('ignores a repeated create for the same request: one record, one span', () => {
    otel.exporter.reset();
    const request = { origin: ORIGIN, path: '/v1/embeddings', method: '', headers: [] };
    publish(UNDICI_CHANNELS.create, { request });
    publish(UNDICI_CHANNELS.create, { request });
    expect(otel.instrumentation.inFlightRequests).toBe(1);
    publish(UNDICI_CHANNELS.trailers, { request, trailers: [] });
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    expect(otel.spans()).toHaveLength(1);
    expect(otel.spans()[0]!.attributes['http.request.method']).toBe('GET');
  });

  it('waits past 103 Early Hints for the final headers, and ends on trailers that came without headers', () => {
    otel.exporter.reset();
    const hinted = { origin: ORIGIN, path: '/v1/chat/completions', method: 'POST', headers: [] };
    publish(UNDICI_CHANNELS.create, { request: hinted });
    publish(UNDICI_CHANNELS.headers, { request: hinted, response: { statusCode: 103, headers: ['x-request-id', 'req_hint', 'link', '</a>'] } });
    publish(UNDICI_CHANNELS.headers, { request: hinted, response: { statusCode: 200, headers: ['x-request-id', 'req_final'] } });
    const bare = { origin: ORIGIN, path: '/v1/chat/completions', method: 'POST', headers: [] };
    publish(UNDICI_CHANNELS.create, { request: bare });
    publish(UNDICI_CHANNELS.trailers, { request: bare, trailers: [] });
    publish(UNDICI_CHANNELS.trailers, { request: hinted, trailers: [] });
    const [first, second] = otel.spans();
    expect(first!.attributes['http.response.status_code']).toBeUndefined();
    expect(first!.attributes['openai.request.id']).toBeUndefined();
    expect(second!.attributes['http.response.status_code']).toBe(200);
    expect(second!.attributes['openai.request.id']).toBe('req_final');
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });

  it('keeps a hostile message (every property access throws) away from the app, and reports it to diag', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile getter');
        },
      },
    );
    const before = diagnostics.errors.length;
    for (const name of Object.values(UNDICI_CHANNELS)) {
      expect(() => publish(name, hostile)).not.toThrow();
      expect(() => publish(name, { request: hostile, response: hostile, chunk: hostile, error: hostile })).not.toThrow();
    }
    expect(diagnostics.errors.length).toBeGreaterThan(before);
    diagnostics.errors.length = before;
  });
});
