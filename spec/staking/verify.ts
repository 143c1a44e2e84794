/**
 * The staking verifier: every check a staking message must pass, and the state it produces.
 *
 * Each message has one pure function. It receives what the Go node reads from the state and the
 * chain (balances, validator wrappers, the validator registry, delegation indexes, Harmony's own
 * keys, snapshot values) and returns the records to write back — new validator wrappers, balance
 * debits or credits, logs — or rejects with a `SpecError`. Inputs are never modified. A rejected
 * staking transaction is not included in a block (Go fails the whole block), so rejection means
 * "no effect at all"; gas and nonce are handled by the execution layer.
 *
 * The checks run in Go's order, because the first failing check decides the error code:
 *
 * **CreateValidator** ({@link verifyAndCreateValidator}): amount not negative; the sender is not a
 * validator yet; identity and keys unused by other validators; balance covers the amount;
 * description lengths; no Harmony key; proofs of possession; then the new wrapper (self-delegation
 * of `amount`) passes the sanity check — which is where the 10,000 ONE minimum self-delegation and
 * the key count limit apply. There is no commission floor at creation.
 *
 * **EditValidator** ({@link verifyAndEditValidator}): the validator exists; identity and added key
 * unused by others; the edit applies (see `applyEditToValidator`); the new rate is at most
 * `maxRate`; below the commission floor only within the promotion period (or if never elected);
 * the validator has a snapshot for the epoch; the rate moves at most `maxChangeRate` away from the
 * rate at the start of the epoch (the snapshot's); sanity check. `updateHeight` becomes the block
 * number when the new rate differs from the snapshot's rate.
 *
 * **Delegate** ({@link verifyAndDelegate}): the validator exists; amount not negative; at least
 * 1,000 ONE, or 100 ONE from `MinDelegation100`; then [New in Redelegation] locked undelegated
 * tokens are spent first (see the function); the amount is added to the delegator's delegation
 * (or a new one is appended); sanity check (the maximum total delegation); the balance covers the
 * part not taken from locked tokens. The validator's status is not checked: delegating to an
 * Inactive or Banned validator is allowed.
 *
 * **Undelegate** ({@link verifyAndUndelegate}): amount not negative; the validator exists; the
 * delegator has a delegation there; the amount is positive and at most the delegation; sanity
 * check, except that a self-delegation falling below the minimum makes the validator Inactive
 * instead of failing. There is no minimum undelegation and no minimum remaining amount.
 *
 * **CollectRewards** ({@link verifyAndCollectRewards}): every delegation of the delegator (by its
 * indexes) gives up its reward; the total must not be zero.
 *
 * Finally every wrapper to write passes the sanity check again, as Go's state write does.
 *
 * @see github.com/harmony-one/harmony core/staking_verifier.go (`VerifyAndCreateValidatorFromMsg`,
 *   `VerifyAndEditValidatorFromMsg`, `VerifyAndDelegateFromMsg`, `VerifyAndUndelegateFromMsg`,
 *   `VerifyAndCollectRewardsFromDelegation`, `checkDuplicateFields`)
 * @see github.com/harmony-one/harmony core/evm.go (`CreateValidatorFn`, `DelegateFn`, ...: the
 *   writes and logs), core/state/statedb.go (`UpdateValidatorWrapper`), staking/params.go (topics)
 * @module
 */
import {
  bigintToBytes,
  bytesEqual,
  compareBytes,
  concatBytes,
  toHex,
  utf8ToBytes,
} from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { isSpecError, require } from "../errors.ts";
import {
  type Dec,
  decAbs,
  decEqual,
  decGT,
  decLT,
  decSub,
  decToString,
} from "../numeric/decimal.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import { minCommissionRate } from "./commission.ts";
import {
  copyDelegation,
  type Delegation,
  type DelegationIndex,
  findDelegation,
  newDelegation,
  undelegate,
} from "./delegation.ts";
import type {
  CollectRewards,
  CreateValidator,
  Delegate,
  EditValidator,
  Undelegate,
} from "./messages.ts";
import {
  applyEditToValidator,
  checkDuplicateFields,
  Eligibility,
  ONE,
  sanityCheckWrapper,
  validatorFromCreateMessage,
  type ValidatorRegistryEntry,
  type ValidatorWrapper,
} from "./validator.ts";

