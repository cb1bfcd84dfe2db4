import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponseBodyReader, MAX_DOCUMENT_BYTES, MAX_STREAM_BYTES, TAIL_BYTES, type ResponseBodyFields } from '../../src/openai/response-body/index.ts';
import { CASES, chatCompletion, chatStream } from '../unit/openai/response-body/bodies.ts';
import { ENCODINGS } from '../unit/openai/response-body/encodings.ts';
import { read } from '../unit/openai/response-body/read.ts';
import { document, expectedFields } from './response-body-documents.ts';

/** Cuts `buf` at the given points (any order, repeats allowed). */
function cut(buf: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    out.push(buf.subarray(from, p));
    from = p;
  }
  out.push(buf.subarray(from));
  return out;
}

/** Absent, or a value of the right type that a body could hold: never NaN, negative or oversized. */
function expectSane(f: ResponseBodyFields): void {
  for (const [key, v] of Object.entries(f)) {
    if (key === 'finishReasons') {
      expect(Array.isArray(v) && v.length > 0 && v.every((r: unknown) => typeof r === 'string')).toBe(true);
    } else if (key.endsWith('Tokens')) {
      expect(Number.isSafeInteger(v) && (v as number) >= 0, `${key}=${v}`).toBe(true);
    } else {
      expect(typeof v === 'string' && Buffer.byteLength(v) <= 256 * 4, `${key}=${v}`).toBe(true);
    }
  }
}

const cutPoints = fc.array(fc.nat(), { maxLength: 12 });

