import { describe, expect, it } from 'vitest';
import { createResponseBodyReader, MAX_DOCUMENT_BYTES, TAIL_BYTES } from '../../../../src/openai/response-body/index.ts';
import { chatStream } from './bodies.ts';
import { chunksOf, ENCODINGS } from './encodings.ts';

describe('response body reader: what one in-flight reader holds (the README states it)', () => {
  it('a JSON body: its decoded bytes up to the cap, then only the tail window more', () => {
    const reader = createResponseBodyReader({ contentType: 'application/json', contentEncoding: undefined, statusCode: 200 })!;
    reader.push(Buffer.from('{"model":"m","data":"'));
    const filler = Buffer.alloc(64 * 1024, 0x78);
    for (let i = 0; i < 64; i++) {
      reader.push(filler);
      expect(reader.heldBytes).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES + TAIL_BYTES);
    }
    reader.push(Buffer.from('","usage":{"prompt_tokens":3}}'));
    expect(reader.finish()).toEqual({ responseModel: 'm', inputTokens: 3 });
    expect(reader.heldBytes).toBe(0);
  });

  it('a stream: the event being read and a cut line, not the stream so far, compressed or not', () => {
    for (const encoding of [ENCODINGS[0]!, ENCODINGS[1]!]) {
      const reader = createResponseBodyReader({ contentType: 'text/event-stream', contentEncoding: encoding.header, statusCode: 200 })!;
      const wire = encoding.encode(Buffer.from(chatStream(2000, true)));
      expect(wire.length).toBeGreaterThan(encoding.header === undefined ? 64 * 1024 : 0);
      for (const chunk of chunksOf(wire, 1000)) {
        reader.push(chunk);
        expect(reader.heldBytes, encoding.name).toBeLessThan(4 * 1024);
      }
      expect(reader.finish(), encoding.name).toMatchObject({ outputTokens: 2000 });
    }
  });
});