/** Where a staking message is executed. */
export interface StakingBlock {
  /** The network configuration. */
  config: NetworkConfig;
  /** The block's epoch. */
  epoch: bigint;
  /** The block's number. */
  blockNumber: bigint;
}

/** A log a staking transaction emits (address, topics, data; the block fields are the node's). */
export interface StakingLog {
  /** The account the log is about: the delegator. */
  address: Uint8Array;
  /** The topics. */
  topics: Uint8Array[];
  /** The data. */
  data: Uint8Array;
}

/** An amount taken from a delegator's locked undelegations with one validator. */
export interface Redelegation {
  /** The validator whose undelegations were used. */
  validatorAddress: Uint8Array;
  /** The amount, in atto. */
  amount: bigint;
}

/** The one wrapper EditValidator or Undelegate writes. */
export interface WrapperResult {
  /** The updated wrapper. */
  wrapper: ValidatorWrapper;
}

/** What Undelegate reads. */
export interface UndelegateInput {
  /** The message (its signer already checked). */
  message: Undelegate;
  /** The validator's wrapper; null when the address is not a validator. */
  wrapper: ValidatorWrapper | null;
}

/** What CollectRewards reads. */
export interface CollectRewardsInput {
  /** The message (its signer already checked). */
  message: CollectRewards;
  /** The wrappers of the validators the indexes name. */
  wrappers: ValidatorWrapper[];
  /** The delegator's delegation indexes as of the previous block. */
  delegationIndexes: DelegationIndex[];
}

/** Topic of the Delegate log emitted for redelegated tokens: `keccak256("Harmony/Delegate")`. */
export const DELEGATE_TOPIC: Uint8Array = keccak256(utf8ToBytes("Harmony/Delegate"));

/** Topic of the CollectRewards log: `keccak256("Harmony/CollectRewards")`. */
export const COLLECT_REWARDS_TOPIC: Uint8Array = keccak256(utf8ToBytes("Harmony/CollectRewards"));

/** The minimum delegation before `MinDelegation100`: 1,000 ONE. */
export const MINIMUM_DELEGATION = 1_000n * ONE;

/** The minimum delegation from `MinDelegation100`: 100 ONE. */
export const MINIMUM_DELEGATION_V2 = 100n * ONE;

/** A deep copy of a wrapper: what Go's state hands out for editing. */
export function copyWrapper(w: ValidatorWrapper): ValidatorWrapper {
  return {
    validator: { ...w.validator, slotPubKeys: w.validator.slotPubKeys.slice() },
    delegations: w.delegations.map(copyDelegation),
    counters: { ...w.counters },
    blockReward: w.blockReward,
  };
}

/** Finds a wrapper by address. */
function findWrapper(wrappers: ValidatorWrapper[], address: Uint8Array): ValidatorWrapper | null {
  return wrappers.find((w) => bytesEqual(w.validator.address, address)) ?? null;
}

/**
 * The delegation a delegation index names (Go's lookup in `VerifyAndDelegateFromMsg` and
 * `VerifyAndCollectRewardsFromDelegation`): its validator's wrapper, copied for writing, and the
 * delegation at the index in that copy. Go does not check that it is the delegator's.
 */
function indexedDelegation(
  wrappers: ValidatorWrapper[],
  index: DelegationIndex,
): { wrapper: ValidatorWrapper; delegation: Delegation } {
  const found = findWrapper(wrappers, index.validatorAddress);
  require(found !== null, "staking/validator-not-in-state");
  const wrapper = copyWrapper(found);
  require(
    index.index < BigInt(wrapper.delegations.length),
    "staking/delegation-index-out-of-range",
  );
  return { wrapper, delegation: wrapper.delegations[Number(index.index)] };
}

/** The state write: every wrapper written passes the sanity check again. */
function requireWritable(wrappers: ValidatorWrapper[]): void {
  for (const w of wrappers) sanityCheckWrapper(w);
}

