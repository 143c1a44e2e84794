/**
 * Conformance cases for the `sharding` runner, Epochs section: epoch arithmetic, the sharding
 * instance of an epoch and feature activation, for each network preset. The format is in
 * `conformance/formats/sharding.md`.
 *
 * Every expectation comes from the Go node: its test tables (`shardingconfig_test.go`,
 * `localnet_test.go`), the values written in its configuration files, or its formulas evaluated
 * by hand for a given number; none is computed by the spec.
 *
 * @module
 */
import { fromHex } from "../../../spec/encoding/bytes.ts";
import {
  featureByName,
  isActive,
  LOCALNET,
  MAINNET,
  type NetworkConfig,
  TESTNET,
} from "../../../spec/params/mod.ts";
import {
  epochOfBlock,
  externalSlotsAvailable,
  externalVotePercent,
  firstBlockOfEpoch,
  instanceForEpoch,
  isLastBlockOfEpoch,
  lastBlockOfEpoch,
} from "../../../spec/sharding/schedule.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { inputUint as uint } from "../../harness.ts";
import { suite } from "../../harness.ts";

/** Reads a text input. */
function text(inputs: DecodedFields, name: string): string {
  const value = inputs[name];
  if (typeof value !== "string") throw new Error(`input ${name} must be text`);
  return value;
}

/** The network configuration as vector data (it is plain data already). */
function configData(config: NetworkConfig): Fields {
  return config as unknown as Fields;
}

function base(config: NetworkConfig) {
  return { runner: "sharding", preset: config.network, config: configData(config) };
}

function epochOfBlockHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "epoch_of_block",
    covers: ["epochOfBlock"],
    run: (inputs) => ({ epoch: epochOfBlock(config, uint(inputs, "block")) }),
  };
}

function isLastBlockHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "is_last_block",
    covers: ["isLastBlockOfEpoch"],
    run: (inputs) => ({ is_last: isLastBlockOfEpoch(config, uint(inputs, "block")) }),
  };
}

function epochBoundsHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "epoch_bounds",
    covers: ["firstBlockOfEpoch", "lastBlockOfEpoch"],
    run(inputs) {
      const epoch = uint(inputs, "epoch");
      return {
        first_block: firstBlockOfEpoch(config, epoch),
        last_block: lastBlockOfEpoch(config, epoch),
      };
    },
  };
}

function instanceHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "instance_for_epoch",
    covers: ["instanceForEpoch", "externalVotePercent", "externalSlotsAvailable"],
    run(inputs) {
      const i = instanceForEpoch(config, uint(inputs, "epoch"));
      return {
        shards: i.numShards,
        slots_per_shard: i.numNodesPerShard,
        harmony_slots_per_shard: i.numHarmonyOperatedNodesPerShard,
        slots_limit: i.slotsLimit,
        harmony_vote_percent: i.harmonyVotePercent,
        external_vote_percent: externalVotePercent(i),
        external_slots: externalSlotsAvailable(i),
        blocks_per_epoch: i.blocksPerEpoch,
        fee_collectors: i.feeCollectors.map((c) => ({ address: c.address, share: c.share })),
        hip30_emission_fraction: i.hip30EmissionFraction,
        hip30_recovery_address: i.hip30RecoveryAddress,
      };
    },
  };
}

function featureHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "feature_active",
    covers: ["isActive", "featureByName"],
    run(inputs) {
      const feature = featureByName(text(inputs, "feature"));
      return { active: isActive(config, feature, uint(inputs, "epoch")) };
    },
  };
}

// --- case builders -----------------------------------------------------------------------------

const MAX_U64 = (1n << 64n) - 1n;

function epochOf(name: string, description: string, block: bigint, epoch: bigint): Case {
  return { name, description, inputs: { block }, expect: { epoch } };
}

function lastBlock(name: string, description: string, block: bigint, isLast: boolean): Case {
  return { name, description, inputs: { block }, expect: { is_last: isLast } };
}

function bounds(name: string, description: string, epoch: bigint, first: bigint, last: bigint) {
  return { name, description, inputs: { epoch }, expect: { first_block: first, last_block: last } };
}

