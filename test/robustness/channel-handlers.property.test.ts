import diagnosticsChannel from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_HTTP_CHANNELS } from '../../src/node-http/channels.ts';
import type { OpenAIHttpInstrumentationConfig } from '../../src/types.ts';
import { UNDICI_CHANNELS } from '../../src/undici/channels.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { headerPairs, junk } from './arbitraries.ts';
import { captureDiag, expectCleanMetrics, expectCleanSpans } from './channel-harness.ts';

const publish = (name: string, message: unknown): void => diagnosticsChannel.channel(name).publish(message);

/** One event source, as the shared properties drive it. */
interface Source<Fields, Event> {
  readonly name: string;
  readonly channels: Record<string, string>;
  readonly config: OpenAIHttpInstrumentationConfig;
  /** Four requests' worth of fields, and events on them (index 0-3) in any order. */
  readonly requestFields: fc.Arbitrary<Fields>;
  readonly event: fc.Arbitrary<Event>;
  /** Publishes the events on request objects made from `fields`, ends every request, and returns the trace headers each got. */
  run(fields: Fields[], events: Event[]): Array<Record<string, unknown>>;
}

const ORIGIN = 'http://openai.test';
const indexed = <T>(kind: T) => ({ kind: fc.constant(kind), index: fc.nat(3) });

type UndiciEvent = { kind: string; index: number; [key: string]: unknown };

/** undici: `undici:request:*` messages on a request object as a publisher might hand it over: mostly plausible, sometimes not. */
const undici: Source<Record<string, unknown>, UndiciEvent> = {
  name: 'undici',
  channels: UNDICI_CHANNELS,
  config: { endpoints: [`${ORIGIN}/v1`], propagateTraceContext: true },
  requestFields: fc.record({
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
  }),
  event: fc.oneof(
    fc.record(indexed('create')),
    fc.record({ ...indexed('bodyChunkSent'), chunk: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string(), junk) }),
    fc.record({
      ...indexed('headers'),
      statusCode: fc.oneof(fc.constantFrom(100, 103, 200, 204, 429, 500), fc.integer(), junk),
      headers: fc.oneof(
        headerPairs.map((pairs) => pairs.flatMap(([n, v]) => [Buffer.from(n), Buffer.from(v, 'latin1')])),
        headerPairs.map((pairs) => Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]))),
        junk,
      ),
    }),
    fc.record({ ...indexed('bodyChunkReceived'), chunk: fc.oneof(fc.constant(Buffer.from('data: [DONE]\n\n')), fc.uint8Array({ maxLength: 64 }), junk) }),
    fc.record({ ...indexed('trailers'), trailers: junk }),
    fc.record({ ...indexed('error'), error: fc.oneof(fc.constant(Object.assign(new Error('x'), { code: 'ECONNRESET' })), junk) }),
    fc.record({ ...indexed('garbage'), channel: fc.constantFrom(...Object.values(UNDICI_CHANNELS)), message: junk }),
  ),
  run(fields, events) {
    const added = fields.map(() => ({}) as Record<string, unknown>);
    const requests = fields.map((r, i) => ({ ...r, addHeader: (name: string, value: string) => (added[i]![name] = [...((added[i]![name] as unknown[]) ?? []), value]) }));
    for (const e of events) {
      const request = requests[e.index];
      if (e.kind === 'create') publish(UNDICI_CHANNELS.create, { request });
      else if (e.kind === 'bodyChunkSent') publish(UNDICI_CHANNELS.bodyChunkSent, { request, chunk: e['chunk'] });
      else if (e.kind === 'headers') publish(UNDICI_CHANNELS.headers, { request, response: { statusCode: e['statusCode'], headers: e['headers'] } });
      else if (e.kind === 'bodyChunkReceived') publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: e['chunk'] });
      else if (e.kind === 'trailers') publish(UNDICI_CHANNELS.trailers, { request, trailers: e['trailers'] });
      else if (e.kind === 'error') publish(UNDICI_CHANNELS.error, { request, error: e['error'] });
      else publish(e['channel'] as string, e['message']);
    }
    // Whatever happened, the last event of every request arrives in the end.
    for (const request of requests) publish(UNDICI_CHANNELS.trailers, { request, trailers: [] });
    return added;
  },
};

type FakeResponse = EventEmitter & Record<string, unknown>;

