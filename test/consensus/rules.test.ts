/**
 * The consensus rules one by one, against known answers and the expectations of Harmony's Go
 * tests (`signature_test.go`, `quorom_test.go`, `one-node-staked-vote_test.go`,
 * `view_change_test.go`), restated; each property is also run against a broken rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  addNewVote,
  aggregateVotes,
  type Ballot,
  type BallotBox,
  EMPTY_BALLOT_BOX,
  isQuorumAchieved,
  signersCount,
} from "../../spec/consensus/ballots.ts";
import { aggregateSignHash, type Signer, signHashPoint } from "../../spec/consensus/messages.ts";
import {
  commitPayload,
  m1Payload,
  NIL_PAYLOAD,
  signedPrefix,
  viewIdPayload,
} from "../../spec/consensus/payloads.ts";
import {
  isQuorumAchievedByMask as stakingQuorumByMask,
  TWO_THIRDS,
  uniformQuorumThreshold,
  type VoteWeight,
} from "../../spec/staking/voting-power.ts";
import {
  epochQuorumPolicy,
  isQuorumByMask,
  type QuorumPolicy,
  verifierQuorumByMask,
} from "../../spec/consensus/quorum.ts";
import {
  nthNextHmy,
  nthNextValidator,
  nthNextValidatorV2,
  processRotationMeta,
} from "../../spec/consensus/rotation.ts";
import { nextViewId } from "../../spec/consensus/view-change.ts";
import type { CommitteeSlot, FbftState, RotationMeta } from "../../spec/consensus/state.ts";
import { blsCommittee, blsMaskFromIndices } from "../../spec/crypto/bls-mask.ts";
import { blsDecodeSignature, blsEncodeSignature } from "../../spec/crypto/bls.ts";
import { bigintToFixedBytes, concatBytes, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import {
  DEC_ONE,
  decFromInt,
  decFromString,
  decMul,
  decQuo,
  decSub,
  decToString,
} from "../../spec/numeric/decimal.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import { simSigner } from "../../src/sim/chain.ts";
import { catches, holds } from "../support/property.ts";
import {
  mclAggregatePublicKeys,
  mclAggregateSignatures,
  mclSignHash,
  mclVerifyHash,
} from "../support/mcl-oracle.ts";
import { committeeSpec, nodeAt } from "./fixtures.ts";

/** BLS is slow in JavaScript: these tests get minutes, not the default seconds. */
const SLOW = { timeout: 600_000 };

function rejects(f: () => unknown, code: SpecErrorCode): void {
  assert.throws(f, (e) => isSpecError(e, code));
}
const KEYS: Signer[] = Array.from({ length: 10 }, (_, i) => simSigner(BigInt(100 + i)));
const HASH = concatBytes(new TextEncoder().encode("random"), new Uint8Array(26));

// ---------------------------------------------------------------- payloads

test(
  "commit payload: uint64_LE(number) ‖ hash, plus uint64_LE(viewID) from Staking (mainnet 186)",
  SLOW,
  () => {
    const hash = fromHex("11".repeat(32));
    const before = commitPayload(MAINNET, 185n, hash, 0x0102n, 0x0a0bn);
    assert.equal(toHex(before), "0201000000000000" + "11".repeat(32));
    const after = commitPayload(MAINNET, 186n, hash, 0x0102n, 0x0a0bn);
    assert.equal(toHex(after), "0201000000000000" + "11".repeat(32) + "0b0a000000000000");
    // signature_test.go: both forms are non-empty for the zero hash, block 0, view 0.
    assert.ok(commitPayload(MAINNET, 0n, new Uint8Array(32), 0n, 0n).length > 0);
    rejects(
      () => commitPayload(MAINNET, 0n, new Uint8Array(31), 0n, 0n),
      "fbft/bad-block-hash-length",
    );
  },
);

test(
  "view-change payloads: M1 = hash ‖ certificate, M2 = [0x01], M3 = uint64_LE(viewID)",
  SLOW,
  () => {
    assert.equal(toHex(NIL_PAYLOAD), "01");
    assert.equal(toHex(viewIdPayload(24n)), "1800000000000000");
    const cert = new Uint8Array(97).fill(5);
    assert.equal(toHex(m1Payload(HASH, cert)), toHex(HASH) + toHex(cert));
  },
);

