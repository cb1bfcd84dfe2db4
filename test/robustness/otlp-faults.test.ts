import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { LoadReport } from './load/load-app.ts';
import { describeReport, runLoad } from './load/run-load.ts';

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The app keeps calling OpenAI while its telemetry backend is down, failing or stalling: every
 * call still succeeds, spans still end (and are dropped at the batch queue's bound), and the
 * heap after GC stays flat once that queue is full. Each case is a child process (load-app.ts:
 * 2500 mixed requests to fill the queue, then 1500 measured).
 */
describe('an OTLP endpoint that is down, failing or slow', () => {
  let failing: OtlpReceiver;
  let slow: OtlpReceiver;
  const reports = new Map<string, LoadReport>();
  beforeAll(async () => {
    failing = await startOtlpReceiver({ status: 503 });
    slow = await startOtlpReceiver({ delayMs: 5_000 });
    const down = `http://127.0.0.1:${await closedPort()}`;
    const runs: Array<[string, string]> = [
      ['down', down],
      ['503', failing.url],
      ['slow', slow.url],
    ];
    // One after another: on a small CI machine parallel runs would measure each other.
    for (const [label, url] of runs) {
      const report = await runLoad({ LOAD_REQUESTS: '1500', LOAD_WARMUP: '2500', LOAD_CONCURRENCY: '16', LOAD_OTLP_URL: url }, 60_000);
      reports.set(label, report);
      console.log(describeReport(`OTLP ${label}`, report));
    }
  }, 120_000);
  afterAll(async () => {
    await failing.close();
    await slow.close();
  });

  for (const label of ['down', '503', 'slow']) {
    it(`${label}: every OpenAI call succeeds, every span ends, the heap stays flat`, () => {
      const report = reports.get(label)!;
      expect(report.failures).toBe(0);
      expect(report.spansEnded).toBe(report.requests);
      expect(report.inFlightAfter).toBe(0);
      expect(report.heapEndMB - report.heapStartMB).toBeLessThan(8);
    });
  }

  it('the failing and stalling endpoints were really tried', () => {
    expect(failing.requests.some((r) => r.path === '/v1/traces')).toBe(true);
    expect(slow.requests.length).toBeGreaterThan(0);
  });
});
