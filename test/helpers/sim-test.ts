import { test } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { setupOtel, type TestOtel } from './otel.ts';

/**
 * `it` with a fresh default simulator and an instrumented SDK pointed at it, torn down after
 * each test (instrumentation first, then the server): the set-up most client tests share.
 */
export const simTest = test.extend<{ sim: Simulator; otel: TestOtel }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from the pattern
  sim: async ({}, use) => {
    const sim = await startSimulator();
    await use(sim);
    await sim.close();
  },
  otel: async ({ sim }, use) => {
    const otel = setupOtel({ endpoints: [sim.url] });
    await use(otel);
    await otel.shutdown();
  },
});
