import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decAdd,
  decFromInt,
  decFromMantissa,
  decGT,
  decMul,
  decQuo,
  decSub,
} from "../../spec/numeric/decimal.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { blsMaskFromIndices } from "../../spec/crypto/bls-mask.ts";
import { LOCALNET, MAINNET } from "../../spec/params/mod.ts";
import type { Committee, Slot } from "../../spec/sharding/shard-state.ts";
import {
  ballotVotingPower,
  computeRoster,
  computeRosterWithShare,
  isAllStakedSigsCollected,
  isQuorumAchievedByMask,
  isStakedQuorum,
  isUniformQuorum,
  type Roster,
  TWO_THIRDS,
  uniformQuorumThreshold,
  verifierQuorumByMask,
  votePowerByMask,
} from "../../spec/staking/voting-power.ts";
import {
  GO_QUORUM_BASE,
  GO_QUORUM_STAKES,
  GO_ROSTER_ADDRESSES,
  GO_ROSTER_D1,
  GO_ROSTER_D2,
  GO_ROSTER_D3,
  GO_ROSTER_D4,
  GO_ROSTER_D5,
  GO_ROSTER_D6,
  GO_ROSTER_STAKES,
  GO_ROSTER_TEST,
  type GoRoster,
} from "./go-values.ts";
import { account, committee, dec, key, keyTag, slot } from "./epos-fixtures.ts";
import { votingPowerSumsToOne } from "../../spec/invariants.ts";

function sameRoster(r: Roster, want: GoRoster): void {
  assert.equal(r.ourVotingPowerTotalPercentage.mantissa, want.ours);
  assert.equal(r.theirVotingPowerTotalPercentage.mantissa, want.theirs);
  const kept = [...r.voters.values()].map((v) => ({
    key: keyTag(v.identity),
    group: v.groupPercent.mantissa,
    overall: v.overallPercent.mantissa,
    harmony: v.isHarmonyNode,
  }));
  assert.deepEqual(kept, want.voters);
}

const h = (b: number) => slot(account(0xa0 + b), key(0xa + b, 0), null);
const s = (b: number, stake: string, k = key(b, 0)) => slot(account(b), k, dec(stake));

test("roster_test.go TestCompute: 10 Harmony + 10 staked slots at localnet epoch 3", () => {
  const slots = GO_ROSTER_STAKES.map((stake, i) =>
    slot(fromHex(GO_ROSTER_ADDRESSES[i]), key(i, 0xff), i < 10 ? null : decFromMantissa(stake))
  );
  const r = computeRoster(LOCALNET, committee(slots), 3n);
  sameRoster(r, GO_ROSTER_TEST);
  assert.equal(r.hmySlotCount, 10n);
  let total = 0n;
  for (const st of GO_ROSTER_STAKES.slice(10)) total += st;
  assert.equal(r.totalEffectiveStake.mantissa, total);
});

test("rounding fix-up goes to the last staked slot (three equal stakes at 0.68)", () => {
  const r = computeRosterWithShare(
    committee([h(0), h(1), s(1, "1"), s(2, "1"), s(3, "1")]),
    dec("0.68"),
  );
  sameRoster(r, GO_ROSTER_D1);
});

test("a repeated key keeps its first entry, and the fix-up on the repeat is lost", () => {
  const r = computeRosterWithShare(
    committee([h(0), s(1, "1"), s(2, "1"), s(3, "1", key(1, 0))]),
    dec("0.68"),
  );
  sameRoster(r, GO_ROSTER_D2);
});

test("Harmony slots only: no fix-up, the sum stays near the Harmony share", () => {
  sameRoster(computeRosterWithShare(committee([h(0), h(1), h(2)]), dec("0.68")), GO_ROSTER_D3);
});

test("mixed orders and shares: HIP-32's 0.01, testnet's 0.9 without Harmony slots, 0.49", () => {
  const big = "1000000.000000000000000001";
  sameRoster(
    computeRosterWithShare(
      committee([h(0), s(1, "123.456"), h(1), s(2, "7"), s(3, big)]),
      dec("0.01"),
    ),
    GO_ROSTER_D4,
  );
  sameRoster(
    computeRosterWithShare(committee([s(1, "123.456"), s(2, "7"), s(3, big)]), dec("0.9")),
    GO_ROSTER_D5,
  );
  sameRoster(
    computeRosterWithShare(committee([h(0), h(1), h(2), s(1, "7"), s(2, "123.456")]), dec("0.49")),
    GO_ROSTER_D6,
  );
});

test("the roster reads the Harmony share of the committee's epoch (mainnet 0.68, 0.60, 0.49, 0.01)", () => {
  const c = committee([h(0), s(1, "1")]);
  const harmonyShare = (epoch: bigint) =>
    computeRoster(MAINNET, c, epoch).ourVotingPowerTotalPercentage.mantissa;
  assert.equal(harmonyShare(186n), 680000000000000000n);
  assert.equal(harmonyShare(530n), 600000000000000000n);
  assert.equal(harmonyShare(725n), 490000000000000000n);
  assert.equal(harmonyShare(2152n), 10000000000000000n);
});

