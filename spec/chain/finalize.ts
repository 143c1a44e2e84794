/**
 * A block's finalisation on the chain: the staking rules of `staking/finalize.ts` fed from the
 * chain's records and the block's world state, and their results written back.
 *
 * Go's `Finalize` runs after the block's transactions and incoming receipts, on the same state.
 * {@link finalizeOnChain} gathers what `finalizeBlock` reads, in the order Go reads it:
 *
 * - **validators**: the wrappers of the validator list (as of the parent block) in the block's
 *   state after its transactions, in list order; a validator created by this very block is not
 *   listed yet, as in Go;
 * - **snapshots**: the validators' snapshots of the parent's epoch (Go `ReadValidatorSnapshot`
 *   reads the epoch of the chain's current block, the parent);
 * - **signatures** ({@link rewardSignatures}): before `Staking`, the block's own
 *   `LastCommitBitmap` over the parent's committee on this shard; on the beacon chain before
 *   `AggregatedReward`, that bitmap (the block's "pseudo-crosslink") and the crosslinks the header
 *   carries; from `AggregatedReward`, on a reward block, the same for each of the last
 *   `rewardFrequency` beacon blocks, oldest first, this block included (Go
 *   `distributeRewardAfterAggregateEpoch`); each with the committee of its shard and epoch;
 * - **slashes**: the header's records, with the offenders' snapshots at the evidences' epochs;
 * - on the beacon chain's last block of an epoch, the **epoch end**: the shard state of the
 *   ending epoch, the wrappers of the parent's state (the election's), the first election epochs
 *   (storage slots), and the genesis account lists of the instances.
 *
 * The results are written back as Go's state does: each changed wrapper through
 * `finaliseValidatorWrapper` (a wrapper failing its sanity check keeps its bytes from before the
 * finalisation), changed first election epochs to their slot, the balance credits in order; then
 * the state ends the "transaction" as Go's `IntermediateRoot` does (from `S3`, touched empty
 * accounts are deleted).
 *
 * @see github.com/harmony-one/harmony internal/chain/engine.go (`Finalize`), internal/chain/reward.go
 *   (`AccumulateRewardsAndCountSigs`, `distributeRewardAfterAggregateEpoch`), core/state/statedb.go
 *   (`Finalise`, `UpdateValidatorWrapper`)
 * @module
 */
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import {
  addBalance,
  addressKey,
  finaliseTransaction,
  type WorldState,
} from "../execution/state.ts";
import { isActive } from "../params/features.ts";
import { type CrossLink, decodeCrossLinks } from "../sharding/crosslink.ts";
import { BEACON_CHAIN_SHARD_ID, isLastBlockOfEpoch } from "../sharding/schedule.ts";
import { type EpochEndInput, finalizeBlock, type FinalizeResult } from "../staking/finalize.ts";
import {
  type BeaconBlockSignatures,
  isRewardBlock,
  type SignedBlock,
  type ValidatorSnapshot,
} from "../staking/rewards.ts";
import { decodeSlashRecords, type SlashRecord } from "../staking/slashing.ts";
import { finaliseValidatorWrapper, type ValidatorWrapper } from "../staking/validator.ts";
import { encodeValidatorWrapper } from "../staking/wrapper-rlp.ts";
import { committeeOf, recentHeader } from "./context.ts";
import type { Header } from "./header.ts";
import {
  type ChainState,
  firstElectionEpochOf,
  foundationalAccountsAt,
  harmonyAccountsAt,
  listedWrappers,
  setFirstElectionEpoch,
  shardStateAt,
  writeValidatorWrapper,
} from "./state.ts";

/** The signed block of a header: its own `LastCommitBitmap` over its parent's committee. */
function pseudoCrossLink(state: ChainState, header: Header, parent: Header): SignedBlock {
  return {
    shardId: header.shardId,
    epoch: parent.epoch,
    blockNumber: parent.number,
    bitmap: header.lastCommitBitmap,
    committee: committeeOf(state, header.shardId, parent.epoch),
  };
}

/** A crosslink as a signed block, with the committee of its shard and epoch. */
function signedCrossLink(state: ChainState, cl: CrossLink): SignedBlock {
  return {
    shardId: cl.shardId,
    epoch: cl.epoch,
    blockNumber: cl.blockNumber,
    bitmap: cl.bitmap,
    committee: committeeOf(state, cl.shardId, cl.epoch),
  };
}

/** What one beacon block brings to the rewards. */
function blockSignatures(state: ChainState, header: Header, parent: Header): BeaconBlockSignatures {
  const links = header.crossLinks.length === 0 ? [] : decodeCrossLinks(header.crossLinks);
  return {
    parent: pseudoCrossLink(state, header, parent),
    crossLinks: links.map((cl) => signedCrossLink(state, cl)),
  };
}

/** A header of the chain or the block being finalised. */
function headerAt(state: ChainState, header: Header, number: bigint): Header {
  if (number === header.number) return header;
  const found = recentHeader(state, number);
  require(found !== undefined, "chain/history-too-short", `block ${number}`);
  return found;
}

/**
 * The signatures a block pays for (see the module notes).
 *
 * @param state the chain state of the block's parent
 * @param header the block's header
 * @returns one entry per rewarded beacon block, oldest first; one entry before `Staking`
 * @throws {SpecError} the crosslink decoding codes; `transition/committee-unknown`,
 *   `epos/shard-not-in-state`; `chain/history-too-short` when the reward window reaches beyond
 *   the recent headers
 */
