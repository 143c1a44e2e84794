/**
 * The mainnet preset: Harmony's production network.
 *
 * Every value restates the Go node: chain IDs and activation epochs from `MainnetChainConfig`,
 * the sharding schedule from `mainnetSchedule`. Each instance is written as "the previous one,
 * except", which is how the network evolved.
 *
 * Epochs: epoch 0 ran 344064 blocks (21 · 2^14); epochs 1 to 365 had 16384 blocks (2^14); from
 * `TwoSeconds` (epoch 366, first block 6324224) epochs have 32768 blocks (2^15).
 *
 * @see github.com/harmony-one/harmony internal/params/config.go (MainnetChainConfig)
 * @see github.com/harmony-one/harmony internal/configs/sharding/mainnet.go (mainnetSchedule)
 * @module
 */
import { fromHex } from "../../encoding/bytes.ts";
import type { FeeCollector, Instance, NetworkConfig } from "../config.ts";
import { EPOCH_TBD } from "../features.ts";

/** Blocks per epoch before `TwoSeconds` (Go `blocksPerEpoch`, 2^14). */
const BLOCKS_PER_EPOCH_OLD = 16384n;
/** Blocks per epoch from `TwoSeconds` on (Go `blocksPerEpochV2`, 2^15). */
const BLOCKS_PER_EPOCH = 32768n;

/** Go `feeCollectorsMainnet`: infrastructure and community, half each (0.5 as Dec mantissa). */
const FEE_COLLECTORS: FeeCollector[] = [
  { address: fromHex("a0c395a83503ad89613e43397e9fe1f8e93b6384"), share: 500000000000000000n },
  { address: fromHex("bdfee8587d347cd8df002e6154763325265fa84c"), share: 500000000000000000n },
];

/** Go `hip30CollectionAddress` (the emission DAO). */
const HIP30_RECOVERY = fromHex("d8194284df879f465ed61dba6fa8300940cacea3");

const V0: Instance = {
  name: "mainnetV0",
  numShards: 4n,
  numNodesPerShard: 150n,
  numHarmonyOperatedNodesPerShard: 112n,
  slotsLimit: 0n,
  harmonyVotePercent: 1000000000000000000n, // 1
  blocksPerEpoch: BLOCKS_PER_EPOCH_OLD,
  feeCollectors: [],
  hip30EmissionFraction: 0n,
  hip30RecoveryAddress: null,
  accounts: { harmony: "HarmonyAccounts", foundational: "FoundationalNodeAccounts" },
};
const hmy = "HarmonyAccounts";
const V0_1: Instance = {
  ...V0,
  name: "mainnetV0_1",
  numNodesPerShard: 152n,
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV0_1" },
};
const V0_2: Instance = {
  ...V0,
  name: "mainnetV0_2",
  numNodesPerShard: 200n,
  numHarmonyOperatedNodesPerShard: 148n,
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV0_2" },
};
const V0_3: Instance = {
  ...V0_2,
  name: "mainnetV0_3",
  numNodesPerShard: 210n,
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV0_3" },
};
const V0_4: Instance = {
  ...V0_2,
  name: "mainnetV0_4",
  numNodesPerShard: 216n,
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV0_4" },
};
const V1: Instance = {
  ...V0,
  name: "mainnetV1",
  numNodesPerShard: 250n,
  numHarmonyOperatedNodesPerShard: 170n,
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV1" },
};
// V1_1 .. V1_5 change only the foundational-node list.
const V1_1: Instance = {
  ...V1,
  name: "mainnetV1_1",
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV1_1" },
};
const V1_2: Instance = {
  ...V1,
  name: "mainnetV1_2",
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV1_2" },
};
const V1_3: Instance = {
  ...V1,
  name: "mainnetV1_3",
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV1_3" },
};
const V1_4: Instance = {
  ...V1,
  name: "mainnetV1_4",
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV1_4" },
};
const V1_5: Instance = {
  ...V1,
  name: "mainnetV1_5",
  accounts: { harmony: hmy, foundational: "FoundationalNodeAccountsV1_5" },
};
// Pre-staking: Harmony keeps 68 % of the voting power.
const V2_0: Instance = {
  ...V1_5,
  name: "mainnetV2_0",
  harmonyVotePercent: 680000000000000000n, // 0.68
};
// Open slots 320 -> 480 -> 640.
const V2_1: Instance = { ...V2_0, name: "mainnetV2_1", numHarmonyOperatedNodesPerShard: 130n };
const V2_2: Instance = { ...V2_0, name: "mainnetV2_2", numHarmonyOperatedNodesPerShard: 90n };
// TwoSeconds: same shape, epochs of 2^15 blocks.
const V3: Instance = { ...V2_2, name: "mainnetV3", blocksPerEpoch: BLOCKS_PER_EPOCH };
const V3_1: Instance = {
  ...V3,
  name: "mainnetV3_1",
  numHarmonyOperatedNodesPerShard: 50n,
  harmonyVotePercent: 600000000000000000n, // 0.60
};
// HIP-6 and HIP-8: Harmony share 49 %, 900 external slots.
const V3_2: Instance = {
  ...V3,
  name: "mainnetV3_2",
  numHarmonyOperatedNodesPerShard: 25n,
  harmonyVotePercent: 490000000000000000n, // 0.49
};
// HIP-16: slots limit int(float32(250 - 25) * float32(0.06)) = 13.
const V3_3: Instance = { ...V3_2, name: "mainnetV3_3", slotsLimit: 13n };
const V3_4: Instance = { ...V3_3, name: "mainnetV3_4", feeCollectors: FEE_COLLECTORS };
// HIP-30: 2 shards of 200 slots; slots limit int(float32(200 - 20) * float32(0.06)) = 10.
const V4: Instance = {
  ...V3_4,
  name: "mainnetV4",
  numShards: 2n,
  numNodesPerShard: 200n,
  numHarmonyOperatedNodesPerShard: 20n,
  slotsLimit: 10n,
  hip30EmissionFraction: 250000000000000000n, // 0.25
  hip30RecoveryAddress: HIP30_RECOVERY,
  accounts: { harmony: "HarmonyAccountsPostHIP30", foundational: "FoundationalNodeAccountsV1_5" },
};
// HIP-32: 2 Harmony slots, 1 % voting power; slots limit int(float32(198) * 0.06) = 11.
const V5: Instance = {
  ...V4,
  name: "mainnetV5",
  numHarmonyOperatedNodesPerShard: 2n,
  slotsLimit: 11n,
  harmonyVotePercent: 10000000000000000n, // 0.01
};

