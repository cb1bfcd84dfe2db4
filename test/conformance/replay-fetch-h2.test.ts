import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from './normalise.ts';
import { expectConformingSpan, expectSaneMetrics, startReplay, type Replay } from './replay.ts';

const corpus = readCorpus();
const tls = {
  key: readFileSync(new URL('../fixtures/localhost-key.pem', import.meta.url)),
  cert: readFileSync(new URL('../fixtures/localhost-cert.pem', import.meta.url)),
};
const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * Node 26's global fetch speaks HTTP/2 to a TLS server that offers it, as api.openai.com does:
 * undici then hands the response headers over as an object, repeated values joined, and every
 * recorded exchange must give the same span as over HTTP/1.
 */
describe.runIf(nodeMajor >= 26)('recorded live traffic, replayed through global fetch over HTTP/2 and TLS', () => {
  let replay: Replay;
  let previous: string | undefined;
  const shapes = new Set<string>();
  const onHeaders = (message: unknown): void => {
    const headers = (message as { response: { headers: unknown } }).response.headers;
    shapes.add(Array.isArray(headers) ? 'HTTP/1 array' : 'HTTP/2 object');
  };
  beforeAll(async () => {
    replay = await startReplay(tls);
    previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  });
  afterAll(async () => {
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
    if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
    expect(replay.server.mismatches).toEqual([]);
    await expectSaneMetrics(replay);
    expect([...shapes]).toEqual(['HTTP/2 object']);
    await replay.close();
  });

  for (const exchange of corpus) it(`${exchange.id} gives the span the recording and the README call for`, async () => {
    replay.server.serve(exchange);
    const response = await fetch(`${replay.server.origin}${exchange.request.path}`, {
      method: exchange.request.method,
      headers: { 'content-type': 'application/json' },
      body: exchange.request.body,
    });
    await response.text();
    expect(response.status).toBe(exchange.response.status);
    expectConformingSpan(await replay.span(), exchange, replay.context(exchange));
  });
});