function feature(name: string, description: string, f: string, epoch: bigint, active: boolean) {
  return { name, description, inputs: { feature: f, epoch }, expect: { active } };
}

/** Decimal percent `p` (two decimals, as written in the Go files) as a Dec mantissa. */
function pct(hundredths: bigint): bigint {
  return hundredths * 10n ** 16n;
}

interface Shape {
  shards: bigint;
  slots: bigint;
  harmony: bigint;
  limit: bigint;
  vote: bigint;
  blocks: bigint;
  fees?: { address: Uint8Array; share: bigint }[];
  emission?: bigint;
  recovery?: Uint8Array | null;
}

function instance(name: string, description: string, epoch: bigint, s: Shape): Case {
  return {
    name,
    description,
    inputs: { epoch },
    expect: {
      shards: s.shards,
      slots_per_shard: s.slots,
      harmony_slots_per_shard: s.harmony,
      slots_limit: s.limit,
      harmony_vote_percent: s.vote,
      external_vote_percent: 10n ** 18n - s.vote,
      external_slots: (s.slots - s.harmony) * s.shards,
      blocks_per_epoch: s.blocks,
      fee_collectors: s.fees ?? [],
      hip30_emission_fraction: s.emission ?? 0n,
      hip30_recovery_address: s.recovery ?? null,
    },
  };
}

const half = pct(50n);
const MAINNET_FEES = [
  { address: fromHex("a0c395A83503ad89613E43397e9fE1f8E93B6384"), share: half },
  { address: fromHex("bdFeE8587d347Cd8df002E6154763325265Fa84c"), share: half },
];
const MAINNET_RECOVERY = fromHex("D8194284df879f465ed61DBA6fa8300940cacEA3");
const TESTNET_FEES = [
  { address: fromHex("b41B6B8d9e68fD44caC8342BC2EEf4D59531d7d7"), share: half },
  { address: fromHex("b728AEaBF60fD01816ee9e756c18bc01dC91ba5D"), share: half },
];
const TESTNET_RECOVERY = fromHex("58dB8BeCe892F343350D125ff22B242784a8BA38");
const LOCALNET_FEES = [
  { address: fromHex("1563915e194D8CfBA1943570603F7606A3115508"), share: half },
  { address: fromHex("19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A"), share: half },
];
const LOCALNET_RECOVERY = fromHex("5CbDd86a2FA8Dc4bDdd8a8f69dBa48572EeC07FB");

// --- mainnet -------------------------------------------------------------------------------------

const go = "Go TestCalcEpochNumber";
const mainnetEpochOf: Case[] = [
  epochOf("genesis", `${go}: block 0 is in epoch 0.`, 0n, 0n),
  epochOf("block_1", `${go}: block 1 is in epoch 0.`, 1n, 0n),
  epochOf("block_327679", `${go}: epoch 0 is longer than 2^14 blocks.`, 327679n, 0n),
  epochOf("block_327680", `${go}: 20 · 2^14 is still epoch 0.`, 327680n, 0n),
  epochOf("last_of_epoch_0", `${go}: 344063 = 21 · 2^14 - 1 ends epoch 0.`, 344063n, 0n),
  epochOf("first_of_epoch_1", `${go}: 344064 starts epoch 1.`, 344064n, 1n),
  epochOf("block_344065", `${go}: 344065 is in epoch 1.`, 344065n, 1n),
  epochOf("first_of_epoch_2", `${go}: epochs 1.. have 16384 blocks.`, 360448n, 2n),
  epochOf("block_6207973", `${go}: a block in epoch 358.`, 6207973n, 358n),
  epochOf("last_before_two_seconds", `${go}: 6324223 ends epoch 365.`, 6324223n, 365n),
  epochOf(
    "first_two_seconds_block",
    `${go}: 6324224 starts epoch 366 (TwoSeconds).`,
    6324224n,
    366n,
  ),
  epochOf("last_of_epoch_367", `${go}: epochs from 366 have 32768 blocks.`, 6389759n, 367n),
  epochOf("block_6389777", `${go}: a block early in epoch 368.`, 6389777n, 368n),
  epochOf(
    "max_block",
    "The largest 64-bit block number: (2^64 - 1 - 6324224) / 32768 + 366 by Go's formula.",
    MAX_U64,
    562949953421484n,
  ),
  {
    name: "block_beyond_64_bits",
    description: "2^64 is not a block number (Go's block numbers are uint64).",
    inputs: { block: MAX_U64 + 1n },
    expect: { error: "sharding/block-number-out-of-range" },
  },
  {
    name: "canary_off_by_one_at_fork",
    description: "Canary: claims the first 2-second block is still in epoch 365.",
    inputs: { block: 6324224n },
    expect: { epoch: 365n },
    canary: true,
  },
];

