/**
 * Conformance cases for the `crypto` runner, BLS section: Harmony's BLS keys, signatures,
 * verification, aggregation, committee bitmaps and encodings. The format is in
 * `conformance/formats/crypto.md` (section "BLS").
 *
 * Where the expectations come from, never from the spec:
 * - values produced by Harmony's own BLS code (the generator, the key of sk = 2, the
 *   signature of 01..20 by sk = 1 and sk = 2);
 * - herumi's mcl compiled to WebAssembly (mcl-wasm, set up as Harmony's build), which also
 *   produces the signed inputs here, so no input is made by the spec either;
 * - the rules of the Go code for rejections (each rejected input is also refused by mcl, which
 *   this module asserts when it loads, and is built so that its reason is plain arithmetic:
 *   x ≥ p, x³ + b not a square by Euler's criterion, a point of order 3).
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import {
  blsAggregatePublicKeys,
  blsAggregateSignatures,
  blsDecodePublicKey,
  blsDecodeSecretKey,
  blsDecodeSignature,
  blsEncodePublicKey,
  blsEncodeSignature,
  blsPublicKey,
  blsSignHash,
  blsVerifyHash,
} from "../../../spec/crypto/bls.ts";
import {
  blsCommittee,
  blsMaskAggregatePublicKey,
  blsMaskEnabledIndices,
  blsSeparateSigAndMask,
  blsVerifyMaskedHash,
} from "../../../spec/crypto/bls-mask.ts";
import { bigintToFixedBytesLE, concatBytes, fromHex } from "../../../spec/encoding/bytes.ts";
import type { Case, DecodedFields, Handler, Suite } from "../../harness.ts";
import { inputBytes as bytes } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  mclAggregatePublicKeys,
  mclAggregateSignatures,
  mclG1,
  mclG2,
  mclPublicKey,
  mclSecretKey,
  mclSignHash,
  mclVerifyHash,
} from "../../../test/support/mcl-oracle.ts";

// ---------------------------------------------------------------- reading inputs

function bytesList(inputs: DecodedFields, name: string): Uint8Array[] {
  const value = inputs[name];
  if (!Array.isArray(value) || !value.every((v) => v instanceof Uint8Array)) {
    throw new Error(`input ${name} must be a list of byte strings`);
  }
  return value as Uint8Array[];
}

function text(inputs: DecodedFields, name: string): string {
  const value = inputs[name];
  if (typeof value !== "string") throw new Error(`input ${name} must be text`);
  return value;
}

// ---------------------------------------------------------------- constants and oracle inputs

/** BLS12-381 p and r, as published in the curve's definition. */
const P =
  0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;
const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

const GENERATOR =
  "e500361ff315734cccd8f9b721ec159995e9e622be17afd41ac2f037a583e81b98c2320e0bf853a8f929e89e3d8ff504";
const PK_OF_2 =
  "a704fcec31db9b5be2748ed7c6a1bd5fde6efe32d5113fbe3700313355785477dca047ea6c965657f2b28f79a927b48f";
const SIG_1_OF_01_TO_20 =
  "e267ce2aacd7f5a552df895676b44089d7cfd2282b10e3ee30e956d08c21d1315e2ad87ef5ba4cf38c7bce6a574e880b" +
  "0e66af9333f8b03745791999c7e4bf72e75d3a6b4f1b84e668526511ea6a51d55667f3f09c9b94a03b25252383e93786";
const SIG_2_OF_01_TO_20 =
  "c03bf330f600ba63dc63c3985fec95cec02b1f3185ae9246162a6a77ca7783430a15a4f61d2aa2f408f3e46e89310704" +
  "541077fe1d0a29db0bf40950782dc2d272214570c00f0b50d23f89b929dedbf82c5da4f71c485a41d59c53c1700c4d0a";
const BYTES_1_TO_32 = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

function sk(n: bigint): Uint8Array {
  return bigintToFixedBytesLE(n, 32);
}

