/**
 * Delegations, undelegations and the release of undelegated tokens.
 *
 * A *delegation* binds an account's tokens to one validator. The validator keeps the list of its
 * delegations in its wrapper; entry 0 is always its own *self-delegation*. A delegation records:
 * - `amount`: the tokens staked now (they count towards the validator's stake);
 * - `reward`: rewards earned and not yet collected (they never compound);
 * - `undelegations`: tokens taken out of `amount` and still locked, as `(amount, epoch)` entries
 *   sorted by epoch, at most one per epoch.
 *
 * Entries are never removed from the list: a delegation whose amount reaches 0 stays, because
 * delegators find their delegation by its index in the list (their *delegation indexes*, kept by
 * the chain outside the state).
 *
 * **Undelegating** ({@link undelegate}) moves tokens from `amount` into the undelegation of the
 * current epoch. **Releasing** ({@link removeUnlockedUndelegations}) happens at the last beacon
 * block of each epoch ({@link payoutUndelegations}): walking the undelegations from the oldest,
 * an entry is released when at least `lockPeriod` epochs have passed since it was made, or —
 * before `NoEarlyUnlock` — when the validator has been out of the committee for at least
 * `lockPeriod` epochs; the walk stops at the first entry that is not released. Released tokens go
 * back to the delegator's balance.
 *
 * The lock period ({@link lockPeriodInEpochs}) is 7 epochs, except between `QuickUnlock` and
 * `Redelegation` (mainnet epochs 191 to 289), when it was 0: tokens came back at the end of the
 * epoch they were undelegated in.
 *
 * **Quirk [New in MaxRate].** From `MaxRate` (judged at the *next* epoch), an entry released with
 * more than `lockPeriod` epochs elapsed is removed *without* paying it out. With payouts at every
 * epoch end, entries are released at exactly `lockPeriod` epochs, so only entries that stayed
 * locked longer (for example behind an entry that could not be released, or across the switch
 * from a 0 to a 7-epoch lock) are lost. The spec reproduces it.
 *
 * @see github.com/harmony-one/harmony staking/types/delegation.go (`Delegation`, `Undelegate`,
 *   `RemoveUnlockedUndelegations`, `LockPeriodInEpoch`, `LockPeriodInEpochV2`)
 * @see github.com/harmony-one/harmony internal/chain/engine.go (`payoutUndelegations`,
 *   `GetLockPeriodInEpoch`)
 * @module
 */
import { bytesEqual } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import type { ValidatorWrapper } from "./validator.ts";

/** Tokens taken out of a delegation and still locked. */
export interface Undelegation {
  /** The amount, in atto. */
  amount: bigint;
  /** The epoch in which the tokens were undelegated. */
  epoch: bigint;
}

/** One account's stake with one validator (Go `Delegation`). */
export interface Delegation {
  /** The delegator's 20-byte address. */
  delegatorAddress: Uint8Array;
  /** The tokens staked, in atto. */
  amount: bigint;
  /** Rewards earned and not yet collected, in atto. */
  reward: bigint;
  /** Locked undelegated tokens, sorted by epoch, at most one entry per epoch. */
  undelegations: Undelegation[];
}

/** Where a delegator's delegation sits: the validator and the index in its delegation list. */
export interface DelegationIndex {
  /** The validator delegated to. */
  validatorAddress: Uint8Array;
  /** The index of the delegation in that validator's list (Go `uint64`). */
  index: bigint;
}

/** An amount paid back to an account's balance. */
export interface BalanceCredit {
  /** The account credited. */
  address: Uint8Array;
  /** The amount, in atto. */
  amount: bigint;
}

/** The lock period before `QuickUnlock` and again from `Redelegation`, in epochs. */
export const LOCK_PERIOD_IN_EPOCHS = 7n;

/** The lock period from `QuickUnlock` until `Redelegation`, in epochs. */
export const LOCK_PERIOD_IN_EPOCHS_V2 = 0n;

