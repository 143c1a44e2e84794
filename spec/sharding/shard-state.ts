/**
 * The shard state: who sits in every shard's committee for an epoch, its two RLP encodings and
 * its hash.
 *
 * **What it is.** At the end of every epoch the beacon chain decides the committees of the next
 * epoch and writes them into the header of its last block (field `ShardState`); every shard reads
 * its committee from there. A shard state is an optional epoch and a list of committees, one per
 * shard. A committee is a shard ID and an ordered list of *slots*. A slot is one BLS key with the
 * 20-byte account that earns for it and its *effective stake*: a {@link Dec} for a key won in the
 * EPoS auction, or `null` for a key operated by Harmony (and for every key before staking). The
 * slot order matters: it is the order of the signature bitmaps, of the voting-power roster and of
 * leader rotation.
 *
 * **Encodings.** Go writes the state in one of two RLP forms (`EncodeWrapper`):
 * - *staking* (from the staking epoch on): `[epoch, [[shardID, [[address, key, stake]...]]...]]`.
 *   `epoch` is an unsigned integer (a missing epoch is written as zero, the empty string); `stake`
 *   is the list `[mantissa]` of a Dec, or the empty list `0xc0` for a Harmony slot (the field
 *   carries go-ethereum's `nil` tag: a nil pointer to a struct is the empty list);
 * - *legacy* (before): `[[shardID, [[address, key]...]]...]`, with neither epoch nor stakes.
 *
 * Decoding (`DecodeWrapper`) tries the staking form first, then the legacy form; a legacy state
 * has no epoch and no stakes. If both fail, the legacy form's error is the one reported. The
 * staking form's decoder accepts only `0xc0` for a nil stake: the empty string there is an error
 * (go-ethereum's "wrong kind of empty value"), as is any non-canonical integer.
 *
 * **Hash.** `State.Hash` ignores epoch and stakes: sort the committees by shard ID; for each, hash
 * with Keccak-256 the concatenation of `address ‖ key` over its slots (an empty committee
 * contributes nothing, not the hash of nothing); then Keccak-256 of the concatenated committee
 * hashes. Header versions before staking carried it; later headers do not. `Committee.Hash`
 * (SHA3-256 of the committee's staking-form RLP) is used off consensus and is given for
 * completeness.
 *
 * @see github.com/harmony-one/harmony shard/shard_state.go (State, Committee, Slot, EncodeWrapper,
 *   DecodeWrapper, Hash, GetHashFromNodeList, Committee.Hash, StakedValidators, FindCommitteeByID)
 * @module
 */
import { type Dec, DEC_ZERO, decAdd, decFromMantissa } from "../numeric/decimal.ts";
import { bigintToBytes, concatBytes, toHex } from "../encoding/bytes.ts";
import { keccak256, sha3_256 } from "../encoding/hash.ts";
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
import { isSpecError, require } from "../errors.ts";

/** Length of a slot's account address. */
export const SLOT_ADDRESS_BYTES = 20;
/** Length of a slot's serialized BLS public key. */
export const SLOT_KEY_BYTES = 48;

/** One seat of a committee (Go `shard.Slot`). */
export interface Slot {
  /** The account that earns for this key (20 bytes). */
  ecdsaAddress: Uint8Array;
  /** The serialized BLS public key (48 bytes). */
  blsPublicKey: Uint8Array;
  /** The key's effective stake; `null` for a Harmony-operated key (and before staking). */
  effectiveStake: Dec | null;
}

/** One shard's committee (Go `shard.Committee`). */
export interface Committee {
  /** The shard (an unsigned 32-bit integer). */
  shardId: bigint;
  /** The seats, in bitmap order. */
  slots: Slot[];
}

/** The committees of all shards for one epoch (Go `shard.State`). */
export interface ShardState {
  /** The epoch; `null` for states decoded from the legacy form and pre-staking states. */
  epoch: bigint | null;
  /** One committee per shard, normally in shard order. */
  shards: Committee[];
}

/** What a committee's staked slots add up to (Go `StakedSlots`). */
export interface StakedSlots {
  /** Distinct earning accounts of staked slots, in order of first appearance. */
  addresses: Uint8Array[];
  /** Hex of each of those addresses, for membership tests. */
  lookup: Set<string>;
  /** Number of distinct staked validators. */
  countValidators: bigint;
  /** Number of staked slots (keys). */
  countKeys: bigint;
  /** Sum of the staked slots' effective stakes. */
  totalEffectiveStake: Dec;
}

