/**
 * Every conformance suite, in reading order. `deno task test` runs them as tests,
 * `deno task vectors` writes them under `vectors/`, `deno task conformance` replays them.
 *
 * @module
 */
import type { Suite } from "./harness.ts";
import { SHARDING_EPOCH_SUITES } from "./cases/sharding/epochs.ts";
import { BLS_SUITES } from "./cases/crypto/bls.ts";
import { VRF_SUITES } from "./cases/randomness/vrf.ts";
import { DRG_SUITES } from "./cases/randomness/drg.ts";

/** All suites whose vectors are published. */
export const SUITES: Suite[] = [
  ...SHARDING_EPOCH_SUITES,
  ...BLS_SUITES,
  ...VRF_SUITES,
  ...DRG_SUITES,
];
