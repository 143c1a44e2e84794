/**
 * Validators: the record every staked validator keeps in the state, and its sanity check.
 *
 * A validator is an account whose *code* holds, instead of EVM code, the RLP of its
 * {@link ValidatorWrapper} (see `wrapper-rlp.ts`), and whose storage holds a flag that marks it
 * as a validator ({@link VALIDATOR_FLAG_SLOT}) and its first election epoch
 * ({@link FIRST_ELECTION_EPOCH_SLOT}). The wrapper holds:
 * - the {@link Validator}: its address, BLS keys (one committee slot each), the last epoch it sat
 *   in a committee, its self-declared minimum self-delegation and maximum total delegation, its
 *   status, commission, description and creation height;
 * - its delegations (entry 0 is the self-delegation; see `delegation.ts`);
 * - lifetime signing counters and the total block reward it received.
 *
 * **Sanity check.** Every write of a wrapper to the state is guarded by
 * {@link sanityCheckWrapper}, in Go's order:
 * 1. description lengths in bytes: name, identity, website and security contact at most 140,
 *    details at most 280 ({@link checkDescription});
 * 2. at least one BLS key, at most {@link MAX_BLS_PER_VALIDATOR};
 * 3. minimum self-delegation at least 10,000 ONE; maximum total delegation at least that;
 * 4. commission rates in bounds (see `commission.ts`);
 * 5. no BLS key twice;
 * 6. a self-delegation exists, and an **Active** validator's self-delegation is at least its
 *    minimum (Inactive and Banned validators may fall below it);
 * 7. the sum of all delegations at most the maximum total delegation.
 *
 * **Status** ({@link Eligibility}) is a byte: Active validators take part in elections, Inactive
 * ones do not (they fell below the signing threshold, undelegated below their minimum, or chose
 * so), Banned ones were caught double-signing and stay banned.
 *
 * **Description text.** Go keeps the description fields as strings of arbitrary bytes and limits
 * their length in bytes; the spec keeps them as bytes ({@link descriptionFromText} makes them
 * from text as UTF-8), so that every wrapper round-trips exactly.
 *
 * **BLS keys.** Each key comes with a proof of possession: the key's BLS signature over
 * `keccak256("harmony-one")`, checked with Harmony's `VerifyHash` ({@link verifyBlsKey}). Keys
 * must not be Harmony's own (the Harmony-operated accounts of the sharding instance,
 * {@link requireNoHarmonyKeys}), nor another validator's ({@link checkDuplicateFields}).
 *
 * @see github.com/harmony-one/harmony staking/types/validator.go (`Validator`,
 *   `ValidatorWrapper`, `SanityCheck`, `EnsureLength`, `UpdateDescription`, `VerifyBLSKey`,
 *   `containsHarmonyBLSKeys`, `CreateValidatorFromNewMsg`, `UpdateValidatorFromEditMsg`)
 * @see github.com/harmony-one/harmony staking/effective/eligible.go (`Eligibility`)
 * @see github.com/harmony-one/harmony staking/params.go (storage keys)
 * @see github.com/harmony-one/harmony core/state/statedb.go (`ValidatorWrapper`,
 *   `UpdateValidatorWrapper`, `Finalise`)
 * @module
 */
