/**
 * The invariant predicates (`spec/invariants.ts`), each on an input that satisfies it and on
 * inputs that violate it, with the expected figures worked out here by hand. The property tests
 * of the areas and the simulator use the same predicates on the values the rules produce.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChainState, SupplyAccounting } from "../spec/chain/state.ts";
import { setValidatorFlag, writeValidatorWrapper } from "../spec/chain/state.ts";
import { type CommitVote } from "../spec/consensus/double-sign.ts";
import { aggregateSignHash, type Signer } from "../spec/consensus/messages.ts";
import { commitPayload } from "../spec/consensus/payloads.ts";
import { bigintToFixedBytes } from "../spec/encoding/bytes.ts";
import { childState } from "../spec/execution/state.ts";
import {
  commitCertified,
  commitsAgree,
  committeeSizesMatch,
  crossShardValueConserved,
  doubleSignYieldsEvidence,
  honestNeverDoubleSign,
  receiptsCreditedOnce,
  stakeIsSumOfDelegations,
  stakesWithinBand,
  supplyConserved,
  supplyMatches,
  type Verdict,
  votingPowerSumsToOne,
  winnersPlacedOnce,
} from "../spec/invariants.ts";
import { decFromInt, decFromMantissa, decFromString } from "../spec/numeric/decimal.ts";
import { LOCALNET, MAINNET } from "../spec/params/mod.ts";
import { instanceForEpoch } from "../spec/sharding/schedule.ts";
import type { ShardState } from "../spec/sharding/shard-state.ts";
import { ONE } from "../spec/staking/validator.ts";
import { computeRosterWithShare } from "../spec/staking/voting-power.ts";
import { decodeSimBlock, simSigner } from "../src/sim/chain.ts";
import { block1, commitCert, committeeSpec, keyOf, nodeAt } from "./consensus/fixtures.ts";
import { genesisOf } from "./chain/world.ts";
import { account, committee, key, slot } from "./staking/epos-fixtures.ts";
import { makeTestAddr, prototypeWrapper } from "./staking/fixtures.ts";

/** BLS is slow in JavaScript: the consensus cases get minutes, not the default seconds. */
const SLOW = { timeout: 600_000 };

/** Asserts a violation whose description opens with `prefix`. */
function violates(verdict: Verdict, prefix: string): void {
  assert.notEqual(verdict, true, `expected a ${prefix} violation`);
  assert.ok(String(verdict).startsWith(prefix), String(verdict));
}

const closed = (genesis: bigint, more: Partial<SupplyAccounting> = {}): SupplyAccounting => ({
  genesis,
  issued: 0n,
  burnt: 0n,
  sent: 0n,
  received: 0n,
  ...more,
});

// ------------------------------------------------------------------------------------ supply

test("supplyMatches: 100 + 10 issued − 7 burnt − 20 sent + 5 received = 88", () => {
  const supply = closed(100n, { issued: 10n, burnt: 7n, sent: 20n, received: 5n });
  assert.equal(supplyMatches(88n, supply), true);
  violates(supplyMatches(89n, supply), "supply:");
  violates(supplyMatches(95n, supply), "supply:"); // the burnt 7 forgotten
});

