/**
 * Double-sign slashing against Harmony's `staking/slash/double-sign_test.go` (`TestVerify`,
 * `TestPayDown`, `TestApplySlashingToDelegator`, `TestDelegatorSlashApply`, `TestApply`) and
 * `internal/chain/engine_test.go` (`TestApplySlashing`), with the votes signed by herumi's mcl
 * (the oracle), plus the record encoding, the application order, Go's Euclidean-division quirk,
 * and a property on the accounting of a slash, shown to catch broken rules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import {
  bigintToFixedBytesLE,
  bytesEqual,
  concatBytes,
  fromHex,
  uint64LE,
  utf8ToBytes,
} from "../../spec/encoding/bytes.ts";
import { LOCALNET } from "../../spec/params/mod.ts";
import { supplyMatches } from "../../spec/invariants.ts";
import type { ShardState } from "../../spec/sharding/shard-state.ts";
import {
  applySlashes,
  decodeSlashRecords,
  encodeSlashRecord,
  encodeSlashRecords,
  payDown,
  slashApplicationOrder,
  slashDelegation,
  type SlashRecord,
  slashValidator,
  slashValidatorWithDebt,
  type SlashVote,
  verifySlashRecord,
} from "../../spec/staking/slashing.ts";
import type { Delegation } from "../../spec/staking/delegation.ts";
import type { ValidatorWrapper } from "../../spec/staking/validator.ts";
import { Eligibility } from "../../spec/staking/validator.ts";
import { mclPublicKey, mclSignHash, mclVerifyHash } from "../support/mcl-oracle.ts";
import { catches, holds } from "../support/property.ts";
import { bytesToAddress, expectCode, prototypeWrapper } from "./fixtures.ts";
import { holdingsOf, ONE } from "./reward-fixtures.ts";

const K = 1_000n * ONE;
const DOUBLE_SIGN_EPOCH = 4n;
const HEIGHT = 37n;
const VIEW = 38n;
const CURRENT_EPOCH = 5n;

/** Go's `makeTestAddress`: `BytesToAddress("harmony.one." + item)`. */
function testAddress(item: string | number): Uint8Array {
  return bytesToAddress(utf8ToBytes(`harmony.one.${item}`));
}

/** 25 deterministic key pairs (secret key `7000 + i`), public keys from mcl. */
const SECRETS = Array.from({ length: 25 }, (_, i) => bigintToFixedBytesLE(BigInt(7000 + i), 32));
const PUBS = SECRETS.map((sk) => mclPublicKey(sk)!);

const OFFENDER = testAddress(0);
const LEADER = testAddress("leader");
const REPORTER = testAddress("reporter");
const BLOCK1 = fromHex("11".repeat(32));
const BLOCK2 = fromHex("22".repeat(32));

/** A vote by key `i` on a block, signed by mcl over the staking commit payload. */
function vote(i: number, block: Uint8Array): SlashVote {
  const payload = concatBytes(uint64LE(HEIGHT), block, uint64LE(VIEW));
  return {
    signerPubKeys: [PUBS[i]],
    blockHeaderHash: block,
    signature: mclSignHash(SECRETS[i], payload)!,
  };
}

function defaultRecord(): SlashRecord {
  return {
    evidence: {
      moment: { epoch: DOUBLE_SIGN_EPOCH, shardId: 0n, height: HEIGHT, viewId: VIEW },
      firstVote: vote(0, BLOCK1),
      secondVote: vote(0, BLOCK2),
      offender: OFFENDER,
    },
    reporter: REPORTER,
  };
}

/** Go's `makeDefaultCommittee`: 5 shards of 5 slots, slot `n` of shard `s` is key `5s + n`. */
function defaultCommittee(): ShardState {
  const shards = [];
  for (let s = 0; s < 5; s++) {
    const slots = [];
    for (let n = 0; n < 5; n++) {
      const i = 5 * s + n;
      slots.push({ ecdsaAddress: testAddress(i), blsPublicKey: PUBS[i], effectiveStake: null });
    }
    shards.push({ shardId: BigInt(s), slots });
  }
  return { epoch: DOUBLE_SIGN_EPOCH, shards };
}

function delegation(item: string | Uint8Array, amount: bigint, reward = 10n * K): Delegation {
  const address = typeof item === "string" ? testAddress(item) : item;
  return { delegatorAddress: address, amount, reward, undelegations: [] };
}

