import zlib from 'node:zlib';
import { request } from 'undici';
import { describe, expect } from 'vitest';
import type { Simulator } from '../../../simulator/index.ts';
import { bodyAttributes, expectedFromDocuments } from '../../helpers/body-oracle.ts';
import { publishesBodyChunksReceived } from '../../helpers/runtime.ts';
import { simTest as it } from '../../helpers/sim-test.ts';

/** npm undici: `request` hands the raw, still compressed body to the app (it never decodes). */
const readable = await publishesBodyChunksReceived(async (url) => {
  await (await request(url)).body.text();
});

const DECODE: Record<string, (b: Buffer) => Buffer> = {
  gzip: zlib.gunzipSync,
  deflate: zlib.inflateSync,
  br: zlib.brotliDecompressSync,
  identity: (b) => b,
};
const zstd = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
if (zstd !== undefined) DECODE['zstd'] = zstd;

async function call(sim: Simulator, encoding: string, body: Record<string, unknown>): Promise<string> {
  const res = await request(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', 'x-simulator-encoding': encoding },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  expect(res.headers['content-encoding'] ?? 'identity').toBe(encoding);
  return DECODE[encoding]!(Buffer.from(await res.body.arrayBuffer())).toString('utf8');
}

describe.runIf(readable)('undici.request: the response body on the span, in every encoding', () => {
  it('reads JSON and event streams, compressed or not, as the app receives them', async ({ sim, otel }) => {
    const encodings = Object.keys(DECODE);
    const expected: Array<Record<string, unknown>> = [];
    for (const encoding of encodings) {
      expected.push(expectedFromDocuments([JSON.parse(await call(sim, encoding, {})) as unknown]));
      const text = await call(sim, encoding, { stream: true, stream_options: { include_usage: true } });
      const docs = text
        .split('\n')
        .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
        .map((l) => JSON.parse(l.slice(6)) as unknown);
      expected.push(expectedFromDocuments(docs));
    }
    const spans = await otel.waitForSpans(expected.length);
    spans.forEach((span, i) => {
      expect(expected[i]!['gen_ai.usage.input_tokens'], `call ${i}`).toBeDefined();
      expect(bodyAttributes(span.attributes), `${encodings[i >> 1]} ${i % 2 ? 'stream' : 'json'}`).toEqual(expected[i]);
    });
  });
});
