import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToBigint, fromHex, signedToFixedBytes, toHex } from "../../spec/encoding/bytes.ts";
import { bitLength } from "../../spec/randomness/arith.ts";
import {
  createDiscriminant,
  DISCRIMINANT_MODULUS,
  entropyFromSeed,
  residueTable,
  sieveTable,
} from "../../spec/randomness/discriminant.ts";
import { isProbablePrime } from "../../spec/randomness/prime.ts";
import { isSpecError } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";
import { isPrimeOracle, SLOW } from "./support.ts";

const ABCD = new Uint8Array([0xab, 0xcd]);

test("entropy of seed abcd (Go TestEntropyFromSeed, known answer 10.2)", () => {
  assert.equal(
    toHex(entropyFromSeed(ABCD, 2048 / 8 + 2)),
    "aaf2bf8b0d9b3b2460493b50b1b5e55928ff4c30c9fec772c8515ced0364aeda7e570590ca8a51c2cb394edbfe7c725cbc9f9875d0bce873bc3695b95d4297d248059cf7a3e59afac18c74ea71023b26ad3ab61976e2782d2186becd79644a31030d7e6cca60e7dca796d418479bbec1167a76ca9afb933e9a66b04e70b6358a57139a45e108baf3acdef6bc021ce3a3aac077d4a0252270c3e4557acf649742fd45ad9275e5541a23f555b7c2f01dcf1a3939e9a28286e7b9b91d6f6f894f115c6d9564e80e7b49ea7736f1ae8a1c56654cbc44687a63f3218a59f8591b956b06aa7fade07145114a71a784c6bcb5de7243133a32c9a6cd6d966f37b0fabf1c6d78",
  );
});

test("entropy is SHA-256 of seed ‖ u16_BE(counter), concatenated (first two blocks)", () => {
  const seed = fromHex("0102");
  const e = entropyFromSeed(seed, 64);
  assert.equal(toHex(e.subarray(0, 32)), toHex(sha256(fromHex("01020000"))));
  assert.equal(toHex(e.subarray(32)), toHex(sha256(fromHex("01020001"))));
  assert.equal(entropyFromSeed(seed, 5).length, 5);
});

test(
  "discriminant of seed abcd at 2048 bits (Go TestDiscriminant, known answer 10.3)",
  SLOW,
  () => {
    const d = createDiscriminant(ABCD, 2048);
    // Go prints it with EncodeBigIntBigEndian: two's complement in (bitlen + 16) >> 3 bytes.
    assert.equal(
      toHex(signedToFixedBytes(d, (bitLength(d) + 16) >> 3)),
      "ffff550d4074f264c4db9fb6c4af4e4a1aa6d700b3cf3601388d37aea312fc9b512581a8fa6f3575ae3d34c6b12401838da34360678a2f43178c43c96a46a2bd682db7fa63085c1a65053e738b158efdc4d952c549e6891d87d2de794132869bb5cefcf28193359f182358692be7b864413ee985893565046cc165994fb18f49ca75a8ec65ba1ef7450c53210943fde31c5c553f882b5fdadd8f3c1baa85309b68bd02ba526d8a1aabe5dc0aaa483d0fe230e5c6c6165d7d79184646e2909076b0eea3926a9b17f184b61588c90e5175e3a99ab343bb97859c0cde75a607a6e46a94f95580521f8ebaeeb58e587b39434a218dbcecc5cd365932926990c84c84fe29",
    );
    assert.equal(bitLength(d), 2048);
    assert.equal(-d % 8n, 7n);
  },
);

