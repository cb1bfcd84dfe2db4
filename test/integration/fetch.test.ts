import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const chatBody = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
const post = (url: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', body: chatBody, headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers } });

describe('plain fetch', () => {
  let sim: Simulator;
  let otel: TestOtel;
  let other: TestServer | undefined;
  afterEach(async () => {
    await otel.shutdown();
    await sim.close();
    await other?.close();
    other = undefined;
  });

  it('gets the same span as the SDK', async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    await (await post(`${sim.url}/chat/completions`)).json();
    const [span] = await otel.waitForSpans(1);
    expect(span!.name).toBe(bundledUndiciHasBodyChunks() ? 'chat gpt-4o' : 'chat');
    expect(span!.attributes['openai.ratelimit.requests.limit']).toBe(60);
  });

  it('reads the headers of any server named in config, not only the simulator', async () => {
    sim = await startSimulator();
    other = await startHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('x-request-id', 'req_abc');
        res.setHeader('x-ratelimit-reset-requests', '1m26.4s');
        res.setHeader('x-ratelimit-remaining-tokens', '1999750');
        res.end('{}');
      });
    });
    otel = setupOtel({ endpoints: [`${other.origin}/v1`] });
    await (await post(`${other.origin}/v1/chat/completions`)).text();
    const [span] = await otel.waitForSpans(1);
    expect(span!.attributes).toMatchObject({
      'openai.request.id': 'req_abc',
      'openai.ratelimit.requests.reset': 86.4,
      'openai.ratelimit.tokens.remaining': 1999750,
      'gen_ai.operation.name': 'chat',
    });
  });

  it('makes no span, and keeps no state, for requests to other hosts', async () => {
    sim = await startSimulator();
    other = await startHttpServer((_req, res) => res.end('ok'));
    otel = setupOtel({ endpoints: [sim.url] });
    await (await fetch(`${other.origin}/v1/chat/completions`, { method: 'POST', body: chatBody })).text();
    await (await fetch(`${sim.origin}/not-under-the-base-url`)).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otel.spans()).toHaveLength(0);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });

  it('ends the span of a response whose body is never read, after the timeout', async () => {
    sim = await startSimulator();
    // A body far larger than undici buffers on its own: unread, it stalls the response.
    other = await startHttpServer((req, res) => {
      req.resume();
      res.setHeader('x-request-id', 'req_unread');
      res.end(Buffer.alloc(16 * 1024 * 1024, 0x20));
    });
    otel = setupOtel({ endpoints: [other.origin], unfinishedResponseTimeoutMs: 100 });
    const res = await post(`${other.origin}/v1/chat/completions`);
    expect(res.status).toBe(200);
    expect(otel.instrumentation.inFlightRequests).toBe(1);
    const [span] = await otel.waitForSpans(1, 3_000);
    expect(span!.attributes['openai.request.id']).toBe('req_unread');
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    await res.body?.cancel();
  });

  it('records a refused connection as an error with its code', async () => {
    sim = await startSimulator();
    const port = sim.port;
    await sim.close();
    otel = setupOtel({ endpoints: [`http://127.0.0.1:${port}/v1`] });
    await expect(post(`http://127.0.0.1:${port}/v1/chat/completions`)).rejects.toThrow();
    const [span] = await otel.waitForSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span!.attributes['http.response.status_code']).toBeUndefined();
    sim = await startSimulator();
  });

  it('marks a server error as an error span with the status as error.type', async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    await (await post(`${sim.url}/chat/completions`, { 'x-simulator-status': '503' })).text();
    const [span] = await otel.waitForSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('503');
  });

  it('is a child of the active span', async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    const tracer = otel.tracerProvider.getTracer('test');
    await tracer.startActiveSpan('parent', async (parent) => {
      await (await post(`${sim.url}/chat/completions`)).text();
      parent.end();
    });
    const spans = await otel.waitForSpans(2);
    const parent = spans.find((s) => s.name === 'parent')!;
    const child = spans.find((s) => s.name !== 'parent')!;
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  it('never sends traceparent unless propagateTraceContext is on', async () => {
    const seen: Array<string | undefined> = [];
    other = await startHttpServer((req, res) => {
      seen.push(req.headers['traceparent'] as string | undefined);
      req.resume();
      res.end('{}');
    });
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [other.origin] });
    const tracer = otel.tracerProvider.getTracer('test');
    const { propagation } = await import('@opentelemetry/api');
    const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    await tracer.startActiveSpan('parent', async (parent) => {
      await (await fetch(`${other!.origin}/v1/embeddings`, { method: 'POST', body: '{}' })).text();
      otel.instrumentation.setConfig({ endpoints: [other!.origin], propagateTraceContext: true });
      await (await fetch(`${other!.origin}/v1/embeddings`, { method: 'POST', body: '{}' })).text();
      parent.end();
    });
    const spans = await otel.waitForSpans(3);
    expect(seen[0]).toBeUndefined();
    const injected = spans.find((s) => s.name === 'embeddings' && seen[1]?.includes(s.spanContext().spanId));
    expect(injected).toBeDefined();
    propagation.disable();
  });

  it('passes span and request facts to responseHook, and survives a throwing hook', async () => {
    sim = await startSimulator();
    const infos: unknown[] = [];
    otel = setupOtel({
      endpoints: [sim.url],
      responseHook: (span, info) => {
        infos.push(info);
        span.setAttribute('app.tenant', 'acme');
        throw new Error('hook bug');
      },
    });
    await (await post(`${sim.url}/chat/completions`)).text();
    const [span] = await otel.waitForSpans(1);
    expect(span!.attributes['app.tenant']).toBe('acme');
    expect(infos[0]).toMatchObject({ provider: 'openai', operation: 'chat', statusCode: 200, method: 'POST' });
  });

  it('stops observing when disabled, and resumes when enabled again', async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    otel.instrumentation.disable();
    await (await post(`${sim.url}/chat/completions`)).text();
    otel.instrumentation.enable();
    otel.instrumentation.enable();
    await (await post(`${sim.url}/chat/completions`)).text();
    await otel.waitForSpans(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otel.spans()).toHaveLength(1);
  });
});
