/**
 * Harmony's BLS signatures, bit for bit: keys, signing, verification and aggregation.
 *
 * Every consensus vote in Harmony is a BLS signature over BLS12-381 made by herumi's mcl and bls
 * code (harmony-one forks, built with `BLS_SWAP_G`). That scheme is **not** the IETF BLS
 * signature scheme, although it uses the same curve, groups and pairing:
 *
 * - **Keys and groups.** A secret key is an integer `sk` in `[0, r)`, stored as 32 little-endian
 *   bytes. A public key `sk·P` lies in G1 (48 bytes), where the generator P is *not* the standard
 *   one but mcl's map of the field element 1 ({@link HARMONY_G1_GENERATOR}). A signature lies in
 *   G2 (96 bytes).
 * - **Message to curve.** Harmony signs with `SignHash`: the first 48 bytes of the message are
 *   read as a little-endian field element (masked below p, no hash function), which mcl's
 *   Fouque–Tibouchi map sends to G2 (`bls-map.ts`). A message whose element is zero (empty, or
 *   48 leading zero bytes) has no point: signing it fails and verifying it is false. Only the
 *   first 48 bytes of a message matter.
 * - **Verification.** `e(P, σ) = e(pk, H(m))`, computed as one product of two Miller loops,
 *   `ML(P, σ) · ML(−pk, H(m))`, and one final exponentiation compared with 1.
 * - **Aggregation.** Plain point addition, for signatures and public keys alike; an aggregate
 *   signature of signers on one message verifies under the sum of their keys.
 * - **Encoding (mcl's, not ZCash's).** G1: x as 48 little-endian bytes, with the top bit of the
 *   last byte set when y is odd. G2: `x.c0 ‖ x.c1`, 48 little-endian bytes each, with the top bit
 *   of byte 95 set when `y.c0` is odd. The point at infinity is all zero bytes. Decoding requires
 *   the exact length, x below p, a point on the curve (y is mcl's square root, negated when its
 *   parity differs from the flag) and a point of order r; the point at infinity is accepted, as
 *   mcl accepts it.
 *
 * Quirks reproduced on purpose:
 * - The secret key 0 is accepted (mcl's deserializer accepts it); its public key and signatures
 *   are the point at infinity, and the infinity key with the infinity signature verifies every
 *   message that maps to a point, because `e(P, O) = e(O, Q) = 1`.
 * - There is no rogue-key defence in the signature scheme itself.
 *
 * **Memo.** A node checks the same signature many times (every validator of a shard run in one
 * process checks every vote it hears, and a certificate is checked on arrival and again in the
 * next header), so {@link blsVerifyHashPoints} and {@link blsHashToG2} remember their last few
 * thousand answers, by the points' encodings and the message's first 48 bytes (all that matters),
 * and {@link blsDecodeSignature} its last decodings (the subgroup check is costly). A signature
 * made here ({@link blsSignHashScalar}) is remembered as valid under its signer's key, which
 * bilinearity guarantees, and its encoding as decoding to it: validators that share a process do
 * not pair to check each other. Since a key has one valid signature per message, an aggregate of
 * signatures all met before is checked by adding them up ({@link blsVerifyHashAggregate}).
 * The answers are those of the computation: the memo saves time only.
 *
 * **Deviation (length).** The decoders here take exactly 32, 48 or 96 bytes. mcl's deserializer
 * reads the first 32/48/96 bytes of a longer buffer, ignores the rest and reports success; only a
 * shorter buffer fails. Where Harmony stores keys and signatures (shard state, staking, block
 * commit signatures) the fields are fixed-size arrays, so nothing changes there. Where it
 * deserializes a variable-length field of a network message (the sender key and signature of
 * consensus and view-change messages, double-sign ballots, cross-link heartbeats), trailing bytes
 * are silently accepted by Go; the spec of those messages must take the prefix itself (after
 * checking the length is at least the size) to reproduce that.
 *
 * @see github.com/harmony-one/bls ffi/go/bls/bls.go `SignHash`, `VerifyHash`, `Deserialize`
 * @see github.com/harmony-one/bls src/bls_c_impl.hpp `blsInit`, `toG`, `blsSignHash`,
 *   `blsVerifyHash`, `isEqualTwoPairings`
 * @see github.com/harmony-one/mcl include/mcl/ec.hpp `EcT::save`, `EcT::load`, `getYfromX`
 * @see github.com/harmony-one/harmony crypto/bls/bls.go, crypto/bls/mask.go `AggregateSig`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { bigintToFixedBytesLE, bytesToBigintLE, concatBytes, toHex } from "../encoding/bytes.ts";
import { isSpecError, require, type SpecError } from "../errors.ts";
import { keptFor } from "../memo.ts";
import { g2Multiply } from "./g2-multiply.ts";
import {
  BLS_FIELD_MODULUS,
  BLS_GROUP_ORDER,
  type BlsG1Point,
  type BlsG2Point,
  blsMapToG2,
  blsMessageToField,
  mclSqrtFp,
  mclSqrtFp2,
} from "./bls-map.ts";

export type { BlsG1Point, BlsG2Point } from "./bls-map.ts";

/** Bytes of a serialized secret key (little-endian integer below r). */
export const BLS_SECRET_KEY_BYTES = 32;
/** Bytes of a serialized public key (G1 point). */
export const BLS_PUBLIC_KEY_BYTES = 48;
/** Bytes of a serialized signature (G2 point). */
export const BLS_SIGNATURE_BYTES = 96;

