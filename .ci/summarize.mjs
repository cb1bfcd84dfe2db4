// Sums vitest JSON reports into one line, "N passed, M failed" (last line of CI output).
// A missing report, or a test file that failed to load, counts as a failure.
import { readFileSync } from 'node:fs';

const [dir, ...runs] = process.argv.slice(2);
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
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