/** A deterministic secret key below r: SHA-256 of a label, top two bits cleared (< 2²⁵⁴ < r). */
function labelledKey(label: string): Uint8Array {
  const k = sha256(new TextEncoder().encode(`harmony-spec bls ${label}`));
  k[31] &= 0x3f;
  return k;
}

/** Deterministic message bytes of a given length. */
function labelledMessage(label: string, length: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (let i = 0; out.length < length; i++) {
    out = concatBytes(out, sha256(new TextEncoder().encode(`harmony-spec msg ${label} ${i}`)));
  }
  return out.slice(0, length);
}

function oracle<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`mcl refused ${what}`);
  return value;
}

function mustRefuse(accepted: unknown, what: string): void {
  if (accepted !== undefined) throw new Error(`mcl accepts ${what}, which the cases reject`);
}

/** Plain modular exponentiation, for Euler's criterion in the construction of bad points. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function isSquareModP(v: bigint): boolean {
  const m = ((v % P) + P) % P;
  return m === 0n || modPow(m, (P - 1n) / 2n, P) === 1n;
}

/** 48 little-endian bytes of an x coordinate, with the parity flag when asked. */
function g1Bytes(x: bigint, flag: boolean): Uint8Array {
  const out = bigintToFixedBytesLE(x, 48);
  if (flag) out[47] |= 0x80;
  return out;
}

function g2Bytes(c0: bigint, c1: bigint, flag: boolean): Uint8Array {
  const out = concatBytes(bigintToFixedBytesLE(c0, 48), bigintToFixedBytesLE(c1, 48));
  if (flag) out[95] |= 0x80;
  return out;
}

/** The smallest x ≥ 1 whose x³ + 4 is (or is not) a square mod p. */
function g1X(square: boolean): bigint {
  let x = 1n;
  while (isSquareModP(x ** 3n + 4n) !== square) x++;
  return x;
}

/**
 * The smallest real x ≥ 1 for which x³ + 4 + 4i is (or is not) a square in Fp2: a square exactly
 * when its norm (x³ + 4)² + 16 is a square in Fp.
 */
function g2X(square: boolean): bigint {
  let x = 1n;
  while (isSquareModP((x ** 3n + 4n) ** 2n + 16n) !== square) x++;
  return x;
}

// ---------------------------------------------------------------- bls_public_key

const publicKeyHandler: Handler = {
  runner: "crypto",
  handler: "bls_public_key",
  preset: "general",
  config: {},
  covers: ["blsPublicKey"],
  run: (inputs) => ({ public_key: blsPublicKey(bytes(inputs, "secret_key")) }),
};

function publicKeyCase(name: string, description: string, key: Uint8Array): Case {
  return {
    name,
    description,
    inputs: { secret_key: key },
    expect: { public_key: oracle(mclPublicKey(key), name) },
  };
}

