import { describe, it } from 'vitest';
import { expectHealthy, record } from './load/expect-healthy.ts';
import { runLoad } from './load/run-load.ts';

describe('load through the simulator (fetch, streamed fetch and node:http mixed)', () => {
  it('5k requests: every span ended, no per-request state left, heap after GC flat', async () => {
    const report = await runLoad({ LOAD_REQUESTS: '5000' }, 60_000);
    record('load 5k', report);
    expectHealthy(report, 6);
  }, 90_000);
});
