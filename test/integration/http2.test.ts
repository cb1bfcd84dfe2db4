import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

const tls = {
  key: readFileSync(new URL('../fixtures/localhost-key.pem', import.meta.url)),
  cert: readFileSync(new URL('../fixtures/localhost-cert.pem', import.meta.url)),
};
const nodeMajor = Number(process.versions.node.split('.')[0]);

/** The documented attributes that come from response headers: they must survive HTTP/2's header object. */
const HEADER_ATTRIBUTES = [
  'openai.request.id',
  'openai.organization',
  'openai.project',
  'openai.version',
  'openai.processing_ms',
  'openai.ratelimit.requests.limit',
  'openai.ratelimit.requests.remaining',
  'openai.ratelimit.requests.reset',
  'openai.ratelimit.tokens.limit',
  'openai.ratelimit.tokens.remaining',
  'openai.ratelimit.tokens.reset',
];

describe('HTTP/2', () => {
  let sim: Simulator;
  let otel: TestOtel;
  const headerShapes: string[] = [];
  const onHeaders = (message: unknown): void => {
    const headers = (message as { response: { headers: unknown } }).response.headers;
    headerShapes.push(Array.isArray(headers) ? 'array' : 'object');
  };
  beforeAll(async () => {
    sim = await startSimulator({ tls });
    diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  });
  afterAll(async () => {
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
    await sim.close();
  });
  /** A chat completion through undici's fetch on an HTTP/2-capable dispatcher. */
  const chatOverH2 = (dispatcher: Agent, extra: Record<string, unknown>) =>
    undiciFetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      dispatcher,
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra }),
    });
  afterEach(async () => {
    headerShapes.length = 0;
    await otel.shutdown();
  });

  it('keeps every header attribute when undici hands headers as an object (Agent with allowH2)', async () => {
    otel = setupOtel({ endpoints: [sim.url] });
    const dispatcher = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
    await (await chatOverH2(dispatcher, {})).json();
    const [span] = await otel.waitForSpans(1);
    await dispatcher.close();
    expect(headerShapes).toEqual(['object']);
    for (const key of HEADER_ATTRIBUTES) expect(span!.attributes[key], key).toBeDefined();
    expect(span!.name).toBe('chat gpt-4o');
    expect(span!.attributes['http.response.status_code']).toBe(200);
  });

  it('ends a streamed HTTP/2 completion when the stream ends', async () => {
    otel = setupOtel({ endpoints: [sim.url] });
    const dispatcher = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
    const res = await chatOverH2(dispatcher, { stream: true });
    const text = await res.text();
    expect(text).toContain('data: [DONE]');
    const [span] = await otel.waitForSpans(1);
    await dispatcher.close();
    expect(span!.status.code).toBe(0);
    expect(span!.attributes['openai.ratelimit.tokens.remaining']).toBeTypeOf('number');
  });

  it.runIf(nodeMajor >= 26)('keeps every header attribute with global fetch, which speaks HTTP/2 on Node 26', async () => {
    otel = setupOtel({ endpoints: [sim.url] });
    const previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    try {
      const res = await fetch(`${sim.url}/embeddings`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'text-embedding-3-small', input: 'hi' }),
      });
      await res.json();
    } finally {
      if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
      else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
    }
    const [span] = await otel.waitForSpans(1);
    expect(headerShapes).toEqual(['object']);
    for (const key of HEADER_ATTRIBUTES) expect(span!.attributes[key], key).toBeDefined();
    expect(span!.name).toBe('embeddings text-embedding-3-small');
  });
});
