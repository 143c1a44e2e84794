/**
 * `deno task bench [name ...]`: runs the benchmarks (all, or those named) and prints each one's
 * timings and its ratio to the baseline measured in the same run.
 *
 * @module
 */
import process from "node:process";

/** A benchmark: a name and a function that measures and prints, returning whether targets were met. */
export interface Bench {
  name: string;
  run(): Promise<boolean> | boolean;
}

const BENCHES: Record<string, () => Promise<{ bench: Bench }>> = {
  bls: () => import("./bls.ts"),
  crosslink: () => import("./crosslink.ts"),
  epos: () => import("./epos.ts"),
  rewards: () => import("./rewards.ts"),
  fbft: () => import("./fbft.ts"),
  secp256k1: () => import("./secp256k1.ts"),
  execution: () => import("./execution.ts"),
  vdf: () => import("./vdf.ts"),
  node: () => import("./node.ts"),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
let allMet = true;
for (const name of names) {
  const load = BENCHES[name];
  if (load === undefined) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  console.log(`# ${name}`);
  const { bench } = await load();
  allMet = (await bench.run()) && allMet;
}
console.log(allMet ? "all targets met" : "some targets not met");
