// Sums jest --json reports in a folder and prints "N passed, M failed" (a suite that failed to run counts as one
// failure). Exits 1 when anything failed or no report was found. Plain JS: CI runs it before or without a build.
const { readdirSync, readFileSync } = require('fs');
const { join } = require('path');

const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
let passed = 0;
let failed = 0;
for (const f of files) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  if (!r.success && r.numFailedTests + r.numRuntimeErrorTestSuites === 0) failed += 1;
}
if (files.length === 0) failed += 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
