import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus, type Exchange } from './normalise.ts';
import { expectConformingSpan, startReplay, type Replay } from './replay.ts';

const corpus = readCorpus().filter((e) => e.kind.startsWith('chat') || e.kind.startsWith('responses'));

/** The official client, pointed at the replay server so it sends the recorded path and query. */
function clientFor(exchange: Exchange, origin: string): OpenAI {
  const [pathname = '', query = ''] = exchange.request.path.split('?');
  return new OpenAI({
    apiKey: 'sk-replay',
    baseURL: origin + pathname.replace(/\/(chat\/completions|responses)$/, ''),
    defaultQuery: Object.fromEntries(new URLSearchParams(query)),
    maxRetries: 0,
  });
}

/** Makes the recorded call the way an app does, reading a stream to its end. */
async function call(exchange: Exchange, client: OpenAI): Promise<void> {
  const params = JSON.parse(exchange.request.body) as Record<string, unknown>;
  const result: unknown = exchange.kind.startsWith('chat')
    ? await client.chat.completions.create(params as never)
    : await client.responses.create(params as never);
  if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
    for await (const _ of result as AsyncIterable<unknown>);
  }
}

describe('recorded live traffic, replayed through the openai SDK', () => {
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
    const outcome = await call(exchange, clientFor(exchange, replay.server.origin)).then(
      () => 'ok',
      (error: unknown) => (error instanceof OpenAI.APIError ? error.status : error),
    );
    expect(outcome).toBe(exchange.response.status >= 400 ? exchange.response.status : 'ok');
    expectConformingSpan(await replay.span(), exchange, replay.context(exchange));
  });
});
