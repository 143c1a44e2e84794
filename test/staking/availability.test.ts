import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { decFromInt, decQuo } from "../../spec/numeric/decimal.ts";
import { blsMaskFromIndices } from "../../spec/crypto/bls-mask.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import type { Committee } from "../../spec/sharding/shard-state.ts";
import {
  blockSigners,
  computeCurrentSigning,
  EPOS_STATUS_ACTIVE,
  EPOS_STATUS_BANNED,
  EPOS_STATUS_INACTIVE,
  type EposStatus,
  eposStatusAfterEpoch,
  incrementSigningCounts,
  isBelowSigningThreshold,
  SIGNING_THRESHOLD,
  updateEposStatuses,
  type ValidatorAvailability,
} from "../../spec/staking/availability.ts";
import { account, committee, dec, key, slot } from "./epos-fixtures.ts";

/** measure_test.go makeTestCommittee / makeTestMixedCommittee: Harmony slots then user slots. */
function mixed(hmy: number, user: number): Committee {
  const slots = [];
  for (let i = 0; i < hmy; i++) slots.push(slot(account(i), key(i, 1), null));
  for (let i = hmy; i < hmy + user; i++) {
    slots.push(slot(account(i), key(i, 1), dec("100000000000")));
  }
  return committee(slots);
}

test("TestBlockSigners: payable and missing slots of a bitmap", () => {
  const table: [number, number[], number, number][] = [
    [0, [], 0, 0],
    [1, [], 0, 1],
    [1, [0], 1, 0],
    [8, [], 0, 8],
    [8, [0], 1, 7],
    [8, [7], 1, 7],
    [8, [1, 3, 5, 7], 4, 4],
    [8, [0, 2, 4, 6], 4, 4],
    [8, [0, 1, 2, 3, 4, 5, 6, 7], 8, 0],
    [13, [0, 1, 4, 5, 6, 9, 12], 7, 6],
  ];
  for (const [n, verified, payable, missing] of table) {
    const c = mixed(n, 0);
    const r = blockSigners(c, blsMaskFromIndices(n, verified));
    assert.equal(r.payable.length, payable);
    assert.equal(r.missing.length, missing);
    assert.deepEqual(r.payable, verified.map((i) => c.slots[i]));
    assert.deepEqual(r.missing, c.slots.filter((_, i) => !verified.includes(i)));
  }
});

test("TestBlockSigners_BitmapOverflow: the bitmap must be exactly ⌈n/8⌉ bytes", () => {
  const c = mixed(16, 0);
  blockSigners(c, new Uint8Array(2));
  blockSigners(c, blsMaskFromIndices(14, []));
  for (const bad of [new Uint8Array(1), new Uint8Array(3)]) {
    assert.throws(() => blockSigners(c, bad), { code: "bls/bitmap-length-mismatch" });
  }
});

function validator(addr: number, signed: bigint, toSign: bigint): ValidatorAvailability {
  return {
    address: account(addr),
    status: EPOS_STATUS_ACTIVE,
    counters: { numBlocksSigned: signed, numBlocksToSign: toSign },
    snapshot: { epoch: 3n, counters: { numBlocksSigned: signed, numBlocksToSign: toSign } },
  };
}

test("TestIncrementValidatorSigningCounts: staked slots count, Harmony slots do not", () => {
  const table: [number, number, number[]][] = [
    [1, 0, [0]],
    [0, 1, [0]],
    [10, 6, [0, 2, 3, 4, 6, 8, 10, 12, 14]],
    [10, 6, [1, 3, 5, 7, 9, 11, 13, 15]],
  ];
  for (const [hmy, user, verified] of table) {
    const c = mixed(hmy, user);
    const before = Array.from({ length: user }, (_, j) => validator(hmy + j, 1n, 1n));
    const after = incrementSigningCounts(before, c, blsMaskFromIndices(hmy + user, verified));
    after.forEach((v, j) => {
      const signed = verified.includes(hmy + j);
      assert.equal(v.counters.numBlocksToSign, 2n);
      assert.equal(v.counters.numBlocksSigned, signed ? 2n : 1n);
    });
    assert.equal(before[0]?.counters.numBlocksToSign ?? 1n, 1n, "inputs are not changed");
  }
});

