import { propagation, SpanKind } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

/**
 * With @opentelemetry/instrumentation-undici registered too, each call gives two sibling CLIENT
 * spans under the caller's span: its HTTP span (`POST`) and our GenAI span (`chat ...`). Neither
 * reaches into the other (its records are private, and diagnostics-channel subscribers cannot
 * set each other's active context), so the pair is stable whichever is registered first.
 */
describe('alongside @opentelemetry/instrumentation-undici', () => {
  let server: TestServer;
  let otel: TestOtel;
  let undici: UndiciInstrumentation;
  const traceparents: string[][] = [];
  afterEach(async () => {
    undici.disable();
    propagation.disable();
    await otel.shutdown();
    await server.close();
    traceparents.length = 0;
  });

  async function start(ourFirst: boolean, propagateTraceContext: boolean): Promise<void> {
    server = await startHttpServer((req, res) => {
      const values: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'traceparent') values.push(req.rawHeaders[i + 1]!);
      traceparents.push(values);
      req.resume();
      res.setHeader('x-request-id', 'req_both');
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    otel = setupOtel({ endpoints: [`${server.origin}/v1`], propagateTraceContext, enabled: false });
    // It checks `enabled` on every request, so it is enabled at construction (global tracer provider).
    if (ourFirst) otel.instrumentation.enable();
    undici = new UndiciInstrumentation();
    if (!ourFirst) otel.instrumentation.enable();
  }

  async function callInParent(): Promise<void> {
    await otel.tracerProvider.getTracer('app').startActiveSpan('app work', async (parent) => {
      await (await fetch(`${server.origin}/v1/chat/completions`, { method: 'POST', body: '{"model":"gpt-4o","messages":[]}' })).text();
      parent.end();
    });
  }

  for (const ourFirst of [true, false]) {
    it(`gives two sibling CLIENT spans under the caller's span (ours registered ${ourFirst ? 'first' : 'second'})`, async () => {
      await start(ourFirst, false);
      await callInParent();
      const spans = await otel.waitForSpans(3);
      const parent = spans.find((s) => s.name === 'app work')!;
      const http = spans.find((s) => s.name === 'POST')!;
      const ours = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'chat')!;
      expect(http.kind).toBe(SpanKind.CLIENT);
      expect(ours.kind).toBe(SpanKind.CLIENT);
      expect(http.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(ours.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(ours.attributes['openai.request.id']).toBe('req_both');
      expect(http.attributes['http.response.status_code']).toBe(200);
      // instrumentation-undici propagates its own span's context; ours adds nothing when off.
      expect(traceparents).toEqual([[expect.stringContaining(http.spanContext().spanId)]]);
    });
  }

  it("leaves one span, ours, when its ignoreRequestHook skips the OpenAI origin (the README's recipe)", async () => {
    await start(true, false);
    undici.setConfig({ ignoreRequestHook: (request) => request.origin === server.origin });
    await callInParent();
    await otel.waitForSpans(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const spans = otel.spans();
    expect(spans).toHaveLength(2);
    expect(spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat')).toHaveLength(1);
    expect(traceparents).toEqual([[]]);
  });

  it('never adds a second traceparent when instrumentation-undici already injected one', async () => {
    await start(false, true);
    await callInParent();
    await otel.waitForSpans(3);
    expect(traceparents[0]).toHaveLength(1);
  });
});
