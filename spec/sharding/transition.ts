/**
 * The epoch transition: how the committees of the next epoch get into the chain, how a block
 * carrying them is checked, and where a verifier finds the committee of any shard and epoch.
 *
 * **The beacon chain elects.** When the beacon chain (shard 0) builds or checks the block whose
 * number ends an epoch by the schedule (`isLastBlockOfEpoch`), it computes the shard state of the
 * next epoch (`electShardState`: the election of `staking/election.ts` with the resharding rule
 * in force) from the state of that block's parent, and writes its encoding into the header's
 * `ShardState` field. Any other beacon block "computes" the empty state.
 *
 * **The other shards follow** (Go `SuperCommitteeForNextEpoch`, non-beacon branch). A shard block
 * carries a shard state when the beacon chain has moved to a later epoch than the block's own:
 * - the *beacon epoch* is, when proposing, the beacon head's epoch (plus one if the head is the
 *   last block of its epoch); when verifying, the epoch written in the header's own shard state
 *   (or the header's epoch plus one for a state without epoch);
 * - if the `Staking` feature is active at the block's epoch plus one: when the beacon epoch is
 *   greater than the block's epoch, the state is the one the beacon chain stored for the beacon
 *   epoch; otherwise none (the shard waits for the beacon chain);
 * - otherwise, if `Staking` is active at the beacon epoch, the beacon's stored state for it;
 *   otherwise (pre-staking) the shard computes the fixed committees itself on the block that ends
 *   the epoch by the schedule.
 *
 * **Check** (Go `VerifyShardState`): a header of another shard is refused
 * (`transition/wrong-shard`); a header with an empty `ShardState` is accepted without further
 * check (Go: "leader withhold shardState" is a known gap); otherwise the field must equal, byte for
 * byte, the encoding of the state computed as above with the verifying rule
 * (`transition/shard-state-mismatch`). The encoding is the staking form when the state has an
 * epoch at which `Staking` is active, else the legacy form (Go `EncodeWrapper` as the proposer
 * calls it). **Observation:** because "nothing" is the empty state, whose legacy encoding is
 * `0xc0`, Go accepts a beacon block that is *not* an epoch's last block but carries `ShardState =
 * 0xc0`; such a header then counts as last-in-epoch (its field is non-empty). The spec reproduces
 * both gaps.
 *
 * **The next block's epoch** ({@link nextBlockEpoch}, Go `GetNewEpoch`): the epoch of the parent's
 * shard state if it has one at which `Staking` is active; else the parent's epoch plus one if the
 * parent carries a shard state and is not block 0; else the parent's epoch. A stored shard state is
 * filed under {@link shardStateStorageEpoch} (Go `getNextBlockEpoch`).
 *
 * **Committees for verification** ({@link committeeContext}, Go `readEpochCtxFromChain`): a
 * commit signature of shard `s` in epoch `e` is checked against the committee of `s` in the shard
 * state of `e`, with one-key-one-vote quorum before `Staking` and the EPoS roster of `e` from it
 * on. Go reads the state from its database, except that before `Staking` a shard recomputes the
 * fixed committees of other shards; both give the same committee, so the spec reads one history of
 * shard states ({@link ShardStateHistory}).
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go `SuperCommitteeForNextEpoch`
 * @see github.com/harmony-one/harmony internal/chain/engine.go `VerifyShardState`,
 *   `readEpochCtxFromChain`, `readShardState`
 * @see github.com/harmony-one/harmony node/harmony/worker/worker.go `GetNewEpoch`,
 *   `FinalizeNewBlock`
 * @see github.com/harmony-one/harmony core/offchain.go `getNextBlockEpoch`
 * @module
 */
