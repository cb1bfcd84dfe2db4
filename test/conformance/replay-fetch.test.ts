import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from './normalise.ts';
import { expectConformingSpan, startReplay, type Replay } from './replay.ts';

const corpus = readCorpus();

describe('recorded live traffic, replayed through global fetch', () => {
  let replay: Replay;
  beforeAll(async () => {
    replay = await startReplay();
  });
  afterAll(async () => {
    expect(replay.server.mismatches).toEqual([]);
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
