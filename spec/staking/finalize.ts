/**
 * Block finalisation on the beacon chain: the staking rules that run after a block's
 * transactions, in the Go node's order, composed from the rules of the other staking modules.
 *
 * **Order** (Go `Finalize`). For the last block of an epoch `E` on the beacon chain (the block
 * whose header carries the shard state of `E + 1`):
 * 0. the election of `E + 1` (`election.ts`), which the proposer runs on the state *before* the
 *    block (its parent's) and the header carries; every other node recomputes it to check the
 *    header. Before `Staking` (at `E + 1`) it gives the fixed committees;
 * and then, from `PreStaking` on ({@link finalizeEpoch}):
 * 1. the release of unlocked undelegations (`payoutUndelegations`, `delegation.ts`);
 * 2. the commission upkeep of the election (`setElectionEpochAndMinFee`: last epoch in committee,
 *    first election epoch, commission floor and max rate; `commission.ts`), which must follow 1
 *    because the release reads the old last epoch in committee;
 * 3. the availability verdict of the epoch (`ComputeAndMutateEPOSStatus`, `availability.ts`) for
 *    every validator with a staked slot in the shard state of `E`, before this block's signatures
 *    are counted, so that it agrees with the eligibility check the election made.
 * Then, for every block ({@link finalizeBlock}):
 * 4. the reward rules, which also count signatures (`rewards.ts`);
 * 5. the block's slashing records (`slashing.ts`), allowed only in beacon blocks of the staking
 *    era;
 * 6. from `HIP30`, the recovery credit of the block's remainder.
 * The node then writes every changed wrapper back through its sanity check (see
 * `finaliseValidatorWrapper`); that last step belongs to the state, not to this module, and the
 * wrappers returned here are the ones before it.
 *
 * **The adapters.** The election and the availability rules take plain records of the facts they
 * need; {@link availabilityOf} and {@link eposCandidateOf} build them from a validator's wrapper
 * and its snapshot, once, here.
 *
 * **Accounting.** The result separates the tokens the block creates (`issued`: rewards credited,
 * the recovery credit) from those it destroys (`burnt`: half of what is slashed, and undelegations
 * dropped unpaid under `MaxRate`'s quirk). With every balance and stake of a closed set of
 * accounts, supply after = supply before + issued − burnt, where the supply counts balances and,
 * for every delegation, its amount, its undelegations and its uncollected reward. Transaction fees
 * are the execution layer's and are not part of this module.
 *
 * **Inputs.** Everything is explicit: the validators' wrappers in validator-list order, their
 * snapshots of the current epoch, the signatures the block pays for, the slashing records with
 * the offenders' snapshots, and for the last block of an epoch the current shard state, the
 * wrappers before the block and the first election epochs. Nothing is read from a chain; the
 * result is a plain record of changes for the execution layer to apply.
 *
 * @see github.com/harmony-one/harmony internal/chain/engine.go (`Finalize`,
 *   `IsCommitteeSelectionBlock`, `payoutUndelegations`, `setElectionEpochAndMinFee`,
 *   `applySlashes`)
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (`SuperCommitteeForNextEpoch`)
 * @see github.com/harmony-one/harmony core/offchain.go (the block-reward accumulator)
 * @module
 */