// ---------------------------------------------------------------------------------------------
// CreateValidator

/** What CreateValidator reads. */
export interface CreateValidatorInput {
  /** The message (its signer already checked). */
  message: CreateValidator;
  /** The validator's balance when the message executes (after gas was bought). */
  balance: bigint;
  /** Whether the address is already a validator (its validator flag is set). */
  isValidator: boolean;
  /** Every validator, in the order of the chain's validator list. */
  registry: ValidatorRegistryEntry[];
  /** Harmony's own BLS keys for the block's epoch. */
  harmonyKeys: Uint8Array[];
}

/** What CreateValidator writes. */
export interface CreateValidatorResult {
  /** The new wrapper (the account's code); the validator flag is set too. */
  wrapper: ValidatorWrapper;
  /** The amount taken from the validator's balance. */
  balanceDebit: bigint;
}

/**
 * Verifies a CreateValidator message and builds the new validator (Go
 * `VerifyAndCreateValidatorFromMsg`, then `CreateValidatorFn`'s write).
 *
 * @param block the block
 * @param input what the message reads
 * @returns the new wrapper and the balance debit (the amount)
 * @throws {SpecError} `staking/negative-amount`, `staking/validator-exists`,
 *   `staking/duplicate-identity`, `staking/duplicate-bls-key`, `staking/insufficient-balance`,
 *   the codes of `validatorFromCreateMessage` and of `sanityCheckWrapper`
 */
export function verifyAndCreateValidator(
  block: StakingBlock,
  input: CreateValidatorInput,
): CreateValidatorResult {
  const msg = input.message;
  require(msg.amount >= 0n, "staking/negative-amount");
  require(!input.isValidator, "staking/validator-exists");
  const identity = msg.description.identity;
  checkDuplicateFields(input.registry, msg.validatorAddress, identity, msg.slotPubKeys);
  require(input.balance >= msg.amount, "staking/insufficient-balance");
  const validator = validatorFromCreateMessage(msg, block.blockNumber, input.harmonyKeys);
  const wrapper: ValidatorWrapper = {
    validator,
    delegations: [newDelegation(validator.address, msg.amount)],
    counters: { numBlocksToSign: 0n, numBlocksSigned: 0n },
    blockReward: 0n,
  };
  sanityCheckWrapper(wrapper);
  requireWritable([wrapper]);
  return { wrapper, balanceDebit: msg.amount };
}

// ---------------------------------------------------------------------------------------------
// EditValidator

/** What EditValidator reads. */
export interface EditValidatorInput {
  /** The message (its signer already checked). */
  message: EditValidator;
  /** The validator's wrapper; null when the address is not a validator. */
  wrapper: ValidatorWrapper | null;
  /** Every validator, in the order of the chain's validator list. */
  registry: ValidatorRegistryEntry[];
  /** Harmony's own BLS keys for the block's epoch. */
  harmonyKeys: Uint8Array[];
  /** The validator's first election epoch (a storage slot), 0 when never elected. */
  firstElectionEpoch: bigint;
  /** The rate in the validator's snapshot for the epoch; null when there is no snapshot. */
  snapshotRate: Dec | null;
}

/**
 * Checks the commission floor of an edit: a rate below the floor is allowed only to a validator
 * never elected, or within its promotion period after its first election.
 */
function checkCommissionFloor(block: StakingBlock, newRate: Dec, firstElectionEpoch: bigint): void {
  const floor = minCommissionRate(block.config, block.epoch);
  if (!decLT(newRate, floor)) return;
  const promoOver = block.epoch - firstElectionEpoch >= block.config.minCommissionPromoPeriod;
  require(
    !(firstElectionEpoch !== 0n && promoOver),
    "staking/commission-rate-too-low",
    decToString(floor),
  );
}

