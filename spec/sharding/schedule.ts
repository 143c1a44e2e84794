/**
 * Epochs and the sharding instance in force: where an epoch starts and ends, which epoch a block
 * belongs to, and how many shards and slots the network has at an epoch.
 *
 * **Epochs.** An epoch is a run of consecutive blocks; committees, rewards and many rule changes
 * switch at epoch boundaries. Every shard numbers its blocks from 0, and the epoch of a block is
 * a pure function of its number. Harmony's epoch lengths changed over time (mainnet: epoch 0 had
 * 344064 blocks, later epochs 16384, and from the 2-second-block fork 32768), which the Go node
 * writes as per-network formulas (`CalcEpochNumber`, `EpochLastBlock`, `IsLastBlock`). The spec
 * writes the same facts as data, a list of *eras* (`fromEpoch`, `firstBlock`, `blocksPerEpoch`),
 * and derives everything from it:
 *
 * - the era of an epoch is the last era with `fromEpoch <= epoch`; the era of a block is the last
 *   era with `firstBlock <= block`;
 * - epoch `e` of era `r` starts at `r.firstBlock + (e - r.fromEpoch) · r.blocksPerEpoch` and has
 *   `r.blocksPerEpoch` blocks;
 * - block `b` of era `r` is in epoch `r.fromEpoch + ⌊(b - r.firstBlock) / r.blocksPerEpoch⌋`.
 *
 * For the three presets this gives the Go node's answers for every block and epoch (the tests
 * compare it with Go's formulas restated, and with the values of Go's tests).
 *
 * Block numbers are unsigned 64-bit in Go; the spec rejects numbers outside that range, and
 * epochs whose last block would fall outside it, rather than wrap around.
 *
 * Where the epoch of a block is *used*: only the beacon chain decides from the block number that
 * a block ends an epoch; the other shards follow the beacon chain's shard state (the rules of the
 * epoch transition come with the rest of sharding).
 *
 * **Instances.** The shape of the network in an epoch (shard count, slots per shard, the slots
 * Harmony operates, Harmony's share of the vote, HIP-16's slot limit, fee collectors, HIP-30's
 * emission split) is the last instance of the schedule whose `fromEpoch <= epoch`. The Go node
 * chooses it by a chain of feature checks (`InstanceForEpoch`); on each shipped network the
 * features it tests are in increasing epoch order, so the data list gives the same choice.
 *
 * @see github.com/harmony-one/harmony internal/configs/sharding/mainnet.go (CalcEpochNumber, IsLastBlock, EpochLastBlock, InstanceForEpoch)
 * @see github.com/harmony-one/harmony internal/configs/sharding/testnet.go
 * @see github.com/harmony-one/harmony internal/configs/sharding/localnet.go
 * @see github.com/harmony-one/harmony shard/values.go (ExternalSlotsAvailableForEpoch)
 * @module
 */
import { MAX_UINT64 } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { DEC_SCALE } from "../numeric/decimal.ts";
import { type EpochEra, type Instance, type NetworkConfig } from "../params/config.ts";

/** Shard 0, the beacon chain: it runs the election, staking and crosslinks. */
export const BEACON_CHAIN_SHARD_ID = 0n;

/** The largest block number (Go `uint64`). */
export const MAX_BLOCK_NUMBER = MAX_UINT64;

/** The era containing an epoch: the last one starting at or before it. */
function eraOfEpoch(config: NetworkConfig, epoch: bigint): EpochEra {
  const eras = config.sharding.epochs;
  let found = eras[0];
  for (const era of eras) if (era.fromEpoch <= epoch) found = era;
  return found;
}

/** The era containing a block: the last one whose first block is at or before it. */
function eraOfBlock(config: NetworkConfig, block: bigint): EpochEra {
  const eras = config.sharding.epochs;
  let found = eras[0];
  for (const era of eras) if (era.firstBlock <= block) found = era;
  return found;
}

function requireBlock(block: bigint): void {
  require(block >= 0n && block <= MAX_BLOCK_NUMBER, "sharding/block-number-out-of-range");
}

/**
 * The epoch a block belongs to (Go `Schedule.CalcEpochNumber`).
 *
 * @param config the network configuration
 * @param block the block number
 * @returns the epoch of the block
 * @throws {SpecError} `sharding/block-number-out-of-range` unless `0 <= block < 2^64`
 */
export function epochOfBlock(config: NetworkConfig, block: bigint): bigint {
  requireBlock(block);
  const era = eraOfBlock(config, block);
  return era.fromEpoch + (block - era.firstBlock) / era.blocksPerEpoch;
}

