import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

describe('103 Early Hints before the final response', () => {
  let server: TestServer;
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
    await server.close();
  });

  it('are skipped: fetch and node:http spans carry the final status and headers', async () => {
    server = await startHttpServer((req, res) => {
      req.resume();
      res.writeEarlyHints({ link: '</style.css>; rel=preload', 'x-request-id': 'req_hint', 'x-ratelimit-remaining-requests': '1' });
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_final', 'x-ratelimit-remaining-requests': '59' });
        res.end('{}');
      }, 10);
    });
    otel = setupOtel({ endpoints: [`${server.origin}/v1`] });
    await (await fetch(`${server.origin}/v1/chat/completions`, { method: 'POST', body: '{}' })).text();
    await new Promise<void>((resolve) =>
      http.request(`${server.origin}/v1/embeddings`, { method: 'POST' }, (r) => r.resume().on('close', resolve)).end('{}'),
    );
    const spans = await otel.waitForSpans(2);
    for (const span of spans) {
      expect(span.attributes['http.response.status_code']).toBe(200);
      expect(span.attributes['openai.request.id']).toBe('req_final');
      expect(span.attributes['openai.ratelimit.requests.remaining']).toBe(59);
    }
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
