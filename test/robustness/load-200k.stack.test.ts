import { describe, expect, it } from 'vitest';
import { expectHealthy, record } from './load/expect-healthy.ts';
import { runLoad } from './load/run-load.ts';

// A minute or two: `npm run test:stack` runs it (CI: once, on Node 24).
describe('load through the simulator, long (fetch, streamed fetch and node:http mixed)', () => {
  it('200k requests: every span ended, no per-request state left, heap after GC flat', async () => {
    const report = await runLoad({ LOAD_REQUESTS: '200000' }, 600_000);
    record('load 200k', report);
    expectHealthy(report, 12);
    // From a tenth in (the warm-up's garbage gone) to the end, 180k requests: a leak of even
    // 25 bytes a request would add 4 MB.
    expect(report.heapEndMB - Math.min(...report.heapMB.slice(1))).toBeLessThan(4);
  }, 660_000);
});