/** Go's `defaultTestValidator` with some delegations. */
function wrapperWith(delegations: Delegation[]): ValidatorWrapper {
  const w = prototypeWrapper(OFFENDER, [PUBS[0]]);
  w.validator.lastEpochInCommittee = 5n;
  w.validator.minSelfDelegation = 10n * K;
  w.validator.maxTotalDelegation = 1_000_000n * ONE;
  w.validator.creationHeight = 33n;
  w.delegations = delegations;
  return w;
}

/** Go's `defaultSnapValidatorWrapper`: offender 40k, del1 40k. */
function snapWrapper(): ValidatorWrapper {
  return wrapperWith([delegation(OFFENDER, 40n * K), delegation("del1", 40n * K)]);
}

/** Go's `defaultCurrentValidatorWrapper`: offender 20k with undelegations 10k@3 and 10k@6; del2. */
function currentWrapper(): ValidatorWrapper {
  const self = delegation(OFFENDER, 20n * K);
  self.undelegations = [{ amount: 10n * K, epoch: 3n }, { amount: 10n * K, epoch: 6n }];
  return wrapperWith([self, delegation("del2", 40n * K)]);
}

function verifyInput(over: Partial<Parameters<typeof verifySlashRecord>[0]> = {}) {
  return {
    config: LOCALNET,
    record: defaultRecord(),
    offender: currentWrapper(),
    currentEpoch: CURRENT_EPOCH,
    shardState: defaultCommittee(),
    ...over,
  };
}

// ------------------------------------------------------------------------------- Verify

test("TestVerify: the default record verifies (votes signed by mcl)", () => {
  const r = defaultRecord();
  const payload = concatBytes(uint64LE(HEIGHT), BLOCK1, uint64LE(VIEW));
  assert.ok(mclVerifyHash(PUBS[0], payload, r.evidence.firstVote.signature));
  verifySlashRecord(verifyInput());
  // mcl reads the first 96 bytes of a longer signature; Go accepts it.
  const long = defaultRecord();
  long.evidence.firstVote.signature = concatBytes(
    long.evidence.firstVote.signature,
    new Uint8Array([7]),
  );
  verifySlashRecord(verifyInput({ record: long }));
});

test("TestVerify: each failure, in Go's order", () => {
  const code = (
    over: Partial<Parameters<typeof verifySlashRecord>[0]>,
    c: Parameters<typeof expectCode>[1],
  ) => expectCode(() => verifySlashRecord(verifyInput(over)), c, String(c));
  code({ offender: null }, "slash/offender-not-validator");
  code({
    offender: {
      ...currentWrapper(),
      validator: { ...currentWrapper().validator, status: Eligibility.Banned },
    },
  }, "slash/offender-banned");
  const sameReporter = defaultRecord();
  sameReporter.reporter = OFFENDER;
  code({ record: sameReporter }, "slash/reporter-is-offender");
  const sameBlock = defaultRecord();
  sameBlock.evidence.secondVote = { ...sameBlock.evidence.firstVote };
  code({ record: sameBlock }, "slash/votes-not-conflicting");
  const otherKey = defaultRecord();
  otherKey.evidence.secondVote = vote(24, BLOCK2);
  code({ record: otherKey }, "slash/no-double-signed-key");
  code({ currentEpoch: DOUBLE_SIGN_EPOCH - 1n }, "slash/future-epoch");
  code({ shardState: null }, "slash/shard-state-not-found");
  const shard10 = defaultRecord();
  shard10.evidence.moment.shardId = 10n;
  code({ record: shard10 }, "slash/shard-not-found");
  const notInCommittee = defaultRecord();
  notInCommittee.evidence.firstVote = vote(24, BLOCK1);
  notInCommittee.evidence.secondVote = vote(24, BLOCK2);
  code({ record: notInCommittee }, "slash/key-not-in-committee");
  const moved = defaultCommittee();
  moved.shards[0].slots[0] = { ...moved.shards[0].slots[0], ecdsaAddress: testAddress("other") };
  code({ shardState: moved }, "slash/offender-mismatch");
  const empty = defaultRecord();
  empty.evidence.firstVote.signature = new Uint8Array(0);
  code({ record: empty }, "slash/malformed-signature");
  const swapped = defaultRecord();
  swapped.evidence.firstVote.signature = swapped.evidence.secondVote.signature;
  code({ record: swapped }, "slash/bad-signature");
});

