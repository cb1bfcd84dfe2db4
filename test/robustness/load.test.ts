import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoadReport } from './load/load-app.ts';
import { describeReport, runLoad } from './load/run-load.ts';

/** Heap after GC may wander by a few MB (JIT, pools); a leak of even 100 bytes a request would not fit. */
function expectHealthy(report: LoadReport, maxHeapGrowthMB: number): void {
  expect(report.failures).toBe(0);
  expect(report.spansEnded).toBe(report.requests);
  expect(report.spansStarted).toBe(report.requests);
  expect(report.inFlightAfter).toBe(0);
  expect(report.heapEndMB - report.heapStartMB).toBeLessThan(maxHeapGrowthMB);
}

function record(label: string, report: LoadReport): void {
  const line = describeReport(label, report);
  console.log(line);
  const file = process.env['LOAD_REPORT_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify({ label, ...report })}\n`);
}

describe('load through the simulator (fetch, streamed fetch and node:http mixed)', () => {
  it('5k requests: every span ended, no per-request state left, heap after GC flat', async () => {
    const report = await runLoad({ LOAD_REQUESTS: '5000' }, 60_000);
    record('load 5k', report);
    expectHealthy(report, 6);
  }, 90_000);

  // The full run takes a minute or two; CI runs it once (Node 24, LOAD_TEST=1).
  it.runIf(process.env['LOAD_TEST'] === '1')('200k requests: every span ended, no per-request state left, heap after GC flat', async () => {
    const report = await runLoad({ LOAD_REQUESTS: '200000' }, 600_000);
    record('load 200k', report);
    expectHealthy(report, 12);
    // From a tenth in (the warm-up's garbage gone) to the end, 180k requests: a leak of even
    // 25 bytes a request would add 4 MB.
    expect(report.heapEndMB - Math.min(...report.heapMB.slice(1))).toBeLessThan(4);
  }, 660_000);
});
