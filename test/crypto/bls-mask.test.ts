/**
 * The committee bitmap: the expectations of Harmony's `crypto/bls/mask_test.go`, restated, the
 * format of the bitmap, and aggregate verification over a bitmap against mcl-wasm.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  blsAggregateMasks,
  blsCommittee,
  blsMaskAggregatePublicKey,
  blsMaskCountEnabled,
  blsMaskDisabledIndices,
  blsMaskEnabledIndices,
  blsMaskFromIndices,
  blsMaskIndexEnabled,
  blsMaskKeyEnabled,
  blsMaskKeyIndex,
  blsMaskLength,
  blsMaskSetBit,
  blsMaskSetKeys,
  blsSeparateSigAndMask,
  blsVerifyMaskedHash,
} from "../../spec/crypto/bls-mask.ts";
import {
  blsAggregateSignatures,
  blsEncodePublicKey,
  blsPublicKey,
  blsSignHash,
} from "../../spec/crypto/bls.ts";
import { bigintToFixedBytesLE, concatBytes, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, SpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";
import { mclAggregatePublicKeys, mclVerifyHash } from "../support/mcl-oracle.ts";

function secretKey(n: bigint): Uint8Array {
  return bigintToFixedBytesLE(n, 32);
}
function rejects(f: () => unknown, code: SpecErrorCode): void {
  assert.throws(f, (e) => isSpecError(e, code));
}

/** Twelve committee members with fixed keys; the tests use prefixes of this list. */
const MEMBERS = Array.from({ length: 12 }, (_, i) => {
  const sk = secretKey(BigInt(i + 1) * 0x9e3779b97f4a7c15n);
  return { sk, pk: blsPublicKey(sk) };
});
const [k1, k2, k3, k4] = MEMBERS.map((m) => m.pk);
const THREE = blsCommittee([k1, k2, k3]);

// ---------------------------------------------------------------- crypto/bls/mask_test.go

test("TestNewMask: one key set in a committee of three", () => {
  const bitmap = blsMaskSetKeys(THREE, new Uint8Array(1), [k1], true);
  assert.equal(blsMaskLength(3), 1);
  assert.equal(blsMaskKeyEnabled(THREE, bitmap, k1), true);
  assert.equal(blsMaskCountEnabled(3, bitmap), 1);
  assert.equal(THREE.points.length, 3);
});

test("TestNewMaskWithAbsentPublicKey: a key outside the committee is not found", () => {
  rejects(() => blsMaskSetKeys(THREE, new Uint8Array(1), [k4], true), "bls/mask-key-not-found");
});

test("TestThreshHoldPolicy / TestCompletePolicy: counts follow enabling and disabling", () => {
  let bitmap = blsMaskSetKeys(THREE, new Uint8Array(1), [k1], true);
  bitmap = blsMaskSetKeys(THREE, bitmap, [k1], true);
  bitmap = blsMaskSetKeys(THREE, bitmap, [k2], true);
  assert.equal(blsMaskCountEnabled(3, bitmap), 2); // ≥ a threshold of 1
  bitmap = blsMaskSetKeys(THREE, bitmap, [k1, k2], false);
  assert.equal(blsMaskCountEnabled(3, bitmap), 0); // below the threshold of 1
  bitmap = blsMaskSetKeys(THREE, bitmap, [k1, k2, k3], true);
  assert.equal(blsMaskCountEnabled(3, bitmap), 3); // complete
  bitmap = blsMaskSetKeys(THREE, bitmap, [k1], false);
  assert.equal(blsMaskCountEnabled(3, bitmap), 2); // no longer complete
});

test("TestAggregatedSignature: two signatures of one key aggregate to a non-zero signature", () => {
  const enc = new TextEncoder();
  const sk = MEMBERS[0].sk;
  const agg = blsAggregateSignatures([
    blsSignHash(sk, enc.encode("message1")),
    blsSignHash(sk, enc.encode("message2")),
  ]);
  assert.notDeepEqual(agg, new Uint8Array(96));
});