test(
  "SignHash reads 48 bytes: an M1 signature also signs every payload with the same prefix",
  SLOW,
  () => {
    const sk = KEYS[0].secretKey;
    const a = m1Payload(HASH, new Uint8Array(97).fill(5));
    const b = concatBytes(a.slice(0, 48), new Uint8Array(81).fill(9));
    assert.equal(toHex(signedPrefix(a)), toHex(signedPrefix(b)));
    const sig = mclSignHash(sk, a)!;
    assert.ok(mclVerifyHash(KEYS[0].publicKey, b, sig), "the tail after byte 48 is not signed");
    assert.equal(toHex(aggregateSignHash([KEYS[0]], a)), toHex(sig));
  },
);

// ---------------------------------------------------------------- quorum

test("uniform threshold ⌊2n/3⌋ + 1 and Dec two thirds", SLOW, () => {
  assert.deepEqual([4n, 7n, 200n, 250n].map(uniformQuorumThreshold), [3n, 5n, 134n, 167n]);
  assert.equal(decToString(TWO_THIRDS), "0.666666666666666667");
});

test(
  "staked quorum is strictly above 2/3; the header verifier's pre-staking rule ignores the bitmap",
  SLOW,
  () => {
    const committee = blsCommittee(KEYS.slice(0, 3).map((k) => k.publicKey));
    const third = decQuo(DEC_ONE, decFromInt(3n)); // 0.333333333333333333
    const voters = new Map<string, VoteWeight>();
    const powers = [third, third, decSub(DEC_ONE, decMul(third, decFromInt(2n)))];
    KEYS.slice(0, 3).forEach((k, i) =>
      voters.set(toHex(k.publicKey), {
        overallPercent: powers[i],
        earningAccount: new Uint8Array(20),
        isHarmonyNode: false,
      })
    );
    const staked: QuorumPolicy = { kind: "staked", roster: { voters } };
    // Slots 0 and 2: 0.333333333333333333 + 0.333333333333333334 = 0.666666666666666667 = 2/3, not above.
    assert.equal(isQuorumByMask(staked, committee, blsMaskFromIndices(3, [0, 2])), false);
    assert.equal(isQuorumByMask(staked, committee, blsMaskFromIndices(3, [0, 1, 2])), true);
    const uniform: QuorumPolicy = { kind: "uniform" };
    const four = blsCommittee(KEYS.slice(0, 4).map((k) => k.publicKey));
    assert.equal(isQuorumByMask(uniform, four, blsMaskFromIndices(4, [0, 1])), false);
    assert.equal(
      verifierQuorumByMask(uniform, four, blsMaskFromIndices(4, [])),
      true,
      "n ≥ 4: any bitmap",
    );
    assert.equal(
      verifierQuorumByMask(uniform, committee, blsMaskFromIndices(3, [0, 1, 2])),
      false,
      "n = 3: never",
    );
    rejects(() => isQuorumByMask(uniform, four, new Uint8Array(2)), "bls/bitmap-length-mismatch");
  },
);

test(
  "property: a uniform quorum is exactly a bitmap with at least ⌊2n/3⌋ + 1 bits (broken: > 2n/3)",
  SLOW,
  () => {
    const committee = blsCommittee(KEYS.map((k) => k.publicKey));
    const prop = (threshold: (n: number) => number) =>
      fc.property(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), (slots) => {
        const got = isQuorumByMask({ kind: "uniform" }, committee, blsMaskFromIndices(10, slots));
        assert.equal(got, slots.length >= threshold(10));
      });
    holds(prop((n) => Math.floor((2 * n) / 3) + 1));
    catches(prop((n) => Math.floor((2 * n) / 3)));
  },
);

// ---------------------------------------------------------------- ballots (quorom_test.go)

function vote(keys: Signer[], message: Uint8Array, height = 1000n, viewId = 2n): Ballot {
  const point = signHashPoint(keys, message);
  return {
    signerKeys: keys.map((k) => k.publicKey),
    blockHash: HASH,
    signature: aggregateSignHash(keys, message),
    signaturePoint: point,
    height,
    viewId,
  };
}

