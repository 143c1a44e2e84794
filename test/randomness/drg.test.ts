/**
 * The DRG (beyond the Go node): contributions, the 2/3 threshold, pRnd, the commitment record,
 * the VDF step and the epoch's randomness. Expectations are restated independently (XOR folds,
 * hand-computed thresholds, node:crypto's SHA-256, mcl for the VRF); every property is shown to
 * catch a deliberately broken rule. The VDF runs with small discriminants and few iterations.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { blsPublicKey } from "../../spec/crypto/bls.ts";
import { blsMaskFromIndices } from "../../spec/crypto/bls-mask.ts";
import { bytesEqual, concatBytes } from "../../spec/encoding/bytes.ts";
import { isSpecError, SpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { LOCALNET, MAINNET } from "../../spec/params/mod.ts";
import {
  DRG_DELAY_BLOCKS,
  drgActive,
  drgApplyBlock,
  drgCombine,
  drgContribute,
  type DrgContribution,
  drgEncodeCommitment,
  drgEncodeRnd,
  type DrgEpoch,
  drgEpochSetup,
  drgMinContributions,
  type DrgParams,
  drgProposeCommitment,
  drgProposeRnd,
  drgReceiveContribution,
  drgStartEpoch,
  drgThresholdMet,
  drgVerifyContribution,
  drgVerifyRnd,
  epochRandomness,
} from "../../spec/randomness/drg.ts";
import { vdfGenerate } from "../../spec/randomness/vdf.ts";
import { catches, holds } from "../support/property.ts";
import { mclSignHash } from "../support/mcl-oracle.ts";

const text = (s: string) => new TextEncoder().encode(s);
const nodeSha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

function key(label: string): Uint8Array {
  const k = nodeSha256(text(`drg test key ${label}`));
  k[31] &= 0x3f;
  return k;
}

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

/** The XOR of 32-byte strings, folded by hand. */
function xorAll(outputs: Uint8Array[]): Uint8Array {
  const acc = new Uint8Array(32);
  for (const o of outputs) for (let i = 0; i < 32; i++) acc[i] = acc[i] ^ o[i];
  return acc;
}

// ---------------------------------------------------------------- a small epoch

const N = 7; // more than 2/3 of 7 is 5
const SECRET_KEYS = Array.from({ length: N }, (_, i) => key(`${i}`));
const COMMITTEE = SECRET_KEYS.map(blsPublicKey);
const INPUT = nodeSha256(text("hash of the last block of epoch 4"));
const PARAMS: DrgParams = { delayBlocks: 2n, iterations: 40, discriminantBits: 256 };
const FIRST = 100n;
const LAST = 115n;
const CONTRIBUTIONS = SECRET_KEYS.map((sk, slot) => drgContribute(sk, slot, INPUT));

function start(): DrgEpoch {
  return drgStartEpoch({
    epoch: 5n,
    input: INPUT,
    committee: COMMITTEE,
    firstBlock: FIRST,
    lastBlock: LAST,
    params: PARAMS,
  });
}

function collect(slots: number[]): DrgEpoch {
  let state = start();
  for (const s of slots) state = drgReceiveContribution(state, CONTRIBUTIONS[s]);
  return state;
}

/** Slots 0..4 contributed, the commitment at block 102, the Rnd at 104. */
const POOLED = collect([4, 0, 2, 1, 3]);
const COMMITMENT_RECORD = drgProposeCommitment(POOLED);
const COMMITTED = drgApplyBlock(POOLED, 102n, COMMITMENT_RECORD);
const RND_RECORD = drgProposeRnd(COMMITTED);
const P_RND = xorAll(CONTRIBUTIONS.slice(0, 5).map((c) => c.output));

// ---------------------------------------------------------------- contributions

test("a contribution is the BLS-VRF over the epoch input (mcl oracle), and verifies", () => {
  const c = drgContribute(SECRET_KEYS[3], 3, INPUT);
  const proof = mclSignHash(SECRET_KEYS[3], nodeSha256(INPUT));
  assert.ok(proof !== undefined);
  assert.deepEqual(c, { slot: 3, output: nodeSha256(proof), proof });
  drgVerifyContribution(COMMITTEE, INPUT, c);
  rejects(
    () => drgVerifyContribution(COMMITTEE, INPUT, { ...c, slot: 2 }),
    "drg/invalid-contribution",
  );
  rejects(() => drgVerifyContribution(COMMITTEE, nodeSha256(INPUT), c), "drg/invalid-contribution");
  rejects(
    () => drgVerifyContribution(COMMITTEE, INPUT, { ...c, output: flipBit(c.output, 9) }),
    "drg/invalid-contribution",
  );
  rejects(
    () => drgVerifyContribution(COMMITTEE, INPUT, { ...c, slot: N }),
    "drg/slot-out-of-range",
  );
  rejects(
    () => drgVerifyContribution(COMMITTEE, INPUT, { ...c, slot: -1 }),
    "drg/slot-out-of-range",
  );
});