import { bytesKey, toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import type { Dec } from "../numeric/decimal.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import { BEACON_CHAIN_SHARD_ID, isLastBlockOfEpoch } from "../sharding/schedule.ts";
import { type ShardState, stakedSlots } from "../sharding/shard-state.ts";
import {
  EPOS_STATUS_BANNED,
  type EposStatus,
  updateEposStatuses,
  type ValidatorAvailability,
} from "./availability.ts";
import { maintainCommissionAtElection } from "./commission.ts";
import { type BalanceCredit, payoutUndelegations, totalInUndelegation } from "./delegation.ts";
import {
  computeShardState,
  type ElectionResult,
  type EposCandidate,
  type GenesisAccount,
} from "./election.ts";
import {
  accumulateRewardsAndCountSigs,
  type BeaconBlockSignatures,
  hip30RecoveryCredit,
  issuedInBlock,
  type ValidatorSnapshot,
} from "./rewards.ts";
import { applySlashes, type SlashOutcome, type SlashRecord } from "./slashing.ts";
import type { ValidatorWrapper } from "./validator.ts";

/** What the last block of an epoch needs besides the block's own inputs. */
export interface EpochEndInput {
  /** The shard state of the epoch that ends. */
  currentShardState: ShardState;
  /** The wrappers before the block (its parent's state), in validator-list order: the election's. */
  electionValidators: ValidatorWrapper[];
  /** Each validator's first election epoch (0 = never), aligned with the block's `validators`. */
  firstElectionEpochs: bigint[];
  /** Harmony accounts of the instance of the next epoch (see `ElectionInput`). */
  harmonyAccounts: GenesisAccount[];
  /** BLS keys of the Harmony accounts of the current epoch's instance. */
  reservedKeys: Uint8Array[];
  /** Foundational-node accounts of the next epoch's instance (read only before `Staking`). */
  foundationalAccounts: GenesisAccount[];
}

/** Everything the finalisation of one block reads. */
export interface FinalizeInput {
  /** The network configuration. */
  config: NetworkConfig;
  /** The block's shard. */
  shardId: bigint;
  /** The block's number. */
  blockNumber: bigint;
  /** The block's epoch. */
  epoch: bigint;
  /** The block's coinbase (its leader): the beneficiary of slashes. */
  coinbase: Uint8Array;
  /** Every validator's wrapper after the block's transactions, in validator-list order. */
  validators: ValidatorWrapper[];
  /** The validators' snapshots for the epoch of the block's parent (Go `ReadValidatorSnapshot`). */
  snapshots: ValidatorSnapshot[];
  /** The signatures the block pays for (see `BlockRewardInput.signatures`). */
  signatures: BeaconBlockSignatures[];
  /** The header's slashing records, in block order. */
  slashes: SlashRecord[];
  /** The offenders' snapshots at their evidences' epochs. */
  slashSnapshots: ValidatorSnapshot[];
  /** For the beacon chain's last block of an epoch; null otherwise. */
  epochEnd: EpochEndInput | null;
}

/** What the epoch-end part of finalisation produced. */
export interface EpochEndResult {
  /** The election of the next epoch. */
  election: ElectionResult;
  /** The wrappers after payout, commission upkeep and status, in validator-list order. */
  validators: ValidatorWrapper[];
  /** The first election epochs after the upkeep, aligned with `validators`. */
  firstElectionEpochs: bigint[];
  /** Undelegations paid back to balances. */
  credits: BalanceCredit[];
  /** Undelegations removed without payment (`MaxRate`'s quirk). */
  dropped: bigint;
}

/** What finalising one block changes. */
export interface FinalizeResult {
  /** The wrappers after finalisation (before the state's sanity-checked write), list order. */
  validators: ValidatorWrapper[];
  /** First election epochs after the upkeep, aligned with `validators`; null unless epoch end. */
  firstElectionEpochs: bigint[] | null;
  /** Balance credits in Go's order: undelegations, pre-staking rewards, slash, recovery. */
  balanceCredits: BalanceCredit[];
  /** The shard state of the next epoch, carried by the last beacon block of an epoch. */
  nextShardState: ShardState | null;
  /** The beacon chain's block-reward accumulator increment (0 outside the staking beacon). */
  accumulatorIncrement: bigint;
  /** The reward rules' rounding gap, as a Dec of atto (see `RewardOutcome.undistributed`). */
  undistributed: Dec;
  /** Tokens created: rewards credited and the recovery credit. */
  issued: bigint;
  /** Tokens destroyed: the burnt half of slashes and undelegations dropped unpaid. */
  burnt: bigint;
  /** Everything slashes took from stakes. */
  slashed: bigint;
}

/**
 * A validator's availability record (the facts `availability.ts` reads).
 *
 * @param wrapper the validator's wrapper
 * @param snapshot its snapshot for the current epoch
 * @returns its address, status, counters and snapshot counters
 */
export function availabilityOf(
  wrapper: ValidatorWrapper,
  snapshot: ValidatorSnapshot,
): ValidatorAvailability {
  return {
    address: wrapper.validator.address,
    status: wrapper.validator.status as EposStatus,
    counters: wrapper.counters,
    snapshot: { epoch: snapshot.epoch, counters: snapshot.wrapper.counters },
  };
}

/**
 * A validator as the election sees it (Go `prepareOrders` reading the wrapper and the snapshot).
 *
 * @param wrapper the validator's wrapper in the state the election reads
 * @param snapshot its snapshot for the current epoch
 * @returns the candidate record
 */
export function eposCandidateOf(
  wrapper: ValidatorWrapper,
  snapshot: ValidatorSnapshot,
): EposCandidate {
  return {
    ...availabilityOf(wrapper, snapshot),
    slotPubKeys: wrapper.validator.slotPubKeys,
    lastEpochInCommittee: wrapper.validator.lastEpochInCommittee,
    delegations: wrapper.delegations.map((d) => d.amount),
  };
}

/** The snapshots by address. */
function snapshotMap(snapshots: ValidatorSnapshot[]): Map<string, ValidatorSnapshot> {
  const map = new Map<string, ValidatorSnapshot>();
  for (const s of snapshots) map.set(bytesKey(s.wrapper.validator.address), s);
  return map;
}

function snapshotOf(map: Map<string, ValidatorSnapshot>, address: Uint8Array): ValidatorSnapshot {
  const found = map.get(bytesKey(address));
  require(found !== undefined, "finalize/snapshot-not-found", toHex(address));
  return found;
}

/** The election of `epoch + 1` (Go `SuperCommitteeForNextEpoch` on the beacon chain). */
function electNext(input: FinalizeInput, end: EpochEndInput): ElectionResult {
  const next = input.epoch + 1n;
  const snapshots = snapshotMap(input.snapshots);
  // Before Staking the committees are fixed and no validator is read.
  const candidates = isActive(input.config, "Staking", next)
    ? end.electionValidators.map((w) =>
      eposCandidateOf(w, snapshotOf(snapshots, w.validator.address))
    )
    : [];
  return computeShardState(input.config, {
    epoch: next,
    currentEpoch: input.epoch,
    candidates,
    harmonyAccounts: end.harmonyAccounts,
    reservedKeys: end.reservedKeys,
    foundationalAccounts: end.foundationalAccounts,
    previous: end.currentShardState,
  });
}

/** Step 2: commission upkeep of every validator, with the elected set of the new shard state. */
function upkeep(
  config: NetworkConfig,
  newEpoch: bigint,
  validators: ValidatorWrapper[],
  firsts: bigint[],
  next: ShardState,
): { validators: ValidatorWrapper[]; firsts: bigint[] } {
  const listed = new Set(validators.map((w) => bytesKey(w.validator.address)));
  const staked = stakedSlots(next.shards);
  const elected = staked.lookup;
  for (const address of staked.addresses) {
    require(listed.has(bytesKey(address)), "finalize/validator-not-found", toHex(address));
  }
  const out: ValidatorWrapper[] = [];
  const outFirsts: bigint[] = [];
  validators.forEach((wrapper, i) => {
    const isElected = elected.has(toHex(wrapper.validator.address));
    const candidate = { wrapper, firstElectionEpoch: firsts[i], elected: isElected };
    const after = maintainCommissionAtElection(config, newEpoch, candidate);
    out.push(after.wrapper);
    outFirsts.push(after.firstElectionEpoch);
  });
  return { validators: out, firsts: outFirsts };
}

/** Step 3: the availability verdict for the staked validators of the ending epoch. */
function judge(
  config: NetworkConfig,
  current: ShardState,
  validators: ValidatorWrapper[],
  snapshots: Map<string, ValidatorSnapshot>,
): ValidatorWrapper[] {
  const byKey = new Map(validators.map((w) => [bytesKey(w.validator.address), w]));
  const records: ValidatorAvailability[] = [];
  for (const address of stakedSlots(current.shards).addresses) {
    const w = byKey.get(bytesKey(address));
    require(w !== undefined, "finalize/validator-not-found", toHex(address));
    // A Banned validator is left alone before its snapshot is read.
    const banned = w.validator.status === EPOS_STATUS_BANNED;
    const snapshot = banned ? { epoch: 0n, wrapper: w } : snapshotOf(snapshots, address);
    records.push(availabilityOf(w, snapshot));
  }
  const statuses = new Map<string, number>();
  for (const r of updateEposStatuses(config, current, records)) {
    statuses.set(bytesKey(r.address), r.status);
  }
  return validators.map((w) => {
    const status = statuses.get(bytesKey(w.validator.address));
    if (status === undefined || status === w.validator.status) return w;
    return { ...w, validator: { ...w.validator, status } };
  });
}

/** The undelegated tokens of every delegation of some wrappers. */
function undelegated(validators: ValidatorWrapper[]): bigint {
  let total = 0n;
  for (const w of validators) for (const d of w.delegations) total += totalInUndelegation(d);
  return total;
}

/**
 * The epoch-end part of finalisation on the beacon chain: the election of the next epoch, then,
 * from `PreStaking` on, steps 1–3 of the module notes.
 *
 * @param input the block (its `epochEnd` must be set)
 * @returns the election, the wrappers, first election epochs, payouts and dropped amount
 * @throws {SpecError} `finalize/epoch-end-input-missing`, `finalize/snapshot-not-found`,
 *   `finalize/validator-not-found`, and the codes of the election and availability rules
 */
export function finalizeEpoch(input: FinalizeInput): EpochEndResult {
  const end = input.epochEnd;
  require(end !== null, "finalize/epoch-end-input-missing");
  const election = electNext(input, end);
  const firsts = end.firstElectionEpochs;
  require(firsts.length === input.validators.length, "finalize/epoch-end-input-missing", "firsts");
  if (!isActive(input.config, "PreStaking", input.epoch)) {
    const validators = input.validators;
    return { election, validators, firstElectionEpochs: firsts, credits: [], dropped: 0n };
  }
  const paid = payoutUndelegations(input.config, input.epoch, input.validators);
  let credited = 0n;
  for (const c of paid.credits) credited += c.amount;
  const dropped = undelegated(input.validators) - undelegated(paid.wrappers) - credited;
  const newEpoch = input.epoch + 1n;
  const kept = upkeep(input.config, newEpoch, paid.wrappers, firsts, election.shardState);
  const snapshots = snapshotMap(input.snapshots);
  const validators = judge(input.config, end.currentShardState, kept.validators, snapshots);
  return { election, validators, firstElectionEpochs: kept.firsts, credits: paid.credits, dropped };
}

/**
 * Finalises one block (Go `Finalize` without the state root): the epoch-end part on the beacon
 * chain's last block of an epoch, then rewards and signature counting, slashes and the `HIP30`
 * recovery credit.
 *
 * @param input the block and everything its rules read
 * @returns the changes: wrappers, balance credits, the next shard state, and the accounting
 * @throws {SpecError} the codes of {@link finalizeEpoch}, of `accumulateRewardsAndCountSigs`, of
 *   `applySlashes`; `slash/not-allowed` for records outside a staking beacon block
 */
export function finalizeBlock(input: FinalizeInput): FinalizeResult {
  const { config, epoch } = input;
  const isBeacon = input.shardId === BEACON_CHAIN_SHARD_ID;
  const stakingBeacon = isBeacon && isActive(config, "Staking", epoch);
  const end = isBeacon && isLastBlockOfEpoch(config, input.blockNumber)
    ? finalizeEpoch(input)
    : null;
  const rewards = accumulateRewardsAndCountSigs({
    ...input,
    validators: end === null ? input.validators : end.validators,
  });
  const slashes = blockSlashes(input, stakingBeacon, rewards.validators);
  const recovery = hip30RecoveryCredit(config, epoch, rewards.recoveryRemainder);
  const credits: BalanceCredit[] = [
    ...(end === null ? [] : end.credits),
    ...rewards.balanceCredits,
    ...slashes.credits,
    ...(recovery === null ? [] : [recovery]),
  ];
  return {
    validators: slashes.validators,
    firstElectionEpochs: end === null ? null : end.firstElectionEpochs,
    balanceCredits: credits,
    nextShardState: end === null ? null : end.election.shardState,
    accumulatorIncrement: stakingBeacon ? rewards.total : 0n,
    undistributed: rewards.undistributed,
    issued: issuedInBlock(rewards, recovery),
    burnt: slashes.burnt + (end === null ? 0n : end.dropped),
    slashed: slashes.totalSlashed,
  };
}

/** Step 5: the block's slashing records, allowed only in a staking beacon block. */
function blockSlashes(
  input: FinalizeInput,
  stakingBeacon: boolean,
  validators: ValidatorWrapper[],
): SlashOutcome {
  if (input.slashes.length === 0) {
    return { validators, credits: [], totalSlashed: 0n, beneficiaryReward: 0n, burnt: 0n };
  }
  require(stakingBeacon, "slash/not-allowed");
  return applySlashes({
    records: input.slashes,
    validators,
    snapshots: input.slashSnapshots,
    beneficiary: input.coinbase,
  });
}