test("supplyConserved: a genesis state; delegations, undelegations and rewards are held", () => {
  const genesis = genesisOf(0n).state;
  // The chain tests' allocations of shard 0: 1,000,000 + 3 × 100,000 ONE.
  assert.equal(genesis.supply.genesis, 1_300_000n * ONE);
  assert.equal(supplyConserved(genesis), true);
  violates(supplyConserved({ ...genesis, supply: { ...genesis.supply, issued: 1n } }), "supply:");
  // A validator record holding 10 staked, 2 uncollected and 3 undelegated atto: 15 held.
  const v = makeTestAddr("invariants-validator");
  const wrapper = prototypeWrapper(v, [key(1, 0)]);
  wrapper.delegations = [
    { delegatorAddress: v, amount: 10n, reward: 2n, undelegations: [{ amount: 3n, epoch: 1n }] },
  ];
  const world = childState(genesis.world);
  writeValidatorWrapper(world, wrapper);
  setValidatorFlag(world, v);
  const listed: ChainState = {
    ...genesis,
    world,
    offChain: { ...genesis.offChain, validators: [v] },
  };
  violates(supplyConserved(listed), "supply:");
  const supply = { ...genesis.supply, genesis: genesis.supply.genesis + 15n };
  assert.equal(supplyConserved({ ...listed, supply }), true);
  // A listed validator without a record is reported, not thrown.
  const missing = { ...genesis, offChain: { ...genesis.offChain, validators: [account(9)] } };
  violates(supplyConserved(missing), "supply: shard 0 at block 0: chain/validator-record-missing");
});

test("crossShardValueConserved: what was sent and not received is in flight", () => {
  const s0 = genesisOf(0n).state;
  const s1 = genesisOf(1n).state;
  const a = { ...s0, supply: { ...s0.supply, sent: 5n, received: 7n } };
  const b = { ...s1, supply: { ...s1.supply, sent: 9n, received: 4n } };
  assert.equal(crossShardValueConserved([a, b], 3n), true); // 14 sent, 11 received
  assert.equal(crossShardValueConserved([s0, s1], 0n), true);
  violates(crossShardValueConserved([a, b], 0n), "supply:");
});

// ------------------------------------------------------------------------------------- stake

test("stakeIsSumOfDelegations: amounts count; undelegations and rewards do not", () => {
  const v = makeTestAddr("staker");
  const w = prototypeWrapper(v, [key(2, 0)]);
  w.delegations = [
    { delegatorAddress: v, amount: 100n, reward: 5n, undelegations: [] },
    {
      delegatorAddress: account(3),
      amount: 40n,
      reward: 0n,
      undelegations: [{ amount: 7n, epoch: 2n }],
    },
  ];
  assert.equal(stakeIsSumOfDelegations(w, 140n), true);
  violates(stakeIsSumOfDelegations(w, 147n), "stake:"); // undelegations counted
  violates(stakeIsSumOfDelegations(w, 145n), "stake:"); // rewards counted
});

// ------------------------------------------------------------------------------ voting power

test("votingPowerSumsToOne: a staked committee sums to 1; a changed share is reported", () => {
  const c = committee([
    slot(account(1), key(1, 0), null),
    slot(account(2), key(2, 0), decFromInt(1n)),
    slot(account(3), key(3, 0), decFromInt(2n)),
  ]);
  const roster = computeRosterWithShare(c, decFromString("0.68"));
  assert.equal(votingPowerSumsToOne(roster), true);
  const voters = new Map(roster.voters);
  const v = voters.get([...voters.keys()][2])!;
  voters.set([...voters.keys()][2], {
    ...v,
    overallPercent: decFromMantissa(v.overallPercent.mantissa + 1n),
  });
  violates(votingPowerSumsToOne({ ...roster, voters }), "voting power:");
  // Harmony slots only: nothing is fixed up, nothing judged (0.68 in all).
  const hmy = computeRosterWithShare(
    committee([slot(account(1), key(1, 0), null)]),
    decFromString("0.68"),
  );
  assert.equal(votingPowerSumsToOne(hmy), true);
});

// -------------------------------------------------------------------------------- election

test("stakesWithinBand: median 100 and c = 0.35 allow exactly [65, 135]", () => {
  const median = decFromInt(100n);
  const c = decFromString("0.35");
  assert.equal(stakesWithinBand([65n, 100n, 135n].map(decFromInt), median, c), true);
  violates(stakesWithinBand([decFromInt(136n)], median, c), "band:");
  violates(stakesWithinBand([decFromMantissa(65n * 10n ** 18n - 1n)], median, c), "band:");
  assert.equal(stakesWithinBand([], median, c), true);
});

