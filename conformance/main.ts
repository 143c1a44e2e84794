/**
 * `deno task conformance [--canary] [--dir DIR]`: replays the vectors and prints a summary per
 * runner. Exits 1 if any vector fails. `--canary` replays only the canary vectors, whose
 * expectations are deliberately wrong: every one of them must be reported as failed.
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
console.log(`conformance: ${passed} passed, ${failed} failed`);
if (results.length === 0) console.log("no vectors found");
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