test("two thirds is the Dec 0.666666666666666667; quorum needs strictly more", () => {
  assert.equal(TWO_THIRDS.mantissa, 666666666666666667n);
  assert.equal(isStakedQuorum(TWO_THIRDS), false);
  assert.equal(isStakedQuorum(decFromMantissa(666666666666666668n)), true);
  assert.equal(isAllStakedSigsCollected(dec("1")), true);
  assert.equal(isAllStakedSigsCollected(dec("0.999999999999999999")), false);
});

test("one key one vote: floor(2n/3) + 1 (n = 4, 7, 200, 250 → 3, 5, 134, 167)", () => {
  assert.deepEqual([4n, 7n, 200n, 250n].map(uniformQuorumThreshold), [3n, 5n, 134n, 167n]);
  assert.equal(isUniformQuorum(2n, 4n), false);
  assert.equal(isUniformQuorum(3n, 4n), true);
});

/** setupBaseCase of one-node-staked-vote_test.go: 50 Harmony, then 50 staked slots. */
function baseCase(harmony: number): Committee {
  const slots: Slot[] = GO_QUORUM_STAKES.map((st, i) =>
    slot(account(i), key(i, 0xee), i < harmony ? null : decFromMantissa(st))
  );
  return committee(slots);
}

test("TestEvenNodes: stakers alone (32%) miss quorum; everybody reaches it and collects all", () => {
  const c = baseCase(50);
  const r = computeRoster(LOCALNET, c, 3n);
  assert.equal(r.ourVotingPowerTotalPercentage.mantissa, GO_QUORUM_BASE.ours);
  assert.equal(r.theirVotingPowerTotalPercentage.mantissa, GO_QUORUM_BASE.theirs);
  const stakers = Array.from({ length: 50 }, (_, i) => 50 + i);
  const stakerPower = votePowerByMask(r, blsMaskFromIndices(100, stakers));
  assert.equal(stakerPower.mantissa, GO_QUORUM_BASE.staked);
  assert.equal(isStakedQuorum(stakerPower), false);
  const all = votePowerByMask(r, blsMaskFromIndices(100, [...Array(100).keys()]));
  assert.equal(all.mantissa, GO_QUORUM_BASE.all);
  assert.equal(isStakedQuorum(all), true);
  assert.equal(isAllStakedSigsCollected(all), true);
});

test("Test33HarmonyNodes: 33 Harmony keys alone carry 68% > 2/3 but not all signatures", () => {
  const c = baseCase(33);
  const bitmap = blsMaskFromIndices(100, [...Array(33).keys()]);
  assert.equal(isQuorumAchievedByMask(LOCALNET, c, 3n, bitmap), true);
  const power = votePowerByMask(computeRoster(LOCALNET, c, 3n), bitmap);
  assert.equal(isAllStakedSigsCollected(power), false);
});

test("TestAddNewVote: 3 of 10 Harmony keys in one vote reach quorum; mixed accounts are refused", () => {
  const slots = GO_QUORUM_STAKES.slice(0, 10).map((st, i) =>
    slot(account(i), key(i, 0xee), i < 3 ? null : decFromMantissa(st))
  );
  const r = computeRoster(LOCALNET, committee(slots), 3n);
  const harmonyVote = ballotVotingPower(r, [key(0, 0xee), key(1, 0xee), key(2, 0xee)]);
  // 3 × 0.68/3 rounded: 3 × 0.226666666666666667.
  assert.equal(harmonyVote.mantissa, 680000000000000001n);
  assert.equal(isStakedQuorum(harmonyVote), true);
  assert.throws(
    () => ballotVotingPower(r, [key(3, 0xee), key(4, 0xee), key(5, 0xee)]),
    { code: "votepower/multiple-signer-accounts" },
  );
  assert.equal(isStakedQuorum(ballotVotingPower(r, [key(3, 0xee)])), false);
  // A Harmony key may join an external validator's vote.
  ballotVotingPower(r, [key(3, 0xee), key(0, 0xee)]);
  // A repeated key is the ballot box's refusal (consensus), not the roster's.
  assert.throws(() => ballotVotingPower(r, [key(3, 0xee), key(3, 0xee), key(99, 0)]), {
    code: "votepower/signer-not-in-committee",
  });
});