const gl = "Go TestIsLastBlock";
const mainnetIsLast: Case[] = [
  lastBlock("genesis", `${gl}: block 0 does not end an epoch.`, 0n, false),
  lastBlock("block_1", `${gl}: block 1.`, 1n, false),
  lastBlock("block_327679", `${gl}: 20 · 2^14 - 1 is inside epoch 0.`, 327679n, false),
  lastBlock("last_of_epoch_0", `${gl}: 344063 ends epoch 0.`, 344063n, true),
  lastBlock("first_of_epoch_1", `${gl}: 344064 starts epoch 1.`, 344064n, false),
  lastBlock("last_of_epoch_1", `${gl}: 360447 ends epoch 1.`, 360447n, true),
  lastBlock("first_of_epoch_2", `${gl}: 360448 starts epoch 2.`, 360448n, false),
  lastBlock("block_6207973", `${gl}: inside epoch 358.`, 6207973n, false),
  lastBlock("last_before_two_seconds", `${gl}: 6324223 ends epoch 365.`, 6324223n, true),
  lastBlock("first_two_seconds_block", `${gl}: 6324224 starts epoch 366.`, 6324224n, false),
  lastBlock("last_of_epoch_366", `${gl}: 6356991 ends epoch 366.`, 6356991n, true),
  lastBlock("first_of_epoch_367", `${gl}: 6356992 starts epoch 367.`, 6356992n, false),
  lastBlock("last_of_epoch_367", `${gl}: 6389759 ends epoch 367.`, 6389759n, true),
  lastBlock(
    "max_block",
    "2^64 - 1 - 6324224 is 32767 mod 32768: the largest block number ends an epoch.",
    MAX_U64,
    true,
  ),
];

const gb = "Go TestEpochLastBlock";
const mainnetBounds: Case[] = [
  bounds("epoch_0", `${gb}: epoch 0 is blocks 0..344063.`, 0n, 0n, 344063n),
  bounds("epoch_1", `${gb}: epoch 1 ends at 360447.`, 1n, 344064n, 360447n),
  bounds("epoch_2", `${gb}: epoch 2 ends at 376831.`, 2n, 360448n, 376831n),
  bounds("epoch_3", `${gb}: epoch 3 ends at 393215.`, 3n, 376832n, 393215n),
  bounds("epoch_358", `${gb}: epoch 358 ends at 6209535.`, 358n, 6193152n, 6209535n),
  bounds("epoch_365", `${gb}: the last 16384-block epoch.`, 365n, 6307840n, 6324223n),
  bounds(
    "epoch_366",
    `${gb} and TestTwoSecondsFirstBlock: the first 2-second epoch starts at 6324224.`,
    366n,
    6324224n,
    6356991n,
  ),
  bounds("epoch_367", `${gb}: the second 2-second epoch.`, 367n, 6356992n, 6389759n),
  {
    name: "epoch_beyond_64_bits",
    description: "The epoch after the one ending at 2^64 - 1 would end beyond 64-bit blocks.",
    inputs: { epoch: 562949953421485n },
    expect: { error: "sharding/epoch-out-of-range" },
  },
];

