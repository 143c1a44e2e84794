/**
 * Conformance cases for the `slash_verify` and `slash_apply` handlers of the `epoch` runner. The
 * format is in `conformance/formats/epoch.md`.
 *
 * `slash_verify` restates every row of Go's `TestVerify` (`staking/slash/double-sign_test.go`),
 * with the votes signed by herumi's mcl (the test oracle) over the commit payload, under the
 * localnet configuration the Go test uses. `slash_apply` restates the amounts of
 * `TestDelegatorSlashApply`, `TestApply` and `internal/chain/engine_test.go` `TestApplySlashing`.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  bigintToFixedBytesLE,
  concatBytes,
  fromHex,
  uint64LE,
  utf8ToBytes,
} from "../../../spec/encoding/bytes.ts";
import { LOCALNET } from "../../../spec/params/mod.ts";
import type { ShardState } from "../../../spec/sharding/shard-state.ts";
import type { Delegation } from "../../../spec/staking/delegation.ts";
import {
  applySlashes,
  decodeSlashRecord,
  decodeSlashRecords,
  encodeSlashRecord,
  encodeSlashRecords,
  type SlashRecord,
  type SlashVote,
  verifySlashRecord,
} from "../../../spec/staking/slashing.ts";
import { Eligibility, type ValidatorWrapper } from "../../../spec/staking/validator.ts";
import {
  decodeValidatorWrapper,
  encodeValidatorWrapper,
} from "../../../spec/staking/wrapper-rlp.ts";
import { bytesToAddress, prototypeWrapper } from "../../../test/staking/fixtures.ts";
import { mclPublicKey, mclSignHash } from "../../../test/support/mcl-oracle.ts";
import type { Case, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  base,
  bytes,
  creditsField,
  list,
  ONE,
  readShardState,
  readSnapshots,
  readWrappers,
  signed,
  uint,
  writeShardState,
  writeSnapshots,
  writeWrappers,
} from "./common.ts";
import { signedToBytes } from "../../cbor.ts";

const K = 1_000n * ONE;

// --- the Go test's world ------------------------------------------------------------------------

/** Go's `makeTestAddress`: `BytesToAddress("harmony.one." + item)`. */
function testAddress(item: string | number): Uint8Array {
  return bytesToAddress(utf8ToBytes(`harmony.one.${item}`));
}

const SECRETS = Array.from({ length: 25 }, (_, i) => bigintToFixedBytesLE(BigInt(7000 + i), 32));
const PUBS = SECRETS.map((sk) => mclPublicKey(sk)!);
const OFFENDER = testAddress(0);
const LEADER = testAddress("leader");
const BLOCK1 = fromHex("11".repeat(32));
const BLOCK2 = fromHex("22".repeat(32));

function vote(i: number, block: Uint8Array): SlashVote {
  const payload = concatBytes(uint64LE(37n), block, uint64LE(38n));
  return {
    signerPubKeys: [PUBS[i]],
    blockHeaderHash: block,
    signature: mclSignHash(SECRETS[i], payload)!,
  };
}

function record(over: (r: SlashRecord) => void = () => {}): SlashRecord {
  const r: SlashRecord = {
    evidence: {
      moment: { epoch: 4n, shardId: 0n, height: 37n, viewId: 38n },
      firstVote: vote(0, BLOCK1),
      secondVote: vote(0, BLOCK2),
      offender: OFFENDER,
    },
    reporter: testAddress("reporter"),
  };
  over(r);
  return r;
}

function committee(over: (s: ShardState) => void = () => {}): ShardState {
  const shards = [];
  for (let s = 0; s < 5; s++) {
    const slots = [];
    for (let n = 0; n < 5; n++) {
      const i = 5 * s + n;
      slots.push({ ecdsaAddress: testAddress(i), blsPublicKey: PUBS[i], effectiveStake: null });
    }
    shards.push({ shardId: BigInt(s), slots });
  }
  const state = { epoch: 4n, shards };
  over(state);
  return state;
}

function delegation(who: string | Uint8Array, amount: bigint, reward = 10n * K): Delegation {
  const delegatorAddress = typeof who === "string" ? testAddress(who) : who;
  return { delegatorAddress, amount, reward, undelegations: [] };
}

function wrapper(delegations: Delegation[], status: number = Eligibility.Active): ValidatorWrapper {
  const w = prototypeWrapper(OFFENDER, [PUBS[0]]);
  w.validator.lastEpochInCommittee = 5n;
  w.validator.minSelfDelegation = 10n * K;
  w.validator.maxTotalDelegation = 1_000_000n * ONE;
  w.validator.status = status;
  w.delegations = delegations;
  return w;
}

