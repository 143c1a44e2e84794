/**
 * What processing and proposing a block read of the chain besides the block: committees of any
 * shard and epoch, other shards' view of the beacon chain, the proposer's account, the history
 * `BLOCKHASH` and the VRF precompile read, and the header as consensus sees it.
 *
 * **Committees.** A shard state lists the committees of *every* shard, so a chain's own history
 * of shard states answers most questions about other shards (a crosslink's signers, the source
 * committee of a receipt proof). What a shard cannot know by itself is the beacon chain's newer
 * shard states: a shard follows the beacon chain's epochs, and a receipt may come from a shard
 * already in an epoch this chain has not reached. Those come from {@link ShardLookups}, an
 * explicit parameter: the node fills it from what it hears of the beacon chain (its headers carry
 * the shard states). {@link committeeLookupOf} reads the chain's own history first, then the
 * lookups.
 *
 * **The beneficiary** ({@link beneficiaryOf}, Go `GetECDSAFromCoinbase`): before `Staking` the
 * header's coinbase itself; from `Staking` on, the account of the committee slot whose account,
 * or whose BLS key's address (the first 20 bytes of SHA-256 of the key), is the coinbase. It
 * receives fees before `Staking` and is what `COINBASE` returns.
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (`GetECDSAFromCoinbase`),
 *   internal/chain/engine.go (`readEpochCtxFromChain`, `GetLeaderPubKeyFromCoinbase`), core/evm.go
 *   (`GetHashFn`, `GetVRFFn`)
 * @module
 */
import type { BlockHeader, EpochContext } from "../consensus/state.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { sha256 } from "../encoding/hash.ts";
import { require } from "../errors.ts";
import { keptFor } from "../memo.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import { vrfOutputOfField } from "../randomness/vrf.ts";
import { BEACON_CHAIN_SHARD_ID } from "../sharding/schedule.ts";
import { type Committee, findCommittee, type ShardState } from "../sharding/shard-state.ts";
import { type BeaconView, committeeContext, type CommitteeLookup } from "../sharding/transition.ts";
import { type Header, headerHash } from "./header.ts";
import { type ChainConfig, type ChainState, shardStateAt } from "./state.ts";

/** What a shard learns of other chains from outside (see the module notes). */
export interface ShardLookups {
  /** The beacon chain as this shard sees it (read by shards other than the beacon chain). */
  beacon: BeaconView;
  /** The committee context of a shard in an epoch this chain has no shard state for. */
  committee: CommitteeLookup;
}

/**
 * The lookups of a chain that needs none (the beacon chain, or a shard whose own history is
 * enough): the beacon view is the chain's own, and an unknown committee is refused.
 *
 * @param state the chain state
 * @returns lookups answering from the chain itself
 */
export function ownLookups(state: ChainState): ShardLookups {
  return {
    beacon: {
      headEpoch: state.head.epoch,
      headIsLastInEpoch: state.head.shardState.length > 0,
      shardStates: state.shardStates,
    },
    committee: (shardId, epoch) =>
      committeeContext(state.config.network, state.shardStates, shardId, epoch),
  };
}

/**
 * The lookups a shard gets from the beacon chain's state (a node that follows the beacon chain,
 * or a test running several shards).
 *
 * @param beacon the beacon chain's state
 * @returns its head's epoch, whether it ends an epoch, and its shard states and committees
 */
export function beaconLookups(beacon: ChainState): ShardLookups {
  require(beacon.shardId === BEACON_CHAIN_SHARD_ID, "chain/not-beacon");
  return ownLookups(beacon);
}

/**
 * Epoch contexts computed once per network and shard state object (a chain's shard states never
 * change), by shard.
 */
const contexts = new WeakMap<NetworkConfig, WeakMap<ShardState, Map<bigint, EpochContext>>>();

/** The cache of a network's epoch contexts for one shard state. */
function cacheFor(config: NetworkConfig, shardState: ShardState): Map<bigint, EpochContext> {
  const byState = keptFor(contexts, config, () => new WeakMap());
  return keptFor(byState, shardState, () => new Map());
}

/**
 * The committee context of any shard in any epoch: from the chain's own shard states when it has
 * the epoch, else from the lookups.
 *
 * @param state the chain state
 * @param lookups what the chain learns from outside
 * @returns the lookup; it throws `transition/committee-unknown` and the codes of
 *   `committeeContext`
 */