const Fp = bls12_381.fields.Fp;
const Fp2 = bls12_381.fields.Fp2;
const Fp12 = bls12_381.fields.Fp12;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
/** Bit 7 of the last byte of an encoding: the parity of y (of y.c0 on G2). */
const PARITY_FLAG = 0x80;

/**
 * Harmony's G1 generator P = mcl `mapToG1(1)` (see `blsMapToG1` in `bls-map.ts`; a test
 * recomputes it). It is the public key of the secret key 1. Encoded:
 * `e500361ff315734cccd8f9b721ec159995e9e622be17afd41ac2f037a583e81b98c2320e0bf853a8f929e89e3d8ff504`.
 */
export const HARMONY_G1_GENERATOR: BlsG1Point = G1.fromAffine({
  x: 0x04f58f3d9ee829f9a853f80b0e32c2981be883a537f0c21ad4af17be22e6e9959915ec21b7f9d8cc4c7315f31f3600e5n,
  y: 0x1212110eb10dbc575bccc44dcd77400f38282c4728b5efac69c0b4c9011bd27b8ed608acd81f027039216a291ac636a8n,
}).precompute(8); // a window table makes `sk·P` fast; it changes no result

/**
 * Whether `r·Q` is the point at infinity: mcl's `isValidOrder`, the plain statement of the
 * subgroup rule. The decoders use @noble/curves' endomorphism test (`isTorsionFree`, Scott,
 * eprint 2021/1130), which is equivalent on BLS12-381 and much faster; a test checks the two agree.
 *
 * @param point a point of E(Fp) or E'(Fp2)
 * @returns whether the point lies in the subgroup of order r
 */
export function blsHasOrderR(point: BlsG1Point | BlsG2Point): boolean {
  // multiplyUnsafe accepts scalars below r only, so r·Q is computed as (r − 1)·Q + Q.
  const q = point as BlsG1Point;
  return q.multiplyUnsafe(BLS_GROUP_ORDER - 1n).add(q).is0();
}

/**
 * Reads a secret key (mcl `Fr::deserialize`).
 *
 * @param bytes 32 bytes, a little-endian integer
 * @returns the scalar, in `[0, r)`; zero is accepted, as mcl accepts it
 * @throws {SpecError} `bls/invalid-length` unless 32 bytes; `bls/secret-key-out-of-range` when ≥ r
 */
export function blsDecodeSecretKey(bytes: Uint8Array): bigint {
  require(
    bytes.length === BLS_SECRET_KEY_BYTES,
    "bls/invalid-length",
    `secret key ${bytes.length}`,
  );
  const sk = bytesToBigintLE(bytes);
  require(sk < BLS_GROUP_ORDER, "bls/secret-key-out-of-range");
  return sk;
}

function isAllZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/** Splits an encoding into its parity flag and its coordinate bytes (flag bit cleared). */
function splitFlag(bytes: Uint8Array): { odd: boolean; body: Uint8Array } {
  const body = bytes.slice();
  const last = body.length - 1;
  const odd = (body[last] & PARITY_FLAG) !== 0;
  body[last] &= ~PARITY_FLAG;
  return { odd, body };
}