function current(status: number = Eligibility.Active): ValidatorWrapper {
  const self = delegation(OFFENDER, 20n * K);
  self.undelegations = [{ amount: 10n * K, epoch: 3n }, { amount: 10n * K, epoch: 6n }];
  return wrapper([self, delegation("del2", 40n * K)], status);
}

// --- slash_verify -------------------------------------------------------------------------------

const verifyHandler: Handler = {
  ...base(LOCALNET),
  handler: "slash_verify",
  covers: ["decodeSlashRecord", "verifySlashRecord"],
  run(inputs) {
    const offender = inputs.offender === null
      ? null
      : decodeValidatorWrapper(bytes(inputs.offender, "offender"));
    verifySlashRecord({
      config: LOCALNET,
      record: decodeSlashRecord(bytes(inputs.record, "record")),
      offender,
      currentEpoch: uint(inputs.current_epoch, "current_epoch"),
      shardState: inputs.shard_state === null ? null : readShardState(inputs.shard_state),
    });
    return { valid: true };
  },
};

function verifyCase(
  name: string,
  description: string,
  expect: Case["expect"],
  over: {
    record?: SlashRecord;
    offender?: ValidatorWrapper | null;
    epoch?: bigint;
    state?: ShardState | null;
  } = {},
): Case {
  const offender = over.offender === undefined ? current() : over.offender;
  const state = over.state === undefined ? committee() : over.state;
  return {
    name,
    description,
    inputs: {
      record: encodeSlashRecord(over.record ?? record()),
      offender: offender === null ? null : encodeValidatorWrapper(offender),
      current_epoch: over.epoch ?? 5n,
      shard_state: state === null ? null : writeShardState(state),
    },
    expect,
  };
}

const VERIFY_CASES: Case[] = [
  verifyCase(
    "valid",
    "TestVerify 0: key 0 (shard 0, slot 0) signed blocks 0x11… and 0x22… at height 37, view 38, " +
      "epoch 4; the beacon chain is at epoch 5.",
    { valid: true },
  ),
  verifyCase(
    "no_validator",
    "TestVerify 1: the offender has no wrapper in the state.",
    { error: "slash/offender-not-validator" },
    { offender: null },
  ),
  verifyCase(
    "already_banned",
    "TestVerify 2: a Banned validator cannot be slashed again.",
    { error: "slash/offender-banned" },
    { offender: current(Eligibility.Banned) },
  ),
  verifyCase(
    "reporter_is_offender",
    "TestVerify 3: the reporter is the offender.",
    { error: "slash/reporter-is-offender" },
    { record: record((r) => (r.reporter = OFFENDER)) },
  ),
  verifyCase(
    "same_block",
    "TestVerify 4: both votes are for the same block.",
    { error: "slash/votes-not-conflicting" },
    { record: record((r) => (r.evidence.secondVote = vote(0, BLOCK1))) },
  ),
  verifyCase(
    "different_keys",
    "TestVerify 5: the second vote is by key 24: no key signed both.",
    { error: "slash/no-double-signed-key" },
    { record: record((r) => (r.evidence.secondVote = vote(24, BLOCK2))) },
  ),
  verifyCase(
    "future_epoch",
    "TestVerify 6: the beacon chain is at epoch 3, the evidence at 4.",
    { error: "slash/future-epoch" },
    { epoch: 3n },
  ),
  verifyCase(
    "no_shard_state",
    "TestVerify 7: the chain has no shard state for the evidence's epoch.",
    { error: "slash/shard-state-not-found" },
    { state: null },
  ),
  verifyCase(
    "shard_not_in_state",
    "TestVerify 8: shard 10 is not in the shard state.",
    { error: "slash/shard-not-found" },
    { record: record((r) => (r.evidence.moment.shardId = 10n)) },
  ),
  verifyCase(
    "key_not_in_committee",
    "TestVerify 9: both votes by key 24, which sits in shard 4, not shard 0.",
    { error: "slash/key-not-in-committee" },
    {
      record: record((r) => {
        r.evidence.firstVote = vote(24, BLOCK1);
        r.evidence.secondVote = vote(24, BLOCK2);
      }),
    },
  ),
  verifyCase(
    "offender_mismatch",
    "TestVerify 10: the committee gives key 0 to another address.",
    { error: "slash/offender-mismatch" },
    {
      state: committee((s) => {
        s.shards[0].slots[0] = { ...s.shards[0].slots[0], ecdsaAddress: testAddress("other") };
      }),
    },
  ),
  verifyCase(
    "empty_signature",
    'TestVerify 11: the first vote has no signature (Go: "Empty buf").',
    { error: "slash/malformed-signature" },
    { record: record((r) => (r.evidence.firstVote.signature = new Uint8Array(0))) },
  ),
  verifyCase(
    "wrong_signature",
    "TestVerify 12: the first vote carries the second vote's signature.",
    { error: "slash/bad-signature" },
    {
      record: record((r) => (r.evidence.firstVote.signature = r.evidence.secondVote.signature)),
    },
  ),
  verifyCase(
    "pre_staking_epoch",
    "An evidence of localnet epoch 1, before Staking (2).",
    { error: "slash/before-staking-epoch" },
    { record: record((r) => (r.evidence.moment.epoch = 1n)) },
  ),
  verifyCase(
    "two_double_signed_keys",
    "Keys 0 and 1 both signed both blocks: refused although one record could name one offender.",
    { error: "slash/multiple-offenders" },
    {
      record: record((r) => {
        r.evidence.firstVote.signerPubKeys = [PUBS[0], PUBS[1]];
        r.evidence.secondVote.signerPubKeys = [PUBS[0], PUBS[1]];
      }),
    },
  ),
];

