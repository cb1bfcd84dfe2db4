import OpenAI from 'openai';
import { describe } from 'vitest';
import { readCorpus, type Exchange } from './normalise.ts';
import { replayCorpus } from './replay.ts';

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
async function sendWithSdk(exchange: Exchange, origin: string): Promise<number> {
  const client = clientFor(exchange, origin);
  const params = JSON.parse(exchange.request.body) as never;
  try {
    const { data, response } = exchange.kind.startsWith('chat')
      ? await client.chat.completions.create(params).withResponse()
      : await client.responses.create(params).withResponse();
    if (data !== null && typeof data === 'object' && Symbol.asyncIterator in data) {
      for await (const _ of data as AsyncIterable<unknown>);
    }
    return response.status;
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) return error.status;
    throw error;
  }
}

describe('recorded live traffic, replayed through the openai SDK', () => {
  replayCorpus(
    readCorpus().filter((e) => e.kind.startsWith('chat') || e.kind.startsWith('responses')),
    sendWithSdk,
  );
});
