import { defineConfig } from 'vitest/config';

/**
 * Two projects. `fast` is `npm test`: everything a contributor runs after `npm install`, no Go
 * build, a few minutes. `stack` is `npm run test:stack` (which builds the stack first): the
 * tests that need a program `npm run stack:build` builds (the Collector, Jaeger, Prometheus,
 * promtool) or that run for minutes. A test belongs to `stack` when it sits under test/stack/ or
 * its file name ends in `.stack.test.ts`; test/unit/stack-split.test.ts fails `npm test` for a
 * file that needs a built program but follows neither rule.
 */
export const STACK_TESTS = ['test/stack/**/*.test.ts', 'test/**/*.stack.test.ts'];

export default defineConfig({
  test: {
    // Diagnostics channels are process-wide: files run in separate processes, tests in a file
    // one after another, so one test's subscriptions never see another's requests.
    pool: 'forks',
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: STACK_TESTS } },
      { extends: true, test: { name: 'stack', include: STACK_TESTS } },
    ],
  },
});
