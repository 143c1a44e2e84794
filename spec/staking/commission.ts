/**
 * Commission: what a validator keeps of the rewards its delegators earn, and how the protocol
 * bounds it.
 *
 * A validator declares three rates when it is created, each a {@link Dec} fraction:
 * - `rate`, the commission it charges now;
 * - `maxRate`, the highest commission it may ever charge;
 * - `maxChangeRate`, the most `rate` may move within one epoch.
 *
 * The sanity check of a validator ({@link checkCommissionRates}) requires all three in `[0, 1]`,
 * `rate ≤ maxRate` and `maxChangeRate ≤ maxRate`. `maxRate` and `maxChangeRate` cannot be edited
 * afterwards; `rate` can (see the EditValidator verifier).
 *
 * **The commission floor.** From `MinCommissionRate` (mainnet epoch 631) the protocol imposes a
 * minimum rate of 5 %, raised to 7 % by `HIP30` (mainnet epoch 1673) ({@link minCommissionRate}).
 * A validator is not held to it at once: a *promotion period* of `minCommissionPromoPeriod` epochs
 * (mainnet 100) runs from the validator's first election after the floor exists. Two rules apply
 * the floor:
 * - EditValidator rejects a new rate below the floor once the promotion period is over;
 * - at each election, {@link maintainCommissionAtElection} raises the rate of a validator whose
 *   promotion period is over to the floor. Before `HIP30` only elected validators were raised (a
 *   Go bug); from `HIP30` every validator is.
 *
 * **Max rate maintenance.** Raising `rate` to the floor could leave it above `maxRate`, and then
 * the validator would fail its sanity check. From `MaxRate` (mainnet 1733) the election therefore
 * also raises `maxRate` to at least `floor + maxChangeRate`, capped at 1 from `TopMaxRate`
 * (mainnet 1976). Note that the sum uses the floor, not the validator's own rate.
 *
 * CreateValidator applies no floor at all: a validator may start at 0 %.
 *
 * @see github.com/harmony-one/harmony staking/types/commission.go (`Commission`,
 *   `CommissionRates`)
 * @see github.com/harmony-one/harmony staking/availability/measure.go (`MinCommissionRate`,
 *   `UpdateMinimumCommissionFee`, `UpdateMaxCommissionFee`)
 * @see github.com/harmony-one/harmony internal/chain/engine.go (`setElectionEpochAndMinFee`)
 * @module
 */
import { require } from "../errors.ts";
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decAdd,
  decFromString,
  decGT,
  decIsZero,
  decLT,
} from "../numeric/decimal.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import type { ValidatorWrapper } from "./validator.ts";

/** The three commission rates a validator declares (Go `CommissionRates`). */
export interface CommissionRates {
  /** The commission charged to delegators now, a fraction in `[0, 1]`. */
  rate: Dec;
  /** The highest commission the validator may ever charge. */
  maxRate: Dec;
  /** The most `rate` may move away from its value at the start of an epoch. */
  maxChangeRate: Dec;
}

/** The commission of a validator: its rates and the block of the last rate change. */
export interface Commission {
  /** The declared rates. */
  rates: CommissionRates;
  /** The block at which `rate` last changed (creation, or an edit that changed it). */
  updateHeight: bigint;
}

/** The 5 % floor of `MinCommissionRate`. */
export const MIN_COMMISSION_RATE_ERA1: Dec = decFromString("0.05");

/** The 7 % floor of `HIP30`. */
export const MIN_COMMISSION_RATE_ERA2: Dec = decFromString("0.07");

/**
 * The commission floor at an epoch: 7 % from `HIP30`, 5 % from `MinCommissionRate`, else 0.
 *
 * @param config the network configuration
 * @param epoch the epoch the floor applies to
 * @returns the minimum rate
 */
export function minCommissionRate(config: NetworkConfig, epoch: bigint): Dec {
  if (isActive(config, "HIP30", epoch)) return MIN_COMMISSION_RATE_ERA2;
  if (isActive(config, "MinCommissionRate", epoch)) return MIN_COMMISSION_RATE_ERA1;
  return DEC_ZERO;
}

/** Whether a rate lies in `[0, 1]`. */
function isFraction(d: Dec): boolean {
  return !decLT(d, DEC_ZERO) && !decGT(d, DEC_ONE);
}

/**
 * The commission part of a validator's sanity check, in Go's order: each rate in `[0, 1]` (rate,
 * then max rate, then max change rate), then `rate ≤ maxRate`, then `maxChangeRate ≤ maxRate`.
 *
 * @param rates the rates to check
 * @throws {SpecError} `staking/commission-rate-out-of-range`, `staking/rate-above-max-rate`,
 *   `staking/max-change-rate-above-max-rate`
 */
export function checkCommissionRates(rates: CommissionRates): void {
  const range = "staking/commission-rate-out-of-range";
  require(isFraction(rates.rate), range, "rate");
  require(isFraction(rates.maxRate), range, "max rate");
  require(isFraction(rates.maxChangeRate), range, "max change rate");
  require(!decGT(rates.rate, rates.maxRate), "staking/rate-above-max-rate");
  require(!decGT(rates.maxChangeRate, rates.maxRate), "staking/max-change-rate-above-max-rate");
}

/** A copy of a wrapper with other commission rates (nothing else is copied deeply). */
function withRates(wrapper: ValidatorWrapper, rates: CommissionRates): ValidatorWrapper {
  const commission = { ...wrapper.validator.commission, rates };
  return { ...wrapper, validator: { ...wrapper.validator, commission } };
}