describe('response body reader: chunking never changes the result', () => {
  it('every single split point of a chat completion, an SSE stream and their gzip forms', () => {
    for (const [body, type] of [
      [chatCompletion, 'application/json'],
      [chatStream(3, true), 'text/event-stream'],
    ] as const) {
      for (const encoding of [ENCODINGS[0]!, ENCODINGS[1]!]) {
        const wire = encoding.encode(Buffer.from(body));
        const whole = read([wire], type, encoding.header);
        expect(Object.keys(whole).length).toBeGreaterThan(3);
        for (let i = 0; i <= wire.length; i++) {
          expect(read([wire.subarray(0, i), wire.subarray(i)], type, encoding.header), `${encoding.name} split at ${i}`).toEqual(whole);
        }
      }
    }
  });

  it('random chunkings of real-looking bodies, compressed or not, give the fields of the whole body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.constantFrom(...ENCODINGS), cutPoints, (body, encoding, points) => {
        const wire = encoding.encode(Buffer.from(body.body));
        expect(read(cut(wire, points), body.contentType, encoding.header, body.status)).toEqual(body.fields);
      }),
      { numRuns: 300 },
    );
  });

  it('random documents (repeated keys, nulls, wrong types, nested model/id, escapes, multi-byte text) give what JSON.parse says, however cut and encoded', () => {
    fc.assert(
      fc.property(document, fc.constantFrom(...ENCODINGS), cutPoints, ({ text, status }, encoding, points) => {
        const expected = expectedFields(text, status);
        const wire = encoding.encode(Buffer.from(text));
        expect(read(cut(wire, points), 'application/json', encoding.header, status)).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('SSE streams with any line ends, comments and unknown fields, however cut, give the fields of the plain stream', () => {
    const expected = read([Buffer.from(chatStream(4, true))], 'text/event-stream', undefined);
    fc.assert(
      fc.property(fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.constantFrom(': ping', 'event: x', 'id: 1', 'retry: 5', 'x-unknown: {"model":"no"}', 'model'), { maxLength: 3 }), fc.constantFrom(...ENCODINGS), cutPoints, (eol, extra, encoding, points) => {
        const events = chatStream(4, true).split('\n\n').filter((e) => e !== '');
        const text = events.map((e) => [...extra, e].join(eol) + eol + eol).join('');
        const wire = encoding.encode(Buffer.from(text));
        expect(read(cut(wire, points), 'text/event-stream', encoding.header)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('response body reader: streams of random documents', () => {
  it('read event by event (resuming from the shared beginning of events) or byte by byte, give the same fields', () => {
    const oneLine = document.filter(({ text }) => !text.includes('\n') && !text.includes('\r'));
    fc.assert(
      fc.property(oneLine, fc.array(fc.oneof(fc.constant(undefined), oneLine), { minLength: 1, maxLength: 6 }), fc.constantFrom(200, 429), (base, others, status) => {
        // Events repeat the base document often, as a real stream repeats its beginning.
        const events = others.map((d) => `data: ${(d ?? base).text}\n\n`);
        const wire = Buffer.from(events.join('') + 'data: [DONE]\n\n');
        const perEvent = read(events.map((e) => Buffer.from(e)), 'text/event-stream', undefined, status);
        const perByte = read(cut(wire, [...wire.keys()]), 'text/event-stream', undefined, status);
        expect(perEvent).toEqual(perByte);
        if (others.every((d) => d === undefined)) expect(perEvent).toEqual(expectedFields(base.text, status));
      }),
      { numRuns: 800 },
    );
  });
});

describe('response body reader: bad input never throws and never gives a wrong value', () => {
  it('random bytes under any content type, encoding and status', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom('application/json', 'text/event-stream'),
        fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'zstd'),
        fc.constantFrom(200, 429),
        cutPoints,
        (bytes, type, encoding, status, points) => {
          const reader = createResponseBodyReader({ contentType: type, contentEncoding: encoding, statusCode: status });
          if (reader === undefined) return;
          for (const chunk of cut(Buffer.from(bytes), points)) reader.push(chunk);
          expectSane(reader.finish());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('garbage spliced into a real body gives either nothing or values of the real body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), (body, at, junk) => {
        const good = Buffer.from(body.body);
        const p = at % good.length;
        const bad = Buffer.concat([good.subarray(0, p), junk, good.subarray(p)]);
        const got = read([bad], body.contentType, undefined, body.status);
        expectSane(got);
        for (const [key, value] of Object.entries(got) as Array<[keyof ResponseBodyFields, unknown]>) {
          if (key === 'finishReasons' || key.endsWith('Tokens')) continue; // junk digits can be a valid different count
          if (typeof value === 'string' && body.fields[key] !== undefined && !junk.some((b) => b >= 0x20)) expect(value).toBe(body.fields[key]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a JSON body cut anywhere inside it gives nothing, compressed or not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES.filter((c) => c.contentType === 'application/json')), fc.constantFrom(ENCODINGS[0]!, ENCODINGS[1]!, ENCODINGS[4]!), fc.nat(), (body, encoding, at) => {
        const plain = Buffer.from(body.body);
        const decodedCut = at % plain.length;
        // Cut the plain body, then encode the cut: a stream that ends early but cleanly.
        expect(read([encoding.encode(plain.subarray(0, decodedCut))], body.contentType, encoding.header, body.status)).toEqual({});
      }),
      { numRuns: 300 },
    );
  });
});

describe('response body reader: huge bodies cost what the cap allows', () => {
  /** Pushes `total` bytes made of `unit` repeated, after `head`, without holding them. */
  function pushLazily(reader: NonNullable<ReturnType<typeof createResponseBodyReader>>, head: Buffer, unit: Buffer, total: number): void {
    reader.push(head);
    for (let sent = head.length; sent < total; sent += unit.length) reader.push(unit);
  }

  it('a 100 MB JSON body: no throw, early fields and the tail window kept, bounded time and memory', () => {
    const reader = createResponseBodyReader({ contentType: 'application/json', contentEncoding: undefined, statusCode: 200 })!;
    const started = process.hrtime.bigint();
    pushLazily(reader, Buffer.from('{"id":"x","model":"m","data":['), Buffer.from('[0.1,0.2,0.3],'.repeat(4681)), 100 * 1024 * 1024);
    reader.push(Buffer.from('[]],"usage":{"prompt_tokens":5}}'));
    expect(reader.heldBytes).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES + TAIL_BYTES);
    expect(reader.finish()).toEqual({ responseId: 'x', responseModel: 'm', inputTokens: 5 });
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
  });

  it('a gzip body that inflates to 100 MB (concatenated members) is decoded only up to the cap', () => {
    const member = ENCODINGS[1]!.encode(Buffer.from('x'.repeat(MAX_DOCUMENT_BYTES)));
    const reader = createResponseBodyReader({ contentType: 'application/json', contentEncoding: 'gzip', statusCode: 200 })!;
    reader.push(ENCODINGS[1]!.encode(Buffer.from('{"model":"m","data":"')));
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) reader.push(member);
    reader.push(ENCODINGS[1]!.encode(Buffer.from('","usage":{"prompt_tokens":5}}')));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(reader.finish()).toEqual({ responseModel: 'm' });
    // Inflating all 100 MB would take far longer than this on any machine.
    expect(seconds).toBeLessThan(0.5);
  });

  it('a 100 MB event stream stops at its cap and keeps the events before it', () => {
    const reader = createResponseBodyReader({ contentType: 'text/event-stream', contentEncoding: undefined, statusCode: 200 })!;
    const events = Buffer.from(`data: ${JSON.stringify({ id: 'chatcmpl-1', model: 'm', choices: [{ index: 0, delta: { content: 'x'.repeat(200) }, finish_reason: null }] })}\n\n`.repeat(200));
    pushLazily(reader, Buffer.alloc(0), events, 100 * 1024 * 1024);
    expect(MAX_STREAM_BYTES).toBeLessThan(100 * 1024 * 1024);
    expect(reader.finish()).toEqual({ responseId: 'chatcmpl-1', responseModel: 'm' });
  });
});
