/**
 * The configuration of one Harmony network: what a preset holds.
 *
 * The Go node spreads a network's configuration over two places: the chain configuration
 * (`internal/params/config.go`: chain IDs and every activation epoch) and the sharding schedule
 * (`internal/configs/sharding/<network>.go`: shard counts, slots, vote shares and epoch lengths by
 * epoch, written as Go code). The spec gathers both into one plain record, {@link NetworkConfig},
 * and writes the sharding schedule as data: a list of epoch-length eras and a list of instances,
 * each starting at an epoch. The functions that read it live in `sharding/schedule.ts`.
 *
 * Decimal quantities (Go `numeric.Dec`, 18 decimals) are stored as their mantissa, the value
 * times 10^18, as a `bigint`: `0.68` is `680000000000000000n`.
 *
 * {@link validateConfig} states what makes a configuration well formed: the constraints Go checks
 * when it starts (`ChainConfig.mustValid`, `NewInstance`), the consistency of the schedule data,
 * and the order the spec-only randomness features need.
 *
 * @see github.com/harmony-one/harmony internal/params/config.go (ChainConfig, mustValid)
 * @see github.com/harmony-one/harmony internal/configs/sharding/instance.go (NewInstance)
 * @module
 */
import { require } from "../errors.ts";
import { DEC_SCALE } from "../numeric/decimal.ts";
import { FEATURE_NAMES, type FeatureSchedule, isActive } from "./features.ts";

/** The largest shard ID (Go stores shard IDs as `uint32`). */
export const MAX_SHARD_ID = 0xffff_ffffn;

/** One recipient of collected transaction fees and its share (Dec mantissa). */
export interface FeeCollector {
  /** 20-byte account address. */
  address: Uint8Array;
  /** Share of the fees, Dec mantissa; the shares of an instance sum to one. */
  share: bigint;
}

/**
 * One sharding configuration (Go `shardingconfig.Instance`): the shape of the committees and the
 * reward parameters in force over a range of epochs.
 */
export interface Instance {
  /** The Go variable the values come from, e.g. `mainnetV3_4`; a label, not protocol. */
  name: string;
  /** Number of shards, beacon chain (shard 0) included. */
  numShards: bigint;
  /** Slots (BLS keys) per shard committee. */
  numNodesPerShard: bigint;
  /** Of those, the slots held by Harmony-operated keys. */
  numHarmonyOperatedNodesPerShard: bigint;
  /**
   * HIP-16: most slots one validator may hold per shard, 0 for no limit. Go computes it once as
   * `int(float32(numNodesPerShard - numHarmonyOperatedNodesPerShard) * slotsLimitPercent)`;
   * the spec stores the resulting integer.
   */
  slotsLimit: bigint;
  /** Harmony-operated nodes' share of the voting power, Dec mantissa. */
  harmonyVotePercent: bigint;
  /**
   * The instance's own blocks-per-epoch field. Leader rotation reads it; epoch boundaries come
   * from the schedule's eras instead, and the two differ in places (testnet's first instances
   * say 8192 while its first epochs had 38 blocks).
   */
  blocksPerEpoch: bigint;
  /** Fee recipients from `FeeCollect` on, sorted by address; empty before. */
  feeCollectors: FeeCollector[];
  /** HIP-30: share of the block emission sent to the recovery address, Dec mantissa. */
  hip30EmissionFraction: bigint;
  /** HIP-30 recovery address (20 bytes); `null` where Go has the zero address. */
  hip30RecoveryAddress: Uint8Array | null;
  /** Names of the Go genesis account lists the pre-staking committees are drawn from. */
  accounts: {
    /** The list of Harmony-operated accounts. */
    harmony: string;
    /** The list of foundational-node accounts. */
    foundational: string;
  };
}

/** An instance and the first epoch it applies to. */
export interface InstanceEntry {
  /** The first epoch the instance applies to. */
  fromEpoch: bigint;
  /** The instance. */
  instance: Instance;
}

/**
 * A run of epochs of equal length. Epoch `fromEpoch` starts at block `firstBlock`, and every epoch
 * of the era has `blocksPerEpoch` blocks, until the next era's `fromEpoch`.
 */
export interface EpochEra {
  /** The first epoch of the era. */
  fromEpoch: bigint;
  /** The first block of that epoch. */
  firstBlock: bigint;
  /** The number of blocks in every epoch of the era. */
  blocksPerEpoch: bigint;
}