/**
 * A new delegation with no reward and no undelegation (Go `NewDelegation`).
 *
 * @param delegatorAddress the delegator
 * @param amount the amount staked
 * @returns the delegation
 */
export function newDelegation(delegatorAddress: Uint8Array, amount: bigint): Delegation {
  return { delegatorAddress, amount, reward: 0n, undelegations: [] };
}

/** A copy of a delegation that shares nothing mutable with it. */
export function copyDelegation(d: Delegation): Delegation {
  return { ...d, undelegations: d.undelegations.map((u) => ({ ...u })) };
}

/**
 * The undelegation lock period at an epoch (Go `GetLockPeriodInEpoch`): 7 from `Redelegation`;
 * otherwise 0 from `QuickUnlock`; otherwise 7.
 *
 * @param config the network configuration
 * @param epoch the epoch of the payout
 * @returns the lock period in epochs
 */
export function lockPeriodInEpochs(config: NetworkConfig, epoch: bigint): bigint {
  if (isActive(config, "Redelegation", epoch)) return LOCK_PERIOD_IN_EPOCHS;
  if (isActive(config, "QuickUnlock", epoch)) return LOCK_PERIOD_IN_EPOCHS_V2;
  return LOCK_PERIOD_IN_EPOCHS;
}

/**
 * Undelegates tokens (Go `Delegation.Undelegate`): subtracts `amount` from the delegation and
 * adds it to the undelegation of `epoch`, creating that entry (kept in epoch order) if needed.
 *
 * @param delegation the delegation
 * @param epoch the current epoch
 * @param amount the amount to undelegate
 * @returns the updated delegation (a new record)
 * @throws {SpecError} `staking/undelegate-amount-not-positive` when `amount ≤ 0`;
 *   `staking/insufficient-delegation` when `amount` exceeds the delegated amount
 */
export function undelegate(delegation: Delegation, epoch: bigint, amount: bigint): Delegation {
  require(amount > 0n, "staking/undelegate-amount-not-positive");
  require(delegation.amount >= amount, "staking/insufficient-delegation");
  const out = copyDelegation(delegation);
  out.amount -= amount;
  const existing = out.undelegations.find((u) => u.epoch === epoch);
  if (existing !== undefined) {
    existing.amount += amount;
    return out;
  }
  out.undelegations.push({ amount, epoch });
  // Stable sort by epoch, as Go's sort.SliceStable.
  out.undelegations.sort((a, b) => (a.epoch < b.epoch ? -1 : a.epoch > b.epoch ? 1 : 0));
  return out;
}

/**
 * The tokens of a delegation still locked in undelegations (Go `TotalInUndelegation`).
 *
 * @param delegation the delegation
 * @returns the sum of its undelegation amounts
 */
export function totalInUndelegation(delegation: Delegation): bigint {
  let total = 0n;
  for (const u of delegation.undelegations) total += u.amount;
  return total;
}

/** Parameters of a release of undelegations, fixed for the whole epoch-end payout. */
export interface UnlockRule {
  /** The epoch of the payout (the epoch that ends). */
  currentEpoch: bigint;
  /** The lock period in epochs. */
  lockPeriod: bigint;
  /** Whether `NoEarlyUnlock` is active: no release because the validator left the committee. */
  noEarlyUnlock: boolean;
  /** Whether `MaxRate` is active at the next epoch: over-age entries are dropped unpaid. */
  isMaxRate: boolean;
}

/** What a release leaves and pays. */
export interface UnlockResult {
  /** The delegation without its released entries. */
  delegation: Delegation;
  /** The amount to pay back to the delegator. */
  withdrawn: bigint;
}

