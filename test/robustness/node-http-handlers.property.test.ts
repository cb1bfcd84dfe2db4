import diagnosticsChannel from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_HTTP_CHANNELS } from '../../src/node-http/channels.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { headerPairs, junk } from './arbitraries.ts';
import { captureDiag, expectCleanMetrics, expectCleanSpans } from './channel-harness.ts';

/** A `ClientRequest` stand-in: plausible fields, sometimes junk, headers read through getHeader. */
const requestFields = fc.record({
  protocol: fc.oneof(fc.constantFrom('http:', 'https:'), junk),
  host: fc.oneof(fc.constantFrom('openai.test', 'OpenAI.Test', 'other.test', '::1'), junk),
  path: fc.oneof(fc.constantFrom('/v1/chat/completions', '/v1/embeddings?api-key=s', 'http://openai.test/v1/models', '/elsewhere', ''), junk),
  method: fc.oneof(fc.constantFrom('POST', 'GET', ''), junk),
  headers: fc.dictionary(fc.constantFrom('host', 'x-stainless-retry-count', 'upgrade', 'traceparent', 'authorization'), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()), junk)),
  headersSent: fc.oneof(fc.boolean(), junk),
});

const responseFields = fc.record({
  statusCode: fc.oneof(fc.constantFrom(100, 103, 200, 429, 500), fc.integer(), junk),
  rawHeaders: fc.oneof(headerPairs.map((pairs) => pairs.flat()), junk),
  headers: fc.oneof(headerPairs.map((pairs) => Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]))), junk),
  complete: fc.oneof(fc.boolean(), junk),
  errored: fc.oneof(fc.constant(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), fc.constant(null), junk),
  emitter: fc.boolean(),
});

const event = fc.oneof(
  fc.record({ kind: fc.constant('created' as const), index: fc.nat(3) }),
  fc.record({ kind: fc.constant('response' as const), index: fc.nat(3), response: responseFields }),
  fc.record({ kind: fc.constant('close' as const), index: fc.nat(3) }),
  fc.record({ kind: fc.constant('error' as const), index: fc.nat(3), error: fc.oneof(fc.constant(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), junk) }),
  fc.record({ kind: fc.constant('garbage' as const), index: fc.nat(3), channel: fc.constantFrom(...Object.values(NODE_HTTP_CHANNELS)), message: junk }),
);

type FakeResponse = EventEmitter & Record<string, unknown>;
const publish = (name: string, message: unknown): void => diagnosticsChannel.channel(name).publish(message);

describe('the node:http channel handlers, fed random and out-of-order events', () => {
  let otel: TestOtel;
  let diagnostics: ReturnType<typeof captureDiag>;
  beforeAll(() => {
    diagnostics = captureDiag();
    otel = setupOtel({ endpoints: ['http://openai.test/v1', 'https://openai.test/v1', { url: '::1', provider: 'ollama' }], propagateTraceContext: true });
  });
  afterAll(async () => {
    await otel.shutdown();
    diagnostics.restore();
  });

  it('never throws, records no NaN or blank value, and holds no per-request state once every request ended', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestFields, { minLength: 4, maxLength: 4 }), fc.array(event, { maxLength: 25 }), async (fields, events) => {
        otel.exporter.reset();
        const set: Array<Record<string, unknown>> = fields.map(() => ({}));
        const requests = fields.map(({ headers, ...rest }, i) => ({
          ...rest,
          getHeader: (name: string) => (headers as Record<string, unknown>)[name],
          setHeader: (name: string, value: string) => {
            set[i]![name] = value;
          },
        }));
        const responses: Array<FakeResponse | undefined> = requests.map(() => undefined);
        for (const e of events) {
          const request = requests[e.index];
          if (e.kind === 'created') publish(NODE_HTTP_CHANNELS.created, { request });
          else if (e.kind === 'response') {
            const { emitter, ...rest } = e.response;
            const response = Object.assign(emitter ? new EventEmitter() : ({} as EventEmitter), rest) as unknown as FakeResponse;
            responses[e.index] = response;
            publish(NODE_HTTP_CHANNELS.responseFinish, { request, response });
          } else if (e.kind === 'close') responses[e.index]?.emit?.('close');
          else if (e.kind === 'error') publish(NODE_HTTP_CHANNELS.error, { request, error: e.error });
          else publish(e.channel, e.message);
        }
        // Whatever happened, every request ends: its response closes, or it fails.
        for (let i = 0; i < requests.length; i++) {
          responses[i]?.emit?.('close');
          publish(NODE_HTTP_CHANNELS.error, { request: requests[i], error: new Error('end of run') });
        }
        expect(diagnostics.errors).toEqual([]);
        expect(otel.instrumentation.inFlightRequests).toBe(0);
        const spans = otel.spans();
        expectCleanSpans(spans);
        expect(spans.length).toBeLessThanOrEqual(requests.length);
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
    for (const name of Object.values(NODE_HTTP_CHANNELS)) {
      expect(() => publish(name, { request: hostile, response: hostile, error: hostile })).not.toThrow();
    }
    expect(diagnostics.errors.length).toBeGreaterThan(before);
    diagnostics.errors.length = before;
  });

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
});