/**
 * Verifies an EditValidator message and applies it (Go `VerifyAndEditValidatorFromMsg`).
 *
 * @param block the block
 * @param input what the message reads
 * @returns the edited wrapper
 * @throws {SpecError} `staking/validator-not-found`, `staking/duplicate-identity`,
 *   `staking/duplicate-bls-key`, the codes of `applyEditToValidator`,
 *   `staking/commission-rate-too-high`, `staking/commission-rate-too-low`,
 *   `staking/validator-snapshot-not-found`, `staking/commission-rate-change-too-fast`, the codes of
 *   `sanityCheckWrapper`
 */
export function verifyAndEditValidator(
  block: StakingBlock,
  input: EditValidatorInput,
): WrapperResult {
  const msg = input.message;
  require(input.wrapper !== null, "staking/validator-not-found");
  const newKeys = msg.slotKeyToAdd === null ? [] : [msg.slotKeyToAdd];
  const identity = msg.description.identity;
  checkDuplicateFields(input.registry, msg.validatorAddress, identity, newKeys);
  const wrapper = copyWrapper(input.wrapper);
  wrapper.validator = applyEditToValidator(wrapper.validator, msg, input.harmonyKeys);
  const rates = wrapper.validator.commission.rates;
  require(!decGT(rates.rate, rates.maxRate), "staking/commission-rate-too-high");
  checkCommissionFloor(block, rates.rate, input.firstElectionEpoch);
  require(input.snapshotRate !== null, "staking/validator-snapshot-not-found");
  if (!decEqual(input.snapshotRate, rates.rate)) {
    wrapper.validator.commission = {
      ...wrapper.validator.commission,
      updateHeight: block.blockNumber,
    };
  }
  const change = decAbs(decSub(rates.rate, input.snapshotRate));
  require(!decGT(change, rates.maxChangeRate), "staking/commission-rate-change-too-fast");
  sanityCheckWrapper(wrapper);
  requireWritable([wrapper]);
  return { wrapper };
}

// ---------------------------------------------------------------------------------------------
// Delegate

/** What Delegate reads. */
export interface DelegateInput {
  /** The message (its signer already checked). */
  message: Delegate;
  /** The delegator's balance when the message executes (after gas was bought). */
  balance: bigint;
  /** The wrappers of the target validator and of every validator the indexes name. */
  wrappers: ValidatorWrapper[];
  /** The delegator's delegation indexes as of the previous block. */
  delegationIndexes: DelegationIndex[];
}

/** What Delegate writes. */
export interface DelegateResult {
  /** Wrappers to write, in order; a later entry for the same validator replaces an earlier one. */
  wrappers: ValidatorWrapper[];
  /** The amount taken from the delegator's balance. */
  balanceDebit: bigint;
  /** Amounts taken from locked undelegations, by validator address (ascending). */
  redelegated: Redelegation[];
  /** One Delegate log per entry of `redelegated`, in the same order. */
  logs: StakingLog[];
}

/** The minimum delegation at an epoch: 1,000 ONE, or 100 ONE from `MinDelegation100`. */
function requireMinimumDelegation(config: NetworkConfig, epoch: bigint, amount: bigint): void {
  if (amount >= MINIMUM_DELEGATION) return;
  const v2 = isActive(config, "MinDelegation100", epoch);
  require(
    v2 && amount >= MINIMUM_DELEGATION_V2,
    "staking/delegation-too-small",
    v2 ? "100" : "1000",
  );
}

/** State of a redelegation walk over the delegator's indexes. */
interface RedelegationWalk {
  /** The part of the amount not yet covered by locked tokens. */
  remaining: bigint;
  /** Wrappers touched so far, in index order. */
  touched: ValidatorWrapper[];
  /** The target validator's wrapper, if touched. */
  target: ValidatorWrapper | null;
  /** Amount taken per validator (hex address → amount); a later entry replaces an earlier. */
  taken: Map<string, Redelegation>;
}

/**
 * Spends locked undelegations of one delegation, oldest first, stopping at the first entry made
 * in the current epoch or later: an entry no larger than what remains is used up and removed;
 * otherwise it is reduced by what remains and the walk stops. Returns what remains.
 */
