import { describe, expect, it } from 'vitest';
import { findModel, MODEL_SCAN_HEAD_BYTES } from '../../../src/undici/request-model.ts';

describe('findModel', () => {
  it('reads the model whether it comes first or last', () => {
    expect(findModel(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }))).toBe('gpt-4o');
    expect(findModel(Buffer.from(JSON.stringify({ messages: [], model: 'gpt-4o-mini' })))).toBe('gpt-4o-mini');
    expect(findModel(new TextEncoder().encode('{ "model" :  "o3" }'))).toBe('o3');
  });

  it('ignores "model" inside prompt text', () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'say "model": "evil"' }], model: 'gpt-4o' });
    expect(findModel(body)).toBe('gpt-4o');
    expect(findModel(JSON.stringify({ messages: [{ content: '{"model":"evil"}' }] }))).toBeUndefined();
  });

  it('takes the top-level model, not one nested in metadata or tool arguments', () => {
    expect(findModel(JSON.stringify({ metadata: { model: 'nested' }, model: 'gpt-4o' }))).toBe('gpt-4o');
    expect(findModel(JSON.stringify({ tools: [{ type: 'function', function: { name: 'f', parameters: { model: 'x' } } }], model: 'o3' }))).toBe('o3');
    expect(findModel(JSON.stringify({ metadata: { model: 'nested' }, messages: [] }))).toBeUndefined();
    expect(findModel(Buffer.from(JSON.stringify({ metadata: { model: 'nested' }, model: 'gpt-4o-mini' })))).toBe('gpt-4o-mini');
  });

  it('takes the top-level model at the tail of a large body, not a nested one there', () => {
    const body = JSON.stringify({ input: 'x'.repeat(MODEL_SCAN_HEAD_BYTES * 2), metadata: { model: 'nested' }, model: 'text-embedding-3-large' });
    expect(findModel(body)).toBe('text-embedding-3-large');
    expect(findModel(Buffer.from(body))).toBe('text-embedding-3-large');
  });

  it('never searches the middle of a large body', () => {
    const middle = JSON.stringify({ input: 'x'.repeat(MODEL_SCAN_HEAD_BYTES * 2), model: 'in-the-middle', tail: 'y'.repeat(MODEL_SCAN_HEAD_BYTES * 2) });
    expect(findModel(middle)).toBeUndefined();
    expect(findModel(Buffer.from(middle))).toBeUndefined();
  });

  it('finds the model at the tail of a body larger than the scanned head', () => {
    const body = JSON.stringify({ input: 'x'.repeat(MODEL_SCAN_HEAD_BYTES * 4), model: 'text-embedding-3-small' });
    expect(findModel(body)).toBe('text-embedding-3-small');
  });

  it('leaves out non-string, empty, escaped or non-ASCII models', () => {
    expect(findModel('{"model": 5}')).toBeUndefined();
    expect(findModel('{"model": ""}')).toBeUndefined();
    expect(findModel('{"model": "a\\"b"}')).toBeUndefined();
    expect(findModel('{"model": "modèle"}')).toBeUndefined();
    expect(findModel('{"model": "unterminated')).toBeUndefined();
    expect(findModel('not json')).toBeUndefined();
    expect(findModel('')).toBeUndefined();
  });
});
