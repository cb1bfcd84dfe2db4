import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Diagnostics channels are process-wide: files run in separate processes, tests in a file
    // one after another, so one test's subscriptions never see another's requests.
    pool: 'forks',
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