const gi = "Go mainnetSchedule.InstanceForEpoch";
const old = 16384n;
const v2 = 32768n;
const mainnetInstances: Case[] = [
  instance("genesis", `${gi}: mainnetV0.`, 0n, {
    shards: 4n,
    slots: 150n,
    harmony: 112n,
    limit: 0n,
    vote: pct(100n),
    blocks: old,
  }),
  instance("epoch_5", `${gi}: mainnetV0_2, 200 slots of which 148 Harmony.`, 5n, {
    shards: 4n,
    slots: 200n,
    harmony: 148n,
    limit: 0n,
    vote: pct(100n),
    blocks: old,
  }),
  instance("epoch_184", `${gi}: mainnetV1_5, the last instance before pre-staking.`, 184n, {
    shards: 4n,
    slots: 250n,
    harmony: 170n,
    limit: 0n,
    vote: pct(100n),
    blocks: old,
  }),
  instance("pre_staking", `${gi}: mainnetV2_0, Harmony keeps 68 % (320 open slots).`, 185n, {
    shards: 4n,
    slots: 250n,
    harmony: 170n,
    limit: 0n,
    vote: pct(68n),
    blocks: old,
  }),
  instance("epoch_365", `${gi}: mainnetV2_2 (Go TestMainnetInstanceForEpoch).`, 365n, {
    shards: 4n,
    slots: 250n,
    harmony: 90n,
    limit: 0n,
    vote: pct(68n),
    blocks: old,
  }),
  instance("two_seconds", `${gi}: mainnetV3, epochs of 32768 blocks.`, 366n, {
    shards: 4n,
    slots: 250n,
    harmony: 90n,
    limit: 0n,
    vote: pct(68n),
    blocks: v2,
  }),
  instance("sixty_percent", `${gi}: mainnetV3_1, Harmony 60 %.`, 530n, {
    shards: 4n,
    slots: 250n,
    harmony: 50n,
    limit: 0n,
    vote: pct(60n),
    blocks: v2,
  }),
  instance("hip6_and_8", `${gi}: mainnetV3_2, Harmony 49 %, 900 external slots.`, 725n, {
    shards: 4n,
    slots: 250n,
    harmony: 25n,
    limit: 0n,
    vote: pct(49n),
    blocks: v2,
  }),
  instance("slots_limited", `${gi}: mainnetV3_3, HIP-16 limit int(float32(225)·0.06) = 13.`, 999n, {
    shards: 4n,
    slots: 250n,
    harmony: 25n,
    limit: 13n,
    vote: pct(49n),
    blocks: v2,
  }),
  instance("fee_collect", `${gi}: mainnetV3_4, fees to two collectors, half each.`, 1535n, {
    shards: 4n,
    slots: 250n,
    harmony: 25n,
    limit: 13n,
    vote: pct(49n),
    blocks: v2,
    fees: MAINNET_FEES,
  }),
  instance("before_hip30", `${gi}: still mainnetV3_4 one epoch before HIP-30.`, 1672n, {
    shards: 4n,
    slots: 250n,
    harmony: 25n,
    limit: 13n,
    vote: pct(49n),
    blocks: v2,
    fees: MAINNET_FEES,
  }),
  instance("hip30", `${gi}: mainnetV4, 2 shards of 200, 25 % of emission to recovery.`, 1673n, {
    shards: 2n,
    slots: 200n,
    harmony: 20n,
    limit: 10n,
    vote: pct(49n),
    blocks: v2,
    fees: MAINNET_FEES,
    emission: pct(25n),
    recovery: MAINNET_RECOVERY,
  }),
  instance("hip32", `${gi}: mainnetV5, 2 Harmony slots, Harmony 1 %.`, 2152n, {
    shards: 2n,
    slots: 200n,
    harmony: 2n,
    limit: 11n,
    vote: pct(1n),
    blocks: v2,
    fees: MAINNET_FEES,
    emission: pct(25n),
    recovery: MAINNET_RECOVERY,
  }),
];