test("pre-staking: the consensus decider counts bits, the header verifier only the committee size", () => {
  const c = (n: number) => committee(Array.from({ length: n }, (_, i) => h(i)));
  // Mainnet epoch 100 is before staking: one key, one vote.
  assert.equal(isQuorumAchievedByMask(MAINNET, c(4), 100n, blsMaskFromIndices(4, [0, 1])), false);
  assert.equal(isQuorumAchievedByMask(MAINNET, c(4), 100n, blsMaskFromIndices(4, [0, 1, 2])), true);
  // OBSERVATION: n = 4 > ⌊8/3⌋ + 1 = 3, so an empty bitmap passes; n = 3 never passes.
  assert.equal(verifierQuorumByMask(MAINNET, c(4), 100n, false, new Uint8Array(1)), true);
  assert.equal(verifierQuorumByMask(MAINNET, c(3), 100n, false, Uint8Array.of(7)), false);
  assert.throws(() => verifierQuorumByMask(MAINNET, c(4), 100n, false, new Uint8Array(2)), {
    code: "bls/bitmap-length-mismatch",
  });
});

test("a repeated key counts once, by the bit of its last slot", () => {
  const r = computeRosterWithShare(
    committee([h(0), s(1, "1"), s(2, "1", key(0xa, 0))]),
    dec("0.5"),
  );
  const first = r.voters.get(toHex(key(0xa, 0)))!.overallPercent;
  assert.equal(votePowerByMask(r, blsMaskFromIndices(3, [0])).mantissa, 0n);
  assert.equal(votePowerByMask(r, blsMaskFromIndices(3, [2])).mantissa, first.mantissa);
});

// --- properties -----------------------------------------------------------------------------------

const slotArb = fc.record({
  k: fc.integer({ min: 0, max: 30 }),
  a: fc.integer({ min: 0, max: 10 }),
  stake: fc.option(fc.bigInt({ min: 1n, max: 10n ** 27n }), { freq: 3 }),
});
const committeeArb = (minStaked: number) =>
  fc.array(slotArb, { minLength: 1, maxLength: 40 }).filter((ss) =>
    ss.filter((x) => x.stake !== null).length >= minStaked
  ).map((ss) =>
    committee(
      ss.map((x) =>
        slot(account(x.a), key(x.k, 0), x.stake === null ? null : decFromMantissa(x.stake))
      ),
    )
  );
const shareArb = fc.bigInt({ min: 1n, max: 10n ** 18n }).map(decFromMantissa);

function distinctKeys(c: Committee): Committee {
  const seen = new Set<string>();
  return committee(c.slots.filter((x) => {
    const hex = toHex(x.blsPublicKey);
    if (seen.has(hex)) return false;
    seen.add(hex);
    return true;
  }));
}

/** With distinct keys and at least one staked slot, the voters' shares add up to exactly 1. */
function sumsToOne(roster: (c: Committee, share: Dec) => Roster) {
  return fc.property(committeeArb(1).map(distinctKeys), shareArb, (c, share) => {
    assert.equal(votingPowerSumsToOne(roster(c, share)), true);
  });
}

/** Voting power by bitmap equals a brute-force sum, and quorum is that sum > 2/3. */
function maskAgreesWithBruteForce(power: (r: Roster, bitmap: Uint8Array) => Dec) {
  return fc.property(
    committeeArb(0),
    shareArb,
    fc.array(fc.boolean(), { maxLength: 40 }),
    (c, share, bits) => {
      const r = computeRosterWithShare(c, share);
      const n = c.slots.length;
      const enabled = bits.slice(0, n).flatMap((b, i) => (b ? [i] : []));
      const bitmap = blsMaskFromIndices(n, enabled);
      // Brute force: each distinct key counts once if its last slot's bit is set, with the share of
      // its first slot.
      let want = DEC_ZERO;
      const keys = c.slots.map((x) => toHex(x.blsPublicKey));
      keys.forEach((hex, i) => {
        if (keys.lastIndexOf(hex) !== i || !enabled.includes(i)) return;
        want = decAdd(want, r.voters.get(hex)!.overallPercent);
      });
      const got = power(r, bitmap);
      return got.mantissa === want.mantissa && isStakedQuorum(got) === decGT(want, TWO_THIRDS);
    },
  );
}

test("property: a committee with staked slots has voting power exactly 1", () => {
  holds(sumsToOne(computeRosterWithShare));
  // Broken rule: every share as computed, with no rounding fix-up.
  catches(
    sumsToOne((c, share) => {
      const r = computeRosterWithShare(c, share);
      for (const v of r.voters.values()) {
        v.overallPercent = v.isHarmonyNode
          ? decQuo(share, decFromInt(r.hmySlotCount))
          : decMul(decQuo(v.effectiveStake, r.totalEffectiveStake), decSub(DEC_ONE, share));
      }
      return r;
    }),
    300,
  );
});

test("property: quorum by bitmap agrees with a brute-force sum", () => {
  holds(maskAgreesWithBruteForce(votePowerByMask));
  // Broken rule: every enabled slot counts, repeated keys included.
  catches(
    maskAgreesWithBruteForce((r, bitmap) => {
      let sum = DEC_ZERO;
      r.orderedSlots.forEach((k, i) => {
        if ((bitmap[i >> 3] >> (i & 7)) & 1) {
          sum = decAdd(sum, r.voters.get(toHex(k))!.overallPercent);
        }
      });
      return sum;
    }),
    300,
  );
});