test("Verify: the other rejections (pre-staking epoch, key size, two keys, bad key bytes)", () => {
  const early = defaultRecord();
  early.evidence.moment.epoch = 1n; // localnet Staking is epoch 2
  expectCode(() => verifySlashRecord(verifyInput({ record: early })), "slash/before-staking-epoch");
  const short = defaultRecord();
  short.evidence.secondVote.signerPubKeys = [PUBS[0].subarray(0, 47)];
  expectCode(
    () => verifySlashRecord(verifyInput({ record: short })),
    "slash/signer-key-wrong-size",
  );
  // Two double-signed keys are refused even when both belong to the offender.
  const two = defaultRecord();
  const both = [PUBS[0], PUBS[1]];
  two.evidence.firstVote.signerPubKeys = both;
  two.evidence.secondVote.signerPubKeys = both;
  const committee = defaultCommittee();
  committee.shards[0].slots[1] = { ...committee.shards[0].slots[1], ecdsaAddress: OFFENDER };
  expectCode(
    () => verifySlashRecord(verifyInput({ record: two, shardState: committee })),
    "slash/multiple-offenders",
  );
  // A committee key that is not a curve point: the vote's keys do not decode.
  const bogus = fromHex("ff".repeat(48));
  const bad = defaultRecord();
  bad.evidence.firstVote.signerPubKeys = [bogus];
  bad.evidence.secondVote.signerPubKeys = [bogus];
  const withBogus = defaultCommittee();
  withBogus.shards[0].slots[0] = { ...withBogus.shards[0].slots[0], blsPublicKey: bogus };
  expectCode(
    () => verifySlashRecord(verifyInput({ record: bad, shardState: withBogus })),
    "slash/malformed-signer-key",
  );
});

// ------------------------------------------------------------------------------- encoding

test("records: RLP nesting as go-ethereum encodes the structs; strict decoding", () => {
  const r = defaultRecord();
  const decoded = RLP.decode(encodeSlashRecord(r)) as unknown as Uint8Array[][][];
  // [[moment, [vote1, vote2], offender], reporter]
  assert.equal(decoded.length, 2);
  assert.ok(bytesEqual(decoded[1] as unknown as Uint8Array, REPORTER));
  const [moment, votes, offender] = decoded[0] as unknown as [
    Uint8Array[],
    Uint8Array[][],
    Uint8Array,
  ];
  assert.deepEqual(moment.map((x) => Array.from(x)), [[4], [], [37], [38]]);
  assert.ok(bytesEqual(offender, OFFENDER));
  assert.equal(votes.length, 2);
  const records = [r, defaultRecord()];
  assert.deepEqual(decodeSlashRecords(encodeSlashRecords(records)), records);
  assert.deepEqual(decodeSlashRecords(new Uint8Array(0)), []);
  const bytes = encodeSlashRecords(records);
  expectCode(
    () => decodeSlashRecords(concatBytes(bytes, new Uint8Array([0]))),
    "encoding/rlp-trailing-bytes",
  );
  // A 47-byte signer key does not fit Go's [48]byte.
  const short = defaultRecord();
  short.evidence.firstVote.signerPubKeys = [PUBS[0].subarray(1)];
  expectCode(() => decodeSlashRecords(encodeSlashRecords([short])), "encoding/rlp-wrong-length");
});

// ------------------------------------------------------------------------------- application

test("TestPayDown", () => {
  assert.deepEqual(payDown(30n * K, 25n * K), { balance: 5n * K, debt: 0n, taken: 25n * K });
  assert.deepEqual(payDown(25n * K, 30n * K), { balance: 0n, debt: 5n * K, taken: 25n * K });
});