/** Epochs skipped by one shard (mainnet's staking launch). */
export interface SkippedEpochs {
  /** The shard that skipped them. */
  shardId: bigint;
  /** The epochs it has no blocks in. */
  epochs: bigint[];
}

/** The sharding schedule of a network, as data. */
export interface ShardingSchedule {
  /** Epoch-length eras, by increasing `fromEpoch`, the first at epoch 0 and block 0. */
  epochs: EpochEra[];
  /** Instances, by increasing `fromEpoch`, the first at epoch 0. */
  instances: InstanceEntry[];
  /** VDF iterations the network's schedule names (Go `VdfDifficulty`). */
  vdfDifficulty: bigint;
  /** Blocks between aggregated reward payouts (Go `RewardFrequency`). */
  rewardFrequency: bigint;
  /** Epochs a shard never produced a block in (Go `IsSkippedEpoch`). */
  skippedEpochs: SkippedEpochs[];
}

/** Everything that distinguishes one Harmony network from another. */
export interface NetworkConfig {
  /** `mainnet`, `testnet` or `localnet`. */
  network: string;
  /** Harmony chain ID, signed into Harmony-format transactions (Go `ChainID`). */
  chainId: bigint;
  /** Ethereum-compatible chain ID of shard 0; shard `s` uses this plus `s`. */
  ethChainIdShard0: bigint;
  /** Activation epoch of every feature. */
  features: FeatureSchedule;
  /** Epochs a newly elected validator may keep a 0 % commission (Go `MinCommissionPromoPeriod`). */
  minCommissionPromoPeriod: bigint;
  /** Shards, slots and epoch lengths over time. */
  sharding: ShardingSchedule;
}

/**
 * The Ethereum-compatible chain ID of a shard (Go `UpdateEthChainIDByShard`): the network's
 * shard-0 ID plus the shard ID. Ethereum tooling signs with it.
 *
 * @param config the network configuration
 * @param shardId the shard
 * @returns `ethChainIdShard0 + shardId`
 * @throws {SpecError} `params/shard-id-out-of-range` unless `0 <= shardId < 2^32`
 */
export function ethChainId(config: NetworkConfig, shardId: bigint): bigint {
  require(shardId >= 0n && shardId <= MAX_SHARD_ID, "params/shard-id-out-of-range");
  return config.ethChainIdShard0 + shardId;
}

/**
 * The target time between blocks in an epoch, in seconds: 5, then 2 from `TwoSeconds`, then 1
 * from `OneSecond` (Go `updateConsensusInformation`, which applies it from the first block of the
 * epoch). Earlier mainnet history ran slower; the current node no longer models that.
 *
 * @param config the network configuration
 * @param epoch the epoch of the blocks being produced
 * @returns seconds per block
 */
export function blockPeriodSeconds(config: NetworkConfig, epoch: bigint): bigint {
  if (isActive(config, "OneSecond", epoch)) return 1n;
  if (isActive(config, "TwoSeconds", epoch)) return 2n;
  return 5n;
}

/** An activation epoch as an ordinal: unscheduled features come after every epoch. */
function at(config: NetworkConfig, feature: keyof FeatureSchedule): bigint {
  const epoch = config.features[feature];
  return epoch === null ? 1n << 256n : epoch;
}

/**
 * Checks the order of activation epochs that Go enforces at start-up (`mustValid`), plus the
 * order the spec-only features need: the DRG is built from per-block VRFs, and random resharding
 * consumes the randomness of a finished DRG epoch.
 */
function validateFeatureOrder(config: NetworkConfig): void {
  const bad = "params/invalid-config";
  require(config.features.AggregatedReward !== 0n, bad, "AggregatedReward must be after 0");
  require(at(config, "FeeCollect") >= at(config, "Staking"), bad, "FeeCollect >= Staking");
  require(at(config, "PreStaking") < at(config, "Staking"), bad, "PreStaking < Staking");
  require(at(config, "StakingPrecompile") >= at(config, "PreStaking"), bad, "StakingPrecompile");
  require(at(config, "CrossShardXferPrecompile") > at(config, "CrossTx"), bad, "XferPrecompile");
  require(at(config, "ValidatorCodeFix") >= at(config, "EthCompatible"), bad, "ValidatorCodeFix");
  require(at(config, "ValidatorCodeFix") >= at(config, "PreStaking"), bad, "ValidatorCodeFix");
  require(at(config, "HIP30") > at(config, "Staking"), bad, "HIP30 > Staking");
  require(at(config, "HIP30") >= at(config, "MinCommissionRate"), bad, "HIP30 >= MinCommission");
  require(at(config, "HIP30") >= at(config, "AggregatedReward"), bad, "HIP30 >= Aggregated");
  require(at(config, "HIP30") >= at(config, "S3"), bad, "HIP30 >= S3");
  require(at(config, "HIP30") > at(config, "CrossTx"), bad, "HIP30 > CrossTx");
  require(at(config, "MaxRate") >= at(config, "HIP30"), bad, "MaxRate >= HIP30");
  if (config.features.DRG !== null) {
    require(at(config, "DRG") >= at(config, "VRF"), bad, "DRG needs VRF");
  }
  if (config.features.RandomResharding !== null) {
    require(at(config, "RandomResharding") > at(config, "DRG"), bad, "RandomResharding after DRG");
  }
}