/** node:http: `http.client.*` messages on a `ClientRequest` stand-in whose headers are read through getHeader. */
const nodeHttp: Source<Record<string, unknown>, UndiciEvent> = {
  name: 'node:http',
  channels: NODE_HTTP_CHANNELS,
  config: { endpoints: [`${ORIGIN}/v1`, 'https://openai.test/v1', { url: '::1', provider: 'ollama' }], propagateTraceContext: true },
  requestFields: fc.record({
    protocol: fc.oneof(fc.constantFrom('http:', 'https:'), junk),
    host: fc.oneof(fc.constantFrom('openai.test', 'OpenAI.Test', 'other.test', '::1'), junk),
    path: fc.oneof(fc.constantFrom('/v1/chat/completions', '/v1/embeddings?api-key=s', 'http://openai.test/v1/models', '/elsewhere', ''), junk),
    method: fc.oneof(fc.constantFrom('POST', 'GET', ''), junk),
    headers: fc.dictionary(fc.constantFrom('host', 'x-stainless-retry-count', 'upgrade', 'traceparent', 'authorization'), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()), junk)),
    headersSent: fc.oneof(fc.boolean(), junk),
  }),
  event: fc.oneof(
    fc.record(indexed('created')),
    fc.record({
      ...indexed('response'),
      response: fc.record({
        statusCode: fc.oneof(fc.constantFrom(100, 103, 200, 429, 500), fc.integer(), junk),
        rawHeaders: fc.oneof(headerPairs.map((pairs) => pairs.flat()), junk),
        headers: fc.oneof(headerPairs.map((pairs) => Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]))), junk),
        complete: fc.oneof(fc.boolean(), junk),
        errored: fc.oneof(fc.constant(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), fc.constant(null), junk),
        emitter: fc.boolean(),
      }),
    }),
    fc.record(indexed('close')),
    fc.record({ ...indexed('error'), error: fc.oneof(fc.constant(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), junk) }),
    fc.record({ ...indexed('garbage'), channel: fc.constantFrom(...Object.values(NODE_HTTP_CHANNELS)), message: junk }),
  ),
  run(fields, events) {
    const set = fields.map(() => ({}) as Record<string, unknown>);
    const requests = fields.map(({ headers, ...rest }, i) => ({
      ...rest,
      getHeader: (name: string) => (headers as Record<string, unknown>)[name],
      setHeader: (name: string, value: string) => (set[i]![name] = [...((set[i]![name] as unknown[]) ?? []), value]),
    }));
    const responses: Array<FakeResponse | undefined> = requests.map(() => undefined);
    for (const e of events) {
      const request = requests[e.index];
      if (e.kind === 'created') publish(NODE_HTTP_CHANNELS.created, { request });
      else if (e.kind === 'response') {
        const { emitter, ...rest } = e['response'] as Record<string, unknown>;
        const response = Object.assign(emitter ? new EventEmitter() : ({} as EventEmitter), rest) as unknown as FakeResponse;
        responses[e.index] = response;
        publish(NODE_HTTP_CHANNELS.responseFinish, { request, response });
      } else if (e.kind === 'close') responses[e.index]?.emit?.('close');
      else if (e.kind === 'error') publish(NODE_HTTP_CHANNELS.error, { request, error: e['error'] });
      else publish(e['channel'] as string, e['message']);
    }
    // Whatever happened, every request ends: its response closes, or it fails.
    for (let i = 0; i < requests.length; i++) {
      responses[i]?.emit?.('close');
      publish(NODE_HTTP_CHANNELS.error, { request: requests[i], error: new Error('end of run') });
    }
    return set;
  },
};

for (const source of [undici, nodeHttp]) {
  describe(`the ${source.name} channel handlers, fed random and out-of-order events`, () => {
    let otel: TestOtel;
    let diagnostics: ReturnType<typeof captureDiag>;
    beforeAll(() => {
      diagnostics = captureDiag();
      otel = setupOtel(source.config);
    });
    afterAll(async () => {
      await otel.shutdown();
      diagnostics.restore();
    });

    it('never throws, records no NaN or blank value, and holds no per-request state once every request ended', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(source.requestFields, { minLength: 4, maxLength: 4 }), fc.array(source.event, { maxLength: 25 }), async (fields, events) => {
          otel.exporter.reset();
          const injected = source.run(fields, events);
          expect(diagnostics.errors).toEqual([]);
          expect(otel.instrumentation.inFlightRequests).toBe(0);
          const spans = otel.spans();
          expectCleanSpans(spans);
          // One span per request at most, however many events repeated; traceparent set at most once.
          expect(spans.length).toBeLessThanOrEqual(fields.length);
          for (const headers of injected) expect(((headers['traceparent'] as unknown[]) ?? []).length).toBeLessThanOrEqual(1);
          await expectCleanMetrics(otel);
        }),
        { numRuns: 150 },
      );
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
      for (const name of Object.values(source.channels)) {
        expect(() => publish(name, hostile)).not.toThrow();
        expect(() => publish(name, { request: hostile, response: hostile, chunk: hostile, error: hostile })).not.toThrow();
      }
      expect(diagnostics.errors.length).toBeGreaterThan(before);
      diagnostics.errors.length = before;
    });

    if (source === undici) {
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
    } else {
      it('keeps a throwing response close handler away from the app', () => {
        const request = { protocol: 'http:', host: 'openai.test', path: '/v1/embeddings', method: 'POST', getHeader: () => undefined };
        const response = new EventEmitter() as FakeResponse;
        response['statusCode'] = 200;
        response['rawHeaders'] = [];
        publish(NODE_HTTP_CHANNELS.created, { request });
        publish(NODE_HTTP_CHANNELS.responseFinish, { request, response });
        Object.defineProperty(response, 'complete', {
          get() {
            throw new Error('hostile complete');
          },
        });
        const before = diagnostics.errors.length;
        expect(() => response.emit('close')).not.toThrow();
        expect(diagnostics.errors.length).toBe(before + 1);
        diagnostics.errors.length = before;
        publish(NODE_HTTP_CHANNELS.error, { request, error: new Error('cleanup') });
        expect(otel.instrumentation.inFlightRequests).toBe(0);
      });
    }
  });
}
