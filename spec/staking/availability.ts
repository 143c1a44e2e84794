/**
 * Availability: counting who signs, and switching off validators that sign too little.
 *
 * **Why.** A validator elected into a committee must sign the blocks of its shard. Harmony keeps
 * two lifetime counters per validator, blocks it should have signed (`toSign`) and blocks it did
 * sign (`signed`), and judges each epoch by the difference between the counters now and in the
 * snapshot taken at the start of the epoch. A validator that signed no more than two thirds is
 * set *inactive* at the end of the epoch and is not elected again until it asks to be
 * (EditValidator with status active).
 *
 * **Counting** (`IncrementValidatorSigningCounts`). For each counted block, the committee that
 * had to sign it and the block's signature bitmap (bit `i` = slot `i`, see the mask module) are
 * given. Every slot whose account is among the committee's *staked* accounts (those with at
 * least one slot carrying an effective stake) adds one to that account's `toSign`, and one to its
 * `signed` if the slot's bit is set. Counting is per slot, so a validator with `k` keys in the
 * committee adds `k` per block. Accounts that are not staked (Harmony's) are skipped; a Harmony
 * slot whose account is also a staked account is counted like any other slot of that account.
 * Which blocks are counted (beacon blocks, crosslinks, only reward blocks from
 * `AggregatedReward` on) is decided by the caller, the reward rules.
 *
 * **Judging** (`ComputeCurrentSigning`, `IsBelowSigningThreshold`). `signed` and `toSign` are the
 * differences current minus snapshot. With `toSign = 0` the percentage is 0 and the validator is
 * below the threshold, except from `HIP32` on (evaluated at the snapshot's epoch), where nothing
 * to sign is no longer a failure. Otherwise the percentage is `Dec(signed) / Dec(toSign)` with
 * Dec's rounding, and the validator is below the threshold iff the percentage is at most
 * `2/3 = 0.666666666666666667` (a Dec quotient): signing exactly 2 of 3 fails.
 *
 * **Status at the end of an epoch** (`ComputeAndMutateEPOSStatus`). On the beacon chain's last
 * block of each epoch, from `PreStaking` on, before that block's signatures are counted, every
 * distinct account with a staked slot in the current shard state is judged: a banned validator
 * is left alone, one below the threshold becomes inactive, any other keeps its status (an
 * inactive validator that signed well stays inactive).
 *
 * Validators are plain records here ({@link ValidatorAvailability}); the functions return new
 * records and never change their inputs. The commission-rate helpers that live in the same Go
 * file (`MinCommissionRate`, `UpdateMinimumCommissionFee`, `UpdateMaxCommissionFee`) belong to
 * the validator and reward rules and are not restated here.
 *
 * @see github.com/harmony-one/harmony staking/availability/measure.go (BlockSigners,
 *   IncrementValidatorSigningCounts, ComputeCurrentSigning, IsBelowSigningThreshold,
 *   ComputeAndMutateEPOSStatus)
 * @see github.com/harmony-one/harmony internal/chain/engine.go (Finalize: which validators)
 * @module
 */
