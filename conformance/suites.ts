/**
 * Every conformance suite, in reading order. `deno task test` runs them as tests,
 * `deno task vectors` writes them under `vectors/`, `deno task conformance` replays them.
 *
 * @module
 */
import type { Suite } from "./harness.ts";
import { SHARDING_EPOCH_SUITES } from "./cases/sharding/epochs.ts";
import { NUMERIC_SUITES } from "./cases/numeric/index.ts";
import { RLP_SUITES } from "./cases/encoding/rlp_decode.ts";
import { RLP_READ_SUITE } from "./cases/encoding/rlp_read.ts";
import { TAGGED_RLP_SUITES } from "./cases/encoding/tagged_rlp.ts";
import { HASH_SUITE } from "./cases/encoding/hash.ts";
import { ADDRESS_SUITES } from "./cases/encoding/address.ts";
import { BLS_SUITES } from "./cases/crypto/bls.ts";
import { SECP256K1_SUITES } from "./cases/crypto/secp256k1.ts";
import { VRF_SUITES } from "./cases/randomness/vrf.ts";
import { DRG_SUITES } from "./cases/randomness/drg.ts";
import { canarySuite } from "./cases/canary.ts";

/** All suites whose vectors are published, in the reading order of the spec. */
export const SUITES: Suite[] = [
  ...SHARDING_EPOCH_SUITES,
  ...NUMERIC_SUITES,
  ...RLP_SUITES,
  RLP_READ_SUITE,
  ...TAGGED_RLP_SUITES,
  HASH_SUITE,
  ...ADDRESS_SUITES,
  ...BLS_SUITES,
  ...SECP256K1_SUITES,
  ...VRF_SUITES,
  ...DRG_SUITES,
  canarySuite,
];