test("one delegation: amount, then undelegations from the offence's epoch on, then reward", () => {
  const d: Delegation = {
    delegatorAddress: OFFENDER,
    amount: 5n,
    reward: 3n,
    undelegations: [{ amount: 7n, epoch: 3n }, { amount: 4n, epoch: 4n }, {
      amount: 2n,
      epoch: 9n,
    }],
  };
  const out = slashDelegation(d, 13n, 4n);
  assert.equal(out.slashed, 13n);
  assert.equal(out.delegation.amount, 0n);
  assert.deepEqual(out.delegation.undelegations.map((u) => u.amount), [7n, 0n, 0n]);
  assert.equal(out.delegation.reward, 1n);
  // A debt larger than everything reachable is forgiven for the rest.
  assert.equal(slashDelegation(d, 100n, 4n).slashed, 14n);
  assert.deepEqual(d.undelegations.map((u) => u.amount), [7n, 4n, 2n], "input unchanged");
});

test("TestApplySlashingToDelegator: the validator's debt from amount, new undelegations, reward", () => {
  // [debt, amount, reward, undelegations, slashed] after, from the Go table.
  const table: [bigint, bigint, bigint, bigint[], bigint][] = [
    [0n, 20n * K, 10n * K, [10n * K, 10n * K], 0n],
    [20n * K, 0n, 10n * K, [10n * K, 10n * K], 20n * K],
    [25n * K, 0n, 10n * K, [10n * K, 5n * K], 25n * K],
    [30n * K, 0n, 10n * K, [10n * K, 0n], 30n * K],
    [35n * K, 0n, 5n * K, [10n * K, 0n], 35n * K],
    [40n * K, 0n, 0n, [10n * K, 0n], 40n * K],
    [50n * K, 0n, 0n, [10n * K, 0n], 40n * K],
  ];
  for (const [debt, amount, reward, undel, slashed] of table) {
    const out = slashValidatorWithDebt(snapWrapper(), currentWrapper(), debt, DOUBLE_SIGN_EPOCH);
    const d = out.wrapper.delegations[0];
    assert.equal(d.amount, amount, `debt ${debt}`);
    assert.equal(d.reward, reward, `debt ${debt}`);
    assert.deepEqual(d.undelegations.map((u) => u.amount), undel, `debt ${debt}`);
    assert.equal(out.totalSlashed, slashed, `debt ${debt}`);
    assert.equal(out.beneficiaryReward, slashed / 2n, `debt ${debt}`);
  }
});

test("TestDelegatorSlashApply: 50 % of self-stake, 80 % of that shared by the delegators", () => {
  const w = (ds: Delegation[]) => wrapperWith(ds);
  const cases: {
    snap: Delegation[];
    cur: Delegation[];
    amounts: bigint[];
    rewards: bigint[];
    slashed: bigint;
  }[] = [
    {
      snap: [delegation(OFFENDER, 40n * K)],
      cur: [delegation(OFFENDER, 40n * K)],
      amounts: [20n * K],
      rewards: [10n * K],
      slashed: 20n * K,
    },
    {
      snap: [delegation(OFFENDER, 40n * K), delegation("del1", 40n * K)],
      cur: [delegation(OFFENDER, 40n * K), delegation("del1", 40n * K)],
      amounts: [20n * K, 24n * K],
      rewards: [10n * K, 10n * K],
      slashed: 36n * K,
    },
    {
      snap: [
        delegation(OFFENDER, 50n * K),
        delegation("del1", 40n * K),
        delegation("del2", 10n * K),
      ],
      cur: [
        delegation(OFFENDER, 50n * K),
        delegation("del1", 40n * K),
        delegation("del2", 10n * K),
      ],
      amounts: [25n * K, 24n * K, 6n * K],
      rewards: [10n * K, 10n * K, 10n * K],
      slashed: 45n * K,
    },
  ];
  for (const c of cases) {
    const out = slashValidator(w(c.snap), w(c.cur), DOUBLE_SIGN_EPOCH);
    assert.deepEqual(out.wrapper.delegations.map((d) => d.amount), c.amounts);
    assert.deepEqual(out.wrapper.delegations.map((d) => d.reward), c.rewards);
    assert.equal(out.totalSlashed, c.slashed);
    assert.equal(out.beneficiaryReward, c.slashed / 2n);
    assert.equal(out.wrapper.validator.status, Eligibility.Banned);
  }
  // Fourth case: delegators who left before (safe) or after (slashed) the double sign.
  const del1 = delegation("del1", 0n);
  del1.undelegations = [{ amount: 20n * K, epoch: 3n }, { amount: 0n, epoch: 5n }];
  const del2 = delegation("del2", 0n);
  del2.undelegations = [{ amount: 0n, epoch: 3n }, { amount: 20n * K, epoch: 5n }];
  const snap = w([
    delegation(OFFENDER, 100n * K),
    delegation("del1", 20n * K),
    delegation("del2", 20n * K),
  ]);
  const out = slashValidator(
    snap,
    w([delegation(OFFENDER, 100n * K), del1, del2]),
    DOUBLE_SIGN_EPOCH,
  );
  const ds = out.wrapper.delegations;
  assert.deepEqual(ds.map((d) => d.amount), [50n * K, 0n, 0n]);
  assert.deepEqual(ds.map((d) => d.reward), [10n * K, 0n, 10n * K]);
  assert.deepEqual(ds[1].undelegations.map((u) => u.amount), [20n * K, 0n]);
  assert.deepEqual(ds[2].undelegations.map((u) => u.amount), [0n, 0n]);
  assert.equal(out.totalSlashed, 80n * K);
  assert.equal(out.beneficiaryReward, 40n * K);
});

