import { afterEach, describe, expect, it } from 'vitest';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';

describe('smoke', () => {
  let otel: TestOtel;
  let server: TestServer;
  afterEach(async () => {
    await otel?.shutdown();
    await server?.close();
  });

  it('makes a span for a fetch to an endpoint from config', async () => {
    server = await startHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('x-request-id', 'req_abc');
        res.setHeader('x-ratelimit-reset-requests', '1m26.4s');
        res.setHeader('x-ratelimit-remaining-tokens', '1999750');
        res.end('{}');
      });
    });
    otel = setupOtel({ endpoints: [`${server.origin}/v1`] });
    const res = await fetch(`${server.origin}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o', messages: [] }) });
    await res.text();
    const [span] = await otel.waitForSpans(1);
    console.log(span!.name, span!.attributes, span!.duration, span!.startTime);
    expect(span!.attributes['openai.request.id']).toBe('req_abc');
  });
});
