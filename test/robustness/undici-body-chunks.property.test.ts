import diagnosticsChannel from 'node:diagnostics_channel';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/internal-types.ts';
import { UNDICI_CHANNELS } from '../../src/undici/channels.ts';
import type { UndiciState } from '../../src/undici/state.ts';
import { bodyAttributes, expectedFromDocuments } from '../helpers/body-oracle.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { captureDiag, expectCleanMetrics, expectCleanSpans } from './channel-harness.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const ORIGIN = 'http://openai.test';
const publish = (name: string, message: unknown): void => diagnosticsChannel.channel(name).publish(message);

const ENCODE: Record<string, (b: Buffer) => Buffer> = {
  identity: (b) => b,
  gzip: zlib.gzipSync,
  deflate: zlib.deflateSync,
  br: zlib.brotliCompressSync,
};

/** Text with characters of every UTF-8 length, so chunk borders fall inside them. */
const content = fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', 'é', '€', '😀', '\n'), maxLength: 24 });

const chatCompletion = fc.record({
  id: fc.constantFrom('chatcmpl-abc', 'chatcmpl-😀', 'cmpl-1'),
  model: fc.constantFrom('gpt-4o-mini-2024-07-18', 'o4-mini-2025-04-16'),
  n: fc.integer({ min: 1, max: 3 }),
  finish: fc.constantFrom('stop', 'length', 'tool_calls', null),
  prompt: fc.nat({ max: 200_000 }),
  completion: fc.nat({ max: 5_000 }),
  cached: fc.option(fc.nat({ max: 1024 }), { nil: undefined }),
  fingerprint: fc.option(fc.constantFrom('fp_1', 'fp_51e1070cf2'), { nil: null }),
  text: content,
  args: content,
  stream: fc.boolean(),
  usage: fc.boolean(),
});
type Completion = typeof chatCompletion extends fc.Arbitrary<infer T> ? T : never;

/** The body as the API sends it, and the documents a client parses out of it. */
function render(c: Completion): { body: string; docs: unknown[]; sse: boolean } {
  const usage = { prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion, ...(c.cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: c.cached } }) };
  const head = { id: c.id, object: 'chat.completion', created: 1, model: c.model, service_tier: 'default', system_fingerprint: c.fingerprint };
  if (!c.stream) {
    const choices = Array.from({ length: c.n }, (_, index) => ({
      index,
      message: { role: 'assistant', content: c.text, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: c.args } }] },
      finish_reason: c.finish,
    }));
    const doc = { ...head, choices, usage: c.usage ? usage : null };
    return { body: JSON.stringify(doc), docs: [doc], sse: false };
  }
  const docs: unknown[] = [];
  for (let index = 0; index < c.n; index++) {
    docs.push({ ...head, choices: [{ index, delta: { content: c.text, model: 'nested-not-top' }, finish_reason: null }] });
    docs.push({ ...head, choices: [{ index, delta: {}, finish_reason: c.finish }] });
  }
  if (c.usage) docs.push({ ...head, choices: [], usage });
  const body = docs.map((d) => `data: ${JSON.stringify(d)}\n\n`).join('') + 'data: [DONE]\n\n';
  return { body, docs, sse: true };
}

/** Splits bytes at the given fractions of their length (every border possible, empty pieces too). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const to of at) {
    out.push(Buffer.from(bytes.subarray(from, to)));
    from = to;
  }
  out.push(Buffer.from(bytes.subarray(from)));
  return out;
}

/** Records the tracker still lists (ended ones linger until the sweeper compacts): none may keep a reader. */
function trackedRecords(otel: TestOtel): RequestRecord[] {
  const tracker = (otel.instrumentation as unknown as { _tracker?: { sweeper: { tracked: RequestRecord[] } } })._tracker;
  return tracker?.sweeper.tracked ?? [];
}