/** An Fp coordinate from 48 little-endian bytes; it must be canonical (below p). */
function readCoordinate(bytes: Uint8Array): bigint {
  const value = bytesToBigintLE(bytes);
  require(value < BLS_FIELD_MODULUS, "bls/non-canonical-coordinate");
  return value;
}

/**
 * Reads a public key (mcl `G1::deserialize`, with the order check Harmony's build enables).
 *
 * @param bytes 48 bytes: x little-endian, top bit of byte 47 = parity of y; all zero = infinity
 * @returns the G1 point (the point at infinity for 48 zero bytes)
 * @throws {SpecError} `bls/invalid-length`, `bls/non-canonical-coordinate` (x ≥ p),
 *   `bls/not-on-curve` (x³ + 4 is not a square), `bls/not-in-subgroup` (order is not r)
 */
export function blsDecodePublicKey(bytes: Uint8Array): BlsG1Point {
  require(
    bytes.length === BLS_PUBLIC_KEY_BYTES,
    "bls/invalid-length",
    `public key ${bytes.length}`,
  );
  if (isAllZero(bytes)) return G1.ZERO;
  const { odd, body } = splitFlag(bytes);
  const x = readCoordinate(body);
  const y = mclSqrtFp(Fp.add(Fp.mul(Fp.sqr(x), x), 4n));
  require(y !== undefined, "bls/not-on-curve");
  // mcl takes its root and negates it when the parity differs from the flag.
  const point = G1.fromAffine({ x, y: ((y & 1n) === 1n) === odd ? y : Fp.neg(y) });
  require(point.isTorsionFree(), "bls/not-in-subgroup");
  return point;
}

/**
 * Writes a G1 point as mcl does (the inverse of {@link blsDecodePublicKey} on canonical input).
 *
 * @param point a G1 point
 * @returns 48 bytes
 */
export function blsEncodePublicKey(point: BlsG1Point): Uint8Array {
  if (point.is0()) return new Uint8Array(BLS_PUBLIC_KEY_BYTES);
  const { x, y } = point.toAffine();
  const out = bigintToFixedBytesLE(x, BLS_PUBLIC_KEY_BYTES);
  if ((y & 1n) === 1n) out[BLS_PUBLIC_KEY_BYTES - 1] |= PARITY_FLAG;
  return out;
}

/**
 * Reads a signature (mcl `G2::deserialize`, with the order check).
 *
 * @param bytes 96 bytes: x.c0 ‖ x.c1 little-endian, top bit of byte 95 = parity of y.c0;
 *   all zero = infinity
 * @returns the G2 point (the point at infinity for 96 zero bytes)
 * @throws {SpecError} `bls/invalid-length`, `bls/non-canonical-coordinate` (x.c0 or x.c1 ≥ p),
 *   `bls/not-on-curve` (x³ + 4(1+i) is not a square), `bls/not-in-subgroup` (order is not r)
 */
export function blsDecodeSignature(bytes: Uint8Array): BlsG2Point {
  require(bytes.length === BLS_SIGNATURE_BYTES, "bls/invalid-length", `signature ${bytes.length}`);
  const key = toHex(bytes);
  let known = decodedSignatures.get(key);
  if (known === undefined) {
    try {
      known = decodeSignature(bytes);
    } catch (e) {
      if (!isSpecError(e)) throw e;
      known = e;
    }
    remember(decodedSignatures, key, known);
  }
  if (known instanceof Error) throw known;
  return known;
}

const decodedSignatures = new Map<string, BlsG2Point | SpecError>();

/** {@link blsDecodeSignature} without the memo. */
function decodeSignature(bytes: Uint8Array): BlsG2Point {
  if (isAllZero(bytes)) return G2.ZERO;
  const { odd, body } = splitFlag(bytes);
  const x = { c0: readCoordinate(body.subarray(0, 48)), c1: readCoordinate(body.subarray(48)) };
  const y = mclSqrtFp2(Fp2.add(Fp2.mul(Fp2.sqr(x), x), { c0: 4n, c1: 4n }));
  require(y !== undefined, "bls/not-on-curve");
  // The flag is compared with the parity of y.c0; when y.c0 = 0 both roots share that parity.
  const point = G2.fromAffine({ x, y: ((y.c0 & 1n) === 1n) === odd ? y : Fp2.neg(y) });
  require(point.isTorsionFree(), "bls/not-in-subgroup");
  return point;
}