test("a staked account without a validator record is an error", () => {
  assert.throws(() => incrementSigningCounts([], mixed(1, 1), Uint8Array.of(3)), {
    code: "epos/validator-not-found",
  });
});

test("a validator with k keys in the committee counts k per block", () => {
  const c = committee([
    slot(account(1), key(1, 0), dec("5")),
    slot(account(1), key(1, 1), dec("5")),
    slot(account(1), key(1, 2), null), // its account is staked, so even this slot counts
  ]);
  const [v] = incrementSigningCounts([validator(1, 0n, 0n)], c, blsMaskFromIndices(3, [0]));
  assert.deepEqual(v.counters, { numBlocksToSign: 3n, numBlocksSigned: 1n });
});

const SIGNING_TABLE: [number, number, number, number, number, number, number, number, boolean][] = [
  [0, 0, 0, 0, 0, 0, 0, 1, true],
  [0, 1, 1, 0, 1, 1, 1, 1, false],
  [0, 2, 2, 0, 3, 3, 2, 3, true],
  [0, 1, 1, 0, 3, 3, 1, 3, true],
  [100, 225, 125, 200, 350, 150, 5, 6, false],
  [100, 200, 100, 200, 350, 150, 2, 3, true],
  [100, 200, 100, 200, 400, 200, 1, 2, true],
];

test("TestComputeCurrentSigning and ...HIP32: differences, percentage, verdict", () => {
  for (const hip32 of [false, true]) {
    for (const [ss, cs, ds, st, ct, dt, num, div, below] of SIGNING_TABLE) {
      const r = computeCurrentSigning(
        { numBlocksSigned: BigInt(ss), numBlocksToSign: BigInt(st) },
        { numBlocksSigned: BigInt(cs), numBlocksToSign: BigInt(ct) },
        hip32,
      );
      assert.equal(r.signed, BigInt(ds));
      assert.equal(r.toSign, BigInt(dt));
      assert.equal(
        r.percentage.mantissa,
        decQuo(decFromInt(BigInt(num)), decFromInt(BigInt(div))).mantissa,
      );
      // HIP-32 changes only the nothing-to-sign row.
      assert.equal(r.isBelowThreshold, hip32 && dt === 0 ? false : below);
    }
  }
});

test("the threshold is Dec 2/3 = 0.666666666666666667 and is itself a failure", () => {
  assert.equal(SIGNING_THRESHOLD.mantissa, 666666666666666667n);
  assert.equal(isBelowSigningThreshold(SIGNING_THRESHOLD), true);
  assert.equal(isBelowSigningThreshold(dec("0.666666666666666668")), false);
});

test("TestComputeAndMutateEPOSStatus: status after the epoch", () => {
  const table: [number, number, EposStatus, number, number, EposStatus][] = [
    [100, 100, EPOS_STATUS_ACTIVE, 200, 200, EPOS_STATUS_ACTIVE],
    [100, 100, EPOS_STATUS_ACTIVE, 200, 250, EPOS_STATUS_INACTIVE],
    [100, 100, EPOS_STATUS_ACTIVE, 100, 200, EPOS_STATUS_INACTIVE],
    [100, 100, EPOS_STATUS_INACTIVE, 200, 200, EPOS_STATUS_INACTIVE],
    [100, 100, EPOS_STATUS_ACTIVE, 200, 200, EPOS_STATUS_ACTIVE],
  ];
  const curStatus: EposStatus[] = [
    EPOS_STATUS_ACTIVE,
    EPOS_STATUS_ACTIVE,
    EPOS_STATUS_ACTIVE,
    EPOS_STATUS_INACTIVE,
    EPOS_STATUS_ACTIVE,
  ];
  table.forEach(([snapSigned, snapToSign, , curSigned, curToSign, want], i) => {
    const v: ValidatorAvailability = {
      address: account(20),
      status: curStatus[i],
      counters: { numBlocksSigned: BigInt(curSigned), numBlocksToSign: BigInt(curToSign) },
      snapshot: {
        epoch: 3n,
        counters: { numBlocksSigned: BigInt(snapSigned), numBlocksToSign: BigInt(snapToSign) },
      },
    };
    // The Go test's reader has an empty chain config: HIP32 never active, as at mainnet epoch 3.
    assert.equal(eposStatusAfterEpoch(MAINNET, v), want);
  });
  const banned: ValidatorAvailability = {
    ...validator(20, 100n, 200n),
    status: EPOS_STATUS_BANNED,
    snapshot: { epoch: 3n, counters: { numBlocksSigned: 100n, numBlocksToSign: 200n } },
  };
  assert.equal(eposStatusAfterEpoch(MAINNET, banned), EPOS_STATUS_BANNED);
});

