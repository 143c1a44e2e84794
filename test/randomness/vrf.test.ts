/**
 * The per-block BLS-VRF against Harmony's Go tests (crypto/vrf/bls/bls_vrf_test.go), against
 * herumi's mcl (mcl-wasm) with node:crypto's SHA-256 as an independent oracle, and by properties,
 * each shown to catch a deliberately broken rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import process from "node:process";
import fc from "fast-check";
import { blsDecodeSignature, blsPublicKey, blsSignHash } from "../../spec/crypto/bls.ts";
import { bigintToFixedBytes, bytesEqual, concatBytes, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, SpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import {
  VRF_PRECOMPILE_ADDRESS,
  VRF_PRECOMPILE_GAS,
  vrfCheck,
  vrfEncodeField,
  vrfEvaluate,
  type VrfEvaluation,
  vrfForBlock,
  vrfOutputOfField,
  vrfParseField,
  vrfPrecompileAvailable,
  vrfPrecompileBlock,
  vrfPrecompileGas,
  vrfPrecompileOutput,
  vrfVerify,
  vrfVerifyHeader,
} from "../../spec/randomness/vrf.ts";
import { catches, holds } from "../support/property.ts";
import { mclSignHash } from "../support/mcl-oracle.ts";

const text = (s: string) => new TextEncoder().encode(s);
const nodeSha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

/** A deterministic secret key below r: SHA-256 of a label, top two bits cleared. */
function key(label: string): Uint8Array {
  const k = nodeSha256(text(`vrf test key ${label}`));
  k[31] &= 0x3f;
  return k;
}

const SK = key("a");
const PK = blsPublicKey(SK);
const SK_OTHER = key("b");
const PK_OTHER = blsPublicKey(SK_OTHER);

function rejects(f: () => unknown, code: SpecErrorCode | SpecErrorCode[]): void {
  const codes = Array.isArray(code) ? code : [code];
  assert.throws(f, (e) => isSpecError(e) && codes.includes(e.code));
}

function accepts(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (isSpecError(e)) return false;
    throw e;
  }
}

function flipBit(bytes: Uint8Array, position: number): Uint8Array {
  const out = bytes.slice();
  out[position >> 3] ^= 1 << (position & 7);
  return out;
}

// A small pool of keys keeps the properties fast: the pairing, not key generation, is the cost.
const keyArb = fc.constantFrom(...["k0", "k1", "k2", "k3", "k4"].map(key));
const alphaArb = fc.uint8Array({ minLength: 0, maxLength: 80 });
/** A bit of the proof; the edges (first bit, the parity flag = bit 767) come up often. */
const proofBitArb = fc.oneof(fc.constantFrom(0, 384, 767), fc.integer({ min: 0, max: 767 }));

// ---------------------------------------------------------------- the oracle (mcl + node:crypto)

test("evaluate: proof = mcl SignHash(sk, SHA-256(alpha)), output = SHA-256(proof)", () => {
  holds(
    fc.property(keyArb, alphaArb, (sk, alpha) => {
      const { output, proof } = vrfEvaluate(sk, alpha);
      const expected = mclSignHash(sk, nodeSha256(alpha));
      return expected !== undefined && bytesEqual(proof, expected) &&
        bytesEqual(output, nodeSha256(expected));
    }),
    10,
  );
});

test("the oracle property catches a VRF that signs alpha itself instead of its digest", () => {
  const broken = (sk: Uint8Array, alpha: Uint8Array): VrfEvaluation => {
    const proof = blsSignHash(sk, concatBytes(alpha, new Uint8Array([1])));
    return { output: nodeSha256(proof), proof };
  };
  catches(
    fc.property(keyArb, alphaArb, (sk, alpha) => {
      const expected = mclSignHash(sk, nodeSha256(alpha));
      return expected !== undefined && bytesEqual(broken(sk, alpha).proof, expected);
    }),
    5,
  );
});

// ---------------------------------------------------------------- bls_vrf_test.go

test("Go TestVRF1: ProofToHash of an evaluation gives its output", () => {
  const m1 = text("data1");
  const { output, proof } = vrfEvaluate(SK, m1);
  assert.deepEqual(vrfVerify(PK, m1, proof), output);
});