test("TestApply and engine TestApplySlashing: Banned, leader paid half, the rest burnt", () => {
  const out = applySlashes({
    records: [defaultRecord()],
    validators: [currentWrapper()],
    snapshots: [{ epoch: DOUBLE_SIGN_EPOCH, wrapper: snapWrapper() }],
    beneficiary: LEADER,
  });
  assert.equal(out.totalSlashed, 20n * K);
  assert.equal(out.beneficiaryReward, 10n * K);
  assert.equal(out.burnt, 10n * K);
  assert.deepEqual(out.credits, [{ address: LEADER, amount: 10n * K }]);
  assert.equal(out.validators[0].validator.status, Eligibility.Banned);
  expectCode(
    () =>
      applySlashes({
        records: [defaultRecord()],
        validators: [currentWrapper()],
        snapshots: [],
        beneficiary: LEADER,
      }),
    "slash/snapshot-not-found",
  );
  expectCode(
    () =>
      applySlashes({
        records: [defaultRecord()],
        validators: [],
        snapshots: [{ epoch: DOUBLE_SIGN_EPOCH, wrapper: snapWrapper() }],
        beneficiary: LEADER,
      }),
    "slash/validator-not-found",
  );
  // engine_test: a lone self-delegation of 40k becomes 20k; the leader gets 10k.
  const lone = wrapperWith([delegation(OFFENDER, 40n * K, 0n)]);
  const engine = applySlashes({
    records: [defaultRecord()],
    validators: [lone],
    snapshots: [{ epoch: DOUBLE_SIGN_EPOCH, wrapper: lone }],
    beneficiary: LEADER,
  });
  assert.equal(engine.validators[0].delegations[0].amount, 20n * K);
  assert.equal(engine.beneficiaryReward, 10n * K);
});

test("Go's Euclidean division: self-stake added since the snapshot makes external debts negative", () => {
  const snap = wrapperWith([delegation(OFFENDER, 20n * K), delegation("del1", 10n * K)]);
  // Self-delegation grew to 50k: denominator 30k − 50k = −20k.
  const out = slashValidator(
    snap,
    wrapperWith([delegation(OFFENDER, 50n * K), delegation("del1", 10n * K)]),
    4n,
  );
  // Self debt 10k; external debt ⌊0.8·10k⌋ = 8k; del1 owes 10k·8k / (−20k) = −4k: it gains 4k.
  assert.deepEqual(out.wrapper.delegations.map((d) => d.amount), [40n * K, 14n * K]);
  assert.equal(out.totalSlashed, 6n * K);
  assert.equal(out.beneficiaryReward, 3n * K);
  // −1 / 2 is −1 for Go's big.Int.Div.
  const odd = slashValidatorWithDebt(
    wrapperWith([delegation(OFFENDER, 1n), delegation("del1", 5n)]),
    wrapperWith([delegation(OFFENDER, 7n), delegation("del1", 5n)]),
    2n,
    4n,
  );
  // Self pays 2; external debt ⌊1.6⌋ = 1; 5·1/(6 − 7) = −5: total 2 − 5 = −3; half is −2.
  assert.equal(odd.totalSlashed, -3n);
  assert.equal(odd.beneficiaryReward, -2n);
});

