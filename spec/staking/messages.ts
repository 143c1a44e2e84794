/**
 * The five staking messages and their RLP encoding.
 *
 * A staking transaction carries one *directive* (a byte saying which message follows) and one
 * message:
 *
 * | directive | message          | what it does                                               |
 * | --------- | ---------------- | ---------------------------------------------------------- |
 * | 0         | CreateValidator  | registers the sender as a validator and self-delegates     |
 * | 1         | EditValidator    | changes the sender's description, rate, limits, keys, status |
 * | 2         | Delegate         | stakes tokens with a validator                             |
 * | 3         | Undelegate       | takes staked tokens back (they stay locked for a while)    |
 * | 4         | CollectRewards   | moves all uncollected rewards to the sender's balance      |
 *
 * **Encoding.** Each message is the RLP list of its fields in the Go order below. Go's RLP rules
 * for its field types apply, and decoding is strict:
 * - an address is exactly 20 bytes, a BLS key 48, a BLS signature 96;
 * - an amount is a big-endian integer without leading zero (zero is the empty string);
 * - a description is the list `[name, identity, website, securityContact, details]` of byte
 *   strings;
 * - a `Dec` (a rate) is a *list* holding one integer, its mantissa (`Dec` is a Go struct wrapping
 *   a `*big.Int`): 0.1 is `[0x016345785d8a0000]`; negative values cannot be encoded;
 * - commission rates are the list `[rate, maxRate, maxChangeRate]` of Decs;
 * - optional fields of EditValidator (Go `rlp:"nil"` pointers) are absent when empty: an absent
 *   rate is the empty *list* `0xc0` (a `Dec` is a list), an absent amount or key the empty
 *   *string* `0x80`. The other kind of empty value is rejected. An absent amount and a zero amount
 *   are the same bytes, and EditValidator treats both as "unchanged".
 * - EditValidator's status is one byte (`0` = unchanged).
 *
 * CreateValidator: `[validatorAddress, description, commissionRates, minSelfDelegation,
 * maxTotalDelegation, slotPubKeys, slotKeySigs, amount]`.
 * EditValidator: `[validatorAddress, description, commissionRate?, minSelfDelegation?,
 * maxTotalDelegation?, slotKeyToRemove?, slotKeyToAdd?, slotKeyToAddSig?, eposStatus]`.
 * Delegate and Undelegate: `[delegatorAddress, validatorAddress, amount]`.
 * CollectRewards: `[delegatorAddress]`.
 *
 * @see github.com/harmony-one/harmony staking/types/messages.go (`Directive`, the message types),
 *   staking/types/transaction.go (`RLPDecodeStakeMsg`)
 * @see github.com/ethereum/go-ethereum rlp/decode.go (`makeNilPtrDecoder`, `decodeByteArray`),
 *   rlp/typecache.go (`defaultNilKind`), the version Harmony pins in go.mod
 * @module
 */
import { bigintToBytes } from "../encoding/bytes.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import { require } from "../errors.ts";
import { type Dec, decFromMantissa } from "../numeric/decimal.ts";
import type { CommissionRates } from "./commission.ts";
import type { Description } from "./validator.ts";

/** The directive bytes (Go `Directive`). */
export const Directive = {
  /** CreateValidator. */
  CreateValidator: 0,
  /** EditValidator. */
  EditValidator: 1,
  /** Delegate. */
  Delegate: 2,
  /** Undelegate. */
  Undelegate: 3,
  /** CollectRewards. */
  CollectRewards: 4,
} as const;

/** Registers the sender as a validator (Go `CreateValidator`). */
export interface CreateValidator {
  /** The new validator; must be the sender. */
  validatorAddress: Uint8Array;
  /** Its description. */
  description: Description;
  /** Its commission rates. */
  commissionRates: CommissionRates;
  /** The self-delegation it promises to keep, in atto. */
  minSelfDelegation: bigint;
  /** The most stake it accepts, in atto. */
  maxTotalDelegation: bigint;
  /** Its BLS keys (48 bytes each). */
  slotPubKeys: Uint8Array[];
  /** Each key's proof of possession (96 bytes each), in key order. */
  slotKeySigs: Uint8Array[];
  /** The initial self-delegation, taken from the sender's balance. */
  amount: bigint;
}

/** Edits the sender's validator (Go `EditValidator`); `null` fields are left alone. */
export interface EditValidator {
  /** The validator; must be the sender. */
  validatorAddress: Uint8Array;
  /** Description fields to replace; empty fields are left alone. */
  description: Description;
  /** A new commission rate. */
  commissionRate: Dec | null;
  /** A new minimum self-delegation (0 also means "unchanged"). */
  minSelfDelegation: bigint | null;
  /** A new maximum total delegation (0 also means "unchanged"). */
  maxTotalDelegation: bigint | null;
  /** A key to remove. */
  slotKeyToRemove: Uint8Array | null;
  /** A key to add. */
  slotKeyToAdd: Uint8Array | null;
  /** The proof of possession of the key to add. */
  slotKeyToAddSig: Uint8Array | null;
  /** A new status: Active (1) or Inactive (2) are applied, other values ignored. */
  eposStatus: number;
}