function requireSlot(slot: Slot): void {
  require(slot.ecdsaAddress.length === SLOT_ADDRESS_BYTES, "epos/invalid-address");
  require(slot.blsPublicKey.length === SLOT_KEY_BYTES, "epos/invalid-bls-key");
}

function requireShardId(shardId: bigint): void {
  require(shardId >= 0n && shardId <= 0xffff_ffffn, "epos/shard-id-out-of-range", `${shardId}`);
}

function uintItem(value: bigint): Uint8Array {
  // go-ethereum refuses to encode a negative big.Int.
  require(value >= 0n, "epos/negative-value", `${value}`);
  return bigintToBytes(value);
}

function slotItem(slot: Slot, staking: boolean): RlpItem {
  requireSlot(slot);
  if (!staking) return [slot.ecdsaAddress, slot.blsPublicKey];
  const stake: RlpItem = slot.effectiveStake === null
    ? []
    : [uintItem(slot.effectiveStake.mantissa)];
  return [slot.ecdsaAddress, slot.blsPublicKey, stake];
}

function committeeItem(committee: Committee, staking: boolean): RlpItem {
  requireShardId(committee.shardId);
  return [bigintToBytes(committee.shardId), committee.slots.map((s) => slotItem(s, staking))];
}

/**
 * Encodes a shard state as the header's `ShardState` bytes (Go `EncodeWrapper`).
 *
 * @param state the shard state
 * @param isStaking whether the block is in the staking era (staking form) or not (legacy form)
 * @returns the RLP bytes
 * @throws {SpecError} `epos/invalid-address`, `epos/invalid-bls-key` for a wrongly sized field;
 *   `epos/negative-value` for a negative epoch or stake; `epos/shard-id-out-of-range`
 */
export function encodeShardState(state: ShardState, isStaking: boolean): Uint8Array {
  const shards = state.shards.map((c) => committeeItem(c, isStaking));
  if (!isStaking) return encodeRlp(shards);
  return encodeRlp([uintItem(state.epoch ?? 0n), shards]);
}

/**
 * Encodes one committee in the staking form (Go `rlp.EncodeToBytes(committee)`).
 *
 * @param committee the committee
 * @returns `[shardID, [[address, key, stake]...]]` as RLP
 * @throws {SpecError} as {@link encodeShardState}
 */
export function encodeCommittee(committee: Committee): Uint8Array {
  return encodeRlp(committeeItem(committee, true));
}

function decodeStakingSlot(item: RlpItem): Slot {
  const [address, key, stake] = readListOf(item, 3);
  const stakeItems = readList(stake);
  // Only the empty list is a nil stake; a present Dec is a one-field struct.
  const effectiveStake = stakeItems.length === 0
    ? null
    : decFromMantissa(readBigUint(readListOf(stake, 1)[0]));
  return {
    ecdsaAddress: readFixedBytes(address, SLOT_ADDRESS_BYTES),
    blsPublicKey: readFixedBytes(key, SLOT_KEY_BYTES),
    effectiveStake,
  };
}

function decodeLegacySlot(item: RlpItem): Slot {
  const [address, key] = readListOf(item, 2);
  return {
    ecdsaAddress: readFixedBytes(address, SLOT_ADDRESS_BYTES),
    blsPublicKey: readFixedBytes(key, SLOT_KEY_BYTES),
    effectiveStake: null,
  };
}

function decodeCommittee(item: RlpItem, slot: (item: RlpItem) => Slot): Committee {
  const [shardId, slots] = readListOf(item, 2);
  return { shardId: readUint(shardId, 32), slots: readList(slots).map(slot) };
}

/**
 * Decodes the staking form only.
 *
 * @param bytes RLP bytes
 * @returns the state, with its epoch (zero when it was written as the empty string)
 * @throws {SpecError} the `encoding/rlp-*` code of the first violation
 */
export function decodeStakingShardState(bytes: Uint8Array): ShardState {
  const [epoch, shards] = readListOf(decodeRlp(bytes), 2);
  return {
    epoch: readBigUint(epoch),
    shards: readList(shards).map((c) => decodeCommittee(c, decodeStakingSlot)),
  };
}

