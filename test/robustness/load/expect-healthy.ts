import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { LoadReport } from './load-app.ts';
import { describeReport } from './run-load.ts';

/** What every load run must show. Heap after GC may wander by a few MB (JIT, pools); a leak of even 100 bytes a request would not fit. */
export function expectHealthy(report: LoadReport, maxHeapGrowthMB: number): void {
  expect(report.failures).toBe(0);
  expect(report.spansEnded).toBe(report.requests);
  expect(report.spansStarted).toBe(report.requests);
  expect(report.inFlightAfter).toBe(0);
  expect(report.heapEndMB - report.heapStartMB).toBeLessThan(maxHeapGrowthMB);
}

export function record(label: string, report: LoadReport): void {
  const line = describeReport(label, report);
  console.log(line);
  const file = process.env['LOAD_REPORT_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify({ label, ...report })}\n`);
}

