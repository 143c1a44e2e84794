/**
 * `deno task vectors`: writes every conformance case as a vector under `vectors/`.
 * `deno task vectors --check`: regenerates in memory and fails on any difference from the
 * committed files, manifest or lock (run it under Deno and under Bun: the bytes must agree).
 *
 * @module
 */
import process from "node:process";
import { diffTree, generateTree, writeTree } from "./store.ts";
import { SUITES } from "./suites.ts";

const check = process.argv.includes("--check");
const tree = await generateTree(SUITES);
if (check) {
  const problems = diffTree(tree);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(
      `vectors differ from the committed ones (${problems.length}); run deno task vectors`,
    );
    process.exit(1);
  }
  console.log(`vectors up to date: ${tree.entries.length} files`);
} else {
  writeTree(tree);
  console.log(`wrote ${tree.entries.length} vectors`);
}
