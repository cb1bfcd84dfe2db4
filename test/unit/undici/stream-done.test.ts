import { describe, expect, it } from 'vitest';
import { endsWithDone } from '../../../src/undici/stream-done.ts';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('endsWithDone', () => {
  it('spots the [DONE] event at the end of a chunk, alone or after other events, with any line ending', () => {
    expect(endsWithDone(b('data: [DONE]\n\n'))).toBe(true);
    expect(endsWithDone(b('data: {"choices":[]}\n\ndata: [DONE]\n\n'))).toBe(true);
    expect(endsWithDone(b('data: [DONE]\r\n\r\n'))).toBe(true);
    expect(endsWithDone(b('data: [DONE]'))).toBe(true);
    expect(endsWithDone(b('data: [DONE] \n'))).toBe(true);
    // A plain Uint8Array (not a Buffer), and a view into a larger buffer.
    expect(endsWithDone(new Uint8Array(b('data: [DONE]\n\n')))).toBe(true);
    const big = b('xxxxdata: [DONE]\n\nyyyy');
    expect(endsWithDone(big.subarray(4, big.length - 4))).toBe(true);
  });

  it('is false for ordinary chunks, a [DONE] that is content, and chunks too short to hold it', () => {
    expect(endsWithDone(b('data: {"choices":[{"delta":{"content":"[DONE]"}}]}\n\n'))).toBe(false);
    expect(endsWithDone(b('data: {"id":"x"}\n\n'))).toBe(false);
    expect(endsWithDone(b('[DONE]\n\n'))).toBe(false);
    expect(endsWithDone(b('data: [DONE'))).toBe(false);
    expect(endsWithDone(b(''))).toBe(false);
    expect(endsWithDone(b('\n\n\n'))).toBe(false);
  });
});