test("TestAggregateMasks: equal lengths merge, different lengths are rejected", () => {
  const enc = new TextEncoder();
  rejects(
    () => blsAggregateMasks(enc.encode("message"), enc.encode("")),
    "bls/bitmap-length-mismatch",
  );
  assert.deepEqual(
    blsAggregateMasks(enc.encode("message"), enc.encode("message")),
    enc.encode("message"),
  );
  assert.deepEqual(
    blsAggregateMasks(Uint8Array.of(0x05, 0x80), Uint8Array.of(0x0a, 0x01)),
    Uint8Array.of(0x0f, 0x81),
  );
});

test("TestEnableKeyFunctions: bits, indices and keys", () => {
  let bitmap = blsMaskSetKeys(THREE, new Uint8Array(1), [k1], true);
  bitmap = blsMaskSetBit(3, bitmap, 0, true);
  bitmap = blsMaskSetBit(3, bitmap, 1, false);
  bitmap = blsMaskSetBit(3, bitmap, 0, true);
  rejects(() => blsMaskSetBit(3, bitmap, 5, true), "bls/mask-index-out-of-range");
  assert.equal(blsMaskEnabledIndices(3, bitmap).length, 1);
  assert.equal(blsMaskDisabledIndices(3, bitmap).length, 2);
  rejects(() => blsMaskKeyEnabled(THREE, bitmap, k4), "bls/mask-key-not-found");
  rejects(() => blsMaskIndexEnabled(3, bitmap, 5), "bls/mask-index-out-of-range");
  rejects(() => blsMaskSetKeys(THREE, bitmap, [k4], true), "bls/mask-key-not-found");
});

test("TestGetSignedPubKeysFromBitmap: bits 0 and 2 select keys 1 and 3", () => {
  let bitmap = blsMaskSetKeys(THREE, new Uint8Array(1), [k1], true);
  bitmap = blsMaskSetBit(3, bitmap, 0, true);
  bitmap = blsMaskSetBit(3, bitmap, 1, false);
  bitmap = blsMaskSetBit(3, bitmap, 0, true);
  bitmap = blsMaskSetBit(3, bitmap, 2, true);
  const signers = blsMaskEnabledIndices(3, bitmap).map((i) => THREE.publicKeys[i]);
  assert.deepEqual(signers, [k1, k3]);
});

test("TestSetKeyAtomic: all keys or none", () => {
  let bitmap = blsMaskSetKeys(THREE, new Uint8Array(1), [k1], true);
  bitmap = blsMaskSetKeys(THREE, bitmap, [k1], true);
  assert.deepEqual(blsMaskEnabledIndices(3, bitmap), [0]);
  bitmap = blsMaskSetKeys(THREE, bitmap, [k1, k2], true);
  assert.deepEqual(blsMaskEnabledIndices(3, bitmap).map((i) => THREE.publicKeys[i]), [k1, k2]);
  const before = bitmap.slice();
  rejects(() => blsMaskSetKeys(THREE, bitmap, [k1, k4], true), "bls/mask-key-not-found");
  assert.deepEqual(bitmap, before);
});

test("TestCopyParticipatingMask: two members need one byte", () => {
  const two = blsCommittee([k1, k2]);
  const bitmap = blsMaskSetKeys(two, new Uint8Array(blsMaskLength(2)), [k1], true);
  assert.equal(bitmap.length, 1);
});

test("TestSetMask: byte 3 enables both of two members; a two-byte bitmap is rejected", () => {
  const two = blsCommittee([k1, k2]);
  assert.equal(blsMaskCountEnabled(2, Uint8Array.of(3)), 2);
  rejects(() => blsMaskCountEnabled(2, Uint8Array.of(3, 2)), "bls/bitmap-length-mismatch");
  rejects(() => blsMaskAggregatePublicKey(two, Uint8Array.of(3, 2)), "bls/bitmap-length-mismatch");
});

// ---------------------------------------------------------------- format (§1.5)