/**
 * The number of the first block of an epoch (Go: `EpochLastBlock(epoch - 1) + 1`, and 0 for
 * epoch 0).
 *
 * @param config the network configuration
 * @param epoch the epoch
 * @returns its first block number
 * @throws {SpecError} `sharding/epoch-out-of-range` for a negative epoch, or one whose last block
 *   would exceed 2^64 - 1
 */
export function firstBlockOfEpoch(config: NetworkConfig, epoch: bigint): bigint {
  return lastBlockOfEpoch(config, epoch) - blocksInEpoch(config, epoch) + 1n;
}

/**
 * The number of the last block of an epoch (Go `Schedule.EpochLastBlock`). On the beacon chain,
 * that block carries the shard state of the next epoch.
 *
 * @param config the network configuration
 * @param epoch the epoch
 * @returns its last block number
 * @throws {SpecError} `sharding/epoch-out-of-range` for a negative epoch, or one whose last block
 *   would exceed 2^64 - 1
 */
export function lastBlockOfEpoch(config: NetworkConfig, epoch: bigint): bigint {
  require(epoch >= 0n, "sharding/epoch-out-of-range", "negative epoch");
  const era = eraOfEpoch(config, epoch);
  const last = era.firstBlock + (epoch - era.fromEpoch + 1n) * era.blocksPerEpoch - 1n;
  require(last <= MAX_BLOCK_NUMBER, "sharding/epoch-out-of-range", "beyond 64-bit blocks");
  return last;
}

/**
 * The number of blocks in an epoch.
 *
 * @param config the network configuration
 * @param epoch the epoch
 * @returns the epoch's length in blocks
 * @throws {SpecError} `sharding/epoch-out-of-range` for a negative epoch
 */
export function blocksInEpoch(config: NetworkConfig, epoch: bigint): bigint {
  require(epoch >= 0n, "sharding/epoch-out-of-range", "negative epoch");
  return eraOfEpoch(config, epoch).blocksPerEpoch;
}

/**
 * Whether a block is the last of its epoch (Go `Schedule.IsLastBlock`). The beacon chain puts
 * the next epoch's shard state into such a block.
 *
 * @param config the network configuration
 * @param block the block number
 * @returns true when `block + 1` starts a new epoch
 * @throws {SpecError} `sharding/block-number-out-of-range` unless `0 <= block < 2^64`
 */
export function isLastBlockOfEpoch(config: NetworkConfig, block: bigint): boolean {
  requireBlock(block);
  const era = eraOfBlock(config, block);
  return (block - era.firstBlock) % era.blocksPerEpoch === era.blocksPerEpoch - 1n;
}

/**
 * The sharding instance in force at an epoch (Go `Schedule.InstanceForEpoch`).
 *
 * @param config the network configuration
 * @param epoch the epoch
 * @returns the last instance of the schedule starting at or before `epoch`
 * @throws {SpecError} `sharding/epoch-out-of-range` for a negative epoch
 */
export function instanceForEpoch(config: NetworkConfig, epoch: bigint): Instance {
  require(epoch >= 0n, "sharding/epoch-out-of-range", "negative epoch");
  const entries = config.sharding.instances;
  let found = entries[0].instance;
  for (const entry of entries) if (entry.fromEpoch <= epoch) found = entry.instance;
  return found;
}

/**
 * The voting power share of the external (staked) validators, Dec mantissa: one minus Harmony's
 * share (Go `ExternalVotePercent`).
 *
 * @param instance the sharding instance
 * @returns `1 - harmonyVotePercent` as a Dec mantissa
 */
export function externalVotePercent(instance: Instance): bigint {
  return DEC_SCALE - instance.harmonyVotePercent;
}

/**
 * The number of slots open to staked validators across all shards, which is how many keys the
 * EPoS election picks (Go `ExternalSlotsAvailableForEpoch`).
 *
 * @param instance the sharding instance
 * @returns `(numNodesPerShard - numHarmonyOperatedNodesPerShard) · numShards`
 */
export function externalSlotsAvailable(instance: Instance): bigint {
  return (instance.numNodesPerShard - instance.numHarmonyOperatedNodesPerShard) *
    instance.numShards;
}

/**
 * Whether a shard produced no block in an epoch (Go `IsSkippedEpoch`): on mainnet, shards 1 to 3
 * skipped some epochs around the staking launch. Code that walks epochs of a shard skips them.
 *
 * @param config the network configuration
 * @param shardId the shard
 * @param epoch the epoch
 * @returns true when the schedule lists `epoch` as skipped on `shardId`
 */
export function isSkippedEpoch(config: NetworkConfig, shardId: bigint, epoch: bigint): boolean {
  for (const entry of config.sharding.skippedEpochs) {
    if (entry.shardId === shardId && entry.epochs.includes(epoch)) return true;
  }
  return false;
}