/**
 * Releases the unlocked undelegations of one delegation (Go `RemoveUnlockedUndelegations`).
 *
 * From the oldest entry: with `since = currentEpoch − entry.epoch`, the entry is released when
 * `since ≥ lockPeriod`, or when `!noEarlyUnlock` and `currentEpoch − lastEpochInCommittee ≥
 * lockPeriod`. The walk stops at the first entry not released. A released entry is paid out,
 * except when `isMaxRate` and `since > lockPeriod`, where it is removed unpaid.
 *
 * @param delegation the delegation
 * @param lastEpochInCommittee the validator's last epoch in a committee (0 = never)
 * @param rule the payout's parameters
 * @returns the delegation without its released entries, and the amount to pay out
 */
export function removeUnlockedUndelegations(
  delegation: Delegation,
  lastEpochInCommittee: bigint,
  rule: UnlockRule,
): UnlockResult {
  const out = copyDelegation(delegation);
  const outOfCommittee = rule.currentEpoch - lastEpochInCommittee >= rule.lockPeriod;
  const earlyUnlock = outOfCommittee && !rule.noEarlyUnlock;
  let withdrawn = 0n;
  let count = 0;
  for (const entry of out.undelegations) {
    const since = rule.currentEpoch - entry.epoch;
    if (!(since >= rule.lockPeriod || earlyUnlock)) break;
    // [New in MaxRate] entries older than the lock period are dropped without payment.
    if (!(rule.isMaxRate && since > rule.lockPeriod)) withdrawn += entry.amount;
    count++;
  }
  out.undelegations = out.undelegations.slice(count);
  return { delegation: out, withdrawn };
}

/** The result of an epoch-end payout. */
export interface PayoutResult {
  /** Every validator's wrapper after the payout, in the order given. */
  wrappers: ValidatorWrapper[];
  /** The balances to credit, in processing order (validator, then delegation order). */
  credits: BalanceCredit[];
}

/**
 * Pays out unlocked undelegations at the last beacon block of an epoch, from `PreStaking` on (Go
 * `payoutUndelegations`), for every validator of the validator list and every delegation.
 *
 * The lock period and `NoEarlyUnlock` are judged at `epoch`; `MaxRate` at `epoch + 1`, the epoch
 * of the shard state the last block carries. Go changes the wrappers in its state cache without a
 * sanity check; they are persisted under the rule of `finaliseValidatorWrapper`.
 *
 * @param config the network configuration
 * @param epoch the epoch that ends (the header's epoch)
 * @param wrappers every validator's wrapper, in the order of the validator list
 * @returns the updated wrappers and the balance credits (non-zero amounts only)
 */
export function payoutUndelegations(
  config: NetworkConfig,
  epoch: bigint,
  wrappers: ValidatorWrapper[],
): PayoutResult {
  const rule: UnlockRule = {
    currentEpoch: epoch,
    lockPeriod: lockPeriodInEpochs(config, epoch),
    noEarlyUnlock: isActive(config, "NoEarlyUnlock", epoch),
    isMaxRate: isActive(config, "MaxRate", epoch + 1n),
  };
  const credits: BalanceCredit[] = [];
  const out: ValidatorWrapper[] = [];
  for (const wrapper of wrappers) {
    const delegations: Delegation[] = [];
    for (const d of wrapper.delegations) {
      const last = wrapper.validator.lastEpochInCommittee;
      const released = removeUnlockedUndelegations(d, last, rule);
      delegations.push(released.delegation);
      if (released.withdrawn !== 0n) {
        credits.push({ address: d.delegatorAddress, amount: released.withdrawn });
      }
    }
    out.push({ ...wrapper, delegations });
  }
  return { wrappers: out, credits };
}

/**
 * Finds the first delegation of an account in a delegation list.
 *
 * @param delegations the validator's delegations
 * @param delegator the account
 * @returns the index, or -1 when the account has no delegation there
 */
export function findDelegation(delegations: Delegation[], delegator: Uint8Array): number {
  return delegations.findIndex((d) => bytesEqual(d.delegatorAddress, delegator));
}