describe('the undici handlers, fed real bodies in random chunkings through the channel messages', () => {
  let otel: TestOtel;
  let diagnostics: ReturnType<typeof captureDiag>;
  beforeAll(() => {
    diagnostics = captureDiag();
    otel = setupOtel({ endpoints: [`${ORIGIN}/v1`] });
  });
  afterAll(async () => {
    await otel.shutdown();
    diagnostics.restore();
  });

  it('reads what a client parses, whatever the chunking and encoding; any end path leaves no reader behind', async () => {
    await fc.assert(
      fc.asyncProperty(
        chatCompletion,
        fc.constantFrom(...Object.keys(ENCODE)),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.constantFrom('trailers', 'trailers', 'error-midway', 'disable-midway'),
        async (completion, encoding, cuts, end) => {
          otel.exporter.reset();
          const { body, docs, sse } = render(completion);
          const chunks = split(ENCODE[encoding]!(Buffer.from(body)), cuts);
          const request = { origin: ORIGIN, path: '/v1/chat/completions', method: 'POST', headers: [] };
          const headers = ['content-type', sse ? 'text/event-stream; charset=utf-8' : 'application/json', 'x-request-id', 'req_1'];
          if (encoding !== 'identity') headers.push('content-encoding', encoding);
          publish(UNDICI_CHANNELS.create, { request });
          publish(UNDICI_CHANNELS.headers, { request, response: { statusCode: 200, headers: headers.map((h) => Buffer.from(h)) } });
          const stopAt = end === 'trailers' ? chunks.length : Math.floor(chunks.length / 2);
          for (let i = 0; i < stopAt; i++) publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: chunks[i] });
          if (end === 'trailers') publish(UNDICI_CHANNELS.trailers, { request, trailers: [] });
          else if (end === 'error-midway') publish(UNDICI_CHANNELS.error, { request, error: Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET' }) });
          else {
            otel.instrumentation.disable();
            otel.instrumentation.enable();
          }
          // A chunk after the end changes nothing.
          publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: Buffer.from('{"id":"late"}') });

          expect(diagnostics.errors).toEqual([]);
          expect(otel.instrumentation.inFlightRequests).toBe(0);
          for (const record of trackedRecords(otel)) expect((record.source as UndiciState | undefined)?.reading ?? false).toBe(false);
          const [span, ...more] = otel.spans();
          expect(more).toEqual([]);
          expectCleanSpans([span!]);
          const got = bodyAttributes(span!.attributes);
          if (end === 'trailers') expect(got).toEqual(expectedFromDocuments(docs));
          else expect(got['gen_ai.response.id'] === undefined || got['gen_ai.response.id'] === completion.id).toBe(true);
          // Text from the body never becomes an attribute.
          for (const value of Object.values(span!.attributes)) {
            if (completion.text.length > 3) expect(String(value)).not.toContain(completion.text);
            if (completion.args.length > 3) expect(String(value)).not.toContain(completion.args);
          }
          await expectCleanMetrics(otel);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps no chunk alive once the request has ended', async () => {
    const request = { origin: ORIGIN, path: '/v1/chat/completions', method: 'POST', headers: [] };
    publish(UNDICI_CHANNELS.create, { request });
    publish(UNDICI_CHANNELS.headers, { request, response: { statusCode: 200, headers: ['content-type', 'text/event-stream', 'content-encoding', 'gzip'] } });
    let ref: WeakRef<ArrayBuffer> | undefined;
    (() => {
      const bytes = zlib.gzipSync(Buffer.from('data: {"id":"chatcmpl-1","model":"m","choices":[]}\n\n'));
      const own = new Uint8Array(bytes.length);
      own.set(bytes);
      ref = new WeakRef(own.buffer);
      publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: own.subarray(0, 10) });
      publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: own.subarray(10) });
    })();
    publish(UNDICI_CHANNELS.trailers, { request, trailers: [] });
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(ref!.deref()).toBeUndefined();
    expect(otel.spans().at(-1)!.attributes['gen_ai.response.id']).toBe('chatcmpl-1');
  });
});

describe('a body that stops arriving', () => {
  it('is given up on after unfinishedResponseTimeoutMs: the span ends with what was read, and the reader is let go', async () => {
    const otel = setupOtel({ endpoints: [`${ORIGIN}/v1`], unfinishedResponseTimeoutMs: 50 });
    try {
      const request = { origin: ORIGIN, path: '/v1/chat/completions', method: 'POST', headers: [] };
      publish(UNDICI_CHANNELS.create, { request });
      publish(UNDICI_CHANNELS.headers, { request, response: { statusCode: 200, headers: ['content-type', 'text/event-stream', 'content-encoding', 'gzip'] } });
      const events = 'data: {"id":"chatcmpl-1","model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: {"id":"chatcmpl-1","model":"m","cho';
      const gz = zlib.createGzip();
      const bytes: Buffer[] = [];
      gz.on('data', (b: Buffer) => bytes.push(b));
      gz.write(events);
      await new Promise<void>((resolve) => gz.flush(() => resolve()));
      publish(UNDICI_CHANNELS.bodyChunkReceived, { request, chunk: Buffer.concat(bytes) });
      expect(otel.instrumentation.inFlightRequests).toBe(1);
      const [span] = await otel.waitForSpans(1, 3_000);
      expect(otel.instrumentation.inFlightRequests).toBe(0);
      for (const record of trackedRecords(otel)) expect((record.source as UndiciState | undefined)?.reading ?? false).toBe(false);
      // The stream was cut inside an event: a broken body gives no body attribute, never a guess.
      expect(bodyAttributes(span!.attributes)).toEqual({});
      expect(span!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0);
      gz.close();
    } finally {
      await otel.shutdown();
    }
  });
});
