import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { readCorpus } from './normalise.ts';
import { replayCorpus, sendWithFetch } from './replay.ts';

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
  let previous: string | undefined;
  const shapes = new Set<string>();
  // Only the replay's answers: the runtime probe makes a plain HTTP/1 call of its own.
  const onHeaders = (message: unknown): void => {
    const { request, response } = message as { request: { origin?: unknown }; response: { headers: unknown } };
    if (String(request.origin).startsWith('https:')) shapes.add(Array.isArray(response.headers) ? 'HTTP/1 array' : 'HTTP/2 object');
  };
  beforeAll(() => {
    previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  });
  afterAll(() => {
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
    if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
    expect([...shapes]).toEqual(['HTTP/2 object']);
  });

  replayCorpus(readCorpus(), sendWithFetch, tls);
});