test("bit i of the bitmap is bit i mod 8 of byte i / 8, least significant first", () => {
  assert.deepEqual(blsMaskFromIndices(3, [0, 2]), Uint8Array.of(0b101));
  assert.deepEqual(blsMaskFromIndices(9, [8]), Uint8Array.of(0, 1));
  assert.deepEqual(blsMaskFromIndices(16, [7, 15]), Uint8Array.of(0x80, 0x80));
  assert.deepEqual(blsMaskFromIndices(0, []), new Uint8Array(0));
  assert.deepEqual(blsMaskEnabledIndices(10, Uint8Array.of(0x81, 0x02)), [0, 7, 9]);
  rejects(() => blsMaskFromIndices(3, [3]), "bls/mask-index-out-of-range");
});

test("padding bits are ignored when reading and never written", () => {
  // Committee of 3: bits 3..7 are padding.
  assert.deepEqual(blsMaskEnabledIndices(3, Uint8Array.of(0xf9)), [0]);
  assert.equal(blsMaskCountEnabled(3, Uint8Array.of(0xf8)), 0);
  assert.deepEqual(blsMaskSetBit(3, Uint8Array.of(0xf8), 1, true), Uint8Array.of(0x02));
  assert.ok(blsMaskAggregatePublicKey(THREE, Uint8Array.of(0xf8)).is0());
});

const arbBitmapCase = fc.nat(40).chain((size) =>
  fc.tuple(fc.constant(size), fc.uniqueArray(fc.nat(Math.max(size - 1, 0)), { maxLength: size }))
);

const bitmapFormat = (encode: typeof blsMaskFromIndices) =>
  fc.property(arbBitmapCase, ([size, indices]) => {
    const bitmap = encode(size, indices);
    assert.equal(bitmap.length, Math.ceil(size / 8));
    const sorted = [...indices].sort((a, b) => a - b);
    assert.deepEqual(blsMaskEnabledIndices(size, bitmap), sorted);
    for (let i = 0; i < size; i++) {
      assert.equal(((bitmap[Math.floor(i / 8)] >> (i % 8)) & 1) === 1, sorted.includes(i));
    }
  });

test("bitmaps round-trip and follow the LSB-first layout", () => {
  holds(bitmapFormat(blsMaskFromIndices), 200);
  // Broken: most significant bit first.
  catches(bitmapFormat((size, indices) => {
    const out = new Uint8Array(blsMaskLength(size));
    for (const i of indices) out[i >> 3] |= 0x80 >> (i & 7);
    return out;
  }));
});

const exactLength = (read: (size: number, bitmap: Uint8Array) => unknown) =>
  fc.property(fc.nat(40), fc.uint8Array({ maxLength: 8 }), (size, bitmap) => {
    const ok = bitmap.length === blsMaskLength(size);
    try {
      read(size, bitmap);
      assert.ok(ok);
    } catch (e) {
      assert.ok(!ok && isSpecError(e, "bls/bitmap-length-mismatch"));
    }
  });

test("a bitmap of any other length than ⌈n/8⌉ is rejected", () => {
  holds(exactLength(blsMaskEnabledIndices), 300);
  // Broken: a longer bitmap accepted.
  catches(
    exactLength((size, bitmap) => {
      if (bitmap.length < blsMaskLength(size)) throw new SpecError("bls/bitmap-length-mismatch");
      return blsMaskEnabledIndices(size, bitmap.subarray(0, blsMaskLength(size)));
    }),
    300,
  );
});

test("signature ‖ bitmap splits at 96 bytes", () => {
  const sig = new Uint8Array(96).fill(7);
  const { signature, bitmap } = blsSeparateSigAndMask(concatBytes(sig, Uint8Array.of(1, 2)));
  assert.deepEqual(signature, sig);
  assert.deepEqual(bitmap, Uint8Array.of(1, 2));
  assert.deepEqual(blsSeparateSigAndMask(sig).bitmap, new Uint8Array(0));
  rejects(() => blsSeparateSigAndMask(new Uint8Array(95)), "bls/commit-sig-too-short");
});

