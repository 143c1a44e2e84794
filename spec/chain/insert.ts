/**
 * Inserting a valid block: the chain state after it, with the off-chain records Go writes when it
 * commits a block (`writeBlockWithState`, `CommitOffChainData`), in Go's order:
 *
 * 1. the block becomes the head; its header joins the recent headers; the spent set grows by the
 *    source blocks it credited;
 * 2. a block carrying a shard state stores it under the epoch it governs
 *    (`shardStateStorageEpoch`, Go `getNextBlockEpoch`);
 * 3. the staking metadata of the block's staking transactions (Go `UpdateStakingMetaData`):
 *    - each CreateValidator appends its validator to the list (once) and adds the self-delegation
 *      index `(validator, 0, block)` to the validator's own indexes; the new validator's snapshot
 *      is taken for the block's epoch and, when the next block starts a new epoch, for that one
 *      too;
 *    - each Delegate adds, unless the delegator already has an index for that validator, one
 *      index per delegation of the delegator in the validator's wrapper after the block (Go
 *      `addDelegationIndex`);
 * 4. on the beacon chain, at the second-to-last block of an epoch (the block before the one that
 *    elects), every listed validator's wrapper after the block is its snapshot for the next epoch
 *    (Go `UpdateValidatorSnapshots`), the state the election then reads;
 * 5. on the beacon chain, the block's crosslinks are stored and each shard's last continuous
 *    crosslink rolled up (`recordCrossLinks`);
 * 6. on the beacon chain, the block-reward accumulator grows by the block's reward total from
 *    `Staking` on (it stays 0 before);
 * 7. the leader-rotation counter counts the block's proposer (`processRotationMeta`, for blocks of
 *    an epoch above 0 whose proposer is found).
 *
 * Supply accounting adds the block's issuance, burnt fees and burnt stakes, and the cross-shard
 * value sent and received.
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (`writeBlockWithState`,
 *   `UpdateStakingMetaData`, `prepareStakingMetaData`, `addDelegationIndex`,
 *   `UpdateValidatorSnapshots`, `UpdateBlockRewardAccumulator`), core/offchain.go
 *   (`CommitOffChainData`), core/blockchain_leader_rotation.go
 * @module
 */
import { processRotationMeta, proposerKey } from "../consensus/rotation.ts";
import type { RotationMeta } from "../consensus/state.ts";
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import type { BlockResult } from "../execution/block.ts";
import type { CxReceiptsProof } from "../sharding/cx-proof.ts";
import type { WorldState } from "../execution/state.ts";
import { isActive } from "../params/features.ts";
import type { DrgEpoch } from "../randomness/drg.ts";
import { type CrossLink, recordCrossLinks } from "../sharding/crosslink.ts";
import { BEACON_CHAIN_SHARD_ID, isLastBlockOfEpoch } from "../sharding/schedule.ts";
import { decodeShardState, type ShardState } from "../sharding/shard-state.ts";
import { shardStateStorageEpoch } from "../sharding/transition.ts";
import type { FinalizeResult } from "../staking/finalize.ts";
import { Directive, type StakeMessage } from "../staking/messages.ts";
import type { ValidatorWrapper } from "../staking/validator.ts";
import type { Block } from "./body.ts";
import { committeeLookupOf, consensusHeader, type ShardLookups } from "./context.ts";
import type { Header } from "./header.ts";
import {
  type ChainState,
  listedWrapper,
  type OffChainRecords,
  RECENT_HEADERS,
  type StoredDelegationIndex,
  type SupplyAccounting,
} from "./state.ts";

/** What a valid block did, as processing or proposing found it. */
export interface BlockOutcome {
  /** The block. */
  block: Block;
  /** Its hash. */
  hash: Uint8Array;
  /** The execution result (state, receipts, outgoing receipts, spent set, gas, burnt fees). */
  result: BlockResult;
  /** The block's staking messages, in body order. */
  stakingMessages: StakeMessage[];
  /** The incoming receipt proofs it credited. */
  incoming: CxReceiptsProof[];
  /** What its finalisation did. */
  finalize: FinalizeResult;
  /** Its crosslinks (beacon chain), in header order. */
  crossLinks: CrossLink[];
  /** The DRG of its epoch after it (beacon chain, while `DRG` is active). */
  drg: DrgEpoch | null;
}