export function committeeLookupOf(state: ChainState, lookups: ShardLookups): CommitteeLookup {
  const config = state.config.network;
  return (shardId, epoch) => {
    const shardState = state.shardStates.get(epoch);
    if (shardState === undefined) return lookups.committee(shardId, epoch);
    const byShard = cacheFor(config, shardState);
    let ctx = byShard.get(shardId);
    if (ctx === undefined) {
      ctx = committeeContext(config, state.shardStates, shardId, epoch);
      byShard.set(shardId, ctx);
    }
    return ctx;
  };
}

/**
 * The committee of a shard in an epoch, from the chain's own shard states.
 *
 * @param state the chain state
 * @param shardId the shard
 * @param epoch the epoch
 * @returns the committee
 * @throws {SpecError} `transition/committee-unknown`, `epos/shard-not-in-state`
 */
export function committeeOf(state: ChainState, shardId: bigint, epoch: bigint): Committee {
  return findCommittee(shardStateAt(state, epoch), shardId);
}

/**
 * The address a staking-era coinbase names for a BLS key: the first 20 bytes of its SHA-256 (Go
 * `GetAddressFromBLSPubKeyBytes`).
 *
 * @param blsPublicKey the 48-byte key
 * @returns 20 bytes
 */
export function blsKeyAddress(blsPublicKey: Uint8Array): Uint8Array {
  return sha256(blsPublicKey).slice(0, 20);
}

/**
 * The account that receives a block's fees (Go `GetECDSAFromCoinbase`).
 *
 * @param config the chain configuration
 * @param committee the committee of the block's shard and epoch
 * @param header the header
 * @returns the coinbase before `Staking`; from it, the account of the slot the coinbase names
 * @throws {SpecError} `chain/unknown-coinbase` when no slot matches
 */
export function beneficiaryOf(
  config: ChainConfig,
  committee: Committee,
  header: Header,
): Uint8Array {
  if (!isActive(config.network, "Staking", header.epoch)) return header.coinbase;
  for (const slot of committee.slots) {
    if (bytesEqual(slot.ecdsaAddress, header.coinbase)) return slot.ecdsaAddress;
    if (bytesEqual(blsKeyAddress(slot.blsPublicKey), header.coinbase)) return slot.ecdsaAddress;
  }
  require(false, "chain/unknown-coinbase");
}

/**
 * The header of a recent block of the chain.
 *
 * @param state the chain state
 * @param number the block number
 * @returns the header, or undefined when it is not among the recent headers
 */
export function recentHeader(state: ChainState, number: bigint): Header | undefined {
  const index = state.head.number - number;
  if (index < 0n || index >= BigInt(state.recent.length)) return undefined;
  return state.recent[Number(index)];
}

/**
 * The hash of a recent block (`BLOCKHASH`): the head's hash, or the parent hash its child carries.
 *
 * @param state the chain state (the executing block's parent is its head)
 * @param number the block number
 * @returns 32 bytes, zero when the block is not among the recent headers
 */
export function recentBlockHash(state: ChainState, number: bigint): Uint8Array {
  if (number === state.head.number) return state.headHash.slice();
  const child = recentHeader(state, number + 1n);
  return child === undefined ? new Uint8Array(32) : child.parentHash.slice();
}

/**
 * The VRF output of a recent block (the VRF precompile from `PrevVRF`).
 *
 * @param state the chain state
 * @param number the block number
 * @returns 32 bytes: the first 32 of its `Vrf` field, zero when absent
 */
export function recentVrf(state: ChainState, number: bigint): Uint8Array {
  return vrfOutputOfField(recentHeader(state, number)?.vrf ?? new Uint8Array(0));
}

/**
 * A header as consensus reads it (`consensus/state.ts` `BlockHeader`).
 *
 * @param header the header
 * @param hash its hash, when already known
 * @returns the consensus record
 */
export function consensusHeader(header: Header, hash?: Uint8Array): BlockHeader {
  return {
    hash: hash ?? headerHash(header),
    parentHash: header.parentHash,
    number: header.number,
    epoch: header.epoch,
    viewId: header.viewId,
    shardId: header.shardId,
    time: header.time,
    coinbase: header.coinbase,
    lastCommitSignature: header.lastCommitSignature,
    lastCommitBitmap: header.lastCommitBitmap,
    isLastInEpoch: header.shardState.length > 0,
  };
}
