// Prints one plain closing line for CI ("N passed, N failed, N skipped") from vitest's JSON
// report, plus counts per vitest project (unit, sqlite, postgres, e2e).
import fs from 'node:fs';

const file = process.argv[2] ?? '.vitest-tmp/results.json';
if (!fs.existsSync(file)) {
  console.log('tests: 0 passed, 1 failed (no vitest report was written)');
  process.exit(0);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const perProject = new Map();
for (const suite of report.testResults ?? []) {
  for (const test of suite.assertionResults ?? []) {
    const project = test.projectName ?? suite.projectName ?? 'tests';
    const counts = perProject.get(project) ?? { passed: 0, failed: 0, skipped: 0 };
    if (test.status === 'passed') {
      counts.passed += 1;
    } else if (test.status === 'failed') {
      counts.failed += 1;
    } else {
      counts.skipped += 1;
    }
    perProject.set(project, counts);
  }
}
for (const [project, c] of perProject) {
  console.log(`  ${project.padEnd(10)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