/** An instance of two shards of three slots, one of them Harmony's: four open slots. */
const SMALL = {
  ...instanceForEpoch(LOCALNET, 2n),
  numShards: 2n,
  numNodesPerShard: 3n,
  numHarmonyOperatedNodesPerShard: 1n,
};
const W = [key(7, 1), key(7, 2), key(7, 3)];
const stake = decFromInt(10n);
const ELECTED: ShardState = {
  epoch: 5n,
  shards: [
    { shardId: 0n, slots: [slot(account(1), key(1, 0), null), slot(account(7), W[0], stake)] },
    {
      shardId: 1n,
      slots: [
        slot(account(2), key(1, 1), null),
        slot(account(7), W[1], stake),
        slot(account(7), W[2], stake),
      ],
    },
  ],
};

test("winnersPlacedOnce: each winner in one staked slot, nothing else staked", () => {
  assert.equal(winnersPlacedOnce(ELECTED, W), true);
  const twice = structuredClone(ELECTED);
  twice.shards[0].slots.push(slot(account(7), W[1], stake));
  violates(winnersPlacedOnce(twice, W), "placement:");
  violates(winnersPlacedOnce(ELECTED, [...W, key(7, 4)]), "placement:"); // a winner left out
  violates(winnersPlacedOnce(ELECTED, W.slice(1)), "placement:"); // a slot nobody won
});

test("committeeSizesMatch: shard count, Harmony slots first, winners within the open slots", () => {
  assert.equal(committeeSizesMatch(ELECTED, SMALL, W), true);
  violates(
    committeeSizesMatch({ ...ELECTED, shards: ELECTED.shards.slice(0, 1) }, SMALL, W),
    "committees:",
  );
  const swapped = structuredClone(ELECTED);
  swapped.shards[1].slots.reverse(); // a winner before the Harmony slot
  violates(committeeSizesMatch(swapped, SMALL, W), "committees:");
  violates(committeeSizesMatch(ELECTED, SMALL, W.slice(0, 2)), "committees:");
  const crowded = structuredClone(ELECTED);
  const more = [...W, key(7, 4), key(7, 5)];
  crowded.shards[0].slots.push(slot(account(7), more[3], stake), slot(account(7), more[4], stake));
  violates(committeeSizesMatch(crowded, SMALL, more), "committees: 5 winners for 4 open slots");
});

// ------------------------------------------------------------------------------- consensus

test("commitsAgree: one block per height, whoever commits it", () => {
  const h = (b: number) => new Uint8Array(32).fill(b);
  const ok = [
    { validator: "a", height: 1n, blockHash: h(1) },
    { validator: "b", height: 1n, blockHash: h(1) },
    { validator: "a", height: 2n, blockHash: h(2) },
  ];
  assert.equal(commitsAgree(ok), true);
  assert.equal(commitsAgree([]), true);
  violates(
    commitsAgree([...ok, { validator: "c", height: 1n, blockHash: h(3) }]),
    "safety: height 1",
  );
});

test(
  "commitCertified: 3 of 4 signatures is a quorum that verifies; 2, or another block, not",
  SLOW,
  () => {
    const spec = committeeSpec(4, 0n); // staked from epoch 0, equal stakes
    const ctx = nodeAt(spec, 0).ctx;
    const block = block1(spec, keyOf(spec, 0));
    const header = decodeSimBlock(block).header;
    assert.equal(
      commitCertified(spec.network, ctx, header, commitCert(spec, [0, 1, 2], block)),
      true,
    );
    violates(
      commitCertified(spec.network, ctx, header, commitCert(spec, [0, 1], block)),
      "validity: block 1 committed without a quorum certificate",
    );
    const other = block1(spec, keyOf(spec, 0), "another body");
    violates(
      commitCertified(spec.network, ctx, header, commitCert(spec, [0, 1, 2], other)),
      "validity: block 1 committed with a certificate that does not verify",
    );
    violates(
      commitCertified(spec.network, ctx, header, new Uint8Array(10)),
      "validity: block 1 has a malformed certificate: bls/commit-sig-too-short",
    );
  },
);