/** Checks one instance the way Go's `NewInstance` does. */
function validateInstance(instance: Instance): void {
  const bad = "params/invalid-config";
  require(instance.numShards >= 1n && instance.numShards <= MAX_SHARD_ID, bad, "numShards");
  require(instance.numNodesPerShard >= 1n, bad, "numNodesPerShard");
  const hmy = instance.numHarmonyOperatedNodesPerShard;
  require(hmy >= 0n && hmy <= instance.numNodesPerShard, bad, "numHarmonyOperatedNodesPerShard");
  require(instance.slotsLimit >= 0n, bad, "slotsLimit");
  const vote = instance.harmonyVotePercent;
  require(vote >= 0n && vote <= DEC_SCALE, bad, "harmonyVotePercent");
  if (instance.feeCollectors.length > 0) {
    let total = 0n;
    for (const c of instance.feeCollectors) total += c.share;
    require(total === DEC_SCALE, bad, "fee collector shares must sum to one");
  }
  const fraction = instance.hip30EmissionFraction;
  require(fraction >= 0n && fraction <= DEC_SCALE, bad, "hip30EmissionFraction");
  const address = instance.hip30RecoveryAddress;
  require((address !== null) === (fraction !== 0n), bad, "recovery address iff emission fraction");
  require(address === null || address.length === 20, bad, "recovery address length");
  for (const c of instance.feeCollectors) require(c.address.length === 20, bad, "collector");
}

/** Checks that eras start at epoch 0 / block 0 and each starts where the previous one ends. */
function validateEras(eras: EpochEra[]): void {
  const bad = "params/invalid-config";
  require(eras.length > 0 && eras[0].fromEpoch === 0n && eras[0].firstBlock === 0n, bad, "era 0");
  for (let i = 0; i < eras.length; i++) {
    require(eras[i].blocksPerEpoch > 0n, bad, "blocksPerEpoch must be positive");
    if (i === 0) continue;
    const prev = eras[i - 1];
    require(eras[i].fromEpoch > prev.fromEpoch, bad, "eras must be in epoch order");
    const end = prev.firstBlock + (eras[i].fromEpoch - prev.fromEpoch) * prev.blocksPerEpoch;
    require(eras[i].firstBlock === end, bad, "era must start where the previous one ends");
  }
}

/**
 * Checks that a network configuration is well formed.
 *
 * @param config the configuration to check
 * @throws {SpecError} `params/invalid-config` naming the first violated constraint
 */
export function validateConfig(config: NetworkConfig): void {
  const bad = "params/invalid-config";
  require(config.chainId >= 0n && config.ethChainIdShard0 >= 0n, bad, "chain IDs");
  require(config.minCommissionPromoPeriod >= 0n, bad, "minCommissionPromoPeriod");
  require(Object.keys(config.features).length === FEATURE_NAMES.length, bad, "feature list");
  for (const name of FEATURE_NAMES) {
    const epoch = config.features[name];
    require(epoch === null || (typeof epoch === "bigint" && epoch >= 0n), bad, name);
  }
  validateFeatureOrder(config);
  validateEras(config.sharding.epochs);
  const instances = config.sharding.instances;
  require(instances.length > 0 && instances[0].fromEpoch === 0n, bad, "instance at epoch 0");
  for (let i = 0; i < instances.length; i++) {
    require(i === 0 || instances[i].fromEpoch > instances[i - 1].fromEpoch, bad, "instance order");
    validateInstance(instances[i].instance);
  }
  require(config.sharding.rewardFrequency > 0n, bad, "rewardFrequency");
  require(config.sharding.vdfDifficulty > 0n, bad, "vdfDifficulty");
}
