/**
 * Shared pieces of the `staking` conformance cases: the accounts and keys the cases use, the
 * default pre-state of Harmony's `core/staking_verifier_test.go` (five validators with two BLS
 * keys each), signing of transactions, and the reading and writing of vector fields. The format
 * is in `conformance/formats/staking.md`.
 *
 * The Go tests name accounts by `BytesToAddress("harmony-one-<i>")`; a vector's transaction must
 * be signed by its validator or delegator, so the cases use accounts of known secp256k1 keys
 * instead, in the same roles.
 *
 * @module
 */
import { addressFromPrivateKey } from "../../../spec/crypto/secp256k1.ts";
import { bigintToFixedBytes, utf8ToBytes } from "../../../spec/encoding/bytes.ts";
import type { Dec } from "../../../spec/numeric/decimal.ts";
import type { NetworkConfig } from "../../../spec/params/mod.ts";
import type { DelegationIndex } from "../../../spec/staking/delegation.ts";
import {
  decodeStakeMessage,
  encodeStakeMessage,
  type StakeMessage,
} from "../../../spec/staking/messages.ts";
import {
  decodeStakingTransaction,
  encodeStakingTransaction,
  requireStakingSigner,
  signStakingTransaction,
  stakingTransactionSender,
  unsignedStakingTransaction,
} from "../../../spec/staking/transactions.ts";
import type { ValidatorWrapper } from "../../../spec/staking/validator.ts";
import type { StakingBlock, StakingLog } from "../../../spec/staking/verify.ts";
import {
  decodeValidatorWrapper,
  encodeValidatorWrapper,
} from "../../../spec/staking/wrapper-rlp.ts";
import { blsPair, prototypeWrapper } from "../../../test/staking/fixtures.ts";
import type { DecodedFields, Fields } from "../../harness.ts";
import { inputBytes as bytes, inputUint as uint } from "../../harness.ts";
import { ONE } from "../../../spec/staking/validator.ts";

/** The harness's input readers, under the names the staking cases use. */
export { bytes, uint };

/** The secp256k1 key of test account `i`: 32 bytes holding `i + 1`. */
export function accountKey(i: number): Uint8Array {
  return bigintToFixedBytes(BigInt(i + 1), 32);
}

/** The address of test account `i`. */
export function account(i: number): Uint8Array {
  return addressFromPrivateKey(accountKey(i));
}

/** Validators 0–4 of the default state are accounts 0–4. */
export const VALIDATOR = [0, 1, 2, 3, 4].map(account);

/** The account that creates a validator (Go's `createValidatorAddr`). */
export const CREATOR = account(5);

/** The delegator (Go's `delegatorAddr`, index 6). */
export const DELEGATOR = account(6);

export { ONE };

/**
 * Validator `i` of the default state (Go `makeVWrapperByIndex`): the prototype with keys
 * `2i, 2i+1`, identity `harmony-one-i` and commission update height 90.
 */
export function defaultValidator(i: number): ValidatorWrapper {
  const w = prototypeWrapper(VALIDATOR[i], [blsPair(2 * i).pub, blsPair(2 * i + 1).pub]);
  w.validator.description = {
    ...w.validator.description,
    identity: utf8ToBytes(`harmony-one-${i}`),
  };
  w.validator.commission.updateHeight = 90n;
  return w;
}

/** The five validators of the default state. */
export function defaultValidators(): ValidatorWrapper[] {
  return [0, 1, 2, 3, 4].map(defaultValidator);
}

/**
 * A signed staking transaction.
 *
 * @param config the network, for its chain ID
 * @param key the signer's secp256k1 key
 * @param msg the message
 * @param nonce the nonce (0 unless stated)
 */
export function signedTx(
  config: NetworkConfig,
  key: Uint8Array,
  msg: StakeMessage,
  nonce = 0n,
): Uint8Array {
  const unsigned = unsignedStakingTransaction(msg, encodeStakeMessage(msg), {
    nonce,
    gasPrice: 100_000_000_000n,
    gasLimit: msg.directive === 0 ? 5_400_000n : 100_000n,
  });
  return encodeStakingTransaction(signStakingTransaction(unsigned, config.chainId, key));
}

/** Reads a list of byte strings. */
export function byteList(inputs: DecodedFields, name: string): Uint8Array[] {
  const v = inputs[name];
  if (!Array.isArray(v) || !v.every((x) => x instanceof Uint8Array)) {
    throw new Error(`input ${name} must be a list of byte strings`);
  }
  return v as Uint8Array[];
}

/** Reads the `validators` field: every validator's stored wrapper, in validator-list order. */
export function validators(inputs: DecodedFields): ValidatorWrapper[] {
  return byteList(inputs, "validators").map(decodeValidatorWrapper);
}

/** Reads the `delegation_indexes` field. */
export function delegationIndexes(inputs: DecodedFields): DelegationIndex[] {
  const v = inputs.delegation_indexes;
  if (!Array.isArray(v)) throw new Error("delegation_indexes must be a list");
  return v.map((e) => {
    const r = e as DecodedFields;
    return { validatorAddress: bytes(r, "validator"), index: uint(r, "index") };
  });
}

/** The `delegation_indexes` field for a list of (validator, index) pairs. */
export function indexesField(pairs: [Uint8Array, bigint][]): Fields[] {
  return pairs.map(([validator, index]) => ({ validator, index }));
}

/** Decodes the transaction, recovers its sender and checks the signer rule. */
export function readTransaction(
  inputs: DecodedFields,
  directive: number,
): { msg: StakeMessage; sender: Uint8Array } {
  const tx = decodeStakingTransaction(bytes(inputs, "tx"));
  const sender = stakingTransactionSender(tx);
  const msg = decodeStakeMessage(tx.directive, tx.message);
  if (msg.directive !== directive) throw new Error(`vector holds directive ${msg.directive}`);
  requireStakingSigner(msg, sender);
  return { msg, sender };
}

/** The block of a vector: its `epoch` and `block_number` fields under the handler's preset. */
export function block(config: NetworkConfig, inputs: DecodedFields): StakingBlock {
  return { config, epoch: uint(inputs, "epoch"), blockNumber: uint(inputs, "block_number") };
}

/** A wrapper as vector data (its stored RLP). */
export function wrapperField(w: ValidatorWrapper): Uint8Array {
  return encodeValidatorWrapper(w);
}

/** Logs as vector data. */
export function logsField(logs: StakingLog[]): Fields[] {
  return logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data }));
}

/** An optional Dec as vector data: its mantissa, or null. */
export function decField(d: Dec | null): bigint | null {
  return d === null ? null : d.mantissa;
}

/** The common base of every staking handler under a preset. */
export function base(config: NetworkConfig): { runner: string; preset: string; config: Fields } {
  return { runner: "staking", preset: config.network, config: config as unknown as Fields };
}