function spendUndelegations(
  delegation: { undelegations: { amount: bigint; epoch: bigint }[] },
  epoch: bigint,
  need: bigint,
): bigint {
  let remaining = need;
  let i = 0;
  for (; i < delegation.undelegations.length; i++) {
    const u = delegation.undelegations[i];
    if (u.epoch >= epoch) break;
    if (u.amount <= remaining) {
      remaining -= u.amount;
      continue;
    }
    u.amount -= remaining;
    remaining = 0n;
    break;
  }
  if (remaining < need) delegation.undelegations = delegation.undelegations.slice(i);
  return remaining;
}

/** [New in Redelegation] Walks the delegator's indexes, spending locked tokens. */
function redelegate(
  epoch: bigint,
  input: DelegateInput,
): RedelegationWalk {
  const walk: RedelegationWalk = {
    remaining: input.message.amount,
    touched: [],
    target: null,
    taken: new Map(),
  };
  for (const index of input.delegationIndexes) {
    const { wrapper, delegation } = indexedDelegation(input.wrappers, index);
    const start = walk.remaining;
    walk.remaining = spendUndelegations(delegation, epoch, start);
    if (walk.remaining === start) continue;
    sanityCheckWrapper(wrapper);
    if (bytesEqual(index.validatorAddress, input.message.validatorAddress)) walk.target = wrapper;
    walk.touched.push(wrapper);
    const amount = start - walk.remaining;
    walk.taken.set(toHex(index.validatorAddress), {
      validatorAddress: index.validatorAddress,
      amount,
    });
  }
  return walk;
}

/** Adds the amount to every delegation of the delegator, or appends a new one; sanity checks. */
function addDelegation(wrapper: ValidatorWrapper, msg: Delegate): void {
  let found = false;
  for (const d of wrapper.delegations) {
    if (!bytesEqual(d.delegatorAddress, msg.delegatorAddress)) continue;
    d.amount += msg.amount;
    sanityCheckWrapper(wrapper);
    found = true;
  }
  if (found) return;
  wrapper.delegations.push(newDelegation(msg.delegatorAddress, msg.amount));
  sanityCheckWrapper(wrapper);
}

/**
 * Verifies a Delegate message and applies it (Go `VerifyAndDelegateFromMsg`, then `DelegateFn`).
 *
 * [New in Redelegation] Before touching the balance, the delegator's locked undelegations are
 * spent: for each of its delegation indexes in order (any validator, not only the target), the
 * undelegations of the delegation at that index are walked oldest first, using only entries from
 * epochs before the current one; whatever they cover is not taken from the balance. A touched
 * wrapper must pass its sanity check. If the target validator was touched, the new stake is added
 * to that touched copy.
 *
 * @param block the block
 * @param input what the message reads
 * @returns the wrappers to write, the balance debit, the redelegated amounts and their logs
 * @throws {SpecError} `staking/validator-not-found`, `staking/negative-amount`,
 *   `staking/delegation-too-small`, `staking/validator-not-in-state`,
 *   `staking/delegation-index-out-of-range`, the codes of `sanityCheckWrapper`,
 *   `staking/insufficient-balance`
 */
export function verifyAndDelegate(block: StakingBlock, input: DelegateInput): DelegateResult {
  const msg = input.message;
  const targetState = findWrapper(input.wrappers, msg.validatorAddress);
  require(targetState !== null, "staking/validator-not-found");
  require(msg.amount >= 0n, "staking/negative-amount");
  requireMinimumDelegation(block.config, block.epoch, msg.amount);
  const walk: RedelegationWalk = isActive(block.config, "Redelegation", block.epoch)
    ? redelegate(block.epoch, input)
    : { remaining: msg.amount, touched: [], target: null, taken: new Map() };
  let target = walk.target;
  if (target === null) {
    target = copyWrapper(targetState);
    walk.touched.push(target);
  }
  addDelegation(target, msg);
  require(walk.remaining === 0n || input.balance >= walk.remaining, "staking/insufficient-balance");
  requireWritable(walk.touched);
  const redelegated = [...walk.taken.values()].sort((a, b) =>
    compareBytes(a.validatorAddress, b.validatorAddress)
  );
  const logs = redelegated.map((r) => ({
    address: msg.delegatorAddress,
    topics: [DELEGATE_TOPIC],
    data: concatBytes(r.validatorAddress, bigintToBytes(r.amount)),
  }));
  return { wrappers: walk.touched, balanceDebit: walk.remaining, redelegated, logs };
}