// ---------------------------------------------------------------- the threshold

test("more than 2/3 of the keys: thresholds worked out by hand", () => {
  const table: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 3],
    [5, 4],
    [6, 5],
    [7, 5],
    [9, 7],
    [
      10,
      7,
    ],
    [250, 167],
  ];
  for (const [n, min] of table) {
    assert.equal(drgMinContributions(n), min, `n = ${n}`);
    assert.equal(drgThresholdMet(n, min), true, `n = ${n}`);
    assert.equal(drgThresholdMet(n, min - 1), false, `n = ${n}`);
  }
});

/** Contributions with random outputs (the combination does not verify proofs). */
const fakeContributions = (n: number, slots: number[], seed: number): DrgContribution[] =>
  slots.map((slot) => ({
    slot,
    output: nodeSha256(text(`fake ${n} ${slot} ${seed}`)),
    proof: new Uint8Array(96),
  }));

test("property: pRnd forms iff the count is more than 2/3 (caught with 'at least 2/3')", () => {
  const thresholdRule = (combine: typeof drgCombine) =>
    fc.property(
      fc.integer({ min: 1, max: 40 }).chain((n) =>
        fc.tuple(fc.constant(n), fc.oneof(fc.constant(Math.ceil((2 * n) / 3)), fc.nat(n)))
      ),
      ([n, count]) => {
        const slots = Array.from({ length: count }, (_, i) => i);
        const ok = accepts(() => combine(n, fakeContributions(n, slots, 0)));
        // Independently: count/n > 2/3, compared as fractions with a common denominator.
        return ok === count * 3 > n * 2;
      },
    );
  holds(thresholdRule(drgCombine), 200);
  const atLeastTwoThirds: typeof drgCombine = (n, cs) => {
    if (cs.length * 3 < n * 2) throw new SpecError("drg/too-few-contributions");
    return {
      pRnd: xorAll(cs.map((c) => c.output)),
      bitmap: blsMaskFromIndices(n, cs.map((c) => c.slot)),
    };
  };
  catches(thresholdRule(atLeastTwoThirds), 200);
});

// ---------------------------------------------------------------- combining

test("pRnd is the XOR of the outputs, in any order", () => {
  const { pRnd, bitmap } = drgCombine(N, CONTRIBUTIONS.slice(0, 5));
  assert.deepEqual(pRnd, P_RND);
  assert.deepEqual(bitmap, new Uint8Array([0b0001_1111]));
  const reversed = drgCombine(N, CONTRIBUTIONS.slice(0, 5).reverse());
  assert.deepEqual(reversed, { pRnd, bitmap });
  rejects(
    () => drgCombine(N, [...CONTRIBUTIONS.slice(0, 5), CONTRIBUTIONS[2]]),
    "drg/duplicate-contribution",
  );
  rejects(() => drgCombine(N, CONTRIBUTIONS.slice(0, 4)), "drg/too-few-contributions");
});

test("property: combining is order-independent and equals the XOR fold (caught when ordered)", () => {
  const orderFree = (combine: typeof drgCombine) =>
    fc.property(
      fc.integer({ min: 1, max: 16 }).chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), {
            minLength: drgMinContributions(n),
          }),
          fc.nat(),
        )
      ),
      ([n, slots, seed]) => {
        const cs = fakeContributions(n, slots, seed);
        const sorted = [...cs].sort((a, b) => a.slot - b.slot);
        const a = combine(n, cs);
        const b = combine(n, sorted);
        return bytesEqual(a.pRnd, b.pRnd) && bytesEqual(a.bitmap, b.bitmap) &&
          bytesEqual(a.pRnd, xorAll(cs.map((c) => c.output)));
      },
    );
  holds(orderFree(drgCombine), 200);
  // Broken: a hash chain over the outputs in the order received.
  const chained: typeof drgCombine = (n, cs) => {
    const { bitmap } = drgCombine(n, cs);
    let acc = new Uint8Array(32);
    for (const c of cs) acc = nodeSha256(concatBytes(acc, c.output));
    return { pRnd: acc, bitmap };
  };
  catches(orderFree(chained), 200);
});

// ---------------------------------------------------------------- collecting

