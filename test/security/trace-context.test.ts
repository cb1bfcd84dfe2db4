import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import axios from 'axios';
import OpenAI from 'openai';
import OpenAIv4 from 'openai-v4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

/** A provider stand-in that notes the traceparent headers each request arrived with. */
async function startRecordingServer(seen: string[][]): Promise<TestServer> {
  return startHttpServer((req, res) => {
    const values: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'traceparent') values.push(req.rawHeaders[i + 1]!);
    seen.push(values);
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end('{"object":"list","data":[]}');
  });
}

describe('trace context sent to OpenAI', () => {
  let server: TestServer;
  let otel: TestOtel;
  const seen: string[][] = [];
  beforeEach(async () => {
    seen.length = 0;
    server = await startRecordingServer(seen);
    // An app-wide propagator, as NodeSDK installs by default: only our own choice may use it.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterEach(async () => {
    propagation.disable();
    await otel.shutdown();
    await server.close();
  });

  async function callEveryClient(): Promise<void> {
    const baseURL = `${server.origin}/v1`;
    await otel.tracerProvider.getTracer('app').startActiveSpan('app work', async (parent) => {
      await (await fetch(`${baseURL}/models`)).text();
      await new OpenAI({ apiKey: 'k', baseURL, maxRetries: 0 }).models.list();
      await new OpenAIv4({ apiKey: 'k', baseURL, maxRetries: 0 }).models.list();
      await axios.get(`${baseURL}/models`);
      parent.end();
    });
  }

  it('carries no traceparent from any client by default', async () => {
    otel = setupOtel({ endpoints: [`${server.origin}/v1`] });
    await callEveryClient();
    await otel.waitForSpans(5);
    expect(seen).toEqual([[], [], [], []]);
  });

  it('carries exactly one traceparent, naming our span, from every client once propagateTraceContext is on', async () => {
    otel = setupOtel({ endpoints: [`${server.origin}/v1`], propagateTraceContext: true });
    await callEveryClient();
    const spans = await otel.waitForSpans(5);
    const ours = spans.filter((s) => s.name === 'models').map((s) => s.spanContext().spanId);
    expect(seen).toHaveLength(4);
    for (const values of seen) {
      expect(values).toHaveLength(1);
      expect(ours).toContain(values[0]!.split('-')[2]);
    }
  });
});
