import { describe, expect } from 'vitest';
import type { Simulator } from '../../../simulator/index.ts';
import { bodyAttributes, expectedFromDocuments } from '../../helpers/body-oracle.ts';
import { publishesBodyChunksReceived } from '../../helpers/runtime.ts';
import { simTest as it } from '../../helpers/sim-test.ts';

const readable = await publishesBodyChunksReceived();
const chat = (extra: Record<string, unknown> = {}): string => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });
const post = (sim: Simulator, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${sim.url}/chat/completions`, { method: 'POST', body, headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers } });

/** The `data:` payloads of a server-sent event stream, parsed, `[DONE]` left out. */
function events(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as unknown);
}

describe.runIf(readable)('plain fetch: the response body on the span, compressed as the simulator sends it', () => {
  it('reads a JSON body compressed the way fetch asked (gzip), and in every other encoding', async ({ sim, otel }) => {
    const encodings = ['default', 'gzip', 'deflate', 'br', 'identity'];
    const docs: unknown[] = [];
    const sent: Array<string | null> = [];
    for (const encoding of encodings) {
      const res = await post(sim, chat(), encoding === 'default' ? {} : { 'x-simulator-encoding': encoding });
      sent.push(res.headers.get('content-encoding'));
      docs.push(await res.json());
    }
    expect(sent).toEqual(['gzip', 'gzip', 'deflate', 'br', null]);
    const spans = await otel.waitForSpans(encodings.length);
    spans.forEach((span, i) => {
      const expected = expectedFromDocuments([docs[i]]);
      expect(expected['gen_ai.usage.input_tokens']).toBeDefined();
      expect(bodyAttributes(span.attributes), encodings[i]).toEqual(expected);
    });
  });

  it('reads a compressed event stream with include_usage, and its time to first chunk', async ({ sim, otel }) => {
    const res = await post(sim, chat({ stream: true, stream_options: { include_usage: true } }));
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const docs = events(await res.text());
    const [span] = await otel.waitForSpans(1);
    const expected = expectedFromDocuments(docs);
    expect(expected['gen_ai.usage.output_tokens']).toBeDefined();
    expect(bodyAttributes(span!.attributes)).toEqual(expected);
    expect(span!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
  });

  it('gives no body attribute, and no error, for garbage JSON, a gzip label over plain bytes, or a stream cut mid-event', async ({ sim, otel }) => {
    for (const fault of ['garbage-json', 'mislabelled-gzip']) {
      const res = await post(sim, chat(), { 'x-simulator-fault': fault });
      await res.arrayBuffer().catch(() => undefined);
    }
    const cut = await post(sim, chat({ stream: true }), { 'x-simulator-fault': 'cut-mid-event', 'x-simulator-abort-after-chunks': '2' });
    await cut.text().catch(() => undefined);
    const spans = await otel.waitForSpans(3);
    for (const span of spans) {
      expect(bodyAttributes(span.attributes), span.attributes['url.full'] as string).toEqual({});
      expect(span.attributes['openai.api.type']).toBe('chat_completions');
      expect(span.attributes['openai.request.id']).toMatch(/^req_/);
    }
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });
});