test("the leader's pool: verified, sorted, idempotent, and closed by the commitment", () => {
  assert.deepEqual(POOLED.pool.map((c) => c.slot), [0, 1, 2, 3, 4]);
  assert.equal(drgReceiveContribution(POOLED, CONTRIBUTIONS[2]), POOLED);
  rejects(() => drgProposeCommitment(collect([0, 1, 2, 3])), "drg/too-few-contributions");
  const wrong = { ...CONTRIBUTIONS[5], proof: CONTRIBUTIONS[6].proof };
  rejects(() => drgReceiveContribution(POOLED, wrong), "drg/invalid-contribution");
  rejects(() => drgReceiveContribution(COMMITTED, CONTRIBUTIONS[5]), "drg/already-committed");
  assert.equal(drgReceiveContribution(COMMITTED, CONTRIBUTIONS[0]), COMMITTED);
});

test("property: a changed contribution is refused, before and after the commitment", () => {
  const changedRefused = (receive: typeof drgReceiveContribution) =>
    fc.property(
      fc.boolean(),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 0, max: 128 * 8 - 1 }),
      (after, slot, bit) => {
        const c = CONTRIBUTIONS[slot];
        const field = flipBit(concatBytes(c.output, c.proof), bit);
        const changed = { slot, output: field.slice(0, 32), proof: field.slice(32) };
        const state = after ? COMMITTED : POOLED;
        try {
          receive(state, changed);
          return false;
        } catch (e) {
          return isSpecError(e, "drg/contribution-changed");
        }
      },
    );
  holds(changedRefused(drgReceiveContribution), 100);
  // Broken: a known slot is simply kept, so a changed value passes silently.
  const keepsKnown: typeof drgReceiveContribution = (state, c) =>
    state.pool.some((p) => p.slot === c.slot) ? state : drgReceiveContribution(state, c);
  catches(changedRefused(keepsKnown), 100);
});

// ---------------------------------------------------------------- the commitment record

test("the commitment record: 0x01 ‖ pRnd ‖ bitmap ‖ (output ‖ proof) by slot", () => {
  const expected = concatBytes(
    new Uint8Array([0x01]),
    P_RND,
    new Uint8Array([0b0001_1111]),
    ...CONTRIBUTIONS.slice(0, 5).flatMap((c) => [c.output, c.proof]),
  );
  assert.deepEqual(COMMITMENT_RECORD, expected);
  assert.deepEqual(COMMITTED.commitment?.blockNumber, 102n);
  assert.deepEqual(COMMITTED.commitment?.value.pRnd, P_RND);
  assert.equal(epochRandomness(COMMITTED), null);
});

test("commitment rejections", () => {
  rejects(() => drgApplyBlock(COMMITTED, 103n, COMMITMENT_RECORD), "drg/already-committed");
  rejects(() => drgApplyBlock(POOLED, FIRST - 1n, COMMITMENT_RECORD), "drg/block-outside-epoch");
  rejects(() => drgApplyBlock(POOLED, LAST + 1n, COMMITMENT_RECORD), "drg/block-outside-epoch");
  const four = drgEncodeCommitment({
    ...drgCombine(N, CONTRIBUTIONS.slice(0, 5)),
    pRnd: xorAll(CONTRIBUTIONS.slice(0, 4).map((c) => c.output)),
    bitmap: new Uint8Array([0b0000_1111]),
    contributions: CONTRIBUTIONS.slice(0, 4),
  });
  rejects(() => drgApplyBlock(POOLED, 102n, four), "drg/too-few-contributions");
  rejects(() => drgApplyBlock(POOLED, 102n, flipBit(COMMITMENT_RECORD, 8)), "drg/prnd-mismatch");
  const padded = COMMITMENT_RECORD.slice();
  padded[33] |= 0x80; // slot 7 does not exist in a committee of 7
  rejects(() => drgApplyBlock(POOLED, 102n, padded), "drg/malformed-record");
  rejects(
    () => drgApplyBlock(POOLED, 102n, COMMITMENT_RECORD.slice(0, -1)),
    "drg/malformed-record",
  );
  rejects(() => drgApplyBlock(POOLED, 102n, new Uint8Array([0x03])), "drg/malformed-record");
  assert.equal(drgApplyBlock(POOLED, 102n, new Uint8Array(0)), POOLED);
});