/** Stakes tokens with a validator (Go `Delegate`). */
export interface Delegate {
  /** The delegator; must be the sender. */
  delegatorAddress: Uint8Array;
  /** The validator. */
  validatorAddress: Uint8Array;
  /** The amount, in atto. */
  amount: bigint;
}

/** Unstakes tokens from a validator (Go `Undelegate`). */
export interface Undelegate {
  /** The delegator; must be the sender. */
  delegatorAddress: Uint8Array;
  /** The validator. */
  validatorAddress: Uint8Array;
  /** The amount, in atto. */
  amount: bigint;
}

/** Collects all of the sender's rewards (Go `CollectRewards`). */
export interface CollectRewards {
  /** The delegator; must be the sender. */
  delegatorAddress: Uint8Array;
}

/** A CreateValidator message with its directive. */
export interface CreateValidatorMessage {
  /** {@link Directive.CreateValidator}. */
  directive: typeof Directive.CreateValidator;
  /** The message. */
  body: CreateValidator;
}

/** An EditValidator message with its directive. */
export interface EditValidatorMessage {
  /** {@link Directive.EditValidator}. */
  directive: typeof Directive.EditValidator;
  /** The message. */
  body: EditValidator;
}

/** A Delegate message with its directive. */
export interface DelegateMessage {
  /** {@link Directive.Delegate}. */
  directive: typeof Directive.Delegate;
  /** The message. */
  body: Delegate;
}

/** An Undelegate message with its directive. */
export interface UndelegateMessage {
  /** {@link Directive.Undelegate}. */
  directive: typeof Directive.Undelegate;
  /** The message. */
  body: Undelegate;
}

/** A CollectRewards message with its directive. */
export interface CollectRewardsMessage {
  /** {@link Directive.CollectRewards}. */
  directive: typeof Directive.CollectRewards;
  /** The message. */
  body: CollectRewards;
}

/** A staking message with its directive. */
export type StakeMessage =
  | CreateValidatorMessage
  | EditValidatorMessage
  | DelegateMessage
  | UndelegateMessage
  | CollectRewardsMessage;

/** A Dec as an RLP item: the list of its mantissa. */
export function decItem(d: Dec): RlpItem {
  return [bigintToBytes(d.mantissa)];
}

/** A description as an RLP item. */
export function descriptionItem(d: Description): RlpItem {
  return [d.name, d.identity, d.website, d.securityContact, d.details];
}

/** Commission rates as an RLP item. */
export function commissionRatesItem(r: CommissionRates): RlpItem {
  return [decItem(r.rate), decItem(r.maxRate), decItem(r.maxChangeRate)];
}

/** Reads a Dec: a list of exactly one unsigned integer. */
export function readDec(item: RlpItem): Dec {
  return decFromMantissa(readBigUint(readListOf(item, 1)[0]));
}

/** Reads a description: a list of exactly five byte strings. */
export function readDescription(item: RlpItem): Description {
  const f = readListOf(item, 5).map(readBytes);
  return { name: f[0], identity: f[1], website: f[2], securityContact: f[3], details: f[4] };
}

/** Reads commission rates: a list of exactly three Decs. */
export function readCommissionRates(item: RlpItem): CommissionRates {
  const f = readListOf(item, 3);
  return { rate: readDec(f[0]), maxRate: readDec(f[1]), maxChangeRate: readDec(f[2]) };
}

/** Reads a 20-byte address. */
export function readAddress(item: RlpItem): Uint8Array {
  return readFixedBytes(item, 20);
}

/** The RLP item of a CreateValidator message. */
function createValidatorItem(m: CreateValidator): RlpItem {
  return [
    m.validatorAddress,
    descriptionItem(m.description),
    commissionRatesItem(m.commissionRates),
    bigintToBytes(m.minSelfDelegation),
    bigintToBytes(m.maxTotalDelegation),
    m.slotPubKeys,
    m.slotKeySigs,
    bigintToBytes(m.amount),
  ];
}

/** The RLP item of an EditValidator message; absent fields as Go's nil encodings. */
function editValidatorItem(m: EditValidator): RlpItem {
  const empty = new Uint8Array(0);
  const uintOrNil = (x: bigint | null) => (x === null ? empty : bigintToBytes(x));
  return [
    m.validatorAddress,
    descriptionItem(m.description),
    m.commissionRate === null ? [] : decItem(m.commissionRate),
    uintOrNil(m.minSelfDelegation),
    uintOrNil(m.maxTotalDelegation),
    m.slotKeyToRemove ?? empty,
    m.slotKeyToAdd ?? empty,
    m.slotKeyToAddSig ?? empty,
    bigintToBytes(BigInt(m.eposStatus)),
  ];
}

/**
 * Encodes a staking message (its RLP list, without the directive).
 *
 * @param msg the message
 * @returns the RLP bytes Go's `RLPEncodeStakeMsg` produces
 * @throws {SpecError} `encoding/negative-integer` for a negative amount or rate
 */