import { blsDecodePublicKey, blsDecodeSignature, blsVerifyHashPoints } from "../crypto/bls.ts";
import type { BlsG1Point, BlsG2Point } from "../crypto/bls.ts";
import { bytesEqual, toHex, utf8ToBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { isSpecError, rejectAs, require } from "../errors.ts";
import { checkCommissionRates, type Commission } from "./commission.ts";
import type { Delegation } from "./delegation.ts";
import type { CreateValidator, EditValidator } from "./messages.ts";

/** Validator statuses (Go `effective.Eligibility`, a byte). */
export const Eligibility = {
  /** The zero value; in an EditValidator message it means "leave the status alone". */
  Nil: 0,
  /** Takes part in elections. */
  Active: 1,
  /** Does not take part in elections until it edits itself back to Active. */
  Inactive: 2,
  /** Caught double-signing; can never change again. */
  Banned: 3,
} as const;

/** One atto-ONE amount of one ONE. */
export const ONE = 10n ** 18n;

/** The least minimum self-delegation a validator may declare: 10,000 ONE. */
export const MINIMUM_STAKE = 10_000n * ONE;

/** The most BLS keys (slots) one validator may have. */
export const MAX_BLS_PER_VALIDATOR = 106;

/** Byte limits of the description fields. */
export const DESCRIPTION_LIMITS = {
  /** Name, in bytes. */
  name: 140,
  /** Identity, in bytes. */
  identity: 140,
  /** Website, in bytes. */
  website: 140,
  /** Security contact, in bytes. */
  securityContact: 140,
  /** Details, in bytes. */
  details: 280,
} as const;

/** The text whose Keccak-256 every BLS key must sign as its proof of possession. */
export const BLS_VERIFICATION_TEXT = "harmony-one";

/** `keccak256("harmony-one")`: the message of a BLS key's proof of possession. */
export const BLS_VERIFICATION_MESSAGE: Uint8Array = keccak256(utf8ToBytes(BLS_VERIFICATION_TEXT));

/** Storage slot of the validator flag: `keccak256("Harmony/IsValidator/Key/v1")`. */
export const VALIDATOR_FLAG_SLOT: Uint8Array = keccak256(utf8ToBytes("Harmony/IsValidator/Key/v1"));

/** Value of the validator flag when set: `keccak256("Harmony/IsValidator/Value/v1")`. */
export const VALIDATOR_FLAG_VALUE: Uint8Array = keccak256(
  utf8ToBytes("Harmony/IsValidator/Value/v1"),
);

/** Storage slot of the first election epoch: `keccak256("Harmony/FirstElectionEpoch/Key/v1")`. */
export const FIRST_ELECTION_EPOCH_SLOT: Uint8Array = keccak256(
  utf8ToBytes("Harmony/FirstElectionEpoch/Key/v1"),
);

/** What a validator says about itself (Go `Description`); each field is raw bytes. */
export interface Description {
  /** Display name, at most 140 bytes. */
  name: Uint8Array;
  /** Identity (e.g. a Keybase signature), at most 140 bytes; unique among validators. */
  identity: Uint8Array;
  /** Website, at most 140 bytes. */
  website: Uint8Array;
  /** Security contact, at most 140 bytes. */
  securityContact: Uint8Array;
  /** Free text, at most 280 bytes. */
  details: Uint8Array;
}

/** A validator (Go `Validator`). */
export interface Validator {
  /** The validator's 20-byte account address. */
  address: Uint8Array;
  /** Its BLS public keys (48 bytes each), one committee slot each. */
  slotPubKeys: Uint8Array[];
  /** The last epoch it was elected into a committee; 0 = never. */
  lastEpochInCommittee: bigint;
  /** The self-delegation it promises to keep, in atto; at least 10,000 ONE. */
  minSelfDelegation: bigint;
  /** The most stake it accepts in total, in atto. */
  maxTotalDelegation: bigint;
  /** Its status, a byte (see {@link Eligibility}). */
  status: number;
  /** Its commission. */
  commission: Commission;
  /** Its description. */
  description: Description;
  /** The block that created it. */
  creationHeight: bigint;
}

/** Lifetime signing counters (Go `counters`). */
export interface Counters {
  /** Blocks the validator's keys should have signed, one per key per counted block. */
  numBlocksToSign: bigint;
  /** Blocks they did sign. */
  numBlocksSigned: bigint;
}

/** What the state stores for a validator (Go `ValidatorWrapper`). */
export interface ValidatorWrapper {
  /** The validator. */
  validator: Validator;
  /** Its delegations; entry 0 is the self-delegation. */
  delegations: Delegation[];
  /** Its lifetime signing counters. */
  counters: Counters;
  /** The total block reward it has received, in atto. */
  blockReward: bigint;
}

/** What other validators are checked against when a validator is created or edited. */
export interface ValidatorRegistryEntry {
  /** The validator's address. */
  address: Uint8Array;
  /** Its description's identity. */
  identity: Uint8Array;
  /** Its BLS keys. */
  slotPubKeys: Uint8Array[];
}

/**
 * A description from text, each field encoded as UTF-8.
 *
 * @param text the five fields as text
 * @returns the description
 */
export function descriptionFromText(text: {
  name: string;
  identity: string;
  website: string;
  securityContact: string;
  details: string;
}): Description {
  return {
    name: utf8ToBytes(text.name),
    identity: utf8ToBytes(text.identity),
    website: utf8ToBytes(text.website),
    securityContact: utf8ToBytes(text.securityContact),
    details: utf8ToBytes(text.details),
  };
}

/**
 * Checks the byte lengths of a description (Go `EnsureLength`), field by field in Go's order.
 *
 * @param d the description
 * @throws {SpecError} `staking/name-too-long`, `staking/identity-too-long`,
 *   `staking/website-too-long`, `staking/security-contact-too-long`, `staking/details-too-long`
 */
export function checkDescription(d: Description): void {
  const limits = DESCRIPTION_LIMITS;
  require(d.name.length <= limits.name, "staking/name-too-long");
  require(d.identity.length <= limits.identity, "staking/identity-too-long");
  require(d.website.length <= limits.website, "staking/website-too-long");
  require(
    d.securityContact.length <= limits.securityContact,
    "staking/security-contact-too-long",
  );
  require(d.details.length <= limits.details, "staking/details-too-long");
}

/**
 * Merges an edit into a description (Go `UpdateDescription`): each non-empty field of `edit`
 * replaces the old one; then the lengths are checked.
 *
 * @param current the validator's description
 * @param edit the description of an EditValidator message
 * @returns the merged description
 * @throws {SpecError} the codes of {@link checkDescription}
 */
export function updateDescription(current: Description, edit: Description): Description {
  const pick = (old: Uint8Array, next: Uint8Array) => (next.length > 0 ? next : old);
  const merged: Description = {
    name: pick(current.name, edit.name),
    identity: pick(current.identity, edit.identity),
    website: pick(current.website, edit.website),
    securityContact: pick(current.securityContact, edit.securityContact),
    details: pick(current.details, edit.details),
  };
  checkDescription(merged);
  return merged;
}

/** Whether a list of keys holds some key twice. */
function hasDuplicateKey(keys: Uint8Array[]): boolean {
  const seen = new Set<string>();
  for (const k of keys) {
    const hex = toHex(k);
    if (seen.has(hex)) return true;
    seen.add(hex);
  }
  return false;
}

/**
 * The sanity check of a validator (Go `Validator.SanityCheck`), in Go's order.
 *
 * @param v the validator
 * @throws {SpecError} the codes of {@link checkDescription}; `staking/no-slot-keys`,
 *   `staking/too-many-slot-keys`, `staking/min-self-delegation-too-small`,
 *   `staking/max-total-delegation-too-small`, the codes of `checkCommissionRates`,
 *   `staking/duplicate-slot-keys`
 */
export function sanityCheckValidator(v: Validator): void {
  checkDescription(v.description);
  require(v.slotPubKeys.length > 0, "staking/no-slot-keys");
  require(v.slotPubKeys.length <= MAX_BLS_PER_VALIDATOR, "staking/too-many-slot-keys");
  require(v.minSelfDelegation >= MINIMUM_STAKE, "staking/min-self-delegation-too-small");
  require(
    v.maxTotalDelegation >= v.minSelfDelegation,
    "staking/max-total-delegation-too-small",
  );
  checkCommissionRates(v.commission.rates);
  require(!hasDuplicateKey(v.slotPubKeys), "staking/duplicate-slot-keys");
}

/**
 * The stake of a validator: the sum of its delegations' amounts (Go `TotalDelegation`).
 * Undelegated tokens and rewards do not count.
 *
 * @param w the wrapper
 * @returns the total delegation in atto
 */
export function totalDelegation(w: ValidatorWrapper): bigint {
  let total = 0n;
  for (const d of w.delegations) total += d.amount;
  return total;
}

/**
 * The sanity check of a wrapper (Go `ValidatorWrapper.SanityCheck`): the validator's check, a
 * self-delegation, an Active validator's self-delegation at least its minimum, and the total at
 * most the maximum. It guards every write of a wrapper to the state.
 *
 * @param w the wrapper
 * @throws {SpecError} the codes of {@link sanityCheckValidator};
 *   `staking/self-delegation-too-small`, `staking/total-delegation-too-large`
 */
export function sanityCheckWrapper(w: ValidatorWrapper): void {
  const v = w.validator;
  sanityCheckValidator(v);
  require(w.delegations.length > 0, "staking/self-delegation-too-small", "no self delegation");
  // Only an Active validator must keep its minimum: Inactive and Banned ones may fall below it.
  const below = w.delegations[0].amount < v.minSelfDelegation;
  require(!(below && v.status === Eligibility.Active), "staking/self-delegation-too-small");
  require(totalDelegation(w) <= v.maxTotalDelegation, "staking/total-delegation-too-large");
}

/**
 * What the state keeps of a validator changed during a block (Go `DB.Finalise`): at the end of the
 * block each changed wrapper is written back through the sanity-checked write, and a wrapper that
 * fails the check is *not* written: the state keeps the bytes it had before the block. Rules that
 * change wrappers without checking them (undelegation payout, commission maintenance, rewards,
 * slashing) are therefore undone for a wrapper that ends the block failing its sanity check.
 *
 * @param stored the wrapper as stored before the block
 * @param updated the wrapper after the block's rules
 * @returns `updated` if it passes {@link sanityCheckWrapper}, else `stored`
 */
export function finaliseValidatorWrapper(
  stored: ValidatorWrapper,
  updated: ValidatorWrapper,
): ValidatorWrapper {
  try {
    sanityCheckWrapper(updated);
    return updated;
  } catch (e) {
    if (isSpecError(e)) return stored;
    throw e;
  }
}

/**
 * Checks one BLS key's proof of possession (Go `VerifyBLSKey`): the signature must verify under
 * the key over {@link BLS_VERIFICATION_MESSAGE}.
 *
 * **Deviation.** Go dereferences a missing signature (an EditValidator that adds a key without a
 * signature) and panics; the spec rejects it with `staking/bls-signature-missing`, after the key
 * itself has been decoded, where Go panics.
 *
 * @param key the 48-byte public key
 * @param signature the 96-byte signature, or null when the message carries none
 * @throws {SpecError} `staking/bls-key-signature-mismatch` (the key does not decode, or the
 *   signature does not verify), `staking/bls-signature-missing`,
 *   `staking/bls-signature-malformed` (the signature does not decode)
 */
export function verifyBlsKey(key: Uint8Array, signature: Uint8Array | null): void {
  const mismatch = "staking/bls-key-signature-mismatch";
  const point = rejectAs<BlsG1Point>(() => blsDecodePublicKey(key), mismatch);
  require(signature !== null, "staking/bls-signature-missing");
  const sig = rejectAs<BlsG2Point>(
    () => blsDecodeSignature(signature),
    "staking/bls-signature-malformed",
  );
  require(blsVerifyHashPoints(point, BLS_VERIFICATION_MESSAGE, sig), mismatch);
}

/**
 * Checks the proofs of possession of a list of keys (Go `VerifyBLSKeys`): as many signatures as
 * keys, and each pair verifies.
 *
 * @param keys the public keys
 * @param signatures the signatures, in the same order
 * @throws {SpecError} `staking/bls-key-signature-mismatch` for a count mismatch; the codes of
 *   {@link verifyBlsKey}
 */
export function verifyBlsKeys(keys: Uint8Array[], signatures: Uint8Array[]): void {
  require(keys.length === signatures.length, "staking/bls-key-signature-mismatch", "count");
  for (let i = 0; i < keys.length; i++) verifyBlsKey(keys[i], signatures[i]);
}

/**
 * Rejects keys that belong to Harmony's own nodes (Go `containsHarmonyBLSKeys`).
 *
 * @param keys the keys of a message
 * @param harmonyKeys the BLS keys of the Harmony-operated accounts of the sharding instance in
 *   force at the block's epoch
 * @throws {SpecError} `staking/slot-key-is-harmony-key`
 */
export function requireNoHarmonyKeys(keys: Uint8Array[], harmonyKeys: Uint8Array[]): void {
  const harmony = new Set(harmonyKeys.map(toHex));
  for (const k of keys) require(!harmony.has(toHex(k)), "staking/slot-key-is-harmony-key");
}

/**
 * The registry entry of a validator: what uniqueness checks compare.
 *
 * @param w the validator's wrapper
 * @returns its address, identity and keys
 */
export function registryEntryOf(w: ValidatorWrapper): ValidatorRegistryEntry {
  const v = w.validator;
  return { address: v.address, identity: v.description.identity, slotPubKeys: v.slotPubKeys };
}

/**
 * Checks that a validator's identity and new keys are not another validator's (Go
 * `checkDuplicateFields`). Validators are visited in the order of the validator list, skipping
 * `validator` itself; for each, the identity is compared first (only when `identity` is not
 * empty), then its keys.
 *
 * @param registry every validator, in the order of the chain's validator list
 * @param validator the validator being created or edited
 * @param identity the identity in the message
 * @param newKeys the keys the message adds
 * @throws {SpecError} `staking/duplicate-identity`, `staking/duplicate-bls-key`
 */
export function checkDuplicateFields(
  registry: ValidatorRegistryEntry[],
  validator: Uint8Array,
  identity: Uint8Array,
  newKeys: Uint8Array[],
): void {
  const keys = new Set(newKeys.map(toHex));
  for (const entry of registry) {
    if (bytesEqual(entry.address, validator)) continue;
    if (identity.length > 0) {
      require(!bytesEqual(entry.identity, identity), "staking/duplicate-identity");
    }
    for (const k of entry.slotPubKeys) require(!keys.has(toHex(k)), "staking/duplicate-bls-key");
  }
}

/**
 * Applies an EditValidator message to a validator (Go `UpdateValidatorFromEditMsg`), in Go's
 * order: description, rate, minimum self-delegation and maximum total delegation (when given and
 * not zero), key removal, key addition (not present yet, not a Harmony key, with a valid proof of
 * possession; a signature without a key is ignored), then the status: a Banned validator cannot be
 * edited at all, and only Active or Inactive are applied. Max rate and max change rate cannot be
 * edited.
 *
 * @param v the validator
 * @param edit the message
 * @param harmonyKeys Harmony's own BLS keys for the block's epoch
 * @returns the edited validator (a new record)
 * @throws {SpecError} `staking/validator-address-mismatch`, the codes of
 *   {@link updateDescription}, `staking/slot-key-to-remove-not-found`,
 *   `staking/slot-key-to-add-exists`, `staking/slot-key-is-harmony-key`, the codes of
 *   {@link verifyBlsKey}, `staking/validator-banned`
 */
export function applyEditToValidator(
  v: Validator,
  edit: EditValidator,
  harmonyKeys: Uint8Array[],
): Validator {
  require(bytesEqual(v.address, edit.validatorAddress), "staking/validator-address-mismatch");
  const out: Validator = { ...v, description: updateDescription(v.description, edit.description) };
  if (edit.commissionRate !== null) {
    out.commission = {
      ...v.commission,
      rates: { ...v.commission.rates, rate: edit.commissionRate },
    };
  }
  if (edit.minSelfDelegation !== null && edit.minSelfDelegation !== 0n) {
    out.minSelfDelegation = edit.minSelfDelegation;
  }
  if (edit.maxTotalDelegation !== null && edit.maxTotalDelegation !== 0n) {
    out.maxTotalDelegation = edit.maxTotalDelegation;
  }
  out.slotPubKeys = editSlotKeys(v.slotPubKeys, edit, harmonyKeys);
  require(v.status !== Eligibility.Banned, "staking/validator-banned");
  if (edit.eposStatus === Eligibility.Active || edit.eposStatus === Eligibility.Inactive) {
    out.status = edit.eposStatus;
  }
  return out;
}

/** The key list after an edit's removal and addition. */
function editSlotKeys(
  keys: Uint8Array[],
  edit: EditValidator,
  harmonyKeys: Uint8Array[],
): Uint8Array[] {
  let out = keys.slice();
  const remove = edit.slotKeyToRemove;
  if (remove !== null) {
    const index = out.findIndex((k) => bytesEqual(k, remove));
    require(index >= 0, "staking/slot-key-to-remove-not-found");
    out = [...out.slice(0, index), ...out.slice(index + 1)];
  }
  const add = edit.slotKeyToAdd;
  if (add !== null) {
    require(!out.some((k) => bytesEqual(k, add)), "staking/slot-key-to-add-exists");
    requireNoHarmonyKeys([add], harmonyKeys);
    verifyBlsKey(add, edit.slotKeyToAddSig);
    out.push(add);
  }
  return out;
}

/**
 * Builds the validator a CreateValidator message asks for (Go `CreateValidatorFromNewMsg`):
 * checks the description, that no key is Harmony's, and every key's proof of possession; then a
 * validator that is Active, has never been in a committee, and was created (and last changed its
 * rate) at `blockNumber`.
 *
 * @param msg the message
 * @param blockNumber the block that creates the validator
 * @param harmonyKeys Harmony's own BLS keys for the block's epoch
 * @returns the validator
 * @throws {SpecError} the codes of {@link checkDescription}, {@link requireNoHarmonyKeys},
 *   {@link verifyBlsKeys}
 */
export function validatorFromCreateMessage(
  msg: CreateValidator,
  blockNumber: bigint,
  harmonyKeys: Uint8Array[],
): Validator {
  checkDescription(msg.description);
  requireNoHarmonyKeys(msg.slotPubKeys, harmonyKeys);
  verifyBlsKeys(msg.slotPubKeys, msg.slotKeySigs);
  return {
    address: msg.validatorAddress,
    slotPubKeys: msg.slotPubKeys.slice(),
    lastEpochInCommittee: 0n,
    minSelfDelegation: msg.minSelfDelegation,
    maxTotalDelegation: msg.maxTotalDelegation,
    status: Eligibility.Active,
    commission: { rates: { ...msg.commissionRates }, updateHeight: blockNumber },
    description: msg.description,
    creationHeight: blockNumber,
  };
}