/**
 * Writes a G2 point as mcl does (the inverse of {@link blsDecodeSignature} on canonical input).
 *
 * @param point a G2 point
 * @returns 96 bytes
 */
export function blsEncodeSignature(point: BlsG2Point): Uint8Array {
  if (point.is0()) return new Uint8Array(BLS_SIGNATURE_BYTES);
  const { x, y } = point.toAffine();
  const out = concatBytes(bigintToFixedBytesLE(x.c0, 48), bigintToFixedBytesLE(x.c1, 48));
  if ((y.c0 & 1n) === 1n) out[BLS_SIGNATURE_BYTES - 1] |= PARITY_FLAG;
  // A signature made here is a point of G2, so its encoding decodes to it: the decoder may skip
  // the subgroup check. (Unless y.c0 = 0, where the flag cannot tell y from −y.)
  if (made.has(point) && y.c0 !== 0n) remember(decodedSignatures, toHex(out), point);
  return out;
}

/**
 * Harmony's "hash" of a message to G2 (bls `toG`): {@link blsMessageToField} then mcl's map.
 *
 * @param message any bytes; only the first 48 matter
 * @returns the G2 point H(m)
 * @throws {SpecError} `bls/message-maps-to-zero` when the field element is zero
 */
export function blsHashToG2(message: Uint8Array): BlsG2Point {
  const point = mapMessage(message);
  require(point !== undefined, "bls/message-maps-to-zero");
  return point;
}

/** How many answers each memo keeps (see the module notes). */
const MEMO_SIZE = 4096;

/** A bounded memo: the oldest answer goes when it is full. */
function remember<K, T>(memo: Map<K, T>, key: K, value: T): T {
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
  return value;
}

const mapped = new Map<string, BlsG2Point | undefined>();

/** mcl's map of a message's field element, memoised by the message's first 48 bytes. */
function mapMessage(message: Uint8Array): BlsG2Point | undefined {
  const key = toHex(message.subarray(0, 48));
  if (mapped.has(key)) return mapped.get(key);
  return remember(mapped, key, blsMapToG2({ c0: blsMessageToField(message), c1: 0n }));
}

/**
 * The public key of a secret key: `sk·P` with Harmony's generator P.
 *
 * @param secretKey32LE the secret key, 32 little-endian bytes
 * @returns the 48-byte public key
 * @throws {SpecError} `bls/invalid-length`, `bls/secret-key-out-of-range`
 */
export function blsPublicKey(secretKey32LE: Uint8Array): Uint8Array {
  const sk = blsDecodeSecretKey(secretKey32LE);
  return blsEncodePublicKey(sk === 0n ? G1.ZERO : HARMONY_G1_GENERATOR.multiply(sk));
}

/**
 * Signs a message as Harmony's `SecretKey.SignHash` does: `σ = sk·H(m)`.
 *
 * @param secretKey32LE the secret key, 32 little-endian bytes
 * @param message the bytes to sign; only the first 48 matter
 * @returns the 96-byte signature
 * @throws {SpecError} `bls/invalid-length`, `bls/secret-key-out-of-range`,
 *   `bls/message-maps-to-zero` (Go's `SignHash` returns nil there)
 */
export function blsSignHash(secretKey32LE: Uint8Array, message: Uint8Array): Uint8Array {
  const signature = blsSignHashScalar(blsDecodeSecretKey(secretKey32LE), message);
  require(signature !== undefined, "bls/message-maps-to-zero");
  return blsEncodeSignature(signature);
}

/**
 * `s·H(m)` for a secret scalar `s` (a key, or the sum of several keys signing together, whose
 * signature is the sum of theirs). By bilinearity it verifies under `s·P`, so that answer goes
 * into the verification memo (see the module notes): a node that checks a signature it made
 * itself, as validators run in one process do, need not pair.
 *
 * @param scalar the secret scalar, below the group order
 * @param message the bytes to sign; only the first 48 matter
 * @returns the signature point (the point at infinity for a zero scalar), or undefined when the
 *   message maps to zero
 */
