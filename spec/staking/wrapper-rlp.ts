/**
 * How a validator is stored: the RLP of its {@link ValidatorWrapper}, kept as the *code* of the
 * validator's account (and, the same bytes, in the chain's validator snapshots).
 *
 * Go encodes the wrapper struct field by field, embedded structs as nested lists:
 *
 * ```text
 * wrapper     = [validator, [delegation…], [numBlocksToSign, numBlocksSigned], blockReward]
 * validator   = [address, [slotPubKey…], lastEpochInCommittee, minSelfDelegation,
 *                maxTotalDelegation, status, commission, description, creationHeight]
 * commission  = [[rate, maxRate, maxChangeRate], updateHeight]      (each rate a Dec: [mantissa])
 * description = [name, identity, website, securityContact, details]
 * delegation  = [delegatorAddress, amount, reward, [[amount, epoch]…]]
 * ```
 *
 * Integers are unsigned big-endian without leading zeros, `status` is one byte, addresses 20
 * bytes, keys 48 bytes. The two counters are Go `rlp:"nil"` pointers: zero and "absent" are both
 * the empty string, and the empty list is rejected. Decoding is as strict as Go's, so a client can
 * compare the bytes it stores with the spec's.
 *
 * @see github.com/harmony-one/harmony staking/types/validator.go (`ValidatorWrapper`,
 *   `Validator`, `counters`), staking/types/delegation.go, core/state/statedb.go
 *   (`ValidatorWrapper`, `UpdateValidatorWrapper`)
 * @module
 */
import { bigintToBytes } from "../encoding/bytes.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import type { Commission } from "./commission.ts";
import type { Delegation, Undelegation } from "./delegation.ts";
import {
  commissionRatesItem,
  descriptionItem,
  readAddress,
  readCommissionRates,
  readDescription,
} from "./messages.ts";
import type { Validator, ValidatorWrapper } from "./validator.ts";

/** A validator as an RLP item. */
function validatorItem(v: Validator): RlpItem {
  return [
    v.address,
    v.slotPubKeys,
    bigintToBytes(v.lastEpochInCommittee),
    bigintToBytes(v.minSelfDelegation),
    bigintToBytes(v.maxTotalDelegation),
    bigintToBytes(BigInt(v.status)),
    [commissionRatesItem(v.commission.rates), bigintToBytes(v.commission.updateHeight)],
    descriptionItem(v.description),
    bigintToBytes(v.creationHeight),
  ];
}

/** A delegation as an RLP item. */
function delegationItem(d: Delegation): RlpItem {
  const undelegations = d.undelegations.map((u) => [
    bigintToBytes(u.amount),
    bigintToBytes(u.epoch),
  ]);
  return [d.delegatorAddress, bigintToBytes(d.amount), bigintToBytes(d.reward), undelegations];
}

/**
 * Encodes a validator wrapper as Go stores it.
 *
 * @param w the wrapper
 * @returns its RLP
 * @throws {SpecError} `encoding/negative-integer` for a negative amount or rate
 */
export function encodeValidatorWrapper(w: ValidatorWrapper): Uint8Array {
  return encodeRlp([
    validatorItem(w.validator),
    w.delegations.map(delegationItem),
    [bigintToBytes(w.counters.numBlocksToSign), bigintToBytes(w.counters.numBlocksSigned)],
    bigintToBytes(w.blockReward),
  ]);
}

/** Reads a commission: `[[rate, maxRate, maxChangeRate], updateHeight]`. */
function readCommission(item: RlpItem): Commission {
  const f = readListOf(item, 2);
  return { rates: readCommissionRates(f[0]), updateHeight: readBigUint(f[1]) };
}

/** Reads a validator from its item. */
function readValidator(item: RlpItem): Validator {
  const f = readListOf(item, 9);
  return {
    address: readAddress(f[0]),
    slotPubKeys: readList(f[1]).map((k) => readFixedBytes(k, 48)),
    lastEpochInCommittee: readBigUint(f[2]),
    minSelfDelegation: readBigUint(f[3]),
    maxTotalDelegation: readBigUint(f[4]),
    status: Number(readUint(f[5], 8)),
    commission: readCommission(f[6]),
    description: readDescription(f[7]),
    creationHeight: readBigUint(f[8]),
  };
}

/** Reads an undelegation: `[amount, epoch]`. */
function readUndelegation(item: RlpItem): Undelegation {
  const f = readListOf(item, 2);
  return { amount: readBigUint(f[0]), epoch: readBigUint(f[1]) };
}

/** Reads a delegation from its item. */
function readDelegation(item: RlpItem): Delegation {
  const f = readListOf(item, 4);
  return {
    delegatorAddress: readAddress(f[0]),
    amount: readBigUint(f[1]),
    reward: readBigUint(f[2]),
    undelegations: readList(f[3]).map(readUndelegation),
  };
}

/**
 * Decodes a stored validator wrapper, strictly.
 *
 * @param encoded the wrapper's RLP (an account's code)
 * @returns the wrapper
 * @throws {SpecError} the codes of `decodeRlp` and of the typed readers
 *   (`encoding/rlp-wrong-item-count`, `encoding/rlp-wrong-length`, `encoding/rlp-expected-list`,
 *   `encoding/rlp-expected-string`, `encoding/rlp-leading-zero`, `encoding/rlp-uint-overflow`)
 */
export function decodeValidatorWrapper(encoded: Uint8Array): ValidatorWrapper {
  const f = readListOf(decodeRlp(encoded), 4);
  // Fields are read in Go's order, so the first malformed field decides the rejection.
  const validator = readValidator(f[0]);
  const delegations = readList(f[1]).map(readDelegation);
  const counters = readListOf(f[2], 2);
  const numBlocksToSign = readBigUint(counters[0]);
  const numBlocksSigned = readBigUint(counters[1]);
  return {
    validator,
    delegations,
    counters: { numBlocksToSign, numBlocksSigned },
    blockReward: readBigUint(f[3]),
  };
}