/**
 * Decodes the legacy form only.
 *
 * @param bytes RLP bytes
 * @returns the state, with no epoch and no stakes
 * @throws {SpecError} the `encoding/rlp-*` code of the first violation
 */
export function decodeLegacyShardState(bytes: Uint8Array): ShardState {
  const shards = readList(decodeRlp(bytes)).map((c) => decodeCommittee(c, decodeLegacySlot));
  return { epoch: null, shards };
}

/**
 * Decodes a header's `ShardState` bytes (Go `DecodeWrapper`): the staking form if it parses,
 * else the legacy form.
 *
 * @param bytes RLP bytes
 * @returns the shard state
 * @throws {SpecError} the legacy decoder's `encoding/rlp-*` code when neither form parses
 */
export function decodeShardState(bytes: Uint8Array): ShardState {
  try {
    return decodeStakingShardState(bytes);
  } catch (e) {
    if (!isSpecError(e)) throw e;
  }
  return decodeLegacyShardState(bytes);
}

/**
 * The hash of one committee's key list (Go `GetHashFromNodeList`): Keccak-256 of
 * `address ‖ key` over the slots, or empty bytes for an empty list.
 *
 * @param slots the slots, in order
 * @returns 32 bytes, or 0 bytes for no slots
 */
export function slotListHash(slots: Slot[]): Uint8Array {
  if (slots.length === 0) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  for (const s of slots) parts.push(s.ecdsaAddress, s.blsPublicKey);
  return keccak256(concatBytes(...parts));
}

/**
 * The shard state hash (Go `State.Hash`): committees sorted by shard ID, each hashed with
 * {@link slotListHash}, then Keccak-256 of the concatenation. Epoch and stakes do not enter.
 * Deviation: Go sorts with an unstable sort; with two committees of one shard ID (never produced
 * by the protocol) Go's order is unspecified, the spec keeps their input order.
 *
 * @param state the shard state
 * @returns 32 bytes
 */
export function shardStateHash(state: ShardState): Uint8Array {
  const sorted = state.shards.slice().sort((a, b) =>
    a.shardId < b.shardId ? -1 : a.shardId > b.shardId ? 1 : 0
  );
  return keccak256(concatBytes(...sorted.map((c) => slotListHash(c.slots))));
}

/**
 * The committee hash used off consensus (Go `Committee.Hash`): SHA3-256 of its staking-form RLP.
 *
 * @param committee the committee
 * @returns 32 bytes
 * @throws {SpecError} as {@link encodeCommittee}
 */
export function committeeHash(committee: Committee): Uint8Array {
  return sha3_256(encodeCommittee(committee));
}

/**
 * Finds a shard's committee (Go `FindCommitteeByID`): the first with that shard ID.
 *
 * @param state the shard state
 * @param shardId the shard
 * @returns its committee
 * @throws {SpecError} `epos/shard-not-in-state` when the state has no such shard
 */
export function findCommittee(state: ShardState, shardId: bigint): Committee {
  for (const c of state.shards) if (c.shardId === shardId) return c;
  require(false, "epos/shard-not-in-state", `shard ${shardId}`);
}

/**
 * The staked part of some committees (Go `Committee.StakedValidators`, `State.StakedValidators`):
 * slots with a stake, their distinct accounts in order of first appearance, and their total.
 *
 * @param committees the committees to scan, in order
 * @returns the summary
 * @throws {SpecError} `numeric/overflow` if the total exceeds Dec's range
 */
export function stakedSlots(committees: Committee[]): StakedSlots {
  const addresses: Uint8Array[] = [];
  const lookup = new Set<string>();
  let countKeys = 0n;
  let total = DEC_ZERO;
  for (const committee of committees) {
    for (const slot of committee.slots) {
      if (slot.effectiveStake === null) continue;
      total = decAdd(total, slot.effectiveStake);
      countKeys++;
      const hex = toHex(slot.ecdsaAddress);
      if (lookup.has(hex)) continue;
      lookup.add(hex);
      addresses.push(slot.ecdsaAddress);
    }
  }
  return {
    addresses,
    lookup,
    countValidators: BigInt(addresses.length),
    countKeys,
    totalEffectiveStake: total,
  };
}
