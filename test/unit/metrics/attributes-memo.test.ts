import { describe, expect, it } from 'vitest';
import { memoizedAttributes, operationAttributes, quotaSeries, tokenAttributes } from '../../../src/metrics/attributes.ts';
import { record } from './fixtures.ts';

describe('memoizedAttributes', () => {
  it('gives what the plain functions give, for the same and for changing quotas', () => {
    const memo = memoizedAttributes();
    const records = [
      record(),
      record(),
      record({ model: 'gpt-4o-mini' }),
      record({ model: undefined }),
      record({}, { organization: 'org-b' }),
      record({}, { project: undefined }),
      record({ provider: 'groq', serverAddress: 'api.groq.com' }),
      record(),
    ];
    for (const r of records) {
      expect(memo.quotaSeries(r)).toEqual(quotaSeries(r));
      for (const type of [undefined, '429', undefined]) expect(memo.operationAttributes(r, type)).toEqual(operationAttributes(r, type));
      for (const type of ['input', 'output']) expect(memo.tokenAttributes(r, type, 'gpt-4o-2024-08-06')).toEqual(tokenAttributes(r, type, 'gpt-4o-2024-08-06'));
    }
  });

  it('reuses the objects while consecutive responses name the same quota', () => {
    const memo = memoizedAttributes();
    const first = memo.quotaSeries(record());
    expect(memo.quotaSeries(record({}, { organization: 'org-' + 'a' }))).toBe(first);
    expect(memo.quotaSeries(record({ model: 'other' }))).not.toBe(first);
    const ok = memo.operationAttributes(record(), undefined);
    expect(memo.operationAttributes(record(), undefined)).toBe(ok);
    expect(memo.operationAttributes(record(), '500')).not.toBe(ok);
  });
});