// ---------------------------------------------------------------------------------------------
// Undelegate

/**
 * Verifies an Undelegate message and applies it (Go `VerifyAndUndelegateFromMsg`): the first
 * delegation of the delegator gives up `amount` into the undelegation of the current epoch. If
 * the sanity check then fails only because the self-delegation fell below the minimum, the
 * validator becomes Inactive instead.
 *
 * @param block the block
 * @param input the message, and the validator's wrapper (null when not a validator)
 * @returns the updated wrapper
 * @throws {SpecError} `staking/negative-amount`, `staking/validator-not-found`,
 *   `staking/undelegate-amount-not-positive`, `staking/insufficient-delegation`,
 *   `staking/no-delegation-to-undelegate`, the codes of `sanityCheckWrapper`
 */
export function verifyAndUndelegate(
  block: StakingBlock,
  input: UndelegateInput,
): WrapperResult {
  const msg = input.message;
  require(msg.amount >= 0n, "staking/negative-amount");
  require(input.wrapper !== null, "staking/validator-not-found");
  const wrapper = copyWrapper(input.wrapper);
  const i = findDelegation(wrapper.delegations, msg.delegatorAddress);
  require(i >= 0, "staking/no-delegation-to-undelegate");
  wrapper.delegations[i] = undelegate(wrapper.delegations[i], block.epoch, msg.amount);
  try {
    sanityCheckWrapper(wrapper);
  } catch (e) {
    // Falling below the minimum self-delegation is allowed; the validator stops being Active.
    if (!isSpecError(e, "staking/self-delegation-too-small")) throw e;
    wrapper.validator = { ...wrapper.validator, status: Eligibility.Inactive };
  }
  requireWritable([wrapper]);
  return { wrapper };
}

// ---------------------------------------------------------------------------------------------
// CollectRewards

/** What CollectRewards writes. */
export interface CollectRewardsResult {
  /** Every wrapper the indexes name, rewards zeroed, in index order. */
  wrappers: ValidatorWrapper[];
  /** The total credited to the delegator's balance. */
  balanceCredit: bigint;
  /** The CollectRewards log (data: the total, big-endian). */
  logs: StakingLog[];
}

/**
 * Verifies a CollectRewards message and applies it (Go `VerifyAndCollectRewardsFromDelegation`,
 * then `CollectRewardsFn`): the delegation at each of the delegator's indexes gives up its reward.
 *
 * **Quirk.** Go rejects when the total's low 64 bits are zero (`Int64() == 0`), so a total that is
 * a non-zero multiple of 2^64 atto is rejected as "no rewards"; the spec reproduces it.
 *
 * @param input the message, the wrappers the indexes name, and the delegator's delegation indexes
 *   as of the previous block
 * @returns the wrappers to write, the credit and the log
 * @throws {SpecError} `staking/validator-not-in-state`, `staking/delegation-index-out-of-range`,
 *   `staking/no-rewards-to-collect`, the codes of `sanityCheckWrapper`
 */
export function verifyAndCollectRewards(input: CollectRewardsInput): CollectRewardsResult {
  const out: ValidatorWrapper[] = [];
  let total = 0n;
  for (const index of input.delegationIndexes) {
    const { wrapper, delegation: d } = indexedDelegation(input.wrappers, index);
    if (d.reward > 0n) {
      total += d.reward;
      d.reward = 0n;
    }
    out.push(wrapper);
  }
  require(BigInt.asUintN(64, total) !== 0n, "staking/no-rewards-to-collect");
  requireWritable(out);
  const log = {
    address: input.message.delegatorAddress,
    topics: [COLLECT_REWARDS_TOPIC],
    data: bigintToBytes(total),
  };
  return { wrappers: out, balanceCredit: total, logs: [log] };
}
