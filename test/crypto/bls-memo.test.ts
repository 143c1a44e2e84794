/**
 * The memo of BLS verification answers as the pairing does, however often the same key, message
 * and signature come back: checked against noble's own pairing of the same points, not through
 * the memo, over sequences that repeat (key, message) pairs with other signatures.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import {
  blsDecodePublicKey,
  blsDecodeSignature,
  blsEncodeSignature,
  type BlsG1Point,
  type BlsG2Point,
  blsPublicKey,
  blsSignHash,
  blsSignHashScalar,
  blsVerifyHashAggregate,
  blsVerifyHashPoints,
  HARMONY_G1_GENERATOR,
} from "../../spec/crypto/bls.ts";
import { blsMapToG2, blsMessageToField } from "../../spec/crypto/bls-map.ts";
import { bigintToFixedBytesLE, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";

const KEYS = [3n, 5n, 7n].map((k) => bigintToFixedBytesLE(k, 32));
const PUBLIC = KEYS.map((k) => blsDecodePublicKey(blsPublicKey(k)));
const MESSAGES = [1, 2].map((i) => new Uint8Array(48).fill(i));
// Every (key, message) signature, so that a sequence mixes right and wrong signatures.
const SIGS = KEYS.map((k) => MESSAGES.map((m) => blsDecodeSignature(blsSignHash(k, m))));

/** `e(P, σ) = e(pk, H(m))` with noble's pairing, no memo. */
function reference(pk: BlsG1Point, message: Uint8Array, sig: BlsG2Point): boolean {
  const h = blsMapToG2({ c0: blsMessageToField(message), c1: 0n })!;
  const { pairing } = bls12_381;
  return bls12_381.fields.Fp12.eql(pairing(HARMONY_G1_GENERATOR, sig), pairing(pk, h));
}

const arbChecks = fc.array(
  fc.tuple(fc.nat(2), fc.nat(1), fc.nat(2), fc.nat(1)),
  { minLength: 1, maxLength: 12 },
);

type Verify = (pk: BlsG1Point, message: Uint8Array, sig: BlsG2Point) => boolean;

/** The reference's answers, computed once per (key, message, signature). */
const truth = new Map<string, boolean>();
const expected = (k: number, m: number, sk: number, sm: number) => {
  const key = `${k}${m}${sk}${sm}`;
  if (!truth.has(key)) truth.set(key, reference(PUBLIC[k], MESSAGES[m], SIGS[sk][sm]));
  return truth.get(key)!;
};

const answersAsThePairing = (verify: Verify) =>
  fc.property(
    arbChecks,
    (checks) =>
      checks.every(([k, m, sk, sm]) =>
        verify(PUBLIC[k], MESSAGES[m], SIGS[sk][sm]) === expected(k, m, sk, sm)
      ),
  );

test("blsVerifyHashPoints with its memo answers as the pairing, on repeated checks", () => {
  holds(answersAsThePairing(blsVerifyHashPoints), 40);
  // Broken: a memo keyed without the signature answers a repeated (key, message) as before.
  const memo = new Map<string, boolean>();
  catches(
    answersAsThePairing((pk, message, sig) => {
      const key = `${toHex(pk.toBytes())}:${toHex(message)}`;
      if (!memo.has(key)) memo.set(key, blsVerifyHashPoints(pk, message, sig));
      return memo.get(key)!;
    }),
    40,
  );
});

/** Valid signature encodings, and the same with one byte of the second half changed. */
const ENCODINGS = KEYS.flatMap((k) => MESSAGES.map((m) => blsSignHash(k, m))).flatMap((e) => {
  const changed = e.slice();
  changed[60] ^= 1;
  return [e, changed];
});

/** A decoding's outcome: the re-encoded point, or the error code. */
function decoded(decode: (b: Uint8Array) => BlsG2Point, bytes: Uint8Array): string {
  try {
    return toHex(blsEncodeSignature(decode(bytes)));
  } catch (e) {
    if (isSpecError(e)) return e.code;
    throw e;
  }
}

const decodesStably = (decode: (b: Uint8Array) => BlsG2Point) =>
  fc.property(
    fc.array(fc.nat(ENCODINGS.length - 1), { maxLength: 16 }),
    (picks) =>
      picks.every((i) => {
        const got = decoded(decode, ENCODINGS[i]);
        // A valid encoding decodes to the point it encodes; a changed one is refused.
        return i % 2 === 0 ? got === toHex(ENCODINGS[i]) : !/^[0-9a-f]+$/.test(got);
      }),
  );