const mainnetFeatures: Case[] = [
  feature("staking_before", "Staking activates at 186.", "Staking", 185n, false),
  feature("staking_at", "Staking activates at 186.", "Staking", 186n, true),
  feature("cross_tx_at", "CrossTx activates at 28.", "CrossTx", 28n, true),
  feature("hip30_before", "HIP30 activates at 1673.", "HIP30", 1672n, false),
  feature("hip30_at", "HIP30 activates at 1673.", "HIP30", 1673n, true),
  feature(
    "one_second_tbd_before",
    "OneSecond is EpochTBD (10000000).",
    "OneSecond",
    9999999n,
    false,
  ),
  feature("one_second_tbd_at", "EpochTBD is an epoch, not never.", "OneSecond", 10000000n, true),
  feature("drg_never", "DRG is not part of mainnet.", "DRG", 1000000000n, false),
  feature("random_resharding_never", "Not part of mainnet.", "RandomResharding", 10n ** 12n, false),
  {
    name: "unknown_feature",
    description: "Feature names are a closed list; the Go field name is not one.",
    inputs: { feature: "StakingEpoch", epoch: 186n },
    expect: { error: "params/unknown-feature" },
  },
];

// --- testnet -------------------------------------------------------------------------------------

const tn = "Go testnetSchedule";
const testnetEpochOf: Case[] = [
  epochOf("genesis", `${tn}: block 0.`, 0n, 0n),
  epochOf("last_of_epoch_0", `${tn}: 38-block epochs: 37 ends epoch 0.`, 37n, 0n),
  epochOf("first_of_epoch_1", `${tn}: 38 starts epoch 1.`, 38n, 1n),
  epochOf("last_of_epoch_1", `${tn}: 75 ends epoch 1.`, 75n, 1n),
  epochOf("first_two_seconds_block", `${tn}: TwoSeconds (2) · 38 = 76 starts epoch 2.`, 76n, 2n),
  epochOf("last_of_epoch_2", `${tn}: 8192-block epochs: 76 + 8191.`, 8267n, 2n),
  epochOf("first_of_epoch_3", `${tn}: 8268 starts epoch 3.`, 8268n, 3n),
  epochOf("max_block", `${tn}: (2^64 - 1 - 76) / 8192 + 2.`, MAX_U64, 2251799813685249n),
];

const testnetIsLast: Case[] = [
  lastBlock("last_of_epoch_0", `${tn}: (37 + 1) mod 38 = 0.`, 37n, true),
  lastBlock("first_of_epoch_1", `${tn}: 38.`, 38n, false),
  lastBlock("last_of_epoch_1", `${tn}: 75 ends the last 38-block epoch.`, 75n, true),
  lastBlock("first_two_seconds_block", `${tn}: 76.`, 76n, false),
  lastBlock(
    "block_113",
    `${tn}: 113 would end a 38-block epoch, but epochs are longer now.`,
    113n,
    false,
  ),
  lastBlock("last_of_epoch_2", `${tn}: (8267 - 76) mod 8192 = 8191.`, 8267n, true),
];

const testnetBounds: Case[] = [
  bounds("epoch_0", `${tn}: 0..37.`, 0n, 0n, 37n),
  bounds("epoch_1", `${tn}: 38..75.`, 1n, 38n, 75n),
  bounds("epoch_2", `${tn}: the first 8192-block epoch.`, 2n, 76n, 8267n),
  bounds("epoch_3", `${tn}: 8268..16459.`, 3n, 8268n, 16459n),
];

