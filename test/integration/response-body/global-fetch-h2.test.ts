import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/index.ts';
import { bodyAttributes, expectedFromDocuments } from '../../helpers/body-oracle.ts';
import { setupOtel, type TestOtel } from '../../helpers/otel.ts';

const tls = {
  key: readFileSync(new URL('../../fixtures/localhost-key.pem', import.meta.url)),
  cert: readFileSync(new URL('../../fixtures/localhost-cert.pem', import.meta.url)),
};
const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * Node 26's global fetch speaks HTTP/2 over TLS and asks for br: the openai SDK's streamed
 * chat must give the same body attributes as over HTTP/1. (No npm undici in this file: it
 * would become the global dispatcher.)
 */
describe.runIf(nodeMajor >= 26)('Node 26 global fetch over HTTP/2 and TLS', () => {
  let sim: Simulator;
  let otel: TestOtel;
  let previous: string | undefined;
  const shapes: string[] = [];
  const onHeaders = (message: unknown): void => {
    const headers = (message as { response: { headers: unknown } }).response.headers;
    shapes.push(Array.isArray(headers) ? 'array' : 'object');
  };
  beforeAll(async () => {
    sim = await startSimulator({ tls });
    otel = setupOtel({ endpoints: [sim.url] });
    previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  });
  afterAll(async () => {
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
    if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
    await otel.shutdown();
    await sim.close();
  });

  it('gives every body attribute of a streamed chat with include_usage', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.url, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const [span] = await otel.waitForSpans(1);
    expect(shapes).toEqual(['object']);
    const expected = expectedFromDocuments(chunks);
    expect(expected['gen_ai.usage.output_tokens']).toBeDefined();
    expect(bodyAttributes(span!.attributes)).toEqual(expected);
    expect(span!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
  });
});