test("the residue and sieve tables equal Go's constants.go (size, ends, digest)", () => {
  const residues = residueTable();
  assert.equal(residues.length, 5760);
  assert.deepEqual(residues.slice(0, 12), [23, 31, 47, 71, 79, 103, 127, 151, 167, 191, 199, 223]);
  assert.deepEqual(residues.slice(-5), [120031, 120047, 120079, 120103, 120119]);
  // SHA-256 of Go's `residues` list written as decimal numbers joined by commas.
  assert.equal(
    toHex(sha256(new TextEncoder().encode(residues.join(",")))),
    "a8a0805eb7c5f5f1670b52aba12d12981044b5c42283844c48048ef96d859597",
  );
  const sieve = sieveTable();
  assert.equal(sieve.length, 6536);
  assert.deepEqual(sieve.slice(0, 3), [{ p: 17, q: 8 }, { p: 19, q: 10 }, { p: 23, q: 5 }]);
  assert.deepEqual(sieve.at(-1), { p: 65521, q: 59564 });
  // SHA-256 of Go's `sieve_info` pairs written as "p:q" joined by commas.
  assert.equal(
    toHex(sha256(new TextEncoder().encode(sieve.map(({ p, q }) => `${p}:${q}`).join(",")))),
    "63eec2ca29d8b78b3a8bf9ed1ebaf893140583e9849edd4d009768bf22d6b13c",
  );
  for (const { p, q } of sieve) assert.equal((DISCRIMINANT_MODULUS * q) % p, 1);
});

test("lengths out of range are rejected", () => {
  for (const bits of [0, 63, 8193, 1.5, -1]) {
    assert.throws(
      () => createDiscriminant(ABCD, bits),
      (e) => isSpecError(e, "vdf/invalid-discriminant-size"),
    );
  }
});

/** The rule restated from the reference text for checking: the start n and the candidates. */
function startOf(seed: Uint8Array, bits: number): bigint {
  const byteCount = Math.ceil(bits / 8) + 2;
  const entropy = entropyFromSeed(seed, byteCount);
  let n = bytesToBigint(entropy.subarray(0, byteCount - 2)) >> BigInt((8 - (bits % 8)) % 8);
  n |= 1n << BigInt(bits - 1);
  n -= n % 120120n;
  const pick = entropy[byteCount - 2] * 256 + entropy[byteCount - 1];
  return n + BigInt(residueTable()[pick % 5760]);
}

test(
  "D = −(the first prime candidate n + M·i): shape, primality, minimality (64–80 bits)",
  SLOW,
  () => {
    const prop = (create: typeof createDiscriminant) =>
      fc.property(
        fc.noShrink(fc.uint8Array({ maxLength: 40 })),
        fc.noShrink(fc.integer({ min: 64, max: 80 })),
        (seed, bits) => {
          const d = create(seed, bits);
          const n = startOf(seed, bits);
          const i = (-d - n) / 120120n;
          assert.equal(-d, n + 120120n * i, "D is a candidate");
          assert.ok(i >= 0n && i < 65536n, "in the first window");
          assert.ok(isPrimeOracle(-d), "−D is prime");
          assert.equal(bitLength(d), bits);
          assert.equal(-d % 8n, 7n);
          for (let j = 0n; j < i; j++) {
            assert.ok(!isPrimeOracle(n + 120120n * j), `candidate ${j} is composite`);
          }
        },
      );
    holds(prop(createDiscriminant), 60);
    // Broken rule: the Python original's shift by 8 (instead of 0) for lengths that are multiples of 8.
    catches(
      prop((seed, bits) =>
        bits % 8 === 0 ? createDiscriminant(seed, bits - 8) : createDiscriminant(seed, bits)
      ),
      60,
    );
  },
);

test(
  "larger lengths: 256 and 512-bit discriminants are primes of that length, ≡ 1 mod 8",
  SLOW,
  () => {
    const prop = (create: typeof createDiscriminant) =>
      fc.property(
        fc.noShrink(fc.uint8Array({ minLength: 1, maxLength: 32 })),
        fc.noShrink(fc.constantFrom(256, 257, 511, 512)),
        (seed, bits) => {
          const d = create(seed, bits);
          return bitLength(d) === bits && isProbablePrime(-d) && ((d % 8n) + 8n) % 8n === 1n;
        },
      );
    holds(prop(createDiscriminant), 10);
    // Broken rule: a search that starts one bit short (bit L − 2 set instead of L − 1).
    catches(prop((seed, bits) => createDiscriminant(seed, bits - 1)), 10);
  },
);
