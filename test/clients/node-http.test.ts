import http from 'node:http';
import { propagation, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

const chatBody = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
const headers = { authorization: 'Bearer sk-node-http-secret', 'content-type': 'application/json' };

/** One `http.request`, resolving with the response once `onResponse` has run. */
function send(
  url: string,
  options: http.RequestOptions,
  onResponse: (res: http.IncomingMessage, req: http.ClientRequest) => void = (res) => res.resume(),
): Promise<http.ClientRequest> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers, ...options }, (res) => {
      onResponse(res, req);
      res.on('error', () => {});
      res.on('close', () => resolve(req));
    });
    req.on('error', () => resolve(req));
    req.end(options.method === 'GET' ? undefined : chatBody);
  });
}

describe('node:http clients (http.request)', () => {
  let sim: Simulator;
  let otel: TestOtel;
  let other: TestServer | undefined;
  afterEach(async () => {
    propagation.disable();
    await otel.shutdown();
    await sim.close();
    await other?.close();
    other = undefined;
  });

  it('counts a fetch and an http.request to the same endpoint once each', async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    await (await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: chatBody })).text();
    await send(`${sim.url}/embeddings`, {});
    await otel.waitForSpans(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otel.spans().map((s) => s.attributes['gen_ai.operation.name']).sort()).toEqual(['chat', 'embeddings']);
  });

  it('makes no span and keeps no state for other hosts and paths', async () => {
    sim = await startSimulator();
    other = await startHttpServer((req, res) => {
      req.resume();
      res.end('{}');
    });
    otel = setupOtel({ endpoints: [sim.url] });
    await send(`${other.origin}/v1/chat/completions`, {});
    await send(`${sim.origin}/elsewhere`, { method: 'GET' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otel.spans()).toHaveLength(0);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });

  it('marks a response body the app destroys halfway as an aborted call', async () => {
    sim = await startSimulator({ streamChunkDelayMs: 20 });
    otel = setupOtel({ endpoints: [sim.url] });
    const body = JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    await new Promise<void>((resolve) => {
      const req = http.request(`${sim.url}/chat/completions`, { method: 'POST', headers }, (res) => {
        res.once('data', () => res.destroy());
        res.on('close', () => resolve());
      });
      req.end(body);
    });
    const [span] = await otel.waitForSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('AbortError');
    expect(span!.attributes['http.response.status_code']).toBe(200);
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });

  it('ends the span of a request destroyed before its response, with the error code', async () => {
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [sim.url] });
    await send(`${sim.url}/chat/completions`, {});
    const req = http.request(`${sim.url}/chat/completions`, { method: 'POST', headers: { ...headers, 'x-simulator-latency-ms': '500' } });
    req.on('error', () => {});
    req.end(chatBody);
    setTimeout(() => req.destroy(), 20);
    const spans = await otel.waitForSpans(2);
    const destroyed = spans.find((s) => s.attributes['http.response.status_code'] === undefined);
    expect(destroyed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(destroyed?.attributes['error.type']).toBe('ECONNRESET');
  });

  it('ends the span of a body that is never read after the timeout', async () => {
    other = await startHttpServer((req, res) => {
      req.resume();
      res.setHeader('x-request-id', 'req_unread');
      res.end(Buffer.alloc(4 * 1024 * 1024, 0x20));
    });
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [other.origin], unfinishedResponseTimeoutMs: 100 });
    let response: http.IncomingMessage | undefined;
    const req = http.request(`${other.origin}/v1/chat/completions`, { method: 'POST', headers }, (res) => (response = res));
    req.end(chatBody);
    const [span] = await otel.waitForSpans(1, 3_000);
    expect(span!.attributes['openai.request.id']).toBe('req_unread');
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    response?.destroy();
  });

  it('reads the target of a request sent through a forward proxy from its absolute URL', async () => {
    // The "proxy" answers itself, as OpenAI would: what matters is what the client asked for.
    other = await startHttpServer((req, res) => {
      req.resume();
      res.setHeader('x-request-id', 'req_proxied');
      res.end('{}');
    });
    sim = await startSimulator();
    otel = setupOtel({ endpoints: [{ url: 'http://llm.internal.test/v1', provider: 'vllm' }] });
    await send(other.origin, { path: 'http://llm.internal.test/v1/chat/completions?api-key=secret-in-query' });
    const [span] = await otel.waitForSpans(1);
    expect(span!.attributes).toMatchObject({
      'gen_ai.provider.name': 'vllm',
      'server.address': 'llm.internal.test',
      'server.port': 80,
      'url.full': 'http://llm.internal.test/v1/chat/completions?api-key=REDACTED',
      'openai.request.id': 'req_proxied',
    });
  });

  it('sends traceparent only when propagateTraceContext is on, and leaves WebSocket upgrades alone', async () => {
    const seen: Array<string | undefined> = [];
    other = await startHttpServer((req, res) => {
      seen.push(req.headers['traceparent'] as string | undefined);
      req.resume();
      res.end('{}');
    });
    sim = await startSimulator();
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    otel = setupOtel({ endpoints: [other.origin] });
    const tracer = otel.tracerProvider.getTracer('test');
    await tracer.startActiveSpan('parent', async (parent) => {
      await send(`${other!.origin}/v1/embeddings`, {});
      otel.instrumentation.setConfig({ endpoints: [other!.origin], propagateTraceContext: true });
      await send(`${other!.origin}/v1/embeddings`, {});
      parent.end();
    });
    const spans = await otel.waitForSpans(3);
    expect(seen[0]).toBeUndefined();
    const injected = spans.find((s) => s.name === 'embeddings' && seen[1]?.includes(s.spanContext().spanId));
    expect(injected?.parentSpanContext?.spanId).toBe(spans.find((s) => s.name === 'parent')!.spanContext().spanId);

    const upgrade = http.request(`${other.origin}/v1/realtime`, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    upgrade.on('error', () => {});
    upgrade.end();
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    upgrade.destroy();
  });
});