test(
  "TestSubmitVote / TestSubmitVoteAggregateSig: signers, aggregation, a key votes once",
  SLOW,
  () => {
    const uniform: QuorumPolicy = { kind: "uniform" };
    let box = addNewVote(uniform, EMPTY_BALLOT_BOX, vote([KEYS[0]], HASH));
    box = addNewVote(uniform, box, vote([KEYS[1], KEYS[2]], HASH));
    assert.equal(signersCount(box), 3);
    const expected = mclAggregateSignatures(
      [0, 1, 2].map((i) => mclSignHash(KEYS[i].secretKey, HASH)!),
    )!;
    assert.equal(toHex(aggregateVotes(box)), toHex(expected));
    rejects(() => addNewVote(uniform, box, vote([KEYS[1]], HASH)), "fbft/already-voted");
    rejects(
      () => addNewVote(uniform, box, vote([KEYS[5], KEYS[4], KEYS[5]], HASH)),
      "fbft/duplicate-key-in-vote",
    );
    assert.equal(toHex(aggregateVotes(EMPTY_BALLOT_BOX)), "00".repeat(96));
  },
);

/** Localnet's roster at epoch 3 for `harmony` Harmony slots then externals with given accounts. */
function localnetRoster(harmony: number, externalAccounts: number[]): QuorumPolicy {
  const harmonyPercent = decFromString("0.68");
  const voters = new Map<string, VoteWeight>();
  for (let i = 0; i < harmony; i++) {
    const power = decQuo(harmonyPercent, decFromInt(BigInt(harmony)));
    voters.set(toHex(KEYS[i].publicKey), {
      overallPercent: power,
      earningAccount: bigintToFixedBytes(BigInt(1000 + i), 20),
      isHarmonyNode: true,
    });
  }
  const share = decQuo(
    decSub(DEC_ONE, harmonyPercent),
    decFromInt(BigInt(externalAccounts.length)),
  );
  externalAccounts.forEach((acct, j) =>
    voters.set(toHex(KEYS[harmony + j].publicKey), {
      overallPercent: share,
      earningAccount: bigintToFixedBytes(BigInt(acct), 20),
      isHarmonyNode: false,
    })
  );
  return { kind: "staked", roster: { voters } };
}

test(
  "TestAddNewVote: 3 Harmony keys reach quorum; 3 external accounts in one vote are refused",
  SLOW,
  () => {
    const policy = localnetRoster(3, [1, 2, 3, 4, 5, 6, 7]);
    let box = addNewVote(policy, EMPTY_BALLOT_BOX, vote(KEYS.slice(0, 3), HASH));
    assert.ok(isQuorumAchieved(policy, 10, box));
    assert.equal(signersCount(box), 3);
    rejects(
      () => addNewVote(policy, EMPTY_BALLOT_BOX, vote(KEYS.slice(3, 6), HASH)),
      "votepower/multiple-signer-accounts",
    );
    box = addNewVote(policy, EMPTY_BALLOT_BOX, vote([KEYS[3]], HASH));
    assert.equal(isQuorumAchieved(policy, 10, box), false);
    assert.equal(signersCount(box), 1);
  },
);

test(
  "TestAddNewVoteInvalidAggregateSig: same-account multi-sig, then already-voted and duplicate keys",
  SLOW,
  () => {
    const policy = localnetRoster(3, [7, 7, 7, 7, 7]);
    let box = addNewVote(policy, EMPTY_BALLOT_BOX, vote([KEYS[0], KEYS[1]], HASH));
    assert.equal(isQuorumAchieved(policy, 8, box), false);
    box = addNewVote(policy, box, vote([KEYS[3], KEYS[4]], HASH));
    assert.equal(signersCount(box), 4);
    const keys = [0, 1, 3, 4].map((i) => KEYS[i].publicKey);
    assert.ok(mclVerifyHash(mclAggregatePublicKeys(keys)!, HASH, aggregateVotes(box)));
    rejects(() => addNewVote(policy, box, vote([KEYS[3], KEYS[7]], HASH)), "fbft/already-voted");
    rejects(
      () => addNewVote(policy, box, vote([KEYS[6], KEYS[5], KEYS[6]], HASH)),
      "fbft/duplicate-key-in-vote",
    );
    assert.equal(signersCount(box), 4);
    rejects(
      () => addNewVote(policy, box, vote([simSigner(999n)], HASH)),
      "votepower/signer-not-in-committee",
    );
  },
);

