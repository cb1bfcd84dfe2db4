import { context } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/internal-types.ts';
import { UnfinishedSweeper } from '../../../src/requests/sweeper.ts';

function silentRecord(startTime: number): RequestRecord {
  return {
    target: { provider: 'openai', operation: 'chat', serverAddress: 'api.openai.com', serverPort: 443, url: 'https://api.openai.com/v1/chat/completions' },
    method: 'POST',
    startTime,
    parentContext: context.active(),
    span: undefined,
    model: undefined,
    modelBytesScanned: 0,
    resendCount: undefined,
    statusCode: 0,
    headers: undefined,
    responseBody: undefined,
    streamDone: false,
    activity: 0,
    ended: false,
  };
}

describe('UnfinishedSweeper', () => {
  it('ends every expired record even when ending one throws, and reports the failure instead of throwing', () => {
    const ended: RequestRecord[] = [];
    const failures: unknown[] = [];
    const first = silentRecord(0);
    const second = silentRecord(0);
    const sweeper = new UnfinishedSweeper(
      () => 1_000,
      (record) => {
        if (record === first) throw new Error('span processor exploded');
        ended.push(record);
      },
      (error) => failures.push(error),
    );
    sweeper.track(first);
    sweeper.track(second);
    expect(() => sweeper.sweep(5_000)).not.toThrow();
    expect(ended).toEqual([second]);
    expect(failures).toHaveLength(1);
    sweeper.clear();
  });

  it('keeps a record that showed a sign of life since the last sweep', () => {
    const ended: RequestRecord[] = [];
    const record = silentRecord(0);
    const sweeper = new UnfinishedSweeper(() => 1_000, (r) => ended.push(r), () => {});
    sweeper.track(record);
    record.activity++;
    sweeper.sweep(5_000);
    expect(ended).toEqual([]);
    sweeper.sweep(5_500);
    expect(ended).toEqual([]);
    sweeper.sweep(6_100);
    expect(ended).toEqual([record]);
    sweeper.clear();
  });
});