const ti = "Go testnetSchedule.InstanceForEpoch";
const tb = 8192n;
const testnetInstances: Case[] = [
  instance(
    "genesis",
    `${ti}: testnetV0; its own epoch length says 8192 although epochs 0-1 had 38.`,
    0n,
    {
      shards: 4n,
      slots: 8n,
      harmony: 8n,
      limit: 0n,
      vote: pct(100n),
      blocks: tb,
    },
  ),
  instance("staking", `${ti}: testnetV1, limit int(float32(22)·0.15) = 3.`, 2n, {
    shards: 4n,
    slots: 30n,
    harmony: 8n,
    limit: 3n,
    vote: pct(70n),
    blocks: tb,
  }),
  instance("ninety_percent", `${ti}: testnetV2 from epoch 399.`, 399n, {
    shards: 4n,
    slots: 30n,
    harmony: 8n,
    limit: 3n,
    vote: pct(90n),
    blocks: tb,
  }),
  instance("shard_reduction", `${ti}: testnetV3, 2 shards from epoch 486.`, 486n, {
    shards: 2n,
    slots: 30n,
    harmony: 8n,
    limit: 3n,
    vote: pct(90n),
    blocks: tb,
  }),
  instance("hip30", `${ti}: testnetV5.`, 2176n, {
    shards: 2n,
    slots: 30n,
    harmony: 8n,
    limit: 3n,
    vote: pct(90n),
    blocks: tb,
    fees: TESTNET_FEES,
    emission: pct(25n),
    recovery: TESTNET_RECOVERY,
  }),
  instance("testnet_external", `${ti}: testnetV6, no Harmony slots, Harmony vote 0.`, 3044n, {
    shards: 2n,
    slots: 30n,
    harmony: 0n,
    limit: 0n,
    vote: 0n,
    blocks: tb,
    fees: TESTNET_FEES,
    emission: pct(25n),
    recovery: TESTNET_RECOVERY,
  }),
  instance("epoch_3388", `${ti}: testnetV6_1, Harmony vote 0.9 with no Harmony slots.`, 3388n, {
    shards: 2n,
    slots: 30n,
    harmony: 0n,
    limit: 0n,
    vote: pct(90n),
    blocks: tb,
    fees: TESTNET_FEES,
    emission: pct(25n),
    recovery: TESTNET_RECOVERY,
  }),
  instance("epoch_3392", `${ti}: testnetV6_2, 8 Harmony slots again.`, 3392n, {
    shards: 2n,
    slots: 30n,
    harmony: 8n,
    limit: 0n,
    vote: pct(90n),
    blocks: tb,
    fees: TESTNET_FEES,
    emission: pct(25n),
    recovery: TESTNET_RECOVERY,
  }),
];

const testnetFeatures: Case[] = [
  feature("staking_at", "Testnet Staking at 2.", "Staking", 2n, true),
  feature("pre_staking_at", "Testnet PreStaking at 1.", "PreStaking", 1n, true),
  feature("testnet_external_before", "TestnetExternal at 3044.", "TestnetExternal", 3043n, false),
  feature("testnet_external_at", "TestnetExternal at 3044.", "TestnetExternal", 3044n, true),
  feature(
    "hip32_never",
    "HIP32Epoch is unset (nil) in Go's testnet: never.",
    "HIP32",
    10n ** 12n,
    false,
  ),
];

// --- localnet ------------------------------------------------------------------------------------

const ln = "Go TestLocalnetEpochCalculation (16-block epochs)";
const localnetEpochOf: Case[] = [
  epochOf("genesis", `${ln}: block 0.`, 0n, 0n),
  epochOf("last_of_epoch_0", `${ln}: localnetEpochBlock1 - 1 = 4 ends epoch 0.`, 4n, 0n),
  epochOf("first_of_epoch_1", `${ln}: 5 starts epoch 1.`, 5n, 1n),
  epochOf("last_of_epoch_1", `${ln}: 5 + 16 - 1.`, 20n, 1n),
  epochOf("first_of_epoch_2", `${ln}: 21 starts epoch 2.`, 21n, 2n),
  epochOf("last_of_epoch_2", `${ln}: 5 + 2 · 16 - 1.`, 36n, 2n),
  epochOf("first_of_epoch_3", `${ln}: 37 starts epoch 3.`, 37n, 3n),
  epochOf("max_block", `${ln}: (2^64 - 1 - 5) / 16 + 1.`, MAX_U64, 1152921504606846976n),
];

const localnetIsLast: Case[] = [
  lastBlock("block_3", `${ln}: 3 is inside epoch 0.`, 3n, false),
  lastBlock("last_of_epoch_0", `${ln}: 4 ends epoch 0.`, 4n, true),
  lastBlock("first_of_epoch_1", `${ln}: 5.`, 5n, false),
  lastBlock("last_of_epoch_1", `${ln}: 20 ends epoch 1.`, 20n, true),
  lastBlock("last_of_epoch_2", `${ln}: 36 ends epoch 2.`, 36n, true),
  lastBlock("max_block", `${ln}: (2^64 - 1 - 5) mod 16 = 10.`, MAX_U64, false),
];