test("HIP-32 at the snapshot's epoch: nothing to sign keeps a validator active (mainnet 2152)", () => {
  const idle = (epoch: bigint): ValidatorAvailability => ({
    ...validator(1, 5n, 5n),
    snapshot: { epoch, counters: { numBlocksSigned: 5n, numBlocksToSign: 5n } },
  });
  assert.equal(eposStatusAfterEpoch(MAINNET, idle(2151n)), EPOS_STATUS_INACTIVE);
  assert.equal(eposStatusAfterEpoch(MAINNET, idle(2152n)), EPOS_STATUS_ACTIVE);
});

test("end of epoch: every staked account of the shard state is judged, others untouched", () => {
  const state = {
    epoch: 3n,
    shards: [mixed(1, 1), { shardId: 1n, slots: [slot(account(7), key(7, 0), dec("1"))] }],
  };
  const lazy = { ...validator(1, 0n, 0n), counters: { numBlocksSigned: 0n, numBlocksToSign: 9n } };
  const good = { ...validator(7, 0n, 0n), counters: { numBlocksSigned: 9n, numBlocksToSign: 9n } };
  const absent = {
    ...validator(9, 0n, 0n),
    counters: { numBlocksSigned: 0n, numBlocksToSign: 9n },
  };
  const out = updateEposStatuses(MAINNET, state, [absent, lazy, good]);
  assert.deepEqual(out.map((v) => v.status), [
    EPOS_STATUS_ACTIVE,
    EPOS_STATUS_INACTIVE,
    EPOS_STATUS_ACTIVE,
  ]);
  assert.throws(() => updateEposStatuses(MAINNET, state, [lazy]), {
    code: "epos/validator-not-found",
  });
});

// --- properties -----------------------------------------------------------------------------------

type Increment = typeof incrementSigningCounts;

/** Each validator's toSign grows by its staked-account slots, signed by those of them that signed. */
function countsMatch(increment: Increment) {
  const arb = fc.array(
    fc.record({ a: fc.integer({ min: 0, max: 6 }), staked: fc.boolean(), signed: fc.boolean() }),
    { maxLength: 30 },
  );
  return fc.property(arb, (rows) => {
    const c = committee(
      rows.map((r, i) => slot(account(r.a), key(i, 0), r.staked ? dec("1") : null)),
    );
    const stakedAccounts = new Set(rows.filter((r) => r.staked).map((r) => r.a));
    const before = [...stakedAccounts].map((a) => validator(a, 0n, 0n));
    const bitmap = blsMaskFromIndices(rows.length, rows.flatMap((r, i) => (r.signed ? [i] : [])));
    const after = increment(before, c, bitmap);
    return after.every((v) => {
      const mine = rows.filter((r) => r.a === v.address[19]);
      return v.counters.numBlocksToSign === BigInt(mine.length) &&
        v.counters.numBlocksSigned === BigInt(mine.filter((r) => r.signed).length);
    });
  });
}

test("property: signing counters follow the bitmap, per slot of each staked account", () => {
  holds(countsMatch(incrementSigningCounts));
  // Broken rule: only slots that carry a stake count (Go counts every slot of a staked account).
  catches(
    countsMatch((validators, c, bitmap) =>
      incrementSigningCounts(validators, {
        ...c,
        slots: c.slots.filter((s) => s.effectiveStake !== null),
      }, bitmapFor(c, bitmap))
    ),
    300,
  );
});

/** The bitmap restricted to the slots that carry a stake, for the broken rule above. */
function bitmapFor(c: Committee, bitmap: Uint8Array): Uint8Array {
  const kept: number[] = [];
  let j = 0;
  c.slots.forEach((s, i) => {
    if (s.effectiveStake === null) return;
    if ((bitmap[i >> 3] >> (i & 7)) & 1) kept.push(j);
    j++;
  });
  return blsMaskFromIndices(j, kept);
}