const publicKeyCases: Case[] = [
  {
    name: "sk_one_is_the_generator",
    description: "The key of sk = 1 is Harmony's G1 generator mapToG1(1), not the IETF one.",
    inputs: { secret_key: sk(1n) },
    expect: { public_key: fromHex(GENERATOR) },
  },
  {
    name: "sk_two_known_answer",
    description: "The public key of sk = 2, as produced by Harmony's BLS code.",
    inputs: { secret_key: sk(2n) },
    expect: { public_key: fromHex(PK_OF_2) },
  },
  publicKeyCase(
    "sk_zero",
    "The secret key 0 is accepted; its key is the point at infinity.",
    sk(0n),
  ),
  publicKeyCase(
    "sk_r_minus_one",
    "The largest secret key, r − 1: the negated generator.",
    sk(R - 1n),
  ),
  ...[1, 2, 3, 4].map((i) =>
    publicKeyCase(
      `sk_random_${i}`,
      "A random secret key; the key computed by mcl.",
      labelledKey(`pk ${i}`),
    )
  ),
  {
    name: "sk_equal_to_r",
    description: "A secret key must be below the group order r.",
    inputs: { secret_key: sk(R) },
    expect: { error: "bls/secret-key-out-of-range" },
  },
  {
    name: "sk_all_ff",
    description: "32 bytes of 0xff: far above r.",
    inputs: { secret_key: new Uint8Array(32).fill(0xff) },
    expect: { error: "bls/secret-key-out-of-range" },
  },
  {
    name: "sk_31_bytes",
    description: "A secret key is exactly 32 bytes.",
    inputs: { secret_key: new Uint8Array(31).fill(1) },
    expect: { error: "bls/invalid-length" },
  },
  {
    name: "sk_33_bytes",
    description: "A secret key is exactly 32 bytes, even when the extra byte is zero.",
    inputs: { secret_key: concatBytes(sk(5n), new Uint8Array(1)) },
    expect: { error: "bls/invalid-length" },
  },
];
mustRefuse(mclSecretKey(sk(R)), "sk = r");
mustRefuse(mclSecretKey(new Uint8Array(32).fill(0xff)), "sk = 2^256 − 1");

// ---------------------------------------------------------------- bls_sign

const signHandler: Handler = {
  runner: "crypto",
  handler: "bls_sign",
  preset: "general",
  config: {},
  covers: ["blsSignHash"],
  run: (inputs) => ({
    signature: blsSignHash(bytes(inputs, "secret_key"), bytes(inputs, "message")),
  }),
};

function signCase(name: string, description: string, key: Uint8Array, message: Uint8Array): Case {
  return {
    name,
    description,
    inputs: { secret_key: key, message },
    expect: { signature: oracle(mclSignHash(key, message), name) },
  };
}

function mapsToZero(name: string, description: string, message: Uint8Array): Case {
  return {
    name,
    description,
    inputs: { secret_key: sk(7n), message },
    expect: { error: "bls/message-maps-to-zero" },
  };
}

const ffPrefix = new Uint8Array(48).fill(0xff);
const longMessage = labelledMessage("long", 100);
const signCases: Case[] = [
  {
    name: "known_answer_sk_one",
    description: "SignHash(sk = 1, 01..20) is H(m) itself, as produced by Harmony's BLS code.",
    inputs: { secret_key: sk(1n), message: BYTES_1_TO_32 },
    expect: { signature: fromHex(SIG_1_OF_01_TO_20) },
  },
  {
    name: "known_answer_sk_two",
    description: "SignHash(sk = 2, 01..20), as produced by Harmony's BLS code.",
    inputs: { secret_key: sk(2n), message: BYTES_1_TO_32 },
    expect: { signature: fromHex(SIG_2_OF_01_TO_20) },
  },
  signCase("message_one_byte", "A one-byte message.", labelledKey("s1"), Uint8Array.of(0x42)),
  signCase(
    "message_32_bytes",
    "A 32-byte message, the size of a block hash.",
    labelledKey("s2"),
    labelledMessage("32", 32),
  ),
  signCase(
    "message_48_bytes",
    "A 48-byte message: all of it counts.",
    labelledKey("s3"),
    labelledMessage("48", 48),
  ),
  signCase(
    "message_100_bytes",
    "A 100-byte message: only the first 48 bytes count.",
    labelledKey("s4"),
    longMessage,
  ),
  signCase(
    "message_prefix_of_long",
    "The 48-byte prefix of message_100_bytes signs to the same signature.",
    labelledKey("s4"),
    longMessage.slice(0, 48),
  ),
  signCase(
    "message_high_bits_masked",
    "48 bytes of 0xff: bits 381 and up are cleared, then bit 380 because the value is still ≥ p.",
    labelledKey("s5"),
    ffPrefix,
  ),
  signCase(
    "message_equal_to_p",
    "The little-endian bytes of p: bit 380 is cleared, giving p − 2³⁸⁰.",
    labelledKey("s6"),
    bigintToFixedBytesLE(P, 48),
  ),
  signCase(
    "message_nearly_zero",
    "47 zero bytes then 0x01: the field element 2³⁷⁶.",
    labelledKey("s7"),
    concatBytes(new Uint8Array(47), Uint8Array.of(1)),
  ),
  signCase("sk_zero", "The secret key 0 signs to the point at infinity.", sk(0n), BYTES_1_TO_32),
  mapsToZero("message_empty", "An empty message has no point: SignHash fails.", new Uint8Array(0)),
  mapsToZero(
    "message_32_zero_bytes",
    "32 zero bytes map to the field element 0.",
    new Uint8Array(32),
  ),
  mapsToZero(
    "message_48_zero_bytes",
    "48 zero bytes map to the field element 0.",
    new Uint8Array(48),
  ),
  mapsToZero(
    "message_zero_prefix_nonzero_tail",
    "48 zero bytes then 0x01: the tail is ignored, so the element is still 0.",
    concatBytes(new Uint8Array(48), Uint8Array.of(1)),
  ),
  {
    name: "sk_equal_to_r",
    description: "The secret key is checked before anything is signed.",
    inputs: { secret_key: sk(R), message: BYTES_1_TO_32 },
    expect: { error: "bls/secret-key-out-of-range" },
  },
];