test("TestInvalidAggregateSig: a key counted twice in the aggregate fails to verify", SLOW, () => {
  const three = [KEYS[0], KEYS[1], KEYS[2]];
  const doubled = mclAggregateSignatures(
    [0, 1, 2, 2].map((i) => mclSignHash(KEYS[i].secretKey, HASH)!),
  )!;
  const pk = mclAggregatePublicKeys(three.map((k) => k.publicKey))!;
  assert.equal(mclVerifyHash(pk, HASH, doubled), false);
  assert.ok(mclVerifyHash(pk, HASH, aggregateSignHash(three, HASH)));
});

test(
  "property: aggregateVotes verifies under the voters' keys (broken: a ballot counted twice)",
  SLOW,
  () => {
    const committeeKeys = KEYS.slice(0, 6);
    const prop = (aggregate: (box: BallotBox) => Uint8Array) =>
      fc.property(fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 2 }), (slots) => {
        let box = EMPTY_BALLOT_BOX;
        for (let i = 0; i < slots.length; i += 2) {
          box = addNewVote(
            { kind: "uniform" },
            box,
            vote(slots.slice(i, i + 2).map((s) => committeeKeys[s]), HASH),
          );
        }
        const pk = mclAggregatePublicKeys(slots.map((s) => committeeKeys[s].publicKey))!;
        assert.ok(mclVerifyHash(pk, HASH, aggregate(box)));
      });
    holds(prop(aggregateVotes), 10);
    // Broken: sum every filed ballot (one per key), counting a multi-key ballot once per key.
    catches(
      prop((box) => {
        let sum = blsDecodeSignature(new Uint8Array(96));
        for (const b of box.byKey.values()) sum = sum.add(b.signaturePoint);
        return blsEncodeSignature(sum);
      }),
      10,
    );
  },
);

// ---------------------------------------------------------------- leader selection

function identities(accounts: number[]): { keys: Uint8Array[]; slots: CommitteeSlot[] } {
  const keys = accounts.map((_, i) => KEYS[i].publicKey);
  const slots = accounts.map((a, i) => ({
    publicKey: keys[i],
    ecdsaAddress: bigintToFixedBytes(BigInt(a), 20),
  }));
  return { keys, slots };
}

