import { request } from 'node:http';
import * as zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_ZSTD, negotiateEncoding } from '../../simulator/compression.ts';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { CHAT, post } from './post.ts';
import { decode, rawPost, ssePayloads } from './raw.ts';

describe('accept-encoding negotiation', () => {
  it('prefers br, then zstd (where Node has it), gzip, deflate, honouring q-values and *', () => {
    expect(negotiateEncoding('gzip, deflate')).toBe('gzip');
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('deflate')).toBe('deflate');
    expect(negotiateEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip;q=0, deflate;q=0.1')).toBe('deflate');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('zstd')).toBe(HAS_ZSTD ? 'zstd' : 'identity');
    expect(negotiateEncoding('identity')).toBe('identity');
    expect(negotiateEncoding('compress, x-foo')).toBe('identity');
    expect(negotiateEncoding(undefined)).toBe('identity');
    expect(negotiateEncoding('')).toBe('identity');
  });
});

describe('compressed bodies', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  const encodings = ['gzip', 'deflate', 'br', ...(HAS_ZSTD ? ['zstd'] : [])];

  it.each(encodings)('a JSON answer comes %s-encoded with content-encoding, vary and its compressed length', async (encoding) => {
    sim = await startSimulator();
    const response = await rawPost(sim, '/chat/completions', CHAT, { 'accept-encoding': encoding });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['vary']).toBe('accept-encoding');
    expect(response.headers['content-length']).toBe(String(response.body.length));
    expect(JSON.parse(decode(encoding, response.body))).toMatchObject({ object: 'chat.completion' });
  });

  it.each(encodings)('an SSE stream comes %s-encoded and decodes to every event', async (encoding) => {
    sim = await startSimulator();
    const response = await rawPost(sim, '/chat/completions', { ...CHAT, stream: true, stream_options: { include_usage: true } }, { 'accept-encoding': encoding });
    expect(response.headers['content-encoding']).toBe(encoding);
    const text = decode(encoding, response.body);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    // A role chunk, five content chunks, the finish_reason chunk, the usage chunk.
    expect(ssePayloads(text).map((payload) => JSON.parse(payload) as unknown)).toHaveLength(8);
  });

  it('error bodies are compressed too', async () => {
    sim = await startSimulator();
    const response = await rawPost(sim, '/chat/completions', CHAT, { 'accept-encoding': 'gzip', 'x-simulator-error': 'insufficient_quota' });
    expect(response.status).toBe(429);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode('gzip', response.body))).toMatchObject({ error: { code: 'insufficient_quota' } });
  });

  it('sends identity when the client accepts no encoding, and when compression is off', async () => {
    sim = await startSimulator();
    const plain = await rawPost(sim, '/chat/completions', CHAT);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('accept-encoding');
    expect(JSON.parse(plain.body.toString())).toMatchObject({ object: 'chat.completion' });
    await sim.close();
    sim = await startSimulator({ compression: false });
    const off = await rawPost(sim, '/chat/completions', CHAT, { 'accept-encoding': 'gzip, br' });
    expect(off.headers['content-encoding']).toBeUndefined();
    expect(off.headers['vary']).toBeUndefined();
    expect(JSON.parse(off.body.toString())).toMatchObject({ object: 'chat.completion' });
  });

  it('x-simulator-encoding forces an encoding, even with compression off or nothing accepted', async () => {
    sim = await startSimulator({ compression: false });
    const forced = await rawPost(sim, '/chat/completions', CHAT, { 'x-simulator-encoding': 'br' });
    expect(forced.headers['content-encoding']).toBe('br');
    expect(JSON.parse(decode('br', forced.body))).toMatchObject({ object: 'chat.completion' });
    const identity = await rawPost(sim, '/chat/completions', CHAT, { 'accept-encoding': 'gzip', 'x-simulator-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
  });

  it("fetch decodes what it asked for (gzip, deflate) transparently", async () => {
    sim = await startSimulator();
    const response = await post(sim, '/chat/completions', CHAT);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
  });

  it('a multi-MB embeddings body compresses and decodes whole', async () => {
    sim = await startSimulator();
    const input = Array.from({ length: 100 }, (_, i) => `document number ${i}`);
    const response = await rawPost(sim, '/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'float' }, { 'accept-encoding': 'gzip' });
    const text = decode('gzip', response.body);
    expect(text.length).toBeGreaterThan(2_000_000);
    expect(response.body.length).toBeLessThan(text.length);
    const list = JSON.parse(text) as { data: { embedding: number[] }[] };
    expect(list.data).toHaveLength(100);
    expect(list.data[0]?.embedding).toHaveLength(1536);
  });

  it.each(encodings)('each %s-compressed SSE event reaches the client on its own, decodable before the next', async (encoding) => {
    sim = await startSimulator({ streamChunkDelayMs: 150 });
    const first = await new Promise<string>((resolve, reject) => {
      const req = request(`${sim.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json', 'accept-encoding': encoding },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        // Decodes the wire bytes as they come; the first event must decode before the second is sent.
        const decoder =
          encoding === 'gzip' ? zlib.createGunzip()
          : encoding === 'deflate' ? zlib.createInflate()
          : encoding === 'br' ? zlib.createBrotliDecompress()
          : (zlib as unknown as { createZstdDecompress(): zlib.Gunzip }).createZstdDecompress();
        res.pipe(decoder);
        decoder.once('data', (chunk: Buffer) => {
          resolve(chunk.toString());
          res.destroy();
        });
      });
      req.end(JSON.stringify({ ...CHAT, stream: true }));
    });
    expect(first.startsWith('data: {')).toBe(true);
    expect(first.endsWith('\n\n')).toBe(true);
    expect(ssePayloads(first)).toHaveLength(1);
  });
});
