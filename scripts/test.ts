// `npm test`: builds the app, then unit and integration tests (Vitest), then browser tests
// (Playwright with Debian's Chromium). Without Chromium the browser tests are reported as skipped, except
// in CI, where that is a failure. Ends with one plain summary line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromiumPath } from "../tests/e2e/chromium.ts";
import { buildApp, ROOT } from "./stack.ts";

interface Tally { passed: number; failed: number; skipped: number }
const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
const results = path.join(ROOT, "test-results");
mkdirSync(results, { recursive: true });
const node = process.execPath;

function runStep(name: string, args: string[]): number {
  console.log(`\n== ${name} ==`);
  const result = spawnSync(node, args, { cwd: ROOT, stdio: "inherit", env: process.env });
  return result.status ?? 1;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- report files of two tools, read loosely
function readJson(file: string): any {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

// The built app first: the crash tests run it as its own process, and the browser tests serve it.
console.log("\n== build ==");
await buildApp();

// Unit and integration.
const vitestJson = path.join(results, "vitest.json");
const vitestExit = runStep("unit and integration (vitest)", [
  path.join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run",
  "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`,
]);
const vitest = readJson(vitestJson);
if (vitest) {
  tally.passed += vitest.numPassedTests;
  tally.failed += vitest.numFailedTests;
  tally.skipped += vitest.numPendingTests + vitest.numTodoTests;
}
let failedSteps = vitestExit === 0 ? 0 : 1;

// Browser.
const chromium = chromiumPath();
if (!chromium) {
  const message = "browser tests: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)";
  if (process.env.CI) {
    console.error(`\n${message}: failing, because CI must run them.`);
    failedSteps++;
  } else {
    console.warn(`\nSKIPPED ${message}.`);
    tally.skipped++;
  }
} else {
  const e2eExit = runStep("browser (playwright + chromium)", [
    path.join(ROOT, "node_modules", "@playwright", "test", "cli.js"), "test",
  ]);
  const e2e = readJson(path.join(results, "e2e.json"));
  if (e2e?.stats) {
    tally.passed += e2e.stats.expected;
    tally.failed += e2e.stats.unexpected + e2e.stats.flaky;
    tally.skipped += e2e.stats.skipped;
  }
  if (e2eExit !== 0) failedSteps++;
}

if (failedSteps > 0 && tally.failed === 0) tally.failed = failedSteps;
console.log(`\n${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