test("blsDecodeSignature with its memo decodes every encoding as itself, however often", () => {
  holds(decodesStably(blsDecodeSignature), 50);
  // Broken: a memo keyed by the first half answers a changed encoding as the valid one.
  const memo = new Map<string, BlsG2Point>();
  catches(
    decodesStably((b) => {
      const key = toHex(b.subarray(0, 48));
      if (!memo.has(key)) memo.set(key, blsDecodeSignature(b));
      return memo.get(key)!;
    }),
    50,
  );
});

const arbSigning = fc.record({
  secret: fc.bigInt({ min: 1n, max: 2n ** 200n }),
  other: fc.bigInt({ min: 1n, max: 2n ** 200n }),
  message: fc.uint8Array({ minLength: 48, maxLength: 48 }),
});

/** A signature made here, checked under its own key and another: as the pairing answers. */
const signedAnswersAsThePairing = (verify: Verify) =>
  fc.property(arbSigning, ({ secret, other, message }) => {
    fc.pre(blsMapToG2({ c0: blsMessageToField(message), c1: 0n }) !== undefined);
    const signature = blsSignHashScalar(secret, message)!;
    return [secret, other].every((s) => {
      const pk = HARMONY_G1_GENERATOR.multiply(s);
      return verify(pk, message, signature) === reference(pk, message, signature);
    });
  });

test("signatures made here are remembered as valid under their own key only", () => {
  holds(signedAnswersAsThePairing(blsVerifyHashPoints), 12);
  // Broken: a memo that takes every signature made here as valid, whatever the key.
  catches(signedAnswersAsThePairing(() => true), 12);
});

// A fourth key whose signatures are made by the curve library itself, so the memo has never seen
// them: aggregates that include it take the pairing.
const STRANGER = 11n;
const ALL_PUBLIC = [...PUBLIC, HARMONY_G1_GENERATOR.multiply(STRANGER)];
const ALL_SIGS = [
  ...SIGS,
  MESSAGES.map((m) => blsMapToG2({ c0: blsMessageToField(m), c1: 0n })!.multiply(STRANGER)),
];

/** An aggregate check: signers (repeats allowed), message, and what the signature sums. */
const arbAggregate = fc.record({
  signers: fc.array(fc.nat(3), { minLength: 1, maxLength: 5 }),
  message: fc.nat(1),
  summed: fc.array(fc.tuple(fc.nat(3), fc.nat(1)), { minLength: 1, maxLength: 5 }),
  honest: fc.boolean(),
});

type VerifyAggregate = (keys: BlsG1Point[], message: Uint8Array, sig: BlsG2Point) => boolean;

const aggregateAnswersAsThePairing = (verify: VerifyAggregate) =>
  fc.property(arbAggregate, ({ signers, message, summed, honest }) => {
    // Honest: the signers' own signatures of the message; else an arbitrary sum of signatures.
    const parts = honest ? signers.map((k) => [k, message]) : summed;
    let sig = bls12_381.G2.Point.ZERO;
    for (const [k, m] of parts) sig = sig.add(ALL_SIGS[k][m]);
    let key = bls12_381.G1.Point.ZERO;
    for (const k of signers) key = key.add(ALL_PUBLIC[k]);
    const keys = signers.map((k) => ALL_PUBLIC[k]);
    return verify(keys, MESSAGES[message], sig) === reference(key, MESSAGES[message], sig);
  });

test("blsVerifyHashAggregate answers as the pairing under the sum of the keys", () => {
  holds(aggregateAnswersAsThePairing(blsVerifyHashAggregate), 40);
  // Broken: a key listed twice is counted once.
  catches(
    aggregateAnswersAsThePairing((keys, message, sig) =>
      blsVerifyHashAggregate([...new Set(keys)], message, sig)
    ),
    40,
  );
});

test("blsVerifyHashAggregate with no key answers as the pairing, for a message with no point too", () => {
  const zero = new Uint8Array(48);
  const infinity = bls12_381.G2.Point.ZERO;
  for (const message of [zero, MESSAGES[0]]) {
    assert.equal(
      blsVerifyHashAggregate([], message, infinity),
      blsVerifyHashPoints(bls12_381.G1.Point.ZERO, message, infinity),
    );
  }
  assert.equal(blsVerifyHashAggregate([], zero, infinity), false);
});

test("a signature made here decodes from its encoding to the same point", () => {
  const signature = blsSignHashScalar(0x1234567n, MESSAGES[0])!;
  const again = blsDecodeSignature(blsEncodeSignature(signature));
  assert.ok(again.equals(signature));
});
