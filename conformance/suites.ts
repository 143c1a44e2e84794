/**
 * Every conformance suite, in reading order. `deno task test` runs them as tests,
 * `deno task vectors` writes them under `vectors/`, `deno task conformance` replays them.
 *
 * @module
 */
import type { Suite } from "./harness.ts";
import { NUMERIC_SUITES } from "./cases/numeric/index.ts";
import { canarySuite } from "./cases/canary.ts";

/** All suites whose vectors are published. */
export const SUITES: Suite[] = [
  ...NUMERIC_SUITES,
  canarySuite,
];