/**
 * Raises a validator's rate to the floor once its promotion period is over (Go
 * `UpdateMinimumCommissionFee`): when it has a first election epoch (≠ 0), the election epoch is
 * not before it, `electionEpoch − first ≥ promoPeriod`, and `rate < minRate`.
 *
 * @param wrapper the validator
 * @param electionEpoch the epoch being elected (the epoch after the one ending)
 * @param firstElectionEpoch the validator's first election epoch, 0 when never elected
 * @param minRate the floor in force at `electionEpoch`
 * @param promoPeriod the promotion period in epochs
 * @returns the validator, with `rate = minRate` when the rule applies; a new record either way
 */
export function updateMinimumCommissionFee(
  wrapper: ValidatorWrapper,
  electionEpoch: bigint,
  firstElectionEpoch: bigint,
  minRate: Dec,
  promoPeriod: bigint,
): ValidatorWrapper {
  const first = firstElectionEpoch;
  const promoOver = first !== 0n && electionEpoch >= first && electionEpoch - first >= promoPeriod;
  const rates = wrapper.validator.commission.rates;
  if (promoOver && decLT(rates.rate, minRate)) {
    return withRates(wrapper, { ...rates, rate: minRate });
  }
  return withRates(wrapper, rates);
}

/**
 * Raises a validator's max rate to at least `minRate + maxChangeRate`, capped at 1 when
 * `TopMaxRate` is active (Go `UpdateMaxCommissionFee`). The sum starts from the floor, not from
 * the validator's own rate, as in Go.
 *
 * @param wrapper the validator
 * @param topMaxRate whether `TopMaxRate` is active at the election epoch
 * @param minRate the floor in force at the election epoch
 * @returns the validator, with `maxRate` raised when it was below the target; a new record
 */
export function updateMaxCommissionFee(
  wrapper: ValidatorWrapper,
  topMaxRate: boolean,
  minRate: Dec,
): ValidatorWrapper {
  const rates = wrapper.validator.commission.rates;
  let target = decAdd(minRate, rates.maxChangeRate);
  if (topMaxRate && decGT(target, DEC_ONE)) target = DEC_ONE;
  if (decLT(rates.maxRate, target)) return withRates(wrapper, { ...rates, maxRate: target });
  return withRates(wrapper, rates);
}

/** A validator as the election's commission maintenance sees it. */
export interface ElectionCandidate {
  /** The validator's current wrapper. */
  wrapper: ValidatorWrapper;
  /** Its first election epoch (a storage slot of its account), 0 when never elected. */
  firstElectionEpoch: bigint;
  /** Whether it holds a slot in the committee of the new epoch. */
  elected: boolean;
}

/**
 * The commission maintenance of one validator at the last beacon block of an epoch (Go
 * `setElectionEpochAndMinFee`), for the election of `newEpoch`. The Go function walks the elected
 * validators, then all candidates; each step touches only one validator, so it is stated here per
 * validator, in Go's order:
 * 1. elected: `lastEpochInCommittee = newEpoch`; if the floor at `newEpoch` is not 0, set the
 *    first election epoch to `newEpoch` if unset, then {@link updateMinimumCommissionFee};
 * 2. if `MaxRate` is active at `newEpoch`: {@link updateMaxCommissionFee};
 * 3. [New in HIP30] not elected, and the floor is not 0: {@link updateMinimumCommissionFee};
 * 4. if `MaxRate` is active and the floor is not 0: {@link updateMaxCommissionFee} again.
 *
 * The wrapper is changed in place in Go's state cache, without a sanity check; it is persisted
 * only if the wrapper passes its sanity check at the end of the block (see
 * `finaliseValidatorWrapper`).
 *
 * @param config the network configuration
 * @param newEpoch the epoch being elected (the current epoch plus one)
 * @param candidate the validator, its first election epoch and whether it was elected
 * @returns the updated candidate (a new record)
 */
export function maintainCommissionAtElection(
  config: NetworkConfig,
  newEpoch: bigint,
  candidate: ElectionCandidate,
): ElectionCandidate {
  const minRate = minCommissionRate(config, newEpoch);
  const period = config.minCommissionPromoPeriod;
  const maxRate = isActive(config, "MaxRate", newEpoch);
  const topMaxRate = isActive(config, "TopMaxRate", newEpoch);
  let { wrapper, firstElectionEpoch: first } = candidate;
  if (candidate.elected) {
    wrapper = { ...wrapper, validator: { ...wrapper.validator, lastEpochInCommittee: newEpoch } };
    if (!decIsZero(minRate)) {
      if (first === 0n) first = newEpoch;
      wrapper = updateMinimumCommissionFee(wrapper, newEpoch, first, minRate, period);
    }
  }
  if (maxRate) wrapper = updateMaxCommissionFee(wrapper, topMaxRate, minRate);
  // [New in HIP30] unelected validators reach the floor too.
  if (isActive(config, "HIP30", newEpoch) && !decIsZero(minRate) && !candidate.elected) {
    wrapper = updateMinimumCommissionFee(wrapper, newEpoch, first, minRate, period);
  }
  if (maxRate && !decIsZero(minRate)) {
    wrapper = updateMaxCommissionFee(wrapper, topMaxRate, minRate);
  }
  return { wrapper, firstElectionEpoch: first, elected: candidate.elected };
}
