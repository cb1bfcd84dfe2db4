import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createResponseBodyReader } from '../../../../src/openai/response-body/index.ts';
import { chatStream } from './bodies.ts';
import { ENCODINGS } from './encodings.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Pushes a chunk that nothing but the reader could keep alive, and reports whether it survived a GC. */
async function chunkSurvives(push: (chunk: Buffer) => void, make: () => Buffer): Promise<boolean> {
  let ref: WeakRef<ArrayBuffer> | undefined;
  (() => {
    // A fresh ArrayBuffer per chunk (not Buffer's shared pool), so its survival is the reader's doing.
    const chunk = make();
    const own = Buffer.from(new ArrayBuffer(chunk.length));
    chunk.copy(own);
    ref = new WeakRef(own.buffer as ArrayBuffer);
    push(own);
  })();
  await new Promise((r) => setImmediate(r));
  gc();
  return ref!.deref() !== undefined;
}

describe('response body reader: holds no chunk', () => {
  for (const encoding of [ENCODINGS[0]!, ENCODINGS[1]!]) {
    it(`keeps no reference to a pushed chunk between pushes or after finish (${encoding.name})`, async () => {
      const wire = encoding.encode(Buffer.from(chatStream(5, true)));
      const reader = createResponseBodyReader({ contentType: 'text/event-stream', contentEncoding: encoding.header, statusCode: 200 })!;
      // Cut inside an event, inside a string, so the reader is mid-value when the chunk is gone.
      const at = wire.length >> 1;
      expect(await chunkSurvives((c) => reader.push(c), () => wire.subarray(0, at))).toBe(false);
      expect(await chunkSurvives((c) => reader.push(c), () => wire.subarray(at))).toBe(false);
      expect(reader.finish()).toMatchObject({ responseModel: 'gpt-4o-mini-2024-07-18', outputTokens: 5 });
    });
  }
});
