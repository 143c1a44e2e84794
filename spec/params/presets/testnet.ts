/**
 * The testnet preset: Harmony's long-running public test network.
 *
 * Every value restates the Go node: chain IDs and activation epochs from `TestnetChainConfig`,
 * the sharding schedule from `testnetSchedule`.
 *
 * Quirks kept from Go:
 * - `HIP32Epoch` is not set in the Go testnet literal, so HIP-32 is never active here (`null`),
 *   unlike features set to `EpochTBD`.
 * - Epochs 0 and 1 had 38 blocks; from `TwoSeconds` (epoch 2, first block 2 · 38 = 76) epochs
 *   have 8192 blocks. Every instance nevertheless reports 8192 blocks per epoch.
 * - Instances switch at plain epochs (399, 486, 3388, 3392) as well as at features.
 *
 * @see github.com/harmony-one/harmony internal/params/config.go (TestnetChainConfig)
 * @see github.com/harmony-one/harmony internal/configs/sharding/testnet.go (testnetSchedule)
 * @module
 */
import { fromHex } from "../../encoding/bytes.ts";
import type { FeeCollector, Instance, NetworkConfig } from "../config.ts";
import { EPOCH_TBD } from "../features.ts";

/** Blocks per epoch before `TwoSeconds` (Go `testnetBlocksPerEpoch`). */
const BLOCKS_PER_EPOCH_OLD = 38n;
/** Blocks per epoch from `TwoSeconds` on (Go `testnetBlocksPerEpochV2`), about 4.5 hours. */
const BLOCKS_PER_EPOCH = 8192n;

/** Go `feeCollectorsTestnet`, half each, sorted by address. */
const FEE_COLLECTORS: FeeCollector[] = [
  { address: fromHex("b41b6b8d9e68fd44cac8342bc2eef4d59531d7d7"), share: 500000000000000000n },
  { address: fromHex("b728aeabf60fd01816ee9e756c18bc01dc91ba5d"), share: 500000000000000000n },
];

/** Go `hip30CollectionAddressTestnet`. */
const HIP30_RECOVERY = fromHex("58db8bece892f343350d125ff22b242784a8ba38");

const V0: Instance = {
  name: "testnetV0",
  numShards: 4n,
  numNodesPerShard: 8n,
  numHarmonyOperatedNodesPerShard: 8n,
  slotsLimit: 0n,
  harmonyVotePercent: 1000000000000000000n, // 1
  blocksPerEpoch: BLOCKS_PER_EPOCH,
  feeCollectors: [],
  hip30EmissionFraction: 0n,
  hip30RecoveryAddress: null,
  accounts: { harmony: "TNHarmonyAccounts", foundational: "TNFoundationalAccounts" },
};
// Staking: 30 slots; slots limit int(float32(30 - 8) * float32(0.15)) = 3.
const V1: Instance = {
  ...V0,
  name: "testnetV1",
  numNodesPerShard: 30n,
  slotsLimit: 3n,
  harmonyVotePercent: 700000000000000000n, // 0.70
};
const V2: Instance = {
  ...V1,
  name: "testnetV2",
  harmonyVotePercent: 900000000000000000n, // 0.90
};
// Shard reduction to 2 shards.
const V3: Instance = {
  ...V2,
  name: "testnetV3",
  numShards: 2n,
  accounts: { harmony: "TNHarmonyAccountsV1", foundational: "TNFoundationalAccounts" },
};
const V4: Instance = { ...V3, name: "testnetV4", feeCollectors: FEE_COLLECTORS };
const V5: Instance = {
  ...V4,
  name: "testnetV5",
  hip30EmissionFraction: 250000000000000000n, // 0.25
  hip30RecoveryAddress: HIP30_RECOVERY,
};
// TestnetExternal: no Harmony slots, no slots limit, Harmony vote share "0.0".
const V6: Instance = {
  ...V5,
  name: "testnetV6",
  numHarmonyOperatedNodesPerShard: 0n,
  slotsLimit: 0n,
  harmonyVotePercent: 0n,
};
const V6_1: Instance = {
  ...V6,
  name: "testnetV6_1",
  harmonyVotePercent: 900000000000000000n, // 0.9
};
const V6_2: Instance = { ...V6_1, name: "testnetV6_2", numHarmonyOperatedNodesPerShard: 8n };

/** Harmony testnet. */
export const TESTNET: NetworkConfig = {
  network: "testnet",
  chainId: 2n,
  ethChainIdShard0: 1666700000n,
  minCommissionPromoPeriod: 2n,
  features: {
    EthCompatible: 0n,
    CrossTx: 0n,
    CrossLink: 2n,
    AggregatedReward: 2n,
    Staking: 2n,
    PreStaking: 1n,
    QuickUnlock: 0n,
    FiveSeconds: 0n,
    TwoSeconds: 2n,
    SixtyPercent: 2n,
    Redelegation: 2n,
    NoEarlyUnlock: 2n,
    VRF: 2n,
    PrevVRF: 2n,
    MinDelegation100: 2n,
    MinCommissionRate: 2n,
    EPoSBound35: 2n,
    EIP155: 0n,
    S3: 0n,
    DataCopyFix: 0n,
    Istanbul: 0n,
    ReceiptLog: 0n,
    SHA3: 0n,
    HIP6And8: 2n,
    StakingPrecompile: 2n,
    ChainIdFix: 0n,
    SlotsLimited: 2n,
    CrossShardXferPrecompile: 2n,
    Allowlist: 2n,
    LeaderRotationInternalValidators: 3044n,
    LeaderRotationExternalValidators: 3044n,
    LeaderRotationV2: EPOCH_TBD,
    FeeCollect: 1296n,
    ValidatorCodeFix: 1296n,
    HIP30: 2176n,
    DevnetExternal: EPOCH_TBD,
    TestnetExternal: 3044n,
    BlockGas30M: 2176n,
    MaxRate: 2520n,
    TopMaxRate: EPOCH_TBD,
    HIP32: null, // not set in the Go literal: never active
    OneSecond: EPOCH_TBD,
    DRG: null,
    RandomResharding: null,
  },
  sharding: {
    epochs: [
      { fromEpoch: 0n, firstBlock: 0n, blocksPerEpoch: BLOCKS_PER_EPOCH_OLD },
      // TwoSeconds (2) · 38: Go firstBlock2s
      { fromEpoch: 2n, firstBlock: 76n, blocksPerEpoch: BLOCKS_PER_EPOCH },
    ],
    instances: [
      { fromEpoch: 0n, instance: V0 },
      { fromEpoch: 2n, instance: V1 }, // Staking
      { fromEpoch: 399n, instance: V2 }, // Go ninetyPercentEpoch
      { fromEpoch: 486n, instance: V3 }, // Go shardReductionEpoch
      { fromEpoch: 1296n, instance: V4 }, // FeeCollect
      { fromEpoch: 2176n, instance: V5 }, // HIP30
      { fromEpoch: 3044n, instance: V6 }, // TestnetExternal
      { fromEpoch: 3388n, instance: V6_1 },
      { fromEpoch: 3392n, instance: V6_2 },
    ],
    vdfDifficulty: 10000n,
    rewardFrequency: 64n,
    skippedEpochs: [],
  },
};
