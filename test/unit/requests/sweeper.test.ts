import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/internal-types.ts';
import { UnfinishedSweeper } from '../../../src/requests/sweeper.ts';
import { record } from '../metrics/fixtures.ts';

function silentRecord(startTime: number): RequestRecord {
  return record({ startTime, statusCode: 0 });
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
    const silent = silentRecord(0);
    const sweeper = new UnfinishedSweeper(() => 1_000, (r) => ended.push(r), () => {});
    sweeper.track(silent);
    silent.activity++;
    sweeper.sweep(5_000);
    expect(ended).toEqual([]);
    sweeper.sweep(5_500);
    expect(ended).toEqual([]);
    sweeper.sweep(6_100);
    expect(ended).toEqual([silent]);
    sweeper.clear();
  });
});