test("property: any bit flip of the commitment record is rejected (caught without proofs)", () => {
  const flipRejected = (apply: typeof drgApplyBlock) =>
    fc.property(
      fc.integer({ min: 0, max: COMMITMENT_RECORD.length * 8 - 1 }),
      (bit) => !accepts(() => apply(POOLED, 102n, flipBit(COMMITMENT_RECORD, bit))),
    );
  holds(flipRejected(drgApplyBlock), 12);
  // Broken: checks the pRnd bytes and nothing else of the record.
  const unverified: typeof drgApplyBlock = (state, n, field) => {
    if (!bytesEqual(field.slice(1, 33), P_RND)) throw new SpecError("drg/prnd-mismatch");
    return drgApplyBlock(state, n, COMMITMENT_RECORD);
  };
  catches(flipRejected(unverified), 12);
});

// ---------------------------------------------------------------- the VDF and the randomness

test("the Rnd record, its delay, its deadline, and the epoch's randomness", () => {
  const output = vdfGenerate(P_RND, PARAMS.iterations, PARAMS.discriminantBits);
  assert.deepEqual(RND_RECORD, concatBytes(new Uint8Array([0x02]), output));
  assert.deepEqual(drgEncodeRnd(output), RND_RECORD);
  rejects(() => drgApplyBlock(POOLED, 104n, RND_RECORD), "drg/no-commitment");
  rejects(() => drgApplyBlock(COMMITTED, 103n, RND_RECORD), "drg/rnd-too-early");
  rejects(() => drgApplyBlock(COMMITTED, LAST, RND_RECORD), "drg/rnd-too-late");
  const done = drgApplyBlock(COMMITTED, 104n, RND_RECORD);
  rejects(() => drgApplyBlock(done, 105n, RND_RECORD), "drg/already-committed");
  rejects(() => drgProposeRnd(done), "drg/already-committed");
  assert.deepEqual(done.rnd, { blockNumber: 104n, value: output });
  assert.deepEqual(epochRandomness(done), nodeSha256(output.slice(0, output.length / 2)));
  assert.equal(drgApplyBlock(done, LAST, new Uint8Array(0)), done);
});

test("a VDF output for another seed, T or size is the wrong output", () => {
  const { iterations: t, discriminantBits: bits } = PARAMS;
  for (const other of [vdfGenerate(flipBit(P_RND, 0), t, bits), vdfGenerate(P_RND, t + 1, bits)]) {
    rejects(() => drgApplyBlock(COMMITTED, 104n, drgEncodeRnd(other)), "drg/wrong-vdf-output");
  }
  rejects(
    () => drgApplyBlock(COMMITTED, 104n, drgEncodeRnd(vdfGenerate(P_RND, t, bits + 64))),
    "drg/wrong-vdf-output",
  );
  rejects(() => drgApplyBlock(COMMITTED, 104n, new Uint8Array([0x02])), "drg/wrong-vdf-output");
});

test("property: exactly the right VDF output is accepted (caught when checking y only)", () => {
  const output = RND_RECORD.slice(1);
  const flipRejected = (verify: typeof drgVerifyRnd) =>
    fc.property(
      fc.integer({ min: 0, max: output.length * 8 - 1 }),
      (bit) => !accepts(() => verify(P_RND, flipBit(output, bit), PARAMS)),
    );
  holds(flipRejected(drgVerifyRnd), 30);
  // Broken: recomputes the VDF and compares y, ignoring the proof half.
  const yOnly: typeof drgVerifyRnd = (seed, out, params) => {
    const right = vdfGenerate(seed, params.iterations, params.discriminantBits);
    const half = right.length / 2;
    if (!bytesEqual(out.slice(0, half), right.slice(0, half))) {
      throw new SpecError("drg/wrong-vdf-output");
    }
  };
  catches(flipRejected(yOnly), 30);
});

// ---------------------------------------------------------------- presets

test("the DRG runs on the beacon chain of localnet from epoch 1, never on mainnet", () => {
  assert.equal(drgActive(LOCALNET, 0n, 0n), false);
  assert.equal(drgActive(LOCALNET, 0n, 1n), true);
  assert.equal(drgActive(LOCALNET, 1n, 1n), false);
  assert.equal(drgActive(MAINNET, 0n, 10_000_000n), false);
  // Localnet: epoch 0 has 5 blocks, later epochs 16; Go VdfDifficulty 5000; 2048-bit VDF.
  const setup = drgEpochSetup(LOCALNET, 1n, INPUT, COMMITTEE);
  assert.equal(setup.firstBlock, 5n);
  assert.equal(setup.lastBlock, 20n);
  assert.deepEqual(setup.params, {
    delayBlocks: DRG_DELAY_BLOCKS,
    iterations: 5000,
    discriminantBits: 2048,
  });
});
