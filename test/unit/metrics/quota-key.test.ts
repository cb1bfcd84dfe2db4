import { describe, expect, it } from 'vitest';
import { quotaKey } from '../../../src/metrics/attributes.ts';
import { record } from './fixtures.ts';

describe('quotaKey', () => {
  it('is the same for two responses of the same quota', () => {
    expect(quotaKey(record({ startTime: 1 }, { requestId: 'req_1' }))).toBe(quotaKey(record({ startTime: 2 }, { requestId: 'req_2' })));
  });

  it('keeps quotas apart when the same value names a different field', () => {
    const keys = [
      quotaKey(record({}, { organization: 'x', project: undefined })),
      quotaKey(record({}, { organization: undefined, project: 'x' })),
      quotaKey(record({ model: 'x' }, { organization: undefined, project: undefined })),
      quotaKey(record({ model: undefined }, { organization: undefined, project: undefined })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps providers apart even when a configured provider name holds a line feed', () => {
    const a = quotaKey(record({ provider: 'a\napi.openai.com', serverAddress: 'api.openai.com' }, { organization: undefined }));
    const b = quotaKey(record({ provider: 'a', serverAddress: 'api.openai.com' }, { organization: 'api.openai.com' }));
    expect(a).not.toBe(b);
  });
});