import type { Header } from "../chain/header.ts";
import type { EpochContext } from "../consensus/state.ts";
import { epochQuorumPolicy } from "../consensus/quorum.ts";
import { blsCommittee } from "../crypto/bls-mask.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { isSpecError, require } from "../errors.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import type { ElectionInput } from "../staking/election.ts";
import { electShardState } from "./resharding.ts";
import { BEACON_CHAIN_SHARD_ID, instanceForEpoch, isLastBlockOfEpoch } from "./schedule.ts";
import {
  decodeShardState,
  encodeShardState,
  type ShardState,
  shardStateHash,
} from "./shard-state.ts";

/** Shard states by the epoch they govern, as a chain has stored them. */
export type ShardStateHistory = ReadonlyMap<bigint, ShardState>;

/** The committee context of a shard in an epoch, for checking its commit signatures. */
export type CommitteeLookup = (shardId: bigint, epoch: bigint) => EpochContext;

/** What a node knows of the beacon chain when it proposes or checks a shard state. */
export interface BeaconView {
  /** The epoch of the beacon chain's head. */
  headEpoch: bigint;
  /** Whether the beacon head carries a shard state (ends its epoch). */
  headIsLastInEpoch: boolean;
  /** The shard states the beacon chain has stored, by epoch. */
  shardStates: ShardStateHistory;
}

/** The election the block computes, when it is one that computes (see the module notes). */
export interface ElectionSource {
  /** The election's inputs; `input.epoch` must be the block's epoch plus one. */
  input: ElectionInput;
  /** The resharding seed (`reshardingSeed`), read when `RandomResharding` applies. */
  seed: Uint8Array;
}

/** Everything the shard-state rule of one block reads. */
export interface TransitionSources {
  /** The beacon chain as the node sees it. */
  beacon: BeaconView;
  /** The election of this block, or `null` when the caller knows none is due. */
  election: ElectionSource | null;
}

/** The header fields a proposer sets from the next epoch's shard state. */
export interface ShardStateFields {
  /** The `ShardState` field: the state's encoding, or empty when there is none. */
  shardState: Uint8Array;
  /** The `ShardStateHash` field (v0–v2 headers only), zero otherwise. */
  shardStateHash: Uint8Array;
}

/** The state that means "no new committees" (Go `new(shard.State)`). */
export const EMPTY_SHARD_STATE: ShardState = { epoch: null, shards: [] };

/**
 * The committee context of shard `shardId` in `epoch` (Go `readEpochCtxFromChain`): its keys in
 * slot order and its quorum policy (uniform before `Staking`, the EPoS roster from it on).
 *
 * @param config the network configuration
 * @param history the shard states by epoch
 * @param shardId the shard
 * @param epoch the epoch
 * @returns the context consensus and certificate checks take
 * @throws {SpecError} `transition/committee-unknown` when the history has no state for `epoch` or
 *   the state no committee for `shardId`; the BLS key decoding codes; the codes of `computeRoster`
 */
export function committeeContext(
  config: NetworkConfig,
  history: ShardStateHistory,
  shardId: bigint,
  epoch: bigint,
): EpochContext {
  const state = history.get(epoch);
  require(state !== undefined, "transition/committee-unknown", `epoch ${epoch}`);
  const committee = state.shards.find((c) => c.shardId === shardId);
  require(committee !== undefined, "transition/committee-unknown", `shard ${shardId}`);
  const instance = instanceForEpoch(config, epoch);
  return {
    epoch,
    slots: committee.slots.map((s) => ({
      publicKey: s.blsPublicKey,
      ecdsaAddress: s.ecdsaAddress,
    })),
    committee: blsCommittee(committee.slots.map((s) => s.blsPublicKey)),
    policy: epochQuorumPolicy(config, committee, epoch),
    numHarmonyOperatedNodes: instance.numHarmonyOperatedNodesPerShard,
    blocksPerEpoch: instance.blocksPerEpoch,
  };
}