// ---------------------------------------------------------------- bls_verify

const verifyHandler: Handler = {
  runner: "crypto",
  handler: "bls_verify",
  preset: "general",
  config: {},
  covers: ["blsVerifyHash"],
  run: (inputs) => ({
    valid: blsVerifyHash(
      bytes(inputs, "public_key"),
      bytes(inputs, "message"),
      bytes(inputs, "signature"),
    ),
  }),
};

function verifyCase(
  name: string,
  description: string,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Case {
  return {
    name,
    description,
    inputs: { public_key: publicKey, message, signature },
    expect: { valid: mclVerifyHash(publicKey, message, signature) },
  };
}

const vKey = labelledKey("verify");
const vPk = oracle(mclPublicKey(vKey), "verify key");
const vMsg = labelledMessage("verify", 32);
const vSig = oracle(mclSignHash(vKey, vMsg), "verify signature");
const otherPk = oracle(mclPublicKey(labelledKey("verify other")), "other key");
const flippedFlag = vSig.slice();
flippedFlag[95] ^= 0x80;

const verifyCases: Case[] = [
  {
    name: "known_answer_valid",
    description: "The known signature of 01..20 by sk = 2 under the known key of sk = 2.",
    inputs: {
      public_key: fromHex(PK_OF_2),
      message: BYTES_1_TO_32,
      signature: fromHex(SIG_2_OF_01_TO_20),
    },
    expect: { valid: true },
  },
  {
    name: "known_answer_wrong_key",
    description: "The known signature by sk = 2 under the generator (the key of sk = 1).",
    inputs: {
      public_key: fromHex(GENERATOR),
      message: BYTES_1_TO_32,
      signature: fromHex(SIG_2_OF_01_TO_20),
    },
    expect: { valid: false },
  },
  verifyCase("valid", "A valid signature made by mcl.", vPk, vMsg, vSig),
  verifyCase("wrong_public_key", "Another key.", otherPk, vMsg, vSig),
  verifyCase("wrong_message", "Another message.", vPk, labelledMessage("verify other", 32), vSig),
  verifyCase(
    "longer_message_same_prefix",
    "Signed as a 50-byte message, verified with its 48-byte prefix: valid.",
    oracle(mclPublicKey(vKey), "key"),
    labelledMessage("verify 48", 48),
    oracle(
      mclSignHash(vKey, concatBytes(labelledMessage("verify 48", 48), Uint8Array.of(9, 9))),
      "sig",
    ),
  ),
  verifyCase(
    "negated_signature",
    "The parity flag flipped: the negated signature fails.",
    vPk,
    vMsg,
    flippedFlag,
  ),
  verifyCase(
    "infinity_key_and_signature",
    "The key and signature at infinity verify any message that maps to a point (e(P, O) = e(O, H) = 1).",
    new Uint8Array(48),
    vMsg,
    new Uint8Array(96),
  ),
  verifyCase(
    "infinity_signature",
    "A real key with the signature at infinity.",
    vPk,
    vMsg,
    new Uint8Array(96),
  ),
  {
    name: "message_maps_to_zero",
    description: "An all-zero message has no point: false, whatever the signature.",
    inputs: { public_key: vPk, message: new Uint8Array(32), signature: vSig },
    expect: { valid: false },
  },
  {
    name: "malformed_signature_length",
    description: "A 95-byte signature: false, not an error.",
    inputs: { public_key: vPk, message: vMsg, signature: vSig.slice(0, 95) },
    expect: { valid: false },
  },
  {
    name: "malformed_public_key",
    description: "A key whose x is p: false, not an error.",
    inputs: { public_key: g1Bytes(P, false), message: vMsg, signature: vSig },
    expect: { valid: false },
  },
  {
    name: "canary_inverted_verdict",
    description: "Canary: a valid signature recorded as invalid; every runner must report it.",
    inputs: { public_key: vPk, message: vMsg, signature: vSig },
    expect: { valid: false },
    canary: true,
  },
];

// ---------------------------------------------------------------- bls_aggregate

const aggregateHandler: Handler = {
  runner: "crypto",
  handler: "bls_aggregate",
  preset: "general",
  config: {},
  covers: ["blsAggregateSignatures", "blsAggregatePublicKeys"],
  run: (inputs) => ({
    signature: blsAggregateSignatures(bytesList(inputs, "signatures")),
    public_key: blsAggregatePublicKeys(bytesList(inputs, "public_keys")),
  }),
};

const aKeys = [1, 2, 3, 4].map((i) => labelledKey(`aggregate ${i}`));
const aPks = aKeys.map((k) => oracle(mclPublicKey(k), "aggregate key"));
const aSigs = aKeys.map((k) => oracle(mclSignHash(k, vMsg), "aggregate signature"));

function aggregateCase(
  name: string,
  description: string,
  signatures: Uint8Array[],
  publicKeys: Uint8Array[],
): Case {
  return {
    name,
    description,
    inputs: { signatures, public_keys: publicKeys },
    expect: {
      signature: oracle(mclAggregateSignatures(signatures), name),
      public_key: oracle(mclAggregatePublicKeys(publicKeys), name),
    },
  };
}

const aggregateCases: Case[] = [
  aggregateCase("four_signers", "Four signatures of one message and their four keys.", aSigs, aPks),
  aggregateCase("one_signer", "One item sums to itself.", aSigs.slice(0, 1), aPks.slice(0, 1)),
  aggregateCase("empty", "Nothing sums to the point at infinity.", [], []),
  aggregateCase(
    "duplicates",
    "A repeated item is added twice (no deduplication).",
    [aSigs[0], aSigs[0], aSigs[1]],
    [aPks[0], aPks[0], aPks[1]],
  ),
  aggregateCase(
    "with_infinity",
    "The point at infinity adds nothing.",
    [aSigs[2], new Uint8Array(96)],
    [new Uint8Array(48), aPks[2]],
  ),
  {
    name: "malformed_signature",
    description: "A signature off the curve is rejected.",
    inputs: { signatures: [aSigs[0], g2Bytes(g2X(false), 0n, false)], public_keys: aPks },
    expect: { error: "bls/not-on-curve" },
  },
  {
    name: "malformed_public_key",
    description: "A 47-byte public key is rejected.",
    inputs: { signatures: aSigs, public_keys: [aPks[0], aPks[1].slice(0, 47)] },
    expect: { error: "bls/invalid-length" },
  },
];

// ---------------------------------------------------------------- bls_mask

const maskHandler: Handler = {
  runner: "crypto",
  handler: "bls_mask",
  preset: "general",
  config: {},
  covers: [
    "blsCommittee",
    "blsSeparateSigAndMask",
    "blsMaskEnabledIndices",
    "blsMaskAggregatePublicKey",
    "blsVerifyMaskedHash",
  ],
  run(inputs) {
    const committee = blsCommittee(bytesList(inputs, "public_keys"));
    const { signature, bitmap } = blsSeparateSigAndMask(bytes(inputs, "commit_sig"));
    const message = bytes(inputs, "message");
    const valid = blsVerifyMaskedHash(committee, bitmap, message, signature);
    return {
      signers: blsMaskEnabledIndices(committee.points.length, bitmap),
      aggregate_public_key: blsEncodePublicKey(blsMaskAggregatePublicKey(committee, bitmap)),
      valid,
    };
  },
};

const mKeys = Array.from({ length: 11 }, (_, i) => labelledKey(`committee ${i}`));
const mPks = mKeys.map((k) => oracle(mclPublicKey(k), "committee key"));
const mMsg = labelledMessage("block", 32);
const mSigs = mKeys.map((k) => oracle(mclSignHash(k, mMsg), "committee signature"));

/** A mask case: the bitmap is written by hand, the signers and sums come from mcl. */
function maskCase(
  name: string,
  description: string,
  signedBy: number[],
  bitmap: Uint8Array,
  enabled: number[],
): Case {
  const signature = oracle(mclAggregateSignatures(signedBy.map((i) => mSigs[i])), name);
  const aggregate = oracle(mclAggregatePublicKeys(enabled.map((i) => mPks[i])), name);
  return {
    name,
    description,
    inputs: { public_keys: mPks, message: mMsg, commit_sig: concatBytes(signature, bitmap) },
    expect: {
      signers: enabled,
      aggregate_public_key: aggregate,
      valid: mclVerifyHash(aggregate, mMsg, signature),
    },
  };
}

const maskCases: Case[] = [
  maskCase(
    "all_signed",
    "All 11 members signed: bytes ff 07.",
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    Uint8Array.of(0xff, 0x07),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  ),
  maskCase(
    "some_signed",
    "Members 0, 2, 8 and 10 signed: bit i of byte i/8, least significant first (05 05).",
    [0, 2, 8, 10],
    Uint8Array.of(0x05, 0x05),
    [0, 2, 8, 10],
  ),
  maskCase(
    "padding_bits_ignored",
    "Bits 11 to 15 are padding: set, they enable nobody (05 fd).",
    [0, 2, 8, 10],
    Uint8Array.of(0x05, 0xfd),
    [0, 2, 8, 10],
  ),
  maskCase(
    "signer_missing_from_bitmap",
    "Member 2 signed but the bitmap leaves it out: invalid.",
    [0, 2, 8, 10],
    Uint8Array.of(0x01, 0x05),
    [0, 8, 10],
  ),
  maskCase(
    "bitmap_claims_extra_signer",
    "The bitmap enables member 1, who did not sign: invalid.",
    [0, 2, 8, 10],
    Uint8Array.of(0x07, 0x05),
    [0, 1, 2, 8, 10],
  ),
  maskCase(
    "signature_counted_twice",
    "Member 0's signature added twice: invalid.",
    [0, 0, 2, 8, 10],
    Uint8Array.of(0x05, 0x05),
    [0, 2, 8, 10],
  ),
  {
    name: "nobody_signed",
    description:
      "An empty bitmap: the aggregate key is the point at infinity, which verifies only the signature at infinity.",
    inputs: { public_keys: mPks, message: mMsg, commit_sig: new Uint8Array(98) },
    expect: { signers: [], aggregate_public_key: new Uint8Array(48), valid: true },
  },
  {
    name: "bitmap_too_long",
    description: "11 members need exactly 2 bytes; 3 are rejected.",
    inputs: {
      public_keys: mPks,
      message: mMsg,
      commit_sig: concatBytes(mSigs[0], Uint8Array.of(1, 0, 0)),
    },
    expect: { error: "bls/bitmap-length-mismatch" },
  },
  {
    name: "bitmap_too_short",
    description: "11 members need exactly 2 bytes; 1 is rejected.",
    inputs: {
      public_keys: mPks,
      message: mMsg,
      commit_sig: concatBytes(mSigs[0], Uint8Array.of(1)),
    },
    expect: { error: "bls/bitmap-length-mismatch" },
  },
  {
    name: "commit_sig_too_short",
    description: "Fewer than 96 bytes hold no signature.",
    inputs: { public_keys: mPks, message: mMsg, commit_sig: mSigs[0].slice(0, 95) },
    expect: { error: "bls/commit-sig-too-short" },
  },
  {
    name: "malformed_signature_before_bitmap",
    description: "The signature is decoded before the bitmap is checked: its error is reported.",
    inputs: {
      public_keys: mPks,
      message: mMsg,
      commit_sig: concatBytes(g2Bytes(P, 0n, false), Uint8Array.of(1)),
    },
    expect: { error: "bls/non-canonical-coordinate" },
  },
  {
    name: "malformed_committee_key",
    description: "A committee key that does not decode is rejected.",
    inputs: {
      public_keys: [mPks[0], g1Bytes(g1X(false), false)],
      message: mMsg,
      commit_sig: concatBytes(mSigs[0], Uint8Array.of(1)),
    },
    expect: { error: "bls/not-on-curve" },
  },
];

// ---------------------------------------------------------------- bls_decode

const decodeHandler: Handler = {
  runner: "crypto",
  handler: "bls_decode",
  preset: "general",
  config: {},
  covers: [
    "blsDecodeSecretKey",
    "blsDecodePublicKey",
    "blsEncodePublicKey",
    "blsDecodeSignature",
    "blsEncodeSignature",
  ],
  run(inputs) {
    const kind = text(inputs, "kind");
    const b = bytes(inputs, "bytes");
    if (kind === "secret_key") return { encoded: bigintToFixedBytesLE(blsDecodeSecretKey(b), 32) };
    if (kind === "public_key") return { encoded: blsEncodePublicKey(blsDecodePublicKey(b)) };
    if (kind === "signature") return { encoded: blsEncodeSignature(blsDecodeSignature(b)) };
    throw new Error(`unknown kind ${kind}`);
  },
};

function accepted(name: string, description: string, kind: string, b: Uint8Array): Case {
  const reencoded = kind === "public_key"
    ? mclG1(b)?.serialize()
    : kind === "signature"
    ? mclG2(b)?.serialize()
    : mclSecretKey(b)?.serialize();
  return {
    name,
    description,
    inputs: { kind, bytes: b },
    expect: { encoded: oracle(reencoded, name) },
  };
}

function refused(
  name: string,
  description: string,
  kind: "public_key" | "signature",
  b: Uint8Array,
  error:
    | "bls/invalid-length"
    | "bls/non-canonical-coordinate"
    | "bls/not-on-curve"
    | "bls/not-in-subgroup",
): Case {
  mustRefuse(kind === "public_key" ? mclG1(b) : mclG2(b), name);
  return { name, description, inputs: { kind, bytes: b }, expect: { error } };
}

const g1OnCurve = g1X(true);
const g2OnCurve = g2X(true);
const decodeCases: Case[] = [
  accepted("public_key_valid", "A public key made by mcl.", "public_key", vPk),
  accepted("public_key_generator", "Harmony's generator.", "public_key", fromHex(GENERATOR)),
  accepted(
    "public_key_infinity",
    "48 zero bytes: the point at infinity, accepted.",
    "public_key",
    new Uint8Array(48),
  ),
  refused(
    "public_key_47_bytes",
    "A public key is exactly 48 bytes.",
    "public_key",
    vPk.slice(0, 47),
    "bls/invalid-length",
  ),
  refused(
    "public_key_49_bytes",
    "The decoder takes exactly 48 bytes (Go reads a 48-byte prefix; see the length note).",
    "public_key",
    concatBytes(vPk, new Uint8Array(1)),
    "bls/invalid-length",
  ),
  refused(
    "public_key_x_equal_p",
    "x = p is not a canonical coordinate.",
    "public_key",
    g1Bytes(P, false),
    "bls/non-canonical-coordinate",
  ),
  refused(
    "public_key_bit_381_set",
    "Bits 381 and 382 belong to x, which is then ≥ 2³⁸¹ > p (only bit 383 is the flag).",
    "public_key",
    g1Bytes(1n << 381n, true),
    "bls/non-canonical-coordinate",
  ),
  refused(
    "public_key_not_on_curve",
    "The smallest x for which x³ + 4 is not a square mod p.",
    "public_key",
    g1Bytes(g1X(false), false),
    "bls/not-on-curve",
  ),
  refused(
    "public_key_order_three",
    "x = 0 with the flag: the point (0, −2) of order 3, outside the subgroup.",
    "public_key",
    g1Bytes(0n, true),
    "bls/not-in-subgroup",
  ),
  refused(
    "public_key_outside_subgroup",
    "The smallest x ≥ 1 on the curve: a point of E(Fp) not of order r.",
    "public_key",
    g1Bytes(g1OnCurve, false),
    "bls/not-in-subgroup",
  ),
  accepted("signature_valid", "A signature made by mcl.", "signature", vSig),
  accepted(
    "signature_flag_flipped",
    "The negated signature: also a valid encoding.",
    "signature",
    flippedFlag,
  ),
  accepted(
    "signature_infinity",
    "96 zero bytes: the point at infinity, accepted.",
    "signature",
    new Uint8Array(96),
  ),
  refused(
    "signature_95_bytes",
    "A signature is exactly 96 bytes.",
    "signature",
    vSig.slice(0, 95),
    "bls/invalid-length",
  ),
  refused(
    "signature_c0_equal_p",
    "x.c0 = p is not canonical.",
    "signature",
    g2Bytes(P, 1n, false),
    "bls/non-canonical-coordinate",
  ),
  refused(
    "signature_c1_equal_p",
    "x.c1 = p is not canonical.",
    "signature",
    g2Bytes(1n, P, false),
    "bls/non-canonical-coordinate",
  ),
  refused(
    "signature_not_on_curve",
    "The smallest real x for which x³ + 4(1 + i) is not a square in Fp2.",
    "signature",
    g2Bytes(g2X(false), 0n, false),
    "bls/not-on-curve",
  ),
  refused(
    "signature_outside_subgroup",
    "The smallest real x ≥ 1 on the twist: a point not of order r.",
    "signature",
    g2Bytes(g2OnCurve, 0n, true),
    "bls/not-in-subgroup",
  ),
  accepted("secret_key_valid", "A secret key below r.", "secret_key", labelledKey("decode")),
  accepted("secret_key_zero", "The secret key 0 is accepted.", "secret_key", sk(0n)),
  {
    name: "secret_key_r",
    description: "A secret key must be below r.",
    inputs: { kind: "secret_key", bytes: sk(R) },
    expect: { error: "bls/secret-key-out-of-range" },
  },
  {
    name: "secret_key_31_bytes",
    description: "A secret key is exactly 32 bytes.",
    inputs: { kind: "secret_key", bytes: new Uint8Array(31) },
    expect: { error: "bls/invalid-length" },
  },
];

/** The BLS suites of the `crypto` runner. */
export const BLS_SUITES: Suite[] = [
  suite(publicKeyHandler, publicKeyCases),
  suite(signHandler, signCases),
  suite(verifyHandler, verifyCases),
  suite(aggregateHandler, aggregateCases),
  suite(maskHandler, maskCases),
  suite(decodeHandler, decodeCases),
];