export function rewardSignatures(state: ChainState, header: Header): BeaconBlockSignatures[] {
  const config = state.config.network;
  if (header.number === 0n) return [];
  if (!isActive(config, "Staking", header.epoch)) {
    return [{ parent: pseudoCrossLink(state, header, state.head), crossLinks: [] }];
  }
  if (header.shardId !== BEACON_CHAIN_SHARD_ID) return [];
  if (!isActive(config, "AggregatedReward", header.epoch)) {
    return [blockSignatures(state, header, state.head)];
  }
  if (!isRewardBlock(config, header.epoch, header.number)) return [];
  const out: BeaconBlockSignatures[] = [];
  const f = config.sharding.rewardFrequency;
  for (let n = header.number - f + 1n; n <= header.number; n++) {
    if (n < 1n) continue; // block 0 has no parent to sign
    out.push(blockSignatures(state, headerAt(state, header, n), headerAt(state, header, n - 1n)));
  }
  return out;
}

/** The snapshots of an epoch for the listed validators that have one. */
function snapshotsAt(state: ChainState, epoch: bigint): ValidatorSnapshot[] {
  const byAddress = state.offChain.snapshots.get(epoch);
  if (byAddress === undefined) return [];
  const out: ValidatorSnapshot[] = [];
  for (const address of state.offChain.validators) {
    const wrapper = byAddress.get(toHex(address));
    if (wrapper !== undefined) out.push({ epoch, wrapper });
  }
  return out;
}

/** The offenders' snapshots at their evidences' epochs. */
function slashSnapshots(state: ChainState, records: SlashRecord[]): ValidatorSnapshot[] {
  const out: ValidatorSnapshot[] = [];
  for (const r of records) {
    const { epoch } = r.evidence.moment;
    const wrapper = state.offChain.snapshots.get(epoch)?.get(toHex(r.evidence.offender));
    if (wrapper !== undefined) out.push({ epoch, wrapper });
  }
  return out;
}

/** The epoch-end inputs of the beacon chain's last block of an epoch. */
function epochEndInput(state: ChainState, header: Header, world: WorldState): EpochEndInput {
  const cfg = state.config;
  const list = state.offChain.validators;
  const next = header.epoch + 1n;
  return {
    currentShardState: shardStateAt(state, header.epoch),
    electionValidators: listedWrappers(state.world, list),
    firstElectionEpochs: list.map((a) => firstElectionEpochOf(world, a)),
    harmonyAccounts: harmonyAccountsAt(cfg, next),
    reservedKeys: harmonyAccountsAt(cfg, header.epoch).map((a) => a.blsPublicKey),
    foundationalAccounts: foundationalAccountsAt(cfg, next),
  };
}

/** Writes a wrapper back unless its bytes are unchanged, under the sanity-checked write rule. */
function writeBack(world: WorldState, stored: ValidatorWrapper, updated: ValidatorWrapper): void {
  const kept = finaliseValidatorWrapper(stored, updated);
  const bytes = encodeValidatorWrapper(kept);
  if (!bytesEqual(bytes, encodeValidatorWrapper(stored))) writeValidatorWrapper(world, kept);
}

/** Writes the results of `finalizeBlock` to the block's state. */
function applyResult(
  world: WorldState,
  validators: ValidatorWrapper[],
  firsts: bigint[] | null,
  result: FinalizeResult,
): void {
  validators.forEach((stored, i) => writeBack(world, stored, result.validators[i]));
  if (firsts !== null && result.firstElectionEpochs !== null) {
    result.firstElectionEpochs.forEach((epoch, i) => {
      const address = validators[i].validator.address;
      if (epoch !== firsts[i]) setFirstElectionEpoch(world, address, epoch);
    });
  }
  for (const c of result.balanceCredits) addBalance(world, addressKey(c.address), c.amount);
}

/**
 * Finalises a block on its state (see the module notes): gathers the inputs of `finalizeBlock`,
 * runs it, and writes its results.
 *
 * @param state the chain state of the block's parent
 * @param world the block's state after its transactions and incoming receipts (written)
 * @param header the block's header
 * @returns the result of `finalizeBlock` (wrappers before the sanity-checked write)
 * @throws {SpecError} the codes of `finalizeBlock`, `decodeSlashRecords`, {@link rewardSignatures}
 *   and of reading the validators (`chain/validator-record-missing`,
 *   `chain/validator-record-malformed`), `chain/account-list-unknown`
 */
export function finalizeOnChain(
  state: ChainState,
  world: WorldState,
  header: Header,
): FinalizeResult {
  const config = state.config.network;
  const list = state.offChain.validators;
  const validators = listedWrappers(world, list);
  const slashes = header.slashes.length === 0 ? [] : decodeSlashRecords(header.slashes);
  const epochEnd = header.shardId === BEACON_CHAIN_SHARD_ID &&
      isLastBlockOfEpoch(config, header.number)
    ? epochEndInput(state, header, world)
    : null;
  const result = finalizeBlock({
    config,
    shardId: header.shardId,
    blockNumber: header.number,
    epoch: header.epoch,
    coinbase: header.coinbase,
    validators,
    snapshots: snapshotsAt(state, state.head.epoch),
    signatures: rewardSignatures(state, header),
    slashes,
    slashSnapshots: slashSnapshots(state, slashes),
    epochEnd,
  });
  applyResult(world, validators, epochEnd?.firstElectionEpochs ?? null, result);
  finaliseTransaction(world, isActive(config, "S3", header.epoch));
  return result;
}