/** The delegation indexes of a delegator, from the block's own updates first. */
function indexesOf(
  records: OffChainRecords,
  updated: Map<string, StoredDelegationIndex[]>,
  delegator: Uint8Array,
): StoredDelegationIndex[] {
  const key = toHex(delegator);
  return updated.get(key) ?? (records.delegations.get(key) ?? []).slice();
}

/** Go `addDelegationIndex`: one index per delegation of the delegator, unless already indexed. */
function addDelegationIndex(
  indexes: StoredDelegationIndex[],
  delegator: Uint8Array,
  wrapper: ValidatorWrapper,
  blockNumber: bigint,
): StoredDelegationIndex[] {
  const validator = wrapper.validator.address;
  if (indexes.some((i) => bytesEqual(i.validatorAddress, validator))) return indexes;
  const out = indexes.slice();
  wrapper.delegations.forEach((d, i) => {
    if (!bytesEqual(d.delegatorAddress, delegator)) return;
    out.push({ validatorAddress: validator, index: BigInt(i), blockNumber });
  });
  return out;
}

/** Step 3's index updates and the new validators, in body order. */
function stakingMetadata(
  records: OffChainRecords,
  world: WorldState,
  messages: StakeMessage[],
  blockNumber: bigint,
): { created: Uint8Array[]; updated: Map<string, StoredDelegationIndex[]> } {
  const created: Uint8Array[] = [];
  const updated = new Map<string, StoredDelegationIndex[]>();
  for (const msg of messages) {
    if (msg.directive === Directive.CreateValidator) {
      const v = msg.body.validatorAddress;
      created.push(v);
      const self = { validatorAddress: v, index: 0n, blockNumber };
      updated.set(toHex(v), [...indexesOf(records, updated, v), self]);
    } else if (msg.directive === Directive.Delegate) {
      const d = msg.body.delegatorAddress;
      const wrapper = listedWrapper(world, msg.body.validatorAddress);
      updated.set(
        toHex(d),
        addDelegationIndex(indexesOf(records, updated, d), d, wrapper, blockNumber),
      );
    }
  }
  return { created, updated };
}

/** A snapshot map with the wrappers of some validators, for one epoch. */
function withSnapshots(
  snapshots: OffChainRecords["snapshots"],
  epoch: bigint,
  world: WorldState,
  addresses: readonly Uint8Array[],
): OffChainRecords["snapshots"] {
  const byAddress = new Map(snapshots.get(epoch) ?? []);
  for (const a of addresses) byAddress.set(toHex(a), listedWrapper(world, a));
  return new Map(snapshots).set(epoch, byAddress);
}

/** Steps 3 and 4: list, indexes and snapshots after the block. */
function updateStaking(
  state: ChainState,
  outcome: BlockOutcome,
  nextEpoch: bigint,
): OffChainRecords {
  const header = outcome.block.header;
  const world = outcome.result.state;
  const records = state.offChain;
  const meta = stakingMetadata(records, world, outcome.stakingMessages, header.number);
  const listed = new Set(records.validators.map(toHex));
  const validators = [...records.validators, ...meta.created.filter((a) => !listed.has(toHex(a)))];
  let snapshots = records.snapshots;
  if (meta.created.length > 0) {
    snapshots = withSnapshots(snapshots, header.epoch, world, meta.created);
    if (nextEpoch > header.epoch) {
      snapshots = withSnapshots(snapshots, nextEpoch, world, meta.created);
    }
  }
  const config = state.config.network;
  const beacon = header.shardId === BEACON_CHAIN_SHARD_ID;
  if (beacon && isLastBlockOfEpoch(config, header.number + 1n)) {
    snapshots = withSnapshots(snapshots, header.epoch + 1n, world, validators);
  }
  let delegations = records.delegations;
  if (meta.updated.size > 0) delegations = new Map([...records.delegations, ...meta.updated]);
  return { ...records, validators, snapshots, delegations };
}