const EPOCH = 200n; // a staking epoch on mainnet
const K: Signer[] = [simSigner(1n), simSigner(2n)];
const OFFENDER = bigintToFixedBytes(0xaan, 20);

function vote(signer: Signer, hashByte: number, height = 37n, viewId = 38n): CommitVote {
  const blockHash = new Uint8Array(32).fill(hashByte);
  const payload = commitPayload(MAINNET, EPOCH, blockHash, height, viewId);
  return {
    signerKeys: [signer.publicKey],
    blockHash,
    signature: aggregateSignHash([signer], payload),
    height,
    viewId,
  };
}

function shardStateOf(keys: Uint8Array[]): ShardState {
  return {
    epoch: EPOCH,
    shards: [{ shardId: 0n, slots: keys.map((k) => slot(OFFENDER, k, null)) }],
  };
}

test(
  "doubleSignYieldsEvidence: two signed conflicting votes convict; bad ones do not",
  SLOW,
  () => {
    const first = vote(K[0], 1);
    const second = vote(K[0], 2);
    const observation = {
      config: MAINNET,
      first,
      second,
      epoch: EPOCH,
      shardId: 0n,
      shardState: shardStateOf([K[0].publicKey, K[1].publicKey]),
      reporter: bigintToFixedBytes(0xbbn, 20),
    };
    assert.equal(doubleSignYieldsEvidence(observation), true);
    // No conflict (same block, or another view): nothing to account for.
    assert.equal(doubleSignYieldsEvidence({ ...observation, second: first }), true);
    assert.equal(
      doubleSignYieldsEvidence({ ...observation, second: vote(K[0], 2, 37n, 39n) }),
      true,
    );
    // A second "vote" whose signature is the first's: the evidence fails the signature check.
    violates(
      doubleSignYieldsEvidence({
        ...observation,
        second: { ...second, signature: first.signature },
      }),
      "accountability:",
    );
    // Judged against a committee without the key: no evidence can convict.
    const elsewhere = { ...observation, shardState: shardStateOf([K[1].publicKey]) };
    const verdict = doubleSignYieldsEvidence(elsewhere);
    violates(verdict, "accountability:");
    assert.ok(String(verdict).includes("slash/key-not-in-committee"), String(verdict));
  },
);

test("honestNeverDoubleSign: only a dishonest key's votes conflict", SLOW, () => {
  const first = vote(K[0], 1);
  const second = vote(K[0], 2);
  assert.equal(honestNeverDoubleSign(first, second, [K[1].publicKey]), true);
  assert.equal(honestNeverDoubleSign(first, first, [K[0].publicKey]), true);
  violates(honestNeverDoubleSign(first, second, [K[0].publicKey]), "accountability: honest key");
});

// ---------------------------------------------------------------------------- cross-shard

test("receiptsCreditedOnce: neither spent before nor twice in the block", () => {
  const src = (s: bigint, n: bigint) => ({ sourceShardId: s, sourceBlockNumber: n });
  // The spent set's keys are "<shard>:<number>" (chain/state.ts).
  const spent = new Set(["1:6", "2:77"]);
  assert.equal(receiptsCreditedOnce(spent, [src(1n, 7n), src(2n, 76n), src(3n, 6n)]), true);
  assert.equal(receiptsCreditedOnce(new Set(), []), true);
  violates(
    receiptsCreditedOnce(spent, [src(1n, 7n), src(1n, 6n)]),
    "receipts: shard 1 block 6 credited again",
  );
  violates(
    receiptsCreditedOnce(spent, [src(3n, 1n), src(3n, 1n)]),
    "receipts: shard 3 block 1 credited twice in one block",
  );
});