import { type Dec, DEC_ZERO, decFromInt, decLTE, decQuo } from "../numeric/decimal.ts";
import { bytesKey, toHex } from "../encoding/bytes.ts";
import { blsMaskEnabledIndices } from "../crypto/bls-mask.ts";
import { type NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import {
  type Committee,
  type ShardState,
  type Slot,
  stakedSlots,
} from "../sharding/shard-state.ts";
import { require } from "../errors.ts";
import { keptFor } from "../memo.ts";

/** A validator's EPoS status (Go `effective.Eligibility`, a byte). */
export type EposStatus = 0 | 1 | 2 | 3;
/** The zero value; no validator record carries it. */
export const EPOS_STATUS_NIL: EposStatus = 0;
/** May be elected. */
export const EPOS_STATUS_ACTIVE: EposStatus = 1;
/** Not elected until it asks to be active again. */
export const EPOS_STATUS_INACTIVE: EposStatus = 2;
/** Caught double-signing: never elected again. */
export const EPOS_STATUS_BANNED: EposStatus = 3;

/** The signing threshold, Dec 2/3 = 0.666666666666666667 (Go `measure`). */
export const SIGNING_THRESHOLD: Dec = decQuo(decFromInt(2n), decFromInt(3n));

/** A validator's lifetime signing counters (Go `staking.Counters`). */
export interface SigningCounters {
  /** Blocks its slots had to sign. */
  numBlocksToSign: bigint;
  /** Blocks its slots signed. */
  numBlocksSigned: bigint;
}

/** A validator's availability facts: account, status, counters now and at the epoch snapshot. */
export interface ValidatorAvailability {
  /** The validator's account (20 bytes). */
  address: Uint8Array;
  /** Its current EPoS status. */
  status: EposStatus;
  /** Its counters now. */
  counters: SigningCounters;
  /** Its snapshot for the current epoch (Go `ValidatorSnapshot`): the epoch and the counters. */
  snapshot: {
    /** The epoch the snapshot is for. */
    epoch: bigint;
    /** The counters at the snapshot. */
    counters: SigningCounters;
  };
}

/** One epoch's signing record (Go `staking.Computed`, the fields the rules read). */
export interface SigningRecord {
  /** Blocks signed since the snapshot. */
  signed: bigint;
  /** Blocks to sign since the snapshot. */
  toSign: bigint;
  /** `signed / toSign` as a Dec, 0 when `toSign` is 0. */
  percentage: Dec;
  /** Whether the validator failed the epoch. */
  isBelowThreshold: boolean;
}

/** The signers and non-signers of a block (Go `BlockSigners`). */
export interface BlockSigners {
  /** Slots whose bit is set, in slot order. */
  payable: Slot[];
  /** Slots whose bit is clear, in slot order. */
  missing: Slot[];
}

/**
 * Splits a committee into the slots that signed a block and those that did not.
 *
 * @param committee the committee that had to sign
 * @param bitmap the block's signature bitmap, exactly `⌈n/8⌉` bytes
 * @returns the signing and the missing slots
 * @throws {SpecError} `bls/bitmap-length-mismatch` for a bitmap of the wrong length
 */
export function blockSigners(committee: Committee, bitmap: Uint8Array): BlockSigners {
  const signed = signedSlots(committee, bitmap);
  const payable: Slot[] = [];
  const missing: Slot[] = [];
  committee.slots.forEach((slot, i) => (signed[i] ? payable : missing).push(slot));
  return { payable, missing };
}

/** Whether each slot's bit is set (`bls/bitmap-length-mismatch` for a bitmap of the wrong length). */
function signedSlots(committee: Committee, bitmap: Uint8Array): boolean[] {
  const signed = new Array<boolean>(committee.slots.length).fill(false);
  for (const i of blsMaskEnabledIndices(committee.slots.length, bitmap)) signed[i] = true;
  return signed;
}

/**
 * Per slot of a committee, its account as a map key if the account holds a staked slot of the
 * committee (its signatures count), else null. Worked out once per committee record (records are
 * never changed in place): a reward window counts 64 blocks of the same committee.
 */
const countedAccounts = new WeakMap<Committee, (string | null)[]>();

function countedAccountsOf(committee: Committee): (string | null)[] {
  return keptFor(countedAccounts, committee, () => {
    const staked = new Set(stakedSlots([committee]).addresses.map(bytesKey));
    return committee.slots.map((slot) => {
      const key = bytesKey(slot.ecdsaAddress);
      return staked.has(key) ? key : null;
    });
  });
}

/**
 * Adds one block's signatures to the counters (Go `IncrementValidatorSigningCounts`).
 *
 * @param validators the validators, each with its current counters
 * @param committee the committee that had to sign the block
 * @param bitmap the block's signature bitmap
 * @returns the validators with updated counters, in the input order
 * @throws {SpecError} `bls/bitmap-length-mismatch`; `numeric/overflow` when the committee's
 *   effective stakes sum beyond Dec's range (as Go's staked-validator summary);
 *   `epos/validator-not-found` when a staked account of the committee has no validator record
 */
export function incrementSigningCounts(
  validators: ValidatorAvailability[],
  committee: Committee,
  bitmap: Uint8Array,
): ValidatorAvailability[] {
  // New counters for every validator; a validator listed twice shares its last entry's.
  const byAddress = new Map<string, SigningCounters>();
  const keys = validators.map((v) => bytesKey(v.address));
  validators.forEach((v, i) => byAddress.set(keys[i], { ...v.counters }));
  countBlockSignatures((key) => byAddress.get(key), committee, bitmap);
  return validators.map((v, i) => ({ ...v, counters: byAddress.get(keys[i])! }));
}

/**
 * The counting of {@link incrementSigningCounts} on counters its caller owns, which are changed
 * in place: for a caller that counts many blocks (a reward window counts 64) and would otherwise
 * copy every validator's record once per block.
 *
 * @param countersOf the counters of an account, by its {@link bytesKey}; undefined when the
 *   account has no validator record
 * @param committee the committee that had to sign the block
 * @param bitmap the block's signature bitmap
 * @throws {SpecError} as {@link incrementSigningCounts}; when it throws, some counters may
 *   already have been incremented
 */
export function countBlockSignatures(
  countersOf: (key: string) => SigningCounters | undefined,
  committee: Committee,
  bitmap: Uint8Array,
): void {
  const signed = signedSlots(committee, bitmap);
  const accounts = countedAccountsOf(committee);
  // Go walks the missing slots first, then the signers; the order only affects which error shows.
  for (const signers of [false, true]) {
    accounts.forEach((key, i) => {
      if (key === null || signed[i] !== signers) return;
      const counters = countersOf(key);
      const address = committee.slots[i].ecdsaAddress;
      require(counters !== undefined, "epos/validator-not-found", () => toHex(address));
      counters.numBlocksToSign += 1n;
      if (signers) counters.numBlocksSigned += 1n;
    });
  }
}

/**
 * Whether a signing percentage fails the epoch (Go `IsBelowSigningThreshold`).
 *
 * @param percentage the share of blocks signed
 * @returns true iff `percentage <= 2/3` (Dec)
 */
export function isBelowSigningThreshold(percentage: Dec): boolean {
  return decLTE(percentage, SIGNING_THRESHOLD);
}

/**
 * The signing record of the current epoch (Go `ComputeCurrentSigning`).
 *
 * @param snapshot the counters at the epoch's snapshot
 * @param current the counters now
 * @param isHIP32 whether `HIP32` is active at the snapshot's epoch
 * @returns differences, percentage and verdict
 */
export function computeCurrentSigning(
  snapshot: SigningCounters,
  current: SigningCounters,
  isHIP32: boolean,
): SigningRecord {
  const signed = current.numBlocksSigned - snapshot.numBlocksSigned;
  const toSign = current.numBlocksToSign - snapshot.numBlocksToSign;
  if (toSign === 0n) {
    // [Modified in HIP32] nothing to sign is no longer a failure.
    return { signed, toSign, percentage: DEC_ZERO, isBelowThreshold: !isHIP32 };
  }
  const percentage = decQuo(decFromInt(signed), decFromInt(toSign));
  return { signed, toSign, percentage, isBelowThreshold: isBelowSigningThreshold(percentage) };
}

/**
 * The signing record of a validator's current epoch, with `HIP32` read at its snapshot's epoch.
 *
 * @param config the network configuration
 * @param validator the validator's counters and snapshot
 * @returns as {@link computeCurrentSigning}
 */
export function currentSigning(
  config: NetworkConfig,
  validator: ValidatorAvailability,
): SigningRecord {
  const isHIP32 = isActive(config, "HIP32", validator.snapshot.epoch);
  return computeCurrentSigning(validator.snapshot.counters, validator.counters, isHIP32);
}

/**
 * A validator's status after its epoch is judged (Go `ComputeAndMutateEPOSStatus` for one
 * validator).
 *
 * @param config the network configuration (for `HIP32`, at the snapshot's epoch)
 * @param validator the validator's status, counters and snapshot
 * @returns the new status: unchanged if banned or signing enough, else inactive
 */
export function eposStatusAfterEpoch(
  config: NetworkConfig,
  validator: ValidatorAvailability,
): EposStatus {
  if (validator.status === EPOS_STATUS_BANNED) return validator.status;
  const record = currentSigning(config, validator);
  return record.isBelowThreshold ? EPOS_STATUS_INACTIVE : validator.status;
}

/**
 * Judges every staked validator of the current shard state at the end of an epoch (Go `Finalize`
 * calling `ComputeAndMutateEPOSStatus` for `StakedValidators().Addrs`). The caller applies it on
 * the beacon chain's last block of an epoch from `PreStaking` on.
 *
 * @param config the network configuration
 * @param current the shard state of the epoch that ends
 * @param validators validator records (others than the staked ones are returned unchanged)
 * @returns the validators with their new statuses, in the input order
 * @throws {SpecError} `epos/validator-not-found` when a staked account has no record
 */
export function updateEposStatuses(
  config: NetworkConfig,
  current: ShardState,
  validators: ValidatorAvailability[],
): ValidatorAvailability[] {
  const byAddress = new Map<string, number>();
  validators.forEach((v, i) => byAddress.set(toHex(v.address), i));
  const out = validators.slice();
  for (const address of stakedSlots(current.shards).addresses) {
    const i = byAddress.get(toHex(address));
    require(i !== undefined, "epos/validator-not-found", toHex(address));
    out[i] = { ...out[i], status: eposStatusAfterEpoch(config, out[i]) };
  }
  return out;
}
