/**
 * The committee bitmap ("mask") of Harmony's aggregate BLS signatures.
 *
 * A block's commit signature, a quorum certificate and every aggregated vote say *who* signed
 * with a bitmap over the committee: participant `i` (in the committee's slot order) is bit
 * `i mod 8` of byte `⌊i/8⌋`, least significant bit first, and the bitmap has exactly
 * `⌈n/8⌉` bytes for a committee of `n` keys. The signature is valid when it verifies under the
 * sum of the enabled participants' public keys.
 *
 * Rules restated from Go's `Mask`:
 * - A bitmap whose length is not exactly `⌈n/8⌉` is rejected (`SetMask`,
 *   `GetSignedPubKeysFromBitmap`).
 * - Padding bits (positions `n` and up in the last byte) are ignored when reading: they never
 *   enable anyone, and bitmaps written by these functions leave them clear (`SetMask` copies
 *   only bits below n).
 * - The aggregate key of an empty selection is the point at infinity.
 * - Merging two bitmaps is a byte-wise OR of equal-length byte strings (`AggregateMasks`); it
 *   does not look at the committee, so it keeps whatever padding bits its inputs carry.
 * - On the wire, a signature and its bitmap travel as `signature(96) ‖ bitmap`
 *   (`SeparateSigAndMask`).
 * - Looking a key up in the committee finds its last slot when a key occurs twice, as Go's
 *   key-to-index map does.
 *
 * Decoding a G1 public key costs a square root and a subgroup check, so a committee is decoded
 * once into a {@link BlsCommittee} record; verifying an aggregate signature over a bitmap then
 * only adds points and runs one pairing check.
 *
 * Go's `ThresholdPolicy` and `CompletePolicy` (a count of enabled bits compared with a number)
 * are not restated: Harmony's consensus does not use them; its quorum rules live with consensus.
 *
 * @see github.com/harmony-one/harmony crypto/bls/mask.go `Mask`, `SetMask`, `SetBit`, `SetKey`,
 *   `SetKeysAtomic`, `IndexEnabled`, `KeyEnabled`, `CountEnabled`, `GetPubKeyFromMask`,
 *   `GetSignedPubKeysFromBitmap`, `AggregateMasks`
 * @see github.com/harmony-one/harmony crypto/bls/bls.go `SeparateSigAndMask`
 * @module
 */
import { toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import {
  BLS_SIGNATURE_BYTES,
  blsDecodePublicKey,
  blsDecodeSignature,
  type BlsG1Point,
  type BlsG2Point,
  blsSumPublicKeys,
  blsVerifyHashAggregate,
} from "./bls.ts";

/** A committee with its public keys decoded once, in slot order. */
export interface BlsCommittee {
  /** The serialized public keys (48 bytes each). */
  publicKeys: Uint8Array[];
  /** The same keys as G1 points. */
  points: BlsG1Point[];
  /** Hex of a serialized key → its slot (the last slot when a key occurs twice). */
  index: Map<string, number>;
}

/**
 * Decodes a committee's public keys once.
 *
 * @param publicKeys the serialized keys in committee slot order
 * @returns the committee record
 * @throws {SpecError} the codes of `blsDecodePublicKey` for a malformed key
 */
export function blsCommittee(publicKeys: Uint8Array[]): BlsCommittee {
  const points: BlsG1Point[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < publicKeys.length; i++) {
    points.push(blsDecodePublicKey(publicKeys[i]));
    index.set(toHex(publicKeys[i]), i);
  }
  return { publicKeys: publicKeys.slice(), points, index };
}

/**
 * The bitmap length for a committee: `⌈size/8⌉` bytes.
 *
 * @param size the number of participants
 * @returns the length in bytes
 */
export function blsMaskLength(size: number): number {
  return (size + 7) >> 3;
}

function requireLength(size: number, bitmap: Uint8Array): void {
  const wanted = blsMaskLength(size);
  require(bitmap.length === wanted, "bls/bitmap-length-mismatch", `${bitmap.length} ≠ ${wanted}`);
}

function bitIsSet(bitmap: Uint8Array, index: number): boolean {
  return (bitmap[index >> 3] & (1 << (index & 7))) !== 0;
}

/**
 * Writes the bitmap of a set of participants (padding bits clear).
 *
 * @param size the number of participants
 * @param indices the enabled slots, each in `[0, size)`; repeats are harmless
 * @returns `⌈size/8⌉` bytes
 * @throws {SpecError} `bls/mask-index-out-of-range`
 */
export function blsMaskFromIndices(size: number, indices: number[]): Uint8Array {
  const bitmap = new Uint8Array(blsMaskLength(size));
  for (const i of indices) {
    require(Number.isInteger(i) && i >= 0 && i < size, "bls/mask-index-out-of-range", `${i}`);
    bitmap[i >> 3] |= 1 << (i & 7);
  }
  return bitmap;
}

/**
 * Reads the enabled participants of a bitmap, ignoring padding bits.
 *
 * @param size the number of participants
 * @param bitmap exactly `⌈size/8⌉` bytes
 * @returns the enabled slots, ascending
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function blsMaskEnabledIndices(size: number, bitmap: Uint8Array): number[] {
  requireLength(size, bitmap);
  const enabled: number[] = [];
  for (let i = 0; i < size; i++) if (bitIsSet(bitmap, i)) enabled.push(i);
  return enabled;
}

/**
 * The participants a bitmap leaves out (Go `GetPubKeyFromMask(false)`).
 *
 * @param size the number of participants
 * @param bitmap exactly `⌈size/8⌉` bytes
 * @returns the disabled slots, ascending
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function blsMaskDisabledIndices(size: number, bitmap: Uint8Array): number[] {
  requireLength(size, bitmap);
  const disabled: number[] = [];
  for (let i = 0; i < size; i++) if (!bitIsSet(bitmap, i)) disabled.push(i);
  return disabled;
}

/**
 * How many participants a bitmap enables (padding bits do not count).
 *
 * @param size the number of participants
 * @param bitmap exactly `⌈size/8⌉` bytes
 * @returns the number of enabled slots
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function blsMaskCountEnabled(size: number, bitmap: Uint8Array): number {
  return blsMaskEnabledIndices(size, bitmap).length;
}

/**
 * Whether one participant is enabled (Go `IndexEnabled`).
 *
 * @param size the number of participants
 * @param bitmap exactly `⌈size/8⌉` bytes
 * @param index the slot, in `[0, size)`
 * @returns whether its bit is set
 * @throws {SpecError} `bls/bitmap-length-mismatch`, `bls/mask-index-out-of-range`
 */
export function blsMaskIndexEnabled(size: number, bitmap: Uint8Array, index: number): boolean {
  requireLength(size, bitmap);
  require(Number.isInteger(index) && index >= 0 && index < size, "bls/mask-index-out-of-range");
  return bitIsSet(bitmap, index);
}

/**
 * Enables or disables one participant (Go `SetBit`); the result has clear padding bits.
 *
 * @param size the number of participants
 * @param bitmap exactly `⌈size/8⌉` bytes
 * @param index the slot, in `[0, size)`
 * @param enable whether to set or clear its bit
 * @returns the new bitmap (the input is not modified)
 * @throws {SpecError} `bls/bitmap-length-mismatch`, `bls/mask-index-out-of-range`
 */
export function blsMaskSetBit(
  size: number,
  bitmap: Uint8Array,
  index: number,
  enable: boolean,
): Uint8Array {
  return blsMaskSetBits(size, bitmap, [index], enable);
}

/** Sets or clears several slots; every index is checked before the bitmap is rewritten. */
function blsMaskSetBits(
  size: number,
  bitmap: Uint8Array,
  indices: number[],
  enable: boolean,
): Uint8Array {
  for (const i of indices) {
    require(Number.isInteger(i) && i >= 0 && i < size, "bls/mask-index-out-of-range", `${i}`);
  }
  const chosen = new Set(indices);
  const kept = blsMaskEnabledIndices(size, bitmap).filter((i) => !chosen.has(i));
  return blsMaskFromIndices(size, enable ? kept.concat(indices) : kept);
}

/**
 * The slot of a public key in the committee (Go's `PublicsIndex` lookup).
 *
 * @param committee the committee
 * @param publicKey48 a serialized public key
 * @returns its slot, the last one when the key occurs twice
 * @throws {SpecError} `bls/mask-key-not-found`
 */
export function blsMaskKeyIndex(committee: BlsCommittee, publicKey48: Uint8Array): number {
  const i = committee.index.get(toHex(publicKey48));
  require(i !== undefined, "bls/mask-key-not-found");
  return i;
}

/**
 * Enables or disables the slots of some keys, all or none (Go `SetKey`, `SetKeysAtomic`): when
 * one key is not in the committee, nothing changes and the call is rejected.
 *
 * @param committee the committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @param publicKeys serialized keys of committee members
 * @param enable whether to set or clear their bits
 * @returns the new bitmap (the input is not modified)
 * @throws {SpecError} `bls/mask-key-not-found`, `bls/bitmap-length-mismatch`
 */
export function blsMaskSetKeys(
  committee: BlsCommittee,
  bitmap: Uint8Array,
  publicKeys: Uint8Array[],
  enable: boolean,
): Uint8Array {
  const indices = publicKeys.map((k) => blsMaskKeyIndex(committee, k));
  return blsMaskSetBits(committee.points.length, bitmap, indices, enable);
}

/**
 * Whether a key's slot is enabled (Go `KeyEnabled`).
 *
 * @param committee the committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @param publicKey48 a serialized key of a committee member
 * @returns whether the bit of its slot is set
 * @throws {SpecError} `bls/mask-key-not-found`, `bls/bitmap-length-mismatch`
 */
export function blsMaskKeyEnabled(
  committee: BlsCommittee,
  bitmap: Uint8Array,
  publicKey48: Uint8Array,
): boolean {
  const i = blsMaskKeyIndex(committee, publicKey48);
  return blsMaskIndexEnabled(committee.points.length, bitmap, i);
}

/**
 * Merges two bitmaps by byte-wise OR (Go `AggregateMasks`).
 *
 * @param a a bitmap
 * @param b a bitmap of the same length
 * @returns the byte-wise OR
 * @throws {SpecError} `bls/bitmap-length-mismatch` when the lengths differ
 */
export function blsAggregateMasks(a: Uint8Array, b: Uint8Array): Uint8Array {
  require(a.length === b.length, "bls/bitmap-length-mismatch", `${a.length} ≠ ${b.length}`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] | b[i];
  return out;
}

/**
 * The sum of the enabled participants' keys (Go `Mask.AggregatePublic` after `SetMask`).
 *
 * @param committee the decoded committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns the aggregate key; the point at infinity when nobody is enabled
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function blsMaskAggregatePublicKey(
  committee: BlsCommittee,
  bitmap: Uint8Array,
): BlsG1Point {
  return blsSumPublicKeys(blsMaskEnabledKeys(committee, bitmap));
}

/**
 * The enabled participants' keys, in committee order (Go `Mask.Publics` after `SetMask`).
 *
 * @param committee the decoded committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns the keys whose bits are set
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
function blsMaskEnabledKeys(committee: BlsCommittee, bitmap: Uint8Array): BlsG1Point[] {
  return blsMaskEnabledIndices(committee.points.length, bitmap).map((i) => committee.points[i]);
}

/**
 * Verifies an aggregate signature over a committee bitmap: the signature must verify, as in
 * `VerifyHash`, under the sum of the enabled keys. Malformed inputs are rejected with a code (as
 * the Go callers return an error), not answered with `false`.
 *
 * @param committee the decoded committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @param message the signed bytes; only the first 48 matter
 * @param signature96 the serialized aggregate signature
 * @returns whether the signature is valid (false too when the message maps to zero)
 * @throws {SpecError} the codes of `blsDecodeSignature`, then `bls/bitmap-length-mismatch`
 * @see github.com/harmony-one/harmony internal/chain/sig.go `DecodeSigBitmap`
 */
export function blsVerifyMaskedHash(
  committee: BlsCommittee,
  bitmap: Uint8Array,
  message: Uint8Array,
  signature96: Uint8Array,
): boolean {
  // The signature is decoded before the bitmap is read, as Go's `DecodeSigBitmap` does, so a
  // malformed signature is reported first.
  const signature = blsDecodeSignature(signature96);
  return blsVerifyMaskedHashPoint(committee, bitmap, message, signature);
}

/**
 * {@link blsVerifyMaskedHash} for a signature already decoded.
 *
 * @param committee the decoded committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @param message the signed bytes; only the first 48 matter
 * @param signature the aggregate signature, a decoded point of G2
 * @returns whether the signature verifies under the sum of the enabled keys
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function blsVerifyMaskedHashPoint(
  committee: BlsCommittee,
  bitmap: Uint8Array,
  message: Uint8Array,
  signature: BlsG2Point,
): boolean {
  return blsVerifyHashAggregate(blsMaskEnabledKeys(committee, bitmap), message, signature);
}

/** A commit signature and the bitmap of its signers, as carried together in blocks and messages. */
export interface SigAndBitmap {
  /** The 96-byte aggregate signature. */
  signature: Uint8Array;
  /** The signers' bitmap over the committee. */
  bitmap: Uint8Array;
}

/**
 * Splits `signature(96) ‖ bitmap` as carried in blocks and messages (Go `SeparateSigAndMask`).
 *
 * @param commitSigs the concatenation
 * @returns the first 96 bytes and the rest (possibly empty)
 * @throws {SpecError} `bls/commit-sig-too-short` below 96 bytes
 */
export function blsSeparateSigAndMask(commitSigs: Uint8Array): SigAndBitmap {
  require(commitSigs.length >= BLS_SIGNATURE_BYTES, "bls/commit-sig-too-short");
  return {
    signature: commitSigs.slice(0, BLS_SIGNATURE_BYTES),
    bitmap: commitSigs.slice(BLS_SIGNATURE_BYTES),
  };
}