test("a zero external stake with delegators to slash is rejected (Go panics)", () => {
  const snap = wrapperWith([delegation(OFFENDER, 40n * K), delegation("del1", 0n)]);
  expectCode(() => slashValidator(snap, snap, 4n), "slash/zero-external-stake");
});

test("application order: groups by (shard, height, view, epoch), block order inside", () => {
  const at = (shard: bigint, height: bigint, view: bigint, reporter: string): SlashRecord => {
    const r = defaultRecord();
    r.evidence.moment = { epoch: 4n, shardId: shard, height, viewId: view };
    r.reporter = testAddress(reporter);
    return r;
  };
  const records = [
    at(1n, 5n, 1n, "a"),
    at(0n, 9n, 2n, "b"),
    at(0n, 9n, 2n, "c"),
    at(0n, 3n, 7n, "d"),
  ];
  const order = slashApplicationOrder(records).map((r) => r.reporter);
  assert.deepEqual(order, ["d", "b", "c", "a"].map(testAddress));
  // The same offender twice in one block: the second slash sees the first's result.
  const twice = applySlashes({
    records: [at(0n, 40n, 1n, "x"), at(0n, 37n, 1n, "y")],
    validators: [wrapperWith([delegation(OFFENDER, 40n * K, 0n)])],
    snapshots: [{ epoch: 4n, wrapper: wrapperWith([delegation(OFFENDER, 40n * K, 0n)]) }],
    beneficiary: LEADER,
  });
  assert.equal(twice.validators[0].delegations[0].amount, 0n);
  assert.deepEqual(twice.credits.map((c) => c.amount), [10n * K, 10n * K]);
});

// ------------------------------------------------------------------------------- property

const K_AMOUNT = fc.noShrink(fc.bigInt({ min: 0n, max: 10n ** 24n }));
const delegationArb = fc.record({
  amount: K_AMOUNT,
  reward: K_AMOUNT,
  old: K_AMOUNT,
  recent: K_AMOUNT,
});

type Slash = typeof slashValidator;

/** A slash whose pay-down also reaches undelegations older than the offence: broken. */
const slashOldToo: Slash = (snapshot, current, epoch) =>
  slashValidator(snapshot, current, 0n * epoch);

/** A slash that pays the beneficiary everything instead of half: broken. */
const beneficiaryTakesAll: Slash = (snapshot, current, epoch) => {
  const out = slashValidator(snapshot, current, epoch);
  return { ...out, beneficiaryReward: out.totalSlashed };
};

function slashAccounts(slash: Slash) {
  return fc.property(
    fc.array(delegationArb, { minLength: 1, maxLength: 8 }),
    (ds) => {
      const delegations = ds.map((d, i) => ({
        delegatorAddress: testAddress(`d${i}`),
        amount: d.amount,
        reward: d.reward,
        undelegations: [{ amount: d.old, epoch: 3n }, { amount: d.recent, epoch: 4n }],
      }));
      delegations[0].delegatorAddress = OFFENDER;
      const w = wrapperWith(delegations);
      w.validator.maxTotalDelegation = 10n ** 30n;
      if (delegations.length > 1 && ds[0].amount === stakeSum(ds)) return true; // Go panics
      const out = slash(w, w, 4n);
      // What the slash took from the record went to the beneficiary or was burnt: no more.
      const supply = {
        genesis: holdingsOf(w),
        issued: 0n,
        burnt: out.totalSlashed - out.beneficiaryReward,
        sent: 0n,
        received: 0n,
      };
      const conserved = supplyMatches(holdingsOf(out.wrapper) + out.beneficiaryReward, supply);
      const oldKept = out.wrapper.delegations.every((d, i) =>
        d.undelegations[0].amount === ds[i].old
      );
      return conserved === true && oldKept && out.totalSlashed >= 0n &&
        out.beneficiaryReward === out.totalSlashed / 2n;
    },
  );
}

function stakeSum(ds: { amount: bigint }[]): bigint {
  let t = 0n;
  for (const d of ds) t += d.amount;
  return t;
}

test("property: a slash takes exactly what it reports, spares old undelegations, pays half", () => {
  holds(slashAccounts(slashValidator));
  catches(slashAccounts(slashOldToo));
  catches(slashAccounts(beneficiaryTakesAll));
});
