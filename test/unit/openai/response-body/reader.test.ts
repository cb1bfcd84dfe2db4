import { describe, expect, it } from 'vitest';
import { createResponseBodyReader } from '../../../../src/openai/response-body/index.ts';
import { CASES } from './bodies.ts';
import { chunksOf, ENCODINGS } from './encodings.ts';
import { read } from './read.ts';

describe('response body reader: every API, every encoding', () => {
  for (const body of CASES) {
    for (const encoding of ENCODINGS) {
      it(`reads ${body.name}, ${encoding.name}, whole and byte by byte`, () => {
        const wire = encoding.encode(Buffer.from(body.body));
        expect(read([wire], body.contentType, encoding.header, body.status)).toEqual(body.fields);
        expect(read(chunksOf(wire, 1), body.contentType, encoding.header, body.status)).toEqual(body.fields);
      });
    }
  }
});

describe('response body reader: which responses it reads', () => {
  it('reads JSON, +json and event streams, whatever the parameters and case', () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/problem+json', 'text/event-stream;charset=UTF-8']) {
      expect(createResponseBodyReader({ contentType: type, contentEncoding: undefined, statusCode: 200 }), type).toBeDefined();
    }
  });

  it('gives no reader for other content types, a missing one, or an encoding it cannot undo', () => {
    for (const [type, encoding] of [
      ['text/plain', undefined],
      ['audio/mpeg', undefined],
      [undefined, undefined],
      ['application/json', 'compress'],
      ['application/json', 'gzip, br'],
    ] as const) {
      expect(createResponseBodyReader({ contentType: type, contentEncoding: encoding, statusCode: 200 }), `${type} ${encoding}`).toBeUndefined();
    }
  });

  it('treats identity, an empty encoding and x-gzip like what they are', () => {
    const body = Buffer.from('{"model":"m"}');
    expect(read([body], 'application/json', 'identity')).toEqual({ responseModel: 'm' });
    expect(read([body], 'application/json', ' ')).toEqual({ responseModel: 'm' });
    expect(read([ENCODINGS[1]!.encode(body)], 'application/json', 'X-Gzip')).toEqual({ responseModel: 'm' });
  });
});

describe('response body reader: lifecycle', () => {
  it('returns nothing from a second finish and ignores pushes after finish', () => {
    const reader = createResponseBodyReader({ contentType: 'application/json', contentEncoding: undefined, statusCode: 200 })!;
    reader.push(Buffer.from('{"model":"m"}'));
    expect(reader.finish()).toEqual({ responseModel: 'm' });
    reader.push(Buffer.from('{"model":"x"}'));
    expect(reader.finish()).toEqual({});
  });

  it('gives a decompressor back in a state the next body can use, even after a cut-off body', () => {
    for (const encoding of ENCODINGS.filter((e) => e.header !== undefined)) {
      const wire = encoding.encode(Buffer.from(CASES[0]!.body));
      for (let round = 0; round < 6; round++) {
        // A truncated body leaves the decompressor mid-stream; then a whole one must still read right.
        expect(read([wire.subarray(0, wire.length >> 1)], 'application/json', encoding.header), encoding.name).toEqual({});
        expect(read([wire], 'application/json', encoding.header), encoding.name).toEqual(CASES[0]!.fields);
      }
    }
  });

  it('reads interleaved bodies independently', () => {
    const a = createResponseBodyReader({ contentType: 'application/json', contentEncoding: 'gzip', statusCode: 200 })!;
    const b = createResponseBodyReader({ contentType: 'application/json', contentEncoding: 'gzip', statusCode: 200 })!;
    const wa = chunksOf(ENCODINGS[1]!.encode(Buffer.from('{"model":"a","id":"1"}')), 3);
    const wb = chunksOf(ENCODINGS[1]!.encode(Buffer.from('{"model":"b","id":"2"}')), 3);
    for (let i = 0; i < Math.max(wa.length, wb.length); i++) {
      if (wa[i]) a.push(wa[i]!);
      if (wb[i]) b.push(wb[i]!);
    }
    expect(b.finish()).toEqual({ responseModel: 'b', responseId: '2' });
    expect(a.finish()).toEqual({ responseModel: 'a', responseId: '1' });
  });

  it('accepts plain Uint8Arrays as well as Buffers', () => {
    expect(read([new TextEncoder().encode('{"model":"m"}')], 'application/json', undefined)).toEqual({ responseModel: 'm' });
  });
});

describe('response body reader: chunk types', () => {
  it('reads an event stream handed over as plain Uint8Arrays', () => {
    const text = 'data: {"model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n'.repeat(3);
    const chunks = [text.slice(0, 50), text.slice(50)].map((t) => new TextEncoder().encode(t));
    expect(read(chunks, 'text/event-stream', undefined)).toEqual({ responseModel: 'm' });
  });
});

describe('response body reader: the first data event', () => {
  it('counts data events only: keep-alive comments and blank lines are not data', () => {
    const reader = createResponseBodyReader({ contentType: 'text/event-stream', contentEncoding: undefined, statusCode: 200 })!;
    const seen = [': keep-alive\n\n', '\n', ': keep-alive\n', '\n', 'data: {"id":"chatcmpl-1"}\n\n', 'data: [DONE]\n\n'].map((text) => {
      reader.push(Buffer.from(text));
      return reader.dataEvents;
    });
    expect(seen).toEqual([0, 0, 0, 0, 1, 1]);
    expect(reader.finish()).toEqual({ responseId: 'chatcmpl-1' });
  });

  it('sees the first data event of a compressed stream once it is decoded', async () => {
    const { gzipSync } = await import('node:zlib');
    const reader = createResponseBodyReader({ contentType: 'text/event-stream', contentEncoding: 'gzip', statusCode: 200 })!;
    reader.push(gzipSync(': keep-alive\n\ndata: {"id":"chatcmpl-1"}\n\n'));
    expect(reader.dataEvents).toBe(1);
  });
});
