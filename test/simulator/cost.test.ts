import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKENS, tokenCost } from '../../simulator/cost.ts';

describe('token cost of a request', () => {
  it('is ceil(prompt characters / 4) plus max_completion_tokens, else max_tokens, else 16', () => {
    const messages = [{ role: 'user', content: 'abcdefghi' }]; // 9 characters: 3 tokens
    expect(tokenCost('chat', { messages, max_completion_tokens: 100, max_tokens: 7 })).toBe(103);
    expect(tokenCost('chat', { messages, max_tokens: 7 })).toBe(10);
    expect(tokenCost('chat', { messages })).toBe(3 + DEFAULT_MAX_TOKENS);
    expect(DEFAULT_MAX_TOKENS).toBe(16);
  });

  it('counts the text parts of multi-part messages and every message', () => {
    const messages = [
      { role: 'system', content: 'abcd' },
      { role: 'user', content: [{ type: 'text', text: 'abcdefgh' }, { type: 'image_url', image_url: { url: 'https://x' } }] },
    ];
    expect(tokenCost('chat', { messages, max_tokens: 1 })).toBe(1 + 2 + 1);
  });

  it('counts embedding inputs without completion tokens, token arrays as given', () => {
    expect(tokenCost('embeddings', { input: 'abcde' })).toBe(2);
    expect(tokenCost('embeddings', { input: ['abcd', 'abcd'] })).toBe(2);
    expect(tokenCost('embeddings', { input: [1, 2, 3] })).toBe(3);
    expect(tokenCost('embeddings', { input: [[1, 2], [3]], max_tokens: 50 })).toBe(3);
  });

  it('reads the prompt of a legacy completion', () => {
    expect(tokenCost('text_completion', { prompt: 'abcdefgh', max_tokens: 4 })).toBe(6);
  });
});
