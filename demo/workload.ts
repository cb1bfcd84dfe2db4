import OpenAI from 'openai';

/**
 * What a typical app does with the official SDK: a chat, a streamed chat, embeddings, then a
 * burst of parallel calls that runs into the rate limit and rides it out on the SDK's retries.
 * Given `dryClient` (a key whose credit has run out), one call with it shows the other 429:
 * `insufficient_quota`, which no retry fixes.
 */
export async function runWorkload(
  client: OpenAI,
  options: { model: string; burst: number; log: (line: string) => void; dryClient?: OpenAI },
): Promise<void> {
  const { model, burst, log, dryClient } = options;
  const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 20 });
  log(`chat: ${chat.choices[0]?.message.content ?? ''}`);

  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Count to five.' }],
    max_tokens: 40,
    stream: true,
    stream_options: { include_usage: true },
  });
  let streamed = '';
  for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
  log(`streamed chat: ${streamed}`);

  const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['rate limits', 'observability'] });
  log(`embeddings: ${embedding.data.length} vectors of ${embedding.data[0]?.embedding.length ?? 0} dimensions`);

  const results = await Promise.allSettled(
    Array.from({ length: burst }, (_, i) =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: `Burst request ${i}` }], max_tokens: 20 }),
    ),
  );
  const failed = results.filter((r) => r.status === 'rejected').length;
  log(`burst: ${burst - failed}/${burst} calls succeeded (429 rate_limit_exceeded: wait, and the SDK's retries got through)`);

  if (dryClient !== undefined) {
    try {
      await dryClient.chat.completions.create({ model, messages: [{ role: 'user', content: 'Anyone there?' }], max_tokens: 20 });
      log('insufficient_quota: the call succeeded (the key still has credit)');
    } catch (error) {
      const code = error instanceof OpenAI.APIError ? `${String(error.status)} ${String(error.code)}` : String(error);
      log(`insufficient_quota: ${code}: also a 429, but the credit ran out: waiting will not help, only paying will (openai.error.code tells the two apart)`);
    }
  }
}