export function blsSignHashScalar(scalar: bigint, message: Uint8Array): BlsG2Point | undefined {
  const h = mapMessage(message);
  if (h === undefined) return undefined;
  if (scalar === 0n) return G2.ZERO;
  const signature = g2Multiply(h, scalar);
  rememberValid(publicKeyOfScalar(scalar), message, signature);
  made.add(signature);
  return signature;
}

/** Signatures made here, which are points of G2 by construction (see `blsEncodeSignature`). */
const made = new WeakSet<BlsG2Point>();

const publicKeys = new Map<bigint, BlsG1Point>();

/** `s·P`, memoised: a node signs with the same few keys again and again. */
function publicKeyOfScalar(scalar: bigint): BlsG1Point {
  return publicKeys.get(scalar) ??
    remember(publicKeys, scalar, HARMONY_G1_GENERATOR.multiply(scalar));
}

/**
 * Whether the product of pairings `∏ e(Pᵢ, Qᵢ)` is 1: one Miller loop per pair, multiplied, then
 * one final exponentiation. A pair with a point at infinity contributes 1 and is skipped.
 */
function pairingProductIsOne(pairs: [BlsG1Point, BlsG2Point][]): boolean {
  const loops: [ReturnType<typeof bls12_381.utils.calcPairingPrecomputes>, bigint, bigint][] = [];
  for (const [p, q] of pairs) {
    if (p.is0() || q.is0()) continue;
    const { x, y } = p.toAffine();
    loops.push([bls12_381.utils.calcPairingPrecomputes(q), x, y]);
  }
  const f = Fp12.finalExponentiate(bls12_381.millerLoopBatch(loops));
  return Fp12.eql(f, Fp12.ONE);
}

/**
 * Verification on decoded points (bls `blsVerifyHash` after deserialization):
 * `finalExp(ML(P, σ) · ML(−pk, H(m))) = 1`.
 *
 * @param publicKey a decoded public key (any G1 point, e.g. an aggregate)
 * @param message the signed bytes; only the first 48 matter
 * @param signature a decoded signature
 * @returns whether the signature is valid; false when the message maps to zero
 */
export function blsVerifyHashPoints(
  publicKey: BlsG1Point,
  message: Uint8Array,
  signature: BlsG2Point,
): boolean {
  const key = verifiedKey(publicKey, message, signature);
  const known = verified.get(key);
  if (known !== undefined) return known;
  const h = mapMessage(message);
  if (h === undefined) return remember(verified, key, false);
  const ok = pairingProductIsOne([[HARMONY_G1_GENERATOR, signature], [publicKey.negate(), h]]);
  if (!ok) return remember(verified, key, false);
  rememberValid(publicKey, message, signature);
  return true;
}

const verified = new Map<string, boolean>();

/**
 * The valid signature of each (key, message) met, by key and message. A BLS signature is unique:
 * `sk·H(m)` is the one point of G2 that verifies under `sk·P` (the pairing is non-degenerate).
 */
const validSignatures = new Map<string, BlsG2Point>();

function rememberValid(publicKey: BlsG1Point, message: Uint8Array, signature: BlsG2Point): void {
  remember(verified, verifiedKey(publicKey, message, signature), true);
  remember(validSignatures, signedKey(publicKey, message), signature);
}

/**
 * Verifies an aggregate signature of one message: the same answer as
 * {@link blsVerifyHashPoints} under the sum of the keys.
 *
 * When the memo holds the valid signature of the message under every key (a node that made or
 * checked each vote), the aggregate is valid exactly when it equals their sum: `e(P, σ) =
 * e(Σ pkᵢ, H(m)) = e(P, Σ σᵢ)` holds for `σ = Σ σᵢ` and, the pairing being non-degenerate, for
 * no other point of G2. That costs a few additions instead of a pairing. Otherwise the keys are
 * summed and the pairing decides.
 *
 * @param publicKeys the signers' keys (a key listed twice counts twice, as in the sum)
 * @param message the signed bytes; only the first 48 matter
 * @param signature the aggregate signature, a decoded point of G2
 * @returns whether it verifies under the sum of the keys
 */