/** Harmony mainnet. */
export const MAINNET: NetworkConfig = {
  network: "mainnet",
  chainId: 1n,
  ethChainIdShard0: 1666600000n,
  minCommissionPromoPeriod: 100n,
  features: {
    EthCompatible: 442n,
    CrossTx: 28n,
    CrossLink: 186n,
    AggregatedReward: 689n,
    Staking: 186n,
    PreStaking: 185n,
    QuickUnlock: 191n,
    FiveSeconds: 230n,
    TwoSeconds: 366n,
    SixtyPercent: 530n,
    Redelegation: 290n,
    NoEarlyUnlock: 530n,
    VRF: 631n,
    PrevVRF: 689n,
    MinDelegation100: 631n,
    MinCommissionRate: 631n,
    EPoSBound35: 631n,
    EIP155: 28n,
    S3: 28n,
    DataCopyFix: 689n,
    Istanbul: 314n,
    ReceiptLog: 101n,
    SHA3: 725n,
    HIP6And8: 725n,
    StakingPrecompile: 871n,
    ChainIdFix: 1323n,
    SlotsLimited: 999n,
    CrossShardXferPrecompile: 1323n,
    Allowlist: EPOCH_TBD,
    LeaderRotationInternalValidators: 2152n,
    LeaderRotationExternalValidators: 2152n,
    LeaderRotationV2: EPOCH_TBD,
    FeeCollect: 1535n,
    ValidatorCodeFix: 1535n,
    HIP30: 1673n,
    DevnetExternal: EPOCH_TBD,
    TestnetExternal: EPOCH_TBD,
    BlockGas30M: 1673n,
    MaxRate: 1733n,
    TopMaxRate: 1976n,
    HIP32: 2152n,
    OneSecond: EPOCH_TBD,
    DRG: null,
    RandomResharding: null,
  },
  sharding: {
    epochs: [
      { fromEpoch: 0n, firstBlock: 0n, blocksPerEpoch: 344064n }, // Go mainnetEpochBlock1
      { fromEpoch: 1n, firstBlock: 344064n, blocksPerEpoch: BLOCKS_PER_EPOCH_OLD },
      // (366 - 1) · 16384 + 344064: Go twoSecondsFirstBlock
      { fromEpoch: 366n, firstBlock: 6324224n, blocksPerEpoch: BLOCKS_PER_EPOCH },
    ],
    instances: [
      { fromEpoch: 0n, instance: V0 },
      { fromEpoch: 1n, instance: V0_1 },
      { fromEpoch: 5n, instance: V0_2 },
      { fromEpoch: 8n, instance: V0_3 },
      { fromEpoch: 10n, instance: V0_4 },
      { fromEpoch: 12n, instance: V1 },
      { fromEpoch: 19n, instance: V1_1 },
      { fromEpoch: 25n, instance: V1_2 },
      { fromEpoch: 36n, instance: V1_3 },
      { fromEpoch: 46n, instance: V1_4 },
      { fromEpoch: 54n, instance: V1_5 },
      { fromEpoch: 185n, instance: V2_0 },
      { fromEpoch: 208n, instance: V2_1 },
      { fromEpoch: 231n, instance: V2_2 },
      { fromEpoch: 366n, instance: V3 }, // TwoSeconds
      { fromEpoch: 530n, instance: V3_1 }, // SixtyPercent
      { fromEpoch: 725n, instance: V3_2 }, // HIP6And8
      { fromEpoch: 999n, instance: V3_3 }, // SlotsLimited
      { fromEpoch: 1535n, instance: V3_4 }, // FeeCollect
      { fromEpoch: 1673n, instance: V4 }, // HIP30
      { fromEpoch: 2152n, instance: V5 }, // HIP32
    ],
    vdfDifficulty: 50000n,
    rewardFrequency: 64n,
    skippedEpochs: [
      { shardId: 1n, epochs: [181n, 182n, 183n, 184n, 185n] },
      { shardId: 2n, epochs: [184n, 185n] },
      { shardId: 3n, epochs: [183n, 184n, 185n] },
    ],
  },
};
