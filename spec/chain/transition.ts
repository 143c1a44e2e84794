/**
 * The epoch transition as a chain runs it: the election the last block of an epoch must carry,
 * seeded by the epoch's randomness, and the DRG's progress through the beacon chain's blocks.
 *
 * **The election** ({@link electionSource}). The beacon chain's last block of epoch `E` carries
 * the shard state of `E + 1`, elected from the state of the block's *parent* (Go runs
 * `SuperCommitteeForNextEpoch` on its current block, the parent): the validator list in order, each
 * validator as the election sees it (`eposCandidateOf`: its wrapper in the parent's state and its
 * snapshot of `E`), the Harmony accounts of the instance of `E + 1`, the Harmony keys of the
 * instance of `E` (never electable), the foundational accounts of `E + 1` (pre-staking
 * committees), and the shard state of `E` (reused when nobody wins). Before `Staking` is active at
 * `E + 1` no validator is read. A shard other than the beacon chain computes the fixed
 * pre-staking committees the same way, with no validators.
 *
 * **The seed** of random resharding (`sharding/resharding.ts`): the epoch's DRG randomness when
 * the DRG committed one before the last block, else the hash of the parent block (the block the
 * election reads).
 *
 * **The DRG** ({@link drgAfterBlock}): while `DRG` is active, each beacon block's `Vdf` field is a
 * DRG record of the block's epoch (`randomness/drg.ts`). An epoch's record starts at the first
 * block of the epoch the chain processes, with the hash of that block's parent (the previous
 * epoch's last block) as the VRF input and the epoch's beacon committee; on shards other than the
 * beacon chain, and before `DRG`, the field is not read.
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go `SuperCommitteeForNextEpoch`,
 *   shard/committee/assignment.go `Compute`
 * @module
 */
import { toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { isActive } from "../params/features.ts";
import {
  drgActive,
  drgApplyBlock,
  type DrgEpoch,
  drgEpochSetup,
  drgStartEpoch,
  epochRandomness,
} from "../randomness/drg.ts";
import { reshardingSeed } from "../sharding/resharding.ts";
import type { ElectionSource } from "../sharding/transition.ts";
import type { EposCandidate } from "../staking/election.ts";
import { eposCandidateOf } from "../staking/finalize.ts";
import { committeeOf } from "./context.ts";
import type { Header } from "./header.ts";
import {
  type ChainState,
  foundationalAccountsAt,
  harmonyAccountsAt,
  listedWrapper,
} from "./state.ts";

/** The validators as the election sees them, from the parent's state and snapshots. */
function candidates(state: ChainState, nextEpoch: bigint): EposCandidate[] {
  if (!isActive(state.config.network, "Staking", nextEpoch)) return [];
  const snapshots = state.offChain.snapshots.get(state.head.epoch);
  return state.offChain.validators.map((address) => {
    const snapshot = snapshots?.get(toHex(address));
    require(snapshot !== undefined, "finalize/snapshot-not-found", toHex(address));
    const wrapper = listedWrapper(state.world, address);
    return eposCandidateOf(wrapper, { epoch: state.head.epoch, wrapper: snapshot });
  });
}

/**
 * The epoch's randomness for the resharding seed: the DRG's, when the chain's DRG record is the
 * header's epoch's and committed one.
 *
 * @param state the chain state of the block's parent
 * @param header the block's header
 * @returns 32 bytes, or null
 */
export function epochRandomnessFor(state: ChainState, header: Header): Uint8Array | null {
  const drg = state.offChain.drg;
  return drg !== null && drg.epoch === header.epoch ? epochRandomness(drg) : null;
}

/**
 * The election a block that ends an epoch computes (see the module notes).
 *
 * @param state the chain state of the block's parent
 * @param header the block's header
 * @returns the election's inputs and the resharding seed
 * @throws {SpecError} `finalize/snapshot-not-found`, `chain/account-list-unknown`, the codes of
 *   reading the validators, `resharding/bad-seed-length`
 */
export function electionSource(state: ChainState, header: Header): ElectionSource {
  const cfg = state.config;
  const next = header.epoch + 1n;
  return {
    input: {
      epoch: next,
      currentEpoch: header.epoch,
      candidates: candidates(state, next),
      harmonyAccounts: harmonyAccountsAt(cfg, next),
      reservedKeys: harmonyAccountsAt(cfg, header.epoch).map((a) => a.blsPublicKey),
      foundationalAccounts: foundationalAccountsAt(cfg, next),
      previous: state.shardStates.get(header.epoch) ?? null,
    },
    seed: reshardingSeed(epochRandomnessFor(state, header), header.parentHash),
  };
}

/**
 * The DRG record a beacon block of `header.epoch` applies to: the chain's current one when it is
 * for that epoch, else a new one.
 *
 * @param state the chain state of the block's parent
 * @param header the block's header
 * @returns the record before the block
 * @throws {SpecError} the codes of `committeeOf` and of the schedule
 */
export function drgBeforeBlock(state: ChainState, header: Header): DrgEpoch {
  const current = state.offChain.drg;
  if (current !== null && current.epoch === header.epoch) return current;
  const keys = committeeOf(state, header.shardId, header.epoch).slots.map((s) => s.blsPublicKey);
  const config = state.config.network;
  return drgStartEpoch(drgEpochSetup(config, header.epoch, header.parentHash, keys));
}

/**
 * The DRG record after a block: its `Vdf` field applied while the DRG runs on the chain, else the
 * record unchanged.
 *
 * @param state the chain state of the block's parent
 * @param header the block's header
 * @returns the record after the block, or null when the DRG does not run
 * @throws {SpecError} the codes of `drgApplyBlock` and {@link drgBeforeBlock}
 */
export function drgAfterBlock(state: ChainState, header: Header): DrgEpoch | null {
  if (!drgActive(state.config.network, header.shardId, header.epoch)) return null;
  return drgApplyBlock(drgBeforeBlock(state, header), header.number, header.vdf);
}
