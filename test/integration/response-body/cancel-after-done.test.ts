import zlib from 'node:zlib';
import OpenAI from 'openai';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setupOtel, type TestOtel } from '../../helpers/otel.ts';
import { startHttpServer, type TestServer } from '../../helpers/http-server.ts';
import { bundledUndiciHasBodyChunks } from '../../helpers/runtime.ts';

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const last = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;

/**
 * A server that sends `data: [DONE]` and then holds the connection open: the openai SDK stops
 * reading at [DONE] and cancels the body, so the request ends in an abort, not in trailers.
 * Over a compressed body the marker is only visible once decoded.
 */
async function startDoneThenHoldServer(encoding: 'gzip' | 'br' | 'identity'): Promise<TestServer> {
  return startHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }), 'x-request-id': 'req_1' });
      const events = [chunk('Hel'), chunk('lo'), last, 'data: [DONE]\n\n'];
      if (encoding === 'identity') {
        for (const event of events) res.write(event);
        return;
      }
      const compressor = encoding === 'gzip' ? zlib.createGzip() : zlib.createBrotliCompress();
      compressor.on('data', (data: Buffer) => res.write(data));
      for (const event of events) compressor.write(event);
      compressor.flush();
      // Never ended: the client has all it needs and cancels.
    });
  });
}

describe.runIf(bundledUndiciHasBodyChunks())('a stream the client cancels after data: [DONE]', () => {
  let server: TestServer;
  let otel: TestOtel;
  afterEach(async () => {
    await otel.shutdown();
    await server.close();
  });

  for (const encoding of ['identity', 'gzip', 'br'] as const) {
    it(`completed the call (${encoding} body): no error status, no error.type`, async () => {
      server = await startDoneThenHoldServer(encoding);
      otel = setupOtel({ endpoints: [server.origin] });
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.origin, maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
      let text = '';
      for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hello');
      const [span] = await otel.waitForSpans(1);
      expect(span!.attributes['error.type']).toBeUndefined();
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
      expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    });
  }
});