test("Go TestVRF2: the table of inputs, proofs and expected errors", () => {
  const m1 = text("data1");
  const m2 = text("data2");
  const m3 = text("data2");
  const e1 = vrfEvaluate(SK, m1);
  const e2 = vrfEvaluate(SK, m2);
  const e3 = vrfEvaluate(SK, m3);
  assert.deepEqual(vrfVerify(PK, m1, e1.proof), e1.output);
  assert.deepEqual(vrfVerify(PK, m2, e2.proof), e2.output);
  assert.deepEqual(vrfVerify(PK, m3, e3.proof), e3.output);
  // m2 and m3 are the same bytes, so proof2 is a valid proof for m3 with m3's output.
  assert.deepEqual(vrfVerify(PK, m3, e2.proof), e3.output);
  // proof1 is for data1: ErrInvalidVRF.
  rejects(() => vrfVerify(PK, m3, e1.proof), "vrf/invalid-proof");
});

test("Go TestRightTruncateProof / TestLeftTruncateProof: every truncation is rejected", () => {
  const data = text("data");
  const { proof } = vrfEvaluate(SK, data);
  for (let i = 1; i <= proof.length; i++) {
    rejects(
      () => vrfVerify(PK, data, proof.slice(0, proof.length - i)),
      "vrf/invalid-proof-length",
    );
    rejects(() => vrfVerify(PK, data, proof.slice(i)), "vrf/invalid-proof-length");
  }
});

test("Go TestBitFlip: flipping a bit of the proof is rejected (all 768 with FULL=1)", () => {
  const data = text("data");
  const { proof } = vrfEvaluate(SK, data);
  // By default every 5th bit and the bits around the coordinates' edges; FULL=1 sweeps all, as
  // the Go test does (a few seconds).
  const all = Array.from({ length: proof.length * 8 }, (_, i) => i);
  const edges = [0, 1, 7, 8, 375, 376, 382, 383, 384, 385, 759, 760, 766, 767];
  const bits = process.env.FULL === "1" ? all : all.filter((i) => i % 5 === 0 || edges.includes(i));
  for (const i of bits) {
    rejects(() => vrfVerify(PK, data, flipBit(proof, i)), [
      "vrf/malformed-proof",
      "vrf/invalid-proof",
    ]);
  }
});

test("a longer proof is rejected (Go would read its first 96 bytes: the length deviation)", () => {
  const data = text("data");
  const { proof } = vrfEvaluate(SK, data);
  rejects(
    () => vrfVerify(PK, data, concatBytes(proof, new Uint8Array(1))),
    "vrf/invalid-proof-length",
  );
});

test("a malformed public key is reported with the BLS code", () => {
  const { proof } = vrfEvaluate(SK, text("data"));
  rejects(() => vrfVerify(PK.slice(1), text("data"), proof), "bls/invalid-length");
});

// ---------------------------------------------------------------- properties with mutants

type Verify = (pk: Uint8Array, alpha: Uint8Array, proof: Uint8Array) => Uint8Array;
type Check = (pk: Uint8Array, alpha: Uint8Array, e: VrfEvaluation) => void;

const roundTrip = (verify: Verify) =>
  fc.property(keyArb, alphaArb, (sk, alpha) => {
    const e = vrfEvaluate(sk, alpha);
    return bytesEqual(verify(blsPublicKey(sk), alpha, e.proof), e.output);
  });

const proofFlipRejected = (verify: Verify) =>
  fc.property(keyArb, alphaArb, proofBitArb, (sk, alpha, bit) => {
    const e = vrfEvaluate(sk, alpha);
    return !accepts(() => verify(blsPublicKey(sk), alpha, flipBit(e.proof, bit)));
  });

const outputFlipRejected = (check: Check) =>
  fc.property(keyArb, alphaArb, fc.integer({ min: 0, max: 255 }), (sk, alpha, bit) => {
    const e = vrfEvaluate(sk, alpha);
    const forged = { output: flipBit(e.output, bit), proof: e.proof };
    return !accepts(() => check(blsPublicKey(sk), alpha, forged));
  });

const otherKeyRejected = (verify: Verify) =>
  fc.property(keyArb, keyArb, alphaArb, (sk, other, alpha) => {
    fc.pre(!bytesEqual(sk, other));
    return !accepts(() => verify(blsPublicKey(other), alpha, vrfEvaluate(sk, alpha).proof));
  });

const otherInputRejected = (verify: Verify) =>
  fc.property(keyArb, alphaArb, alphaArb, (sk, alpha, beta) => {
    fc.pre(!bytesEqual(alpha, beta));
    return !accepts(() => verify(blsPublicKey(sk), beta, vrfEvaluate(sk, alpha).proof));
  });