const localnetBounds: Case[] = [
  bounds("epoch_0", `${ln}: 0..4.`, 0n, 0n, 4n),
  bounds("epoch_1", `${ln}: 5..20.`, 1n, 5n, 20n),
  bounds("epoch_2", `${ln}: 21..36.`, 2n, 21n, 36n),
  bounds("epoch_4", "Localnet: 5 + 3 · 16 = 53 .. 68.", 4n, 53n, 68n),
  {
    name: "epoch_cut_off_by_64_bits",
    description: "Epoch (2^64 - 6) / 16 + 1 would end beyond 2^64 - 1.",
    inputs: { epoch: 1152921504606846976n },
    expect: { error: "sharding/epoch-out-of-range" },
  },
];

const li = "Go localnetSchedule.InstanceForEpoch";
const lb = 16n;
const localnetInstances: Case[] = [
  instance("genesis", `${li}: TwoSeconds is 0, so localnetV3 from genesis.`, 0n, {
    shards: 2n,
    slots: 9n,
    harmony: 6n,
    limit: 0n,
    vote: pct(68n),
    blocks: lb,
  }),
  instance("epoch_1", `${li}: still localnetV3 (the epoch-1 instance is never chosen).`, 1n, {
    shards: 2n,
    slots: 9n,
    harmony: 6n,
    limit: 0n,
    vote: pct(68n),
    blocks: lb,
  }),
  instance("fee_collect", `${li}: localnetV3_2 from FeeCollect (2).`, 2n, {
    shards: 2n,
    slots: 9n,
    harmony: 6n,
    limit: 0n,
    vote: pct(68n),
    blocks: lb,
    fees: LOCALNET_FEES,
  }),
  instance("one_second", `${li}: localnetV4 from OneSecond (4), with the HIP-30 split.`, 4n, {
    shards: 2n,
    slots: 9n,
    harmony: 6n,
    limit: 0n,
    vote: pct(68n),
    blocks: lb,
    fees: LOCALNET_FEES,
    emission: pct(25n),
    recovery: LOCALNET_RECOVERY,
  }),
];

const localnetFeatures: Case[] = [
  feature("drg_before", "Localnet runs the DRG from epoch 1.", "DRG", 0n, false),
  feature("drg_at", "Localnet runs the DRG from epoch 1.", "DRG", 1n, true),
  feature("random_resharding_before", "From epoch 2.", "RandomResharding", 1n, false),
  feature("random_resharding_at", "From epoch 2.", "RandomResharding", 2n, true),
  feature("one_second_at", "Go localnet OneSecond at 4.", "OneSecond", 4n, true),
  feature(
    "sixty_percent_tbd",
    "Go localnet never reaches SixtyPercent.",
    "SixtyPercent",
    4n,
    false,
  ),
  feature("hip32_never", "HIP32Epoch is unset (nil) in Go's localnet.", "HIP32", 10n ** 12n, false),
];

/** Every suite of the Epochs section, for all three presets. */
export const SHARDING_EPOCH_SUITES: Suite[] = [
  suite(epochOfBlockHandler(MAINNET), mainnetEpochOf),
  suite(isLastBlockHandler(MAINNET), mainnetIsLast),
  suite(epochBoundsHandler(MAINNET), mainnetBounds),
  suite(instanceHandler(MAINNET), mainnetInstances),
  suite(featureHandler(MAINNET), mainnetFeatures),
  suite(epochOfBlockHandler(TESTNET), testnetEpochOf),
  suite(isLastBlockHandler(TESTNET), testnetIsLast),
  suite(epochBoundsHandler(TESTNET), testnetBounds),
  suite(instanceHandler(TESTNET), testnetInstances),
  suite(featureHandler(TESTNET), testnetFeatures),
  suite(epochOfBlockHandler(LOCALNET), localnetEpochOf),
  suite(isLastBlockHandler(LOCALNET), localnetIsLast),
  suite(epochBoundsHandler(LOCALNET), localnetBounds),
  suite(instanceHandler(LOCALNET), localnetInstances),
  suite(featureHandler(LOCALNET), localnetFeatures),
];