/**
 * A committee lookup over a history, computing each (shard, epoch) context once (Go keeps the
 * same cache, `epochCtxCache`).
 *
 * @param config the network configuration
 * @param history the shard states by epoch
 * @returns the lookup; it throws the codes of {@link committeeContext}
 */
export function committeeLookup(
  config: NetworkConfig,
  history: ShardStateHistory,
): CommitteeLookup {
  const cache = new Map<string, EpochContext>();
  return (shardId, epoch) => {
    const key = `${shardId}:${epoch}`;
    let ctx = cache.get(key);
    if (ctx === undefined) {
      ctx = committeeContext(config, history, shardId, epoch);
      cache.set(key, ctx);
    }
    return ctx;
  };
}

/**
 * The encoding a proposer writes for a shard state (Go `EncodeWrapper` with the proposer's
 * choice of form): the staking form iff the state has an epoch at which `Staking` is active.
 *
 * @param config the network configuration
 * @param state the shard state
 * @returns the RLP bytes (`0xc0` for the empty state)
 * @throws {SpecError} the codes of `encodeShardState`
 */
export function shardStateEncoding(config: NetworkConfig, state: ShardState): Uint8Array {
  const staking = state.epoch !== null && isActive(config, "Staking", state.epoch);
  return encodeShardState(state, staking);
}

/**
 * The header fields a proposer sets (Go `FinalizeNewBlock`): nothing for the empty state; else the
 * encoding and, in headers before `PreStaking` and `Staking`, the state's hash.
 *
 * @param config the network configuration
 * @param headerEpoch the epoch of the block being proposed
 * @param state the next epoch's shard state, or the empty state
 * @returns the two fields' values
 * @throws {SpecError} the codes of `encodeShardState`
 */
export function shardStateFields(
  config: NetworkConfig,
  headerEpoch: bigint,
  state: ShardState,
): ShardStateFields {
  const zero = new Uint8Array(32);
  if (state.shards.length === 0) return { shardState: new Uint8Array(0), shardStateHash: zero };
  const oldHeader = !isActive(config, "PreStaking", headerEpoch) &&
    !isActive(config, "Staking", headerEpoch);
  return {
    shardState: shardStateEncoding(config, state),
    shardStateHash: oldHeader ? shardStateHash(state) : zero,
  };
}

/** The election's result, refusing a missing election or one for the wrong epoch. */
function elected(config: NetworkConfig, sources: TransitionSources, epoch: bigint): ShardState {
  const source = sources.election;
  require(source !== null, "transition/election-missing", `epoch ${epoch}`);
  require(source.input.epoch === epoch, "transition/election-missing", `epoch ${epoch}`);
  return electShardState(config, source.input, source.seed).shardState;
}

/** A shard state the beacon chain stored (Go `ReadFromDB`). */
function beaconState(beacon: BeaconView, epoch: bigint): ShardState {
  const state = beacon.shardStates.get(epoch);
  require(state !== undefined, "transition/beacon-state-unknown", `epoch ${epoch}`);
  return state;
}

/** The beacon epoch a non-beacon shard follows (see the module notes). */
function followedBeaconEpoch(header: Header, beacon: BeaconView, isVerify: boolean): bigint {
  if (!isVerify) return beacon.headIsLastInEpoch ? beacon.headEpoch + 1n : beacon.headEpoch;
  return decodeShardState(header.shardState).epoch ?? header.epoch + 1n;
}

/**
 * The shard state a block must carry (Go `SuperCommitteeForNextEpoch`).
 *
 * @param config the network configuration
 * @param header the block's header (when proposing: the header being built)
 * @param sources the beacon view and, where one is due, the election
 * @param isVerify whether a received header is checked (the beacon epoch is read from its own
 *   shard state) or a block is proposed (from the beacon head)
 * @returns the shard state, or {@link EMPTY_SHARD_STATE} when the block carries none
 * @throws {SpecError} `transition/election-missing`, `transition/beacon-state-unknown`; the
 *   decoding codes of `decodeShardState` (verifying); the election's codes
 */