// --- slash_apply --------------------------------------------------------------------------------

const applyHandler: Handler = {
  runner: "epoch",
  handler: "slash_apply",
  preset: "general",
  config: {},
  covers: [
    "decodeSlashRecords",
    "applySlashes",
    "slashApplicationOrder",
    "slashValidator",
    "slashValidatorWithDebt",
    "slashDelegation",
    "payDown",
  ],
  run(inputs) {
    const out = applySlashes({
      records: decodeSlashRecords(bytes(inputs.slashes, "slashes")),
      validators: readWrappers(inputs.validators, "validators"),
      snapshots: readSnapshots(inputs.snapshots, "snapshots"),
      beneficiary: bytes(inputs.beneficiary, "beneficiary"),
    });
    return {
      validators: writeWrappers(out.validators),
      credits: creditsField(out.credits),
      total_slashed: signedToBytes(out.totalSlashed),
      beneficiary_reward: signedToBytes(out.beneficiaryReward),
      burnt: signedToBytes(out.burnt),
    };
  },
};

function applyInputs(
  records: SlashRecord[],
  validators: ValidatorWrapper[],
  snapshots: ValidatorWrapper[],
): Fields {
  return {
    slashes: encodeSlashRecords(records),
    validators: writeWrappers(validators),
    snapshots: writeSnapshots(snapshots.map((wrapper) => ({ epoch: 4n, wrapper }))),
    beneficiary: LEADER,
  };
}

function amounts(outputs: Parameters<NonNullable<Case["check"]>>[0]): bigint[] {
  const [w] = list(outputs.validators, "validators").map((x) =>
    decodeValidatorWrapper(bytes(x, "w"))
  );
  return w.delegations.map((d) => d.amount);
}

function applyCase(
  name: string,
  description: string,
  snap: Delegation[],
  cur: Delegation[],
  expected: { amounts: bigint[]; slashed: bigint },
): Case {
  return {
    name,
    description,
    inputs: applyInputs([record()], [wrapper(cur)], [wrapper(snap)]),
    check(outputs) {
      assert.deepEqual(amounts(outputs), expected.amounts);
      assert.equal(signed(outputs.total_slashed, "total"), expected.slashed);
      assert.equal(signed(outputs.beneficiary_reward, "reward"), expected.slashed / 2n);
      assert.equal(signed(outputs.burnt, "burnt"), expected.slashed - expected.slashed / 2n);
    },
  };
}

function departedDelegators(): Case {
  const del1 = delegation("del1", 0n);
  del1.undelegations = [{ amount: 20n * K, epoch: 3n }, { amount: 0n, epoch: 5n }];
  const del2 = delegation("del2", 0n);
  del2.undelegations = [{ amount: 0n, epoch: 3n }, { amount: 20n * K, epoch: 5n }];
  const snap = [
    delegation(OFFENDER, 100n * K),
    delegation("del1", 20n * K),
    delegation("del2", 20n * K),
  ];
  return {
    name: "departed_delegators",
    description:
      "TestDelegatorSlashApply 4: self 100k loses 50k; the delegators owe 0.8·50k·20/40 " +
      "= 20k each: del1 undelegated at epoch 3 (before the offence, safe) pays 10k from its " +
      "reward; del2 undelegated at 5 pays 20k from that undelegation. 80k slashed, 40k to the leader.",
    inputs: applyInputs([record()], [wrapper([delegation(OFFENDER, 100n * K), del1, del2])], [
      wrapper(snap),
    ]),
    check(outputs) {
      const [w] = list(outputs.validators, "v").map((x) => decodeValidatorWrapper(bytes(x, "w")));
      assert.deepEqual(w.delegations.map((d) => d.reward), [10n * K, 0n, 10n * K]);
      assert.deepEqual(w.delegations[2].undelegations.map((u) => u.amount), [0n, 0n]);
      assert.equal(signed(outputs.total_slashed, "t"), 80n * K);
      assert.equal(w.validator.status, Eligibility.Banned);
    },
  };
}