/** Broken: accepts any proof that decodes, without the pairing check. */
const verifyNoPairing: Verify = (_pk, _alpha, proof) => {
  blsDecodeSignature(proof);
  return nodeSha256(proof);
};
/** Broken: ignores the parity flag (tries the proof with the top bit cleared and set). */
const verifyParityBlind: Verify = (pk, alpha, proof) => {
  for (const flag of [0, 0x80]) {
    const p = proof.slice();
    p[95] = (p[95] & 0x7f) | flag;
    if (accepts(() => vrfVerify(pk, alpha, p))) return nodeSha256(proof);
  }
  throw new SpecError("vrf/invalid-proof");
};
/** Broken: checks the proof but not the claimed output. */
const checkIgnoresOutput: Check = (pk, alpha, e) => void vrfVerify(pk, alpha, e.proof);

test("property: verify(evaluate) gives the output", () => {
  holds(roundTrip(vrfVerify), 10);
  catches(roundTrip((pk, a, p) => nodeSha256(vrfVerify(pk, a, p))), 3);
});

test("property: any bit flip of the proof is rejected", () => {
  holds(proofFlipRejected(vrfVerify), 20);
  catches(proofFlipRejected(verifyParityBlind), 40);
});

test("property: any bit flip of the output is rejected", () => {
  holds(outputFlipRejected(vrfCheck), 10);
  catches(outputFlipRejected(checkIgnoresOutput), 3);
});

test("property: a proof does not verify under another key", () => {
  holds(otherKeyRejected(vrfVerify), 10);
  catches(otherKeyRejected(verifyNoPairing), 5);
});

test("property: a proof does not verify for another input", () => {
  holds(otherInputRejected(vrfVerify), 10);
  catches(otherInputRejected(verifyNoPairing), 5);
});

// ---------------------------------------------------------------- the header field

const PARENT = nodeSha256(text("parent block"));
const VRF_EPOCH = 631n; // mainnet VRFEpoch (internal/params/config.go)

test("the Vrf field is output ‖ proof, 128 bytes, and parses back", () => {
  const e = vrfEvaluate(SK, PARENT);
  const field = vrfForBlock(SK, PARENT);
  assert.equal(field.length, 128);
  assert.deepEqual(field, concatBytes(e.output, e.proof));
  assert.deepEqual(vrfParseField(field), e);
  assert.deepEqual(vrfEncodeField(vrfParseField(field)), field);
  for (const n of [0, 32, 96, 127, 129]) {
    rejects(() => vrfParseField(new Uint8Array(n)), "vrf/invalid-field-length");
  }
  rejects(() => vrfEncodeField({ output: e.proof, proof: e.output }), "vrf/invalid-field-length");
});

test("header rule (Go VerifyVRF): empty before VRFEpoch, a valid 128-byte field from it on", () => {
  const field = vrfForBlock(SK, PARENT);
  vrfVerifyHeader(MAINNET, VRF_EPOCH - 1n, new Uint8Array(0), PK, PARENT);
  rejects(
    () => vrfVerifyHeader(MAINNET, VRF_EPOCH - 1n, field, PK, PARENT),
    "vrf/unexpected-field",
  );
  vrfVerifyHeader(MAINNET, VRF_EPOCH, field, PK, PARENT);
  rejects(
    () => vrfVerifyHeader(MAINNET, VRF_EPOCH, new Uint8Array(0), PK, PARENT),
    "vrf/invalid-field-length",
  );
  rejects(
    () => vrfVerifyHeader(MAINNET, VRF_EPOCH, field.slice(0, 127), PK, PARENT),
    "vrf/invalid-field-length",
  );
  rejects(() => vrfVerifyHeader(MAINNET, VRF_EPOCH, field, PK_OTHER, PARENT), "vrf/invalid-proof");
  rejects(
    () => vrfVerifyHeader(MAINNET, VRF_EPOCH, field, PK, nodeSha256(PARENT)),
    "vrf/invalid-proof",
  );
  rejects(
    () => vrfVerifyHeader(MAINNET, VRF_EPOCH, flipBit(field, 0), PK, PARENT),
    "vrf/output-mismatch",
  );
});

test("property: the header rule is gated at VRFEpoch (caught with the gate one epoch late)", () => {
  const emptyAccepted = (verifyHeader: typeof vrfVerifyHeader) =>
    fc.property(fc.bigInt({ min: VRF_EPOCH - 3n, max: VRF_EPOCH + 3n }), (epoch) => {
      const ok = accepts(() => verifyHeader(MAINNET, epoch, new Uint8Array(0), PK, PARENT));
      return ok === epoch < VRF_EPOCH;
    });
  holds(emptyAccepted(vrfVerifyHeader));
  const lateGate: typeof vrfVerifyHeader = (config, epoch, field, pk, parent) =>
    vrfVerifyHeader(config, epoch - 1n, field, pk, parent);
  catches(emptyAccepted(lateGate));
});

// ---------------------------------------------------------------- the precompile

const PREV_VRF_EPOCH = 689n; // mainnet PrevVRFEpoch