/** Steps 5 and 6 (beacon chain) and the DRG. */
function updateBeacon(
  state: ChainState,
  outcome: BlockOutcome,
  records: OffChainRecords,
): OffChainRecords {
  const header = outcome.block.header;
  if (header.shardId !== BEACON_CHAIN_SHARD_ID) return records;
  const config = state.config.network;
  const crossLinks = recordCrossLinks(config, records.crossLinks, header.epoch, outcome.crossLinks);
  const rewardAccumulator = isActive(config, "Staking", header.epoch)
    ? records.rewardAccumulator + outcome.finalize.accumulatorIncrement
    : 0n;
  return { ...records, crossLinks, rewardAccumulator, drg: outcome.drg };
}

/** Step 7: the rotation counter after the block. */
function rotationAfter(
  state: ChainState,
  lookups: ShardLookups,
  header: Header,
  hash: Uint8Array,
): RotationMeta {
  const config = state.config.network;
  if (header.epoch === 0n) return state.rotation;
  const ctx = committeeLookupOf(state, lookups)(header.shardId, header.epoch);
  const proposer = proposerKey(config, ctx, consensusHeader(header, hash));
  if (proposer === undefined) return state.rotation;
  return processRotationMeta(state.rotation, header.epoch, proposer);
}

/** The supply accounting after the block. */
function supplyAfter(supply: SupplyAccounting, outcome: BlockOutcome): SupplyAccounting {
  let sent = 0n;
  for (const cx of outcome.result.cxReceipts) sent += cx.amount;
  let received = 0n;
  for (const p of outcome.incoming) for (const r of p.receipts) received += r.amount;
  return {
    genesis: supply.genesis,
    issued: supply.issued + outcome.finalize.issued,
    burnt: supply.burnt + outcome.result.burnt + outcome.finalize.burnt,
    sent: supply.sent + sent,
    received: supply.received + received,
  };
}

/** Step 2: the shard states after the block. */
function shardStatesAfter(state: ChainState, header: Header): Map<bigint, ShardState> {
  const out = new Map(state.shardStates);
  if (header.shardState.length === 0) return out;
  const epoch = shardStateStorageEpoch(state.config.network, header);
  return out.set(epoch, decodeShardState(header.shardState));
}

/**
 * The chain state after a valid block (see the module notes).
 *
 * @param state the chain state of the block's parent
 * @param lookups what the chain learns from outside (the proposer's committee)
 * @param outcome what the block did
 * @param commitSig the block's commit certificate, when known
 * @returns the new chain state
 * @throws {SpecError} the decoding codes of `decodeShardState`; `chain/validator-record-missing`
 */
export function insertBlock(
  state: ChainState,
  lookups: ShardLookups,
  outcome: BlockOutcome,
  commitSig: Uint8Array,
): ChainState {
  const header = outcome.block.header;
  const shardStates = shardStatesAfter(state, header);
  const nextEpoch = header.shardState.length === 0
    ? header.epoch
    : shardStateStorageEpoch(state.config.network, header);
  const staking = updateStaking(state, outcome, nextEpoch);
  return {
    config: state.config,
    shardId: state.shardId,
    head: header,
    headHash: outcome.hash,
    headCommitSig: commitSig,
    world: outcome.result.state,
    recent: [header, ...state.recent].slice(0, RECENT_HEADERS),
    shardStates,
    rotation: rotationAfter(state, lookups, header, outcome.hash),
    spent: outcome.result.spent,
    supply: supplyAfter(state.supply, outcome),
    offChain: updateBeacon(state, outcome, staking),
  };
}