export function blsVerifyHashAggregate(
  publicKeys: BlsG1Point[],
  message: Uint8Array,
  signature: BlsG2Point,
): boolean {
  const parts = publicKeys.map((key) => validSignatures.get(signedKey(key, message)));
  // With no key, the message must still map to a point (the pairing's answer): no shortcut.
  if (parts.length === 0 || parts.includes(undefined)) {
    return blsVerifyHashPoints(blsSumPublicKeys(publicKeys), message, signature);
  }
  let sum = G2.ZERO;
  for (const part of parts) sum = sum.add(part!);
  return sum.equals(signature);
}

/**
 * The verification memo's key: the points' affine coordinates and the message's first 48 bytes.
 * (Coordinates, not encodings: noble checks a point's subgroup again to encode it. The point at
 * infinity reads as (0, 0), which no other point has.)
 */
function verifiedKey(publicKey: BlsG1Point, message: Uint8Array, signature: BlsG2Point): string {
  return `${signedKey(publicKey, message)}:${g2Key(signature)}`;
}

/** The memo key of a (key, message) pair. */
function signedKey(publicKey: BlsG1Point, message: Uint8Array): string {
  return `${g1Key(publicKey)}:${toHex(message.subarray(0, 48))}`;
}

/** Each key point's memo text, kept while the point is (committee keys are checked often). */
const g1Keys = new WeakMap<BlsG1Point, string>();

function g1Key(p: BlsG1Point): string {
  return keptFor(g1Keys, p, () => {
    const { x, y } = p.toAffine();
    return `${x.toString(36)},${y.toString(36)}`;
  });
}

function g2Key(p: BlsG2Point): string {
  const { x, y } = p.toAffine();
  return `${x.c0.toString(36)},${x.c1.toString(36)},${y.c0.toString(36)},${y.c1.toString(36)}`;
}

/**
 * Verifies a signature as Harmony's `Sign.VerifyHash` does.
 *
 * Never throws on bad input: a malformed public key or signature (any decoding rejection) and a
 * message that maps to zero all give `false`, as the Go call does after a failed deserialization.
 * Use {@link blsDecodePublicKey} / {@link blsDecodeSignature} to learn why an encoding is bad.
 *
 * @param publicKey48 the serialized public key
 * @param message the signed bytes; only the first 48 matter
 * @param signature96 the serialized signature
 * @returns whether the signature is a valid signature of the message under the key
 */
export function blsVerifyHash(
  publicKey48: Uint8Array,
  message: Uint8Array,
  signature96: Uint8Array,
): boolean {
  try {
    return blsVerifyHashPoints(
      blsDecodePublicKey(publicKey48),
      message,
      blsDecodeSignature(signature96),
    );
  } catch (e) {
    if (isSpecError(e)) return false;
    throw e;
  }
}

/**
 * Adds signatures (Harmony `AggregateSig`). The empty list gives the point at infinity.
 *
 * @param signatures serialized signatures
 * @returns the serialized sum
 * @throws {SpecError} the codes of {@link blsDecodeSignature} for a malformed signature
 */
export function blsAggregateSignatures(signatures: Uint8Array[]): Uint8Array {
  let sum = G2.ZERO;
  for (const s of signatures) sum = sum.add(blsDecodeSignature(s));
  return blsEncodeSignature(sum);
}

/**
 * Adds public keys (mcl `PublicKey.Add`, as `Mask` does for its aggregate key). The empty list
 * gives the point at infinity.
 *
 * @param publicKeys serialized public keys
 * @returns the serialized sum
 * @throws {SpecError} the codes of {@link blsDecodePublicKey} for a malformed key
 */
export function blsAggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array {
  return blsEncodePublicKey(blsSumPublicKeys(publicKeys.map(blsDecodePublicKey)));
}

/**
 * The sum of decoded public keys; one key is returned as it is (the memos know it by that
 * object), none gives the point at infinity.
 *
 * @param publicKeys decoded keys
 * @returns their sum
 */
export function blsSumPublicKeys(publicKeys: BlsG1Point[]): BlsG1Point {
  if (publicKeys.length === 1) return publicKeys[0];
  let sum = G1.ZERO;
  for (const key of publicKeys) sum = sum.add(key);
  return sum;
}
