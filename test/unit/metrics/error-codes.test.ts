import { describe, expect, it } from 'vitest';
import { boundedErrorCode } from '../../../src/metrics/error-codes.ts';

describe('openai.error.code on the duration histogram', () => {
  it('keeps the codes OpenAI documents, so a billing stop reads apart from a rate limit', () => {
    for (const code of ['insufficient_quota', 'rate_limit_exceeded', 'invalid_api_key', 'model_not_found', 'context_length_exceeded', 'server_error']) {
      expect(boundedErrorCode(code)).toBe(code);
    }
  });

  it('turns any other code into _OTHER, so a provider cannot grow the series without bound', () => {
    for (const code of ['acct_1234_frozen', 'Insufficient_Quota', '', 'x'.repeat(300), 'rate_limit_exceeded ']) expect(boundedErrorCode(code)).toBe('_OTHER');
  });
});