const APPLY_CASES: Case[] = [
  applyCase(
    "self_only",
    "TestDelegatorSlashApply 1: self 40k, no delegator: 20k slashed, 10k to the leader.",
    [delegation(OFFENDER, 40n * K)],
    [delegation(OFFENDER, 40n * K)],
    { amounts: [20n * K], slashed: 20n * K },
  ),
  applyCase(
    "one_delegator",
    "TestDelegatorSlashApply 2: self 40k and del1 40k: self −20k, del1 −16k (0.8·20k), 36k " +
      "slashed, 18k to the leader.",
    [delegation(OFFENDER, 40n * K), delegation("del1", 40n * K)],
    [delegation(OFFENDER, 40n * K), delegation("del1", 40n * K)],
    { amounts: [20n * K, 24n * K], slashed: 36n * K },
  ),
  applyCase(
    "two_delegators",
    "TestDelegatorSlashApply 3: self 50k, del1 40k, del2 10k: self −25k; the 20k owed split " +
      "40:10: −16k, −4k; 45k slashed, 22.5k to the leader.",
    [delegation(OFFENDER, 50n * K), delegation("del1", 40n * K), delegation("del2", 10n * K)],
    [delegation(OFFENDER, 50n * K), delegation("del1", 40n * K), delegation("del2", 10n * K)],
    { amounts: [25n * K, 24n * K, 6n * K], slashed: 45n * K },
  ),
  departedDelegators(),
  {
    name: "go_apply",
    description:
      "TestApply: snapshot self 40k + del1 40k, current self 20k (undelegations 10k@3, " +
      "10k@6) + del2: the 20k debt empties the self amount; del2 is not in the snapshot. 20k " +
      "slashed, 10k to the leader, Banned.",
    inputs: applyInputs(
      [record()],
      [current()],
      [wrapper([delegation(OFFENDER, 40n * K), delegation("del1", 40n * K)])],
    ),
    check(outputs) {
      assert.deepEqual(amounts(outputs), [0n, 40n * K]);
      assert.equal(signed(outputs.total_slashed, "t"), 20n * K);
      const credits = list(outputs.credits, "credits");
      assert.equal(credits.length, 1);
    },
  },
  {
    name: "euclidean_quirk",
    description: "Self-delegation grew from 20k to 50k since the snapshot (del1 10k): the " +
      "denominator 30k − 50k is −20k, Go's Euclidean division makes del1's debt −4k, and del1 " +
      "gains 4k. Total slashed 10k − 4k = 6k, 3k to the leader.",
    inputs: applyInputs(
      [record()],
      [wrapper([delegation(OFFENDER, 50n * K), delegation("del1", 10n * K)])],
      [wrapper([delegation(OFFENDER, 20n * K), delegation("del1", 10n * K)])],
    ),
    check(outputs) {
      assert.deepEqual(amounts(outputs), [40n * K, 14n * K]);
      assert.equal(signed(outputs.total_slashed, "t"), 6n * K);
    },
  },
  {
    name: "zero_external_stake",
    description: "A delegator whose snapshot amount is 0 and an unchanged self amount: the " +
      "external stake is 0, a division by zero (Go panics).",
    inputs: applyInputs(
      [record()],
      [wrapper([delegation(OFFENDER, 40n * K), delegation("del1", 0n)])],
      [wrapper([delegation(OFFENDER, 40n * K), delegation("del1", 0n)])],
    ),
    expect: { error: "slash/zero-external-stake" },
  },
  {
    name: "snapshot_missing",
    description: "TestApply: no snapshot of the offender at the evidence's epoch.",
    inputs: applyInputs([record()], [current()], []),
    expect: { error: "slash/snapshot-not-found" },
  },
  {
    name: "twice_in_one_block",
    description: "Two records against the same offender (heights 40 then 37 in the block): " +
      "applied in (shard, height, view) order, each takes half the snapshot's 40k: 20k, then " +
      "the remaining 20k.",
    inputs: applyInputs(
      [
        record((r) => (r.evidence.moment.height = 40n)),
        record((r) => (r.evidence.moment.height = 37n)),
      ],
      [wrapper([delegation(OFFENDER, 40n * K, 0n)])],
      [wrapper([delegation(OFFENDER, 40n * K, 0n)])],
    ),
    check(outputs) {
      assert.deepEqual(amounts(outputs), [0n]);
      assert.equal(signed(outputs.total_slashed, "t"), 40n * K);
      assert.equal(list(outputs.credits, "credits").length, 2);
    },
  },
];

/** The `epoch` runner's slashing suites. */
export const SLASH_SUITES: Suite[] = [
  suite(verifyHandler, VERIFY_CASES),
  suite(applyHandler, APPLY_CASES),
];