test("a key occurring twice is found at its last slot, as Go's index map does", () => {
  const dup = blsCommittee([k1, k2, k1]);
  assert.equal(blsMaskKeyIndex(dup, k1), 2);
});

test("a committee with a malformed key is rejected with the decoder's code", () => {
  rejects(() => blsCommittee([k1, new Uint8Array(47)]), "bls/invalid-length");
});

// ---------------------------------------------------------------- aggregate verification

const COMMITTEE = blsCommittee(MEMBERS.map((m) => m.pk));
const N = MEMBERS.length;
const MESSAGE = new TextEncoder().encode("harmony block hash, 32 bytes....");
const SIGNATURES = MEMBERS.map((m) => blsSignHash(m.sk, MESSAGE));

const arbSubset = fc.uniqueArray(fc.nat(N - 1), { minLength: 1, maxLength: N });

/** A set of signers, another member and a way to tamper. */
const arbMaskedCase = fc.tuple(arbSubset, fc.nat(N - 1), fc.nat(2));

const maskedVerify = (aggregateKey: typeof blsMaskAggregatePublicKey, shrink = true) => {
  const arb = shrink ? arbMaskedCase : fc.noShrink(arbMaskedCase);
  return fc.property(arb, ([signers, other, tamper]) => {
    const bitmap = blsMaskFromIndices(N, signers);
    const key = aggregateKey(COMMITTEE, bitmap);
    const expectedKey = mclAggregatePublicKeys(signers.map((i) => MEMBERS[i].pk));
    assert.equal(toHex(blsEncodePublicKey(key)), toHex(expectedKey!));
    const sig = blsAggregateSignatures(signers.map((i) => SIGNATURES[i]));
    assert.ok(blsVerifyMaskedHash(COMMITTEE, bitmap, MESSAGE, sig));
    // A bitmap that claims one signer too many or too few fails, and so does mcl.
    const flipped = blsMaskSetBit(N, bitmap, other, !signers.includes(other));
    const claimed = blsEncodePublicKey(blsMaskAggregatePublicKey(COMMITTEE, flipped));
    const wrong = tamper === 0 ? flipped : bitmap;
    const wrongSig = tamper === 0 ? sig : blsAggregateSignatures([sig, SIGNATURES[other]]);
    assert.equal(blsVerifyMaskedHash(COMMITTEE, wrong, MESSAGE, wrongSig), false);
    assert.equal(mclVerifyHash(claimed, MESSAGE, sig), false);
  });
};

test("aggregate verification over a bitmap: exactly the enabled signers", () => {
  holds(maskedVerify(blsMaskAggregatePublicKey), 10);
  // Broken: the bitmap read most significant bit first.
  catches(
    maskedVerify((committee, bitmap) => {
      const sum = blsMaskAggregatePublicKey(committee, new Uint8Array(bitmap.length));
      let acc = sum;
      for (let i = 0; i < committee.points.length; i++) {
        if ((bitmap[i >> 3] & (0x80 >> (i & 7))) !== 0) acc = acc.add(committee.points[i]);
      }
      return acc;
    }, false),
    15,
  );
});

test("aggregate verification: the signature is decoded before the bitmap is checked", () => {
  rejects(
    () => blsVerifyMaskedHash(COMMITTEE, new Uint8Array(1), MESSAGE, new Uint8Array(95)),
    "bls/invalid-length",
  );
  rejects(
    () => blsVerifyMaskedHash(COMMITTEE, new Uint8Array(1), MESSAGE, SIGNATURES[0]),
    "bls/bitmap-length-mismatch",
  );
  // Nobody enabled: the infinity key verifies only the infinity signature.
  const none = new Uint8Array(blsMaskLength(N));
  assert.equal(blsVerifyMaskedHash(COMMITTEE, none, MESSAGE, SIGNATURES[0]), false);
  assert.equal(blsVerifyMaskedHash(COMMITTEE, none, MESSAGE, new Uint8Array(96)), true);
});
