/**
 * Every conformance suite, in reading order. `deno task test` runs them as tests,
 * `deno task vectors` writes them under `vectors/`, `deno task conformance` replays them.
 *
 * @module
 */
import type { Suite } from "./harness.ts";
import { VDF_SUITES } from "./cases/randomness/vdf.ts";

/** All suites whose vectors are published. */
export const SUITES: Suite[] = [
  ...VDF_SUITES,
];