test("NthNextValidator / V2 (quorom_test.go): skip the current validator's keys", SLOW, () => {
  const three = identities([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  assert.deepEqual(nthNextValidator(three.keys, three.slots, three.keys[0], 1), {
    found: true,
    key: three.keys[3],
  });
  assert.deepEqual(nthNextValidatorV2(three.keys, three.slots, three.keys[0], 1), {
    found: true,
    key: three.keys[3],
  });
  // EdgeCase3: 4 keys of one account, then one each of two others: V1 skips a validator (5), V2 does not (4).
  const uneven = identities([0, 0, 0, 0, 1, 2]);
  assert.equal(
    toHex(nthNextValidator(uneven.keys, uneven.slots, uneven.keys[0], 1).key),
    toHex(uneven.keys[5]),
  );
  assert.equal(
    toHex(nthNextValidatorV2(uneven.keys, uneven.slots, uneven.keys[0], 1).key),
    toHex(uneven.keys[4]),
  );
  // EdgeCase1: an unknown key with next = 0: V1 panics in Go (index −1), V2 returns index 0.
  const stranger = simSigner(12345n).publicKey;
  rejects(
    () => nthNextValidator(three.keys, three.slots, stranger, 0),
    "viewchange/leader-index-out-of-range",
  );
  assert.deepEqual(nthNextValidatorV2(three.keys, three.slots, stranger, 0), {
    found: true,
    key: three.keys[0],
  });
  // EdgeCase2: a single account: V1 never returns in Go, V2 gives up.
  const one = identities([0, 0, 0]);
  rejects(
    () => nthNextValidator(one.keys, one.slots, one.keys[1], 1),
    "viewchange/leader-search-loops",
  );
  assert.equal(nthNextValidatorV2(one.keys, one.slots, one.keys[1], 1).found, false);
});

test(
  "NthNextHmy (view_change_test.go): the next Harmony key; an empty list panics in Go",
  SLOW,
  () => {
    const five = KEYS.slice(0, 5).map((k) => k.publicKey);
    assert.equal(toHex(nthNextHmy(five, 5n, five[0], 1).key), toHex(five[1]));
    assert.equal(
      toHex(nthNextHmy(five, 2n, five[1], 1).key),
      toHex(five[0]),
      "only the first 2 keys rotate",
    );
    assert.equal(
      toHex(nthNextHmy(five, 0n, five[4], 1).key),
      toHex(five[0]),
      "m ≤ 0 means all keys",
    );
    rejects(() => nthNextHmy([], 0n, five[0], 1), "viewchange/leader-index-out-of-range");
  },
);

test(
  "next view ID: by 45-second slots after the head's time; a clock behind it falls back",
  SLOW,
  () => {
    const base = nodeAt(committeeSpec(4), 1);
    const at = (headTime: bigint, nowS: bigint, vcId = 11n, viewId = 11n) => {
      const s: FbftState = {
        ...base,
        blockViewId: viewId,
        viewChangingId: vcId,
        chain: { ...base.chain, head: { ...base.chain.head, viewId: 10n, time: headTime } },
      };
      return nextViewId(s, nowS * 1000n);
    };
    assert.deepEqual(at(1000n, 1044n), { viewId: 12n, durationMs: 27_000n });
    assert.deepEqual(at(1000n, 1045n), { viewId: 13n, durationMs: 27_000n });
    assert.deepEqual(at(1000n, 1000n, 13n, 11n), { viewId: 14n, durationMs: 9n * 27_000n });
  },
);

test("rotation meta: consecutive blocks of one key in one epoch are counted", SLOW, () => {
  let meta: RotationMeta = { pub: new Uint8Array(0), epoch: 0n, count: 0n };
  meta = processRotationMeta(meta, 5n, KEYS[0].publicKey);
  meta = processRotationMeta(meta, 5n, KEYS[0].publicKey);
  assert.equal(meta.count, 2n);
  meta = processRotationMeta(meta, 6n, KEYS[0].publicKey);
  assert.equal(meta.count, 1n);
  meta = processRotationMeta(meta, 6n, KEYS[1].publicKey);
  assert.equal(meta.count, 1n);
});

const EPOS_KEYS = KEYS.slice(0, 6);
const EPOS_COMMITTEE = blsCommittee(EPOS_KEYS.map((k) => k.publicKey));

/** Our policy against the staking rules' own quorum, for committees of Harmony and staked slots. */
const sameQuorumAsStaking = (policyOf: typeof epochQuorumPolicy) =>
  fc.property(
    fc.array(fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }), {
      minLength: 6,
      maxLength: 6,
    }),
    fc.subarray([0, 1, 2, 3, 4, 5]),
    fc.constantFrom(185n, 186n, 500n),
    (stakes, signers, epoch) => {
      const shardCommittee = {
        shardId: 0n,
        slots: EPOS_KEYS.map((k, i) => ({
          ecdsaAddress: bigintToFixedBytes(BigInt(i + 1), 20),
          blsPublicKey: k.publicKey,
          effectiveStake: stakes[i] === null ? null : decFromInt(BigInt(stakes[i]!)),
        })),
      };
      const bitmap = blsMaskFromIndices(6, signers);
      const policy = policyOf(MAINNET, shardCommittee, epoch);
      const theirs = stakingQuorumByMask(MAINNET, shardCommittee, epoch, bitmap);
      assert.equal(isQuorumByMask(policy, EPOS_COMMITTEE, bitmap), theirs);
    },
  );

test("the staked policy from the EPoS roster decides as the staking rules' quorum", SLOW, () => {
  holds(sameQuorumAsStaking(epochQuorumPolicy), 50);
  // Broken: one key one vote also after Staking.
  catches(sameQuorumAsStaking(() => ({ kind: "uniform" })), 100);
});
