/**
 * `deno task conformance [--dir DIR]`: replays the published vectors and prints a summary per
 * runner. Exits 1 if any vector fails (or none is found).
 *
 * `deno task conformance --canary`: replays only the canary vectors, whose expectations are
 * deliberately wrong, to prove that the runner catches failures. Exits 0 only if there is at least
 * one canary and every one of them is reported as failed.
 *
 * @module
 */
import process from "node:process";
import { replayAll, summarize } from "./replay.ts";
import { VECTORS_DIR } from "./store.ts";
import { SUITES } from "./suites.ts";

const args = process.argv.slice(2);
const canary = args.includes("--canary");
const dirFlag = args.indexOf("--dir");
const dir = dirFlag >= 0 && args[dirFlag + 1] !== undefined ? args[dirFlag + 1] : VECTORS_DIR;

const results = replayAll(dir, SUITES, canary ? "canary" : "published");
for (const r of results) if (!r.passed) console.log(`FAIL ${r.path}: ${r.detail}`);
let passed = 0;
let failed = 0;
for (const [runner, counts] of summarize(results)) {
  console.log(`${runner.padEnd(14)} ${counts.passed} passed, ${counts.failed} failed`);
  passed += counts.passed;
  failed += counts.failed;
}
if (canary) {
  const caught = results.length > 0 && passed === 0;
  console.log(
    caught
      ? `canary: all ${failed} deliberately wrong vectors were caught`
      : `canary: ${passed} of ${results.length} deliberately wrong vectors were NOT caught`,
  );
  process.exit(caught ? 0 : 1);
}
console.log(`conformance: ${passed} passed, ${failed} failed`);
if (results.length === 0) console.log(`no vectors found under ${dir}`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
