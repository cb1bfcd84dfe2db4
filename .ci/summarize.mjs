// Sums vitest JSON reports into one line, "N passed, M failed" (last line of CI output).
// A missing report, or a test file that failed to load, counts as a failure.
// --require-run=RUN:PREFIX: in report RUN, the tests of files under PREFIX must have run:
// none there, or any skipped, counts as one failure.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const required = args.filter((a) => a.startsWith('--require-run=')).map((a) => a.slice('--require-run='.length).split(':'));
const [dir, ...runs] = args.filter((a) => !a.startsWith('--'));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const run of runs) {
  let report;
  try {
    report = JSON.parse(readFileSync(`${dir}/${run}.json`, 'utf8'));
  } catch {
    console.log(`${run}: no report (the run crashed before reporting)`);
    failed += 1;
    continue;
  }
  const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed')).length;
  console.log(
    `${run}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped` +
      (brokenFiles ? `, ${brokenFiles} test files failed outside any test` : ''),
  );
  for (const [requiredRun, prefix] of required) {
    if (requiredRun !== run) continue;
    const tests = report.testResults
      .filter((file) => path.relative(process.cwd(), file.name).startsWith(prefix))
      .flatMap((file) => file.assertionResults);
    const notRun = tests.filter((t) => t.status !== 'passed' && t.status !== 'failed').length;
    if (tests.length === 0 || notRun > 0) {
      console.log(`${run}: the tests under ${prefix} must run here: ${tests.length} found, ${notRun} skipped`);
      failed += 1;
    }
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + report.numTodoTests;
}
// The last line is the sum alone, `N passed, M failed`: CI reads it as it stands.
if (skipped) console.log(`${skipped} skipped (tests for another runtime)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
