/**
 * Every conformance suite, in the reading order of the spec. `deno task test` runs them as tests,
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
import { VDF_SUITES } from "./cases/randomness/vdf.ts";
import { VRF_SUITES } from "./cases/randomness/vrf.ts";
import { DRG_SUITES } from "./cases/randomness/drg.ts";
import { HEADER_SUITE } from "./cases/chain/header.ts";
import { BLOCK_SUITE, BODY_SUITE } from "./cases/chain/block.ts";
import { DERIVE_SHA_SUITE, TRIE_ROOT_SUITE } from "./cases/chain/roots.ts";
import { BLOOM_SUITE } from "./cases/chain/bloom.ts";
import { CHAIN_BLOCKS_SUITE } from "./cases/chain/blocks.ts";
import { EXECUTION_SUITES } from "./cases/execution/execution.ts";
import { EVM_SUITES } from "./cases/execution/evm.ts";
import { BLOCK_SUITES as EXECUTION_BLOCK_SUITES } from "./cases/execution/block.ts";
import { EPOS_SUITES } from "./cases/staking/epos.ts";
import { VALIDATOR_SUITES } from "./cases/staking/validators.ts";
import { DELEGATION_SUITES } from "./cases/staking/delegations.ts";
import {
  COMMISSION_SUITES,
  ENCODING_SUITES as STAKING_ENCODING_SUITES,
} from "./cases/staking/encoding.ts";
import { EPOCH_SUITES } from "./cases/epoch/index.ts";
import { SHARD_STATE_SUITES } from "./cases/sharding/shard_state.ts";
import { XLINK_SUITES } from "./cases/sharding/xlink.ts";
import { FBFT_SUITES } from "./cases/consensus/fbft.ts";
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
  ...VDF_SUITES,
  ...VRF_SUITES,
  ...DRG_SUITES,
  HEADER_SUITE,
  BLOCK_SUITE,
  BODY_SUITE,
  TRIE_ROOT_SUITE,
  DERIVE_SHA_SUITE,
  BLOOM_SUITE,
  ...EXECUTION_SUITES,
  ...EVM_SUITES,
  ...EXECUTION_BLOCK_SUITES,
  ...EPOS_SUITES,
  ...VALIDATOR_SUITES,
  ...DELEGATION_SUITES,
  ...STAKING_ENCODING_SUITES,
  ...COMMISSION_SUITES,
  ...EPOCH_SUITES,
  ...SHARD_STATE_SUITES,
  ...XLINK_SUITES,
  ...FBFT_SUITES,
  CHAIN_BLOCKS_SUITE,
  canarySuite,
];