export function encodeStakeMessage(msg: StakeMessage): Uint8Array {
  switch (msg.directive) {
    case Directive.CreateValidator:
      return encodeRlp(createValidatorItem(msg.body));
    case Directive.EditValidator:
      return encodeRlp(editValidatorItem(msg.body));
    case Directive.Delegate:
    case Directive.Undelegate: {
      const m = msg.body;
      return encodeRlp([m.delegatorAddress, m.validatorAddress, bigintToBytes(m.amount)]);
    }
    case Directive.CollectRewards:
      return encodeRlp([msg.body.delegatorAddress]);
  }
}

/** Reads a CreateValidator message from its item. */
function readCreateValidator(item: RlpItem): CreateValidator {
  const f = readListOf(item, 8);
  return {
    validatorAddress: readAddress(f[0]),
    description: readDescription(f[1]),
    commissionRates: readCommissionRates(f[2]),
    minSelfDelegation: readBigUint(f[3]),
    maxTotalDelegation: readBigUint(f[4]),
    slotPubKeys: readList(f[5]).map((k) => readFixedBytes(k, 48)),
    slotKeySigs: readList(f[6]).map((s) => readFixedBytes(s, 96)),
    amount: readBigUint(f[7]),
  };
}

/** An absent optional Dec is the empty list; anything else must be a Dec. */
function readOptionalDec(item: RlpItem): Dec | null {
  return Array.isArray(item) && item.length === 0 ? null : readDec(item);
}

/** An absent optional integer is the empty string; anything else must be an integer. */
function readOptionalUint(item: RlpItem): bigint | null {
  return item instanceof Uint8Array && item.length === 0 ? null : readBigUint(item);
}

/** An absent optional byte array is the empty string; anything else must have `length` bytes. */
function readOptionalFixed(item: RlpItem, length: number): Uint8Array | null {
  return item instanceof Uint8Array && item.length === 0 ? null : readFixedBytes(item, length);
}

/** Reads an EditValidator message from its item. */
function readEditValidator(item: RlpItem): EditValidator {
  const f = readListOf(item, 9);
  return {
    validatorAddress: readAddress(f[0]),
    description: readDescription(f[1]),
    commissionRate: readOptionalDec(f[2]),
    minSelfDelegation: readOptionalUint(f[3]),
    maxTotalDelegation: readOptionalUint(f[4]),
    slotKeyToRemove: readOptionalFixed(f[5], 48),
    slotKeyToAdd: readOptionalFixed(f[6], 48),
    slotKeyToAddSig: readOptionalFixed(f[7], 96),
    eposStatus: Number(readUint(f[8], 8)),
  };
}

/** Reads a Delegate or Undelegate message (same layout) from its item. */
function readDelegation(item: RlpItem): Delegate {
  const f = readListOf(item, 3);
  return {
    delegatorAddress: readAddress(f[0]),
    validatorAddress: readAddress(f[1]),
    amount: readBigUint(f[2]),
  };
}

/**
 * Decodes a staking message for a directive (Go `RLPDecodeStakeMsg`), strictly.
 *
 * @param directive the directive byte of the transaction
 * @param encoded the message's RLP
 * @returns the message
 * @throws {SpecError} `staking/invalid-directive` for a directive other than 0–4; the codes of
 *   `decodeRlp` and of the typed readers (`encoding/rlp-wrong-item-count`,
 *   `encoding/rlp-wrong-length`, `encoding/rlp-expected-list`, `encoding/rlp-expected-string`,
 *   `encoding/rlp-leading-zero`, `encoding/rlp-uint-overflow`)
 */
export function decodeStakeMessage(directive: number, encoded: Uint8Array): StakeMessage {
  require(
    Number.isInteger(directive) && directive >= 0 && directive <= 4,
    "staking/invalid-directive",
    `${directive}`,
  );
  const item = decodeRlp(encoded);
  switch (directive) {
    case Directive.CreateValidator:
      return { directive, body: readCreateValidator(item) };
    case Directive.EditValidator:
      return { directive, body: readEditValidator(item) };
    case Directive.Delegate:
      return { directive, body: readDelegation(item) };
    case Directive.Undelegate:
      return { directive, body: readDelegation(item) };
    default:
      return { directive: Directive.CollectRewards, body: { delegatorAddress: readCollect(item) } };
  }
}

/** Reads the one field of a CollectRewards message. */
function readCollect(item: RlpItem): Uint8Array {
  return readAddress(readListOf(item, 1)[0]);
}

/**
 * The account that must sign a staking message: the validator for CreateValidator and
 * EditValidator, the delegator for the others.
 *
 * @param msg the message
 * @returns the address that must equal the transaction's sender
 */
export function stakeMessageSigner(msg: StakeMessage): Uint8Array {
  switch (msg.directive) {
    case Directive.CreateValidator:
    case Directive.EditValidator:
      return msg.body.validatorAddress;
    default:
      return msg.body.delegatorAddress;
  }
}
