import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/index.ts';
import { bodyAttributes, expectedFromDocuments } from '../../helpers/body-oracle.ts';
import { setupOtel, type TestOtel } from '../../helpers/otel.ts';

const tls = {
  key: readFileSync(new URL('../../fixtures/localhost-key.pem', import.meta.url)),
  cert: readFileSync(new URL('../../fixtures/localhost-cert.pem', import.meta.url)),
};

/**
 * Over HTTP/2 (Node 26's global fetch over TLS, or npm undici with allowH2) undici hands the
 * response headers as an object: content-type and content-encoding must still reach the body
 * reader, and the body attributes must be the same as over HTTP/1.
 */
describe('HTTP/2: the response body, with headers as an object', () => {
  let sim: Simulator;
  let otel: TestOtel;
  const shapes: string[] = [];
  const onHeaders = (message: unknown): void => {
    const headers = (message as { response: { headers: unknown } }).response.headers;
    shapes.push(Array.isArray(headers) ? 'array' : 'object');
  };
  beforeAll(async () => {
    sim = await startSimulator({ tls });
    otel = setupOtel({ endpoints: [sim.url] });
    diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  });
  afterAll(async () => {
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
    await otel.shutdown();
    await sim.close();
  });

  it('reads a compressed JSON body and a compressed event stream', async () => {
    const dispatcher = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
    const call = (extra: Record<string, unknown>): Promise<Response> =>
      undiciFetch(`${sim.url}/chat/completions`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra }),
      }) as unknown as Promise<Response>;
    const json = await call({});
    expect(json.headers.get('content-encoding')).not.toBeNull();
    const doc: unknown = await json.json();
    const text = await (await call({ stream: true, stream_options: { include_usage: true } })).text();
    const events = text
      .split('\n')
      .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
      .map((l) => JSON.parse(l.slice(6)) as unknown);
    const [plain, streamed] = await otel.waitForSpans(2);
    expect(shapes).toEqual(['object', 'object']);
    for (const [span, docs] of [[plain!, [doc]], [streamed!, events]] as const) {
      const expected = expectedFromDocuments(docs);
      expect(expected['gen_ai.usage.input_tokens']).toBeDefined();
      expect(bodyAttributes(span.attributes)).toEqual(expected);
    }
    expect(streamed!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    await dispatcher.close();
  });
});
