/**
 * `deno task sim --seed S --nodes N --byzantine F --blocks B [--faults] [--staked]`: runs one
 * deterministic simulation of a shard's consensus and prints the seed first and a summary last.
 * The exit code is 1 when a check failed.
 *
 * @module
 */
import process from "node:process";
import { byzantineBelowThird, formatSummary, runSimulation } from "./scenario.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const seed = arg("seed", Number(BigInt(Date.now()) % 1_000_000n));
const nodes = arg("nodes", 4);
const byzantine = arg("byzantine", 0);
const blocks = arg("blocks", 3);
console.log(`seed ${seed}`);
if (!byzantineBelowThird(nodes, byzantine)) {
  console.log(
    "note: byzantine validators are not below a third; liveness and safety are not promised",
  );
}
const summary = runSimulation({
  seed,
  nodes,
  byzantine,
  blocks,
  faults: flag("faults"),
  staked: flag("staked"),
});
console.log(formatSummary(summary));
process.exit(summary.log.violations.length === 0 ? 0 : 1);