/** A chain whose block n has the Vrf field `n` repeated 128 times (block 0: empty). */
function fieldOf(n: bigint): Uint8Array {
  return n === 0n ? new Uint8Array(0) : new Uint8Array(128).fill(Number(n % 256n));
}

function answer(input: Uint8Array, blockNumber: bigint, epoch: bigint): number {
  const out = vrfPrecompileOutput(input, {
    config: MAINNET,
    epoch,
    blockNumber,
    vrfFieldOf: fieldOf,
  });
  assert.equal(out.length, 32);
  return out[0];
}

const uint256 = (n: bigint) => bigintToFixedBytes(n, 32);

test("precompile: address 0xff, 2 gas, present from VRF (or SHA3, StakingPrecompile) on", () => {
  assert.equal(toHex(VRF_PRECOMPILE_ADDRESS), "00000000000000000000000000000000000000ff");
  assert.equal(VRF_PRECOMPILE_GAS, 2n);
  assert.equal(vrfPrecompileGas(new Uint8Array(1000)), 2n);
  assert.equal(vrfPrecompileAvailable(MAINNET, VRF_EPOCH - 1n), false);
  assert.equal(vrfPrecompileAvailable(MAINNET, VRF_EPOCH), true);
});

test("precompile before PrevVRF: always the current block's VRF", () => {
  const epoch = PREV_VRF_EPOCH - 1n;
  for (const input of [new Uint8Array(0), uint256(999n), uint256(1000n), uint256(5n)]) {
    assert.equal(answer(input, 1000n, epoch), 1000 % 256);
  }
});

test("precompile from PrevVRF: the 256 blocks before the current one, else the current", () => {
  const e = PREV_VRF_EPOCH;
  assert.equal(answer(uint256(1000n), 1000n, e), 1000 % 256); // the current block
  assert.equal(answer(uint256(999n), 1000n, e), 999 % 256); // the parent
  assert.equal(answer(uint256(744n), 1000n, e), 744 % 256); // 256 back: in range
  assert.equal(answer(uint256(743n), 1000n, e), 1000 % 256); // 257 back: the current
  assert.equal(answer(uint256(1001n), 1000n, e), 1000 % 256); // future: the current
  assert.equal(answer(new Uint8Array(0), 1000n, e), 1000 % 256); // empty = block 0, too old
  assert.equal(answer(new Uint8Array([0x03, 0xe7]), 1000n, e), 999 % 256); // 2-byte 999
  const huge = concatBytes(new Uint8Array(32).fill(0xff), uint256(999n));
  assert.equal(answer(huge, 1000n, e), 1000 % 256); // 64-byte number: out of range
  // Near genesis the window reaches block 0, whose header has no VRF: 32 zero bytes.
  assert.equal(answer(new Uint8Array(0), 100n, e), 0);
  assert.equal(answer(uint256(0n), 256n, e), 0);
  assert.equal(answer(uint256(0n), 257n, e), 257 % 256);
});

test("the VRF output of a header field: first 32 bytes, zeros when shorter", () => {
  const field = Uint8Array.from({ length: 128 }, (_, i) => i);
  assert.deepEqual(vrfOutputOfField(field), field.slice(0, 32));
  assert.deepEqual(vrfOutputOfField(field.slice(0, 32)), field.slice(0, 32));
  assert.deepEqual(vrfOutputOfField(field.slice(0, 31)), new Uint8Array(32));
  assert.deepEqual(vrfOutputOfField(new Uint8Array(0)), new Uint8Array(32));
});

test("property: the precompile's block choice matches Go's window (caught with 257 blocks)", () => {
  // Restated independently: in range iff the distance current − n is between 1 and 256.
  const expected = (n: bigint, current: bigint, prev: boolean) =>
    prev && current - n >= 1n && current - n <= 256n ? n : current;
  const matches = (choose: typeof vrfPrecompileBlock) =>
    fc.property(
      fc.bigInt({ min: 0n, max: 2000n }),
      // The window's edges, and anything around them.
      fc.oneof(
        fc.constantFrom(-258n, -257n, -256n, -1n, 0n, 1n),
        fc.bigInt({ min: -300n, max: 300n }),
      ),
      fc.boolean(),
      (current, offset, prev) => {
        const n = current + offset < 0n ? 0n : current + offset;
        return choose(uint256(n), current, prev) === expected(n, current, prev);
      },
    );
  holds(matches(vrfPrecompileBlock), 300);
  const window257: typeof vrfPrecompileBlock = (input, current, prev) => {
    const n = BigInt("0x0" + toHex(input));
    return prev && n >= current - 257n && n < current ? n : current;
  };
  catches(matches(window257), 300);
});