export function superCommitteeForNextEpoch(
  config: NetworkConfig,
  header: Header,
  sources: TransitionSources,
  isVerify: boolean,
): ShardState {
  const nextEpoch = header.epoch + 1n;
  if (header.shardId === BEACON_CHAIN_SHARD_ID) {
    if (!isLastBlockOfEpoch(config, header.number)) return EMPTY_SHARD_STATE;
    return elected(config, sources, nextEpoch);
  }
  const beaconEpoch = followedBeaconEpoch(header, sources.beacon, isVerify);
  if (isActive(config, "Staking", nextEpoch)) {
    // The shard changes epoch only once the beacon chain has; until then it carries nothing.
    if (beaconEpoch > header.epoch) return beaconState(sources.beacon, beaconEpoch);
    return EMPTY_SHARD_STATE;
  }
  if (isActive(config, "Staking", beaconEpoch)) return beaconState(sources.beacon, beaconEpoch);
  if (isLastBlockOfEpoch(config, header.number)) return elected(config, sources, nextEpoch);
  return EMPTY_SHARD_STATE;
}

/**
 * Checks a header's `ShardState` field (Go `VerifyShardState`).
 *
 * @param config the network configuration
 * @param ownShardId the shard of the verifying chain
 * @param header the header
 * @param sources the beacon view and, where one is due, the election
 * @throws {SpecError} `transition/wrong-shard`, `transition/shard-state-mismatch`; the codes of
 *   {@link superCommitteeForNextEpoch}
 */
export function verifyShardState(
  config: NetworkConfig,
  ownShardId: bigint,
  header: Header,
  sources: TransitionSources,
): void {
  require(header.shardId === ownShardId, "transition/wrong-shard");
  // Go accepts an empty field without computing anything (a withheld state is not detected).
  if (header.shardState.length === 0) return;
  const expected = superCommitteeForNextEpoch(config, header, sources, true);
  const ok = bytesEqual(shardStateEncoding(config, expected), header.shardState);
  require(ok, "transition/shard-state-mismatch");
}

/**
 * The epoch of the block after `parent` (Go `GetNewEpoch`).
 *
 * @param config the network configuration
 * @param parent the parent header
 * @returns the staking epoch written in the parent's shard state; else the parent's epoch plus
 *   one when the parent carries a shard state and is not block 0; else the parent's epoch
 */
export function nextBlockEpoch(config: NetworkConfig, parent: Header): bigint {
  if (parent.shardState.length > 0) {
    const stateEpoch = decodedEpoch(parent.shardState);
    if (stateEpoch !== null && isActive(config, "Staking", stateEpoch)) return stateEpoch;
    if (parent.number !== 0n) return parent.epoch + 1n;
  }
  return parent.epoch;
}

/** The epoch in a `ShardState` field, or `null` when it has none or does not decode. */
function decodedEpoch(field: Uint8Array): bigint | null {
  try {
    return decodeShardState(field).epoch;
  } catch (e) {
    // Go ignores a decoding error here and falls back to the count rule.
    if (!isSpecError(e)) throw e;
    return null;
  }
}

/**
 * The epoch under which a block's shard state is stored (Go `getNextBlockEpoch`): for a block
 * carrying one, its staking epoch if it has one at which `Staking` is active, else the block's
 * epoch plus one; for any other block, its own epoch.
 *
 * @param config the network configuration
 * @param header the block's header
 * @returns the epoch
 * @throws {SpecError} the decoding codes of `decodeShardState`
 */
export function shardStateStorageEpoch(config: NetworkConfig, header: Header): bigint {
  if (header.shardState.length === 0) return header.epoch;
  const stateEpoch = decodeShardState(header.shardState).epoch;
  if (stateEpoch !== null && isActive(config, "Staking", stateEpoch)) return stateEpoch;
  return header.epoch + 1n;
}
