/**
 * Double-sign detection: the record built from two conflicting votes, its RLP (staking's encoder)
 * against an encoding built here with @ethereumjs/rlp from the Go struct layout, round trips, the
 * checks of `slash.Verify` that need only the committee (`verifySlashEvidence`), and the leader's
 * (optional) report.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import {
  type CommitVote,
  isDoubleSign,
  makeSlashRecord,
} from "../../spec/consensus/double-sign.ts";
import { aggregateSignHash, MSG, type Signer } from "../../spec/consensus/messages.ts";
import { commitPayload } from "../../spec/consensus/payloads.ts";
import type { CommitteeSlot } from "../../spec/consensus/state.ts";
import { bigintToFixedBytes, compareBytes, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import type { HasFeatures } from "../../spec/params/features.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import {
  decodeSlashRecord,
  decodeSlashRecords,
  encodeSlashRecord,
  encodeSlashRecords,
  type SlashRecord,
  verifySlashEvidence,
} from "../../spec/staking/slashing.ts";
import { decodeSimBlock, simSigner } from "../../src/sim/chain.ts";
import { catches, holds } from "../support/property.ts";
import {
  block1,
  commitMsg,
  committeeSpec,
  deliver,
  hashOf,
  keyOf,
  nodeAt,
  prepareMsg,
  run,
  sent,
} from "./fixtures.ts";

/** BLS is slow in JavaScript: these tests get minutes, not the default seconds. */
const SLOW = { timeout: 600_000 };

function rejects(f: () => unknown, code: SpecErrorCode): void {
  assert.throws(f, (e) => isSpecError(e, code));
}

const EPOCH = 200n; // a staking epoch on mainnet: the payload carries the view ID
const K = [simSigner(1n), simSigner(2n), simSigner(3n)];
const OFFENDER = bigintToFixedBytes(0xaan, 20);
const REPORTER = bigintToFixedBytes(0xbbn, 20);
const SLOTS: CommitteeSlot[] = [
  { publicKey: K[0].publicKey, ecdsaAddress: OFFENDER },
  { publicKey: K[1].publicKey, ecdsaAddress: bigintToFixedBytes(0xccn, 20) },
  { publicKey: K[2].publicKey, ecdsaAddress: OFFENDER },
];

/** The committee-only checks of `slash.Verify`, with the committee as the evidence's shard. */
function checkDoubleSignEvidence(
  config: HasFeatures,
  record: SlashRecord,
  slots: CommitteeSlot[],
): void {
  const shardSlots = slots.map((s) => ({
    ecdsaAddress: s.ecdsaAddress,
    blsPublicKey: s.publicKey,
    effectiveStake: null,
  }));
  const { epoch, shardId } = record.evidence.moment;
  const shardState = { epoch, shards: [{ shardId, slots: shardSlots }] };
  verifySlashEvidence({ config, record, currentEpoch: epoch, shardState });
}

function commitVote(signers: Signer[], hashByte: number, height = 37n, viewId = 38n): CommitVote {
  const hash = new Uint8Array(32).fill(hashByte);
  const payload = commitPayload(MAINNET, EPOCH, hash, height, viewId);
  return {
    signerKeys: signers.map((s) => s.publicKey),
    blockHash: hash,
    signature: aggregateSignHash(signers, payload),
    height,
    viewId,
  };
}

const FIRST = commitVote([K[0]], 1);
const SECOND = commitVote([K[0]], 2);
const RECORD = makeSlashRecord(FIRST, SECOND, { epoch: EPOCH, shardId: 0n }, OFFENDER, REPORTER);

test("a double sign: same height and view, different hashes, a common key", SLOW, () => {
  assert.ok(isDoubleSign(FIRST, SECOND));
  assert.ok(!isDoubleSign(FIRST, commitVote([K[0]], 1)), "same hash");
  assert.ok(!isDoubleSign(FIRST, commitVote([K[0]], 2, 38n)), "another height");
  assert.ok(!isDoubleSign(FIRST, commitVote([K[0]], 2, 37n, 39n)), "another view");
  assert.ok(!isDoubleSign(FIRST, commitVote([K[1]], 2)), "no common key");
  rejects(
    () =>
      makeSlashRecord(
        FIRST,
        commitVote([K[1]], 2),
        { epoch: EPOCH, shardId: 0n },
        OFFENDER,
        REPORTER,
      ),
    "doublesign/not-conflicting",
  );
});

test(
  "record RLP: [[[epoch, shard, height, view], [vote1, vote2], offender], reporter], keys sorted",
  SLOW,
  () => {
    const votes = makeSlashRecord(
      commitVote([K[2], K[0]], 1),
      commitVote([K[0]], 2),
      { epoch: EPOCH, shardId: 1n },
      OFFENDER,
      REPORTER,
    );
    const keys = votes.evidence.firstVote.signerPubKeys;
    assert.ok(compareBytes(keys[0], keys[1]) < 0, "sorted byte-wise");
    const vote = (
      v: SlashRecord["evidence"]["firstVote"],
    ) => [v.signerPubKeys, v.blockHeaderHash, v.signature];
    const e = votes.evidence;
    // Built from the Go structs: Record{Evidence{Moment{Epoch *big.Int, ShardID uint32, Height,
    // ViewID uint64}, ConflictingVotes{FirstVote, SecondVote}, Offender}, Reporter}.
    const expected = RLP.encode([[
      [EPOCH, 1n, 37n, 38n],
      [vote(e.firstVote), vote(e.secondVote)],
      OFFENDER,
    ], REPORTER]);
    assert.equal(toHex(encodeSlashRecord(votes)), toHex(expected));
    assert.deepEqual(decodeSlashRecord(expected), votes);
    assert.deepEqual(decodeSlashRecords(encodeSlashRecords([votes, RECORD])), [votes, RECORD]);
    rejects(
      () => decodeSlashRecord(RLP.encode([[[EPOCH, 1n, 37n], [[], []], OFFENDER], REPORTER])),
      "encoding/rlp-wrong-item-count",
    );
  },
);

test("fuzz: decoding arbitrary bytes as a record gives a record or a SpecError", SLOW, () => {
  holds(
    fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
      try {
        decodeSlashRecord(b);
      } catch (e) {
        assert.ok(isSpecError(e), String(e));
      }
    }),
    300,
  );
});

test("slash.Verify's committee and signature checks, each failure with its reason", SLOW, () => {
  checkDoubleSignEvidence(MAINNET, RECORD, SLOTS);
  const e = RECORD.evidence;
  const withEvidence = (patch: Partial<typeof e>): SlashRecord => ({
    ...RECORD,
    evidence: { ...e, ...patch },
  });
  rejects(
    () => checkDoubleSignEvidence(MAINNET, { ...RECORD, reporter: OFFENDER }, SLOTS),
    "slash/reporter-is-offender",
  );
  rejects(
    () => checkDoubleSignEvidence(MAINNET, withEvidence({ secondVote: e.firstVote }), SLOTS),
    "slash/votes-not-conflicting",
  );
  const other = { ...e.secondVote, signerPubKeys: [K[1].publicKey] };
  rejects(
    () => checkDoubleSignEvidence(MAINNET, withEvidence({ secondVote: other }), SLOTS),
    "slash/no-double-signed-key",
  );
  rejects(
    () => checkDoubleSignEvidence(MAINNET, RECORD, SLOTS.slice(1)),
    "slash/key-not-in-committee",
  );
  // Go counts one address per double-signing key, so two keys of one validator are "several".
  const two = makeSlashRecord(
    commitVote([K[0], K[2]], 1),
    commitVote([K[0], K[2]], 2),
    { epoch: EPOCH, shardId: 0n },
    OFFENDER,
    REPORTER,
  );
  rejects(() => checkDoubleSignEvidence(MAINNET, two, SLOTS), "slash/multiple-offenders");
  rejects(
    () =>
      checkDoubleSignEvidence(
        MAINNET,
        withEvidence({ offender: REPORTER.map((b) => b ^ 1) }),
        SLOTS,
      ),
    "slash/offender-mismatch",
  );
  const forged = { ...e.secondVote, signature: e.firstVote.signature };
  rejects(
    () => checkDoubleSignEvidence(MAINNET, withEvidence({ secondVote: forged }), SLOTS),
    "slash/bad-signature",
  );
});

test(
  "property: evidence from two conflicting votes always checks (broken: a moment off by one view)",
  SLOW,
  () => {
    const prop = (viewShift: bigint) =>
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1000 }), (h, v) => {
        const a = commitVote([K[0]], 3, BigInt(h), BigInt(v));
        const b = commitVote([K[0]], 4, BigInt(h), BigInt(v));
        const record = makeSlashRecord(a, b, { epoch: EPOCH, shardId: 0n }, OFFENDER, REPORTER);
        const moment = {
          ...record.evidence.moment,
          viewId: record.evidence.moment.viewId + viewShift,
        };
        checkDoubleSignEvidence(
          MAINNET,
          { ...record, evidence: { ...record.evidence, moment } },
          SLOTS,
        );
      });
    holds(prop(0n), 5);
    catches(prop(1n), 5);
  },
);

test(
  "the leader reports a COMMIT that conflicts with the key's earlier vote (detectDoubleSign)",
  SLOW,
  () => {
    const spec = committeeSpec(4, 0n); // staking from epoch 0: the payload carries the view ID
    const leader = keyOf(spec, 0);
    const blockA = block1(spec, leader, "a");
    const blockB = block1(spec, leader, "b");
    const toPrepared = (detect: boolean) => {
      let l = nodeAt(spec, 0, detect);
      l = run(l, { kind: "proposal", block: blockA, now: 0n }).state;
      // The leader also knows block B (say, from an equivocating earlier proposal of its own).
      const { bytes, header } = decodeSimBlock(blockB);
      l = {
        ...l,
        log: {
          ...l.log,
          blocks: new Map([...l.log.blocks, [toHex(hashOf(blockB)), { bytes, header }]]),
        },
      };
      l = deliver(l, prepareMsg(spec, [keyOf(spec, 1)], hashOf(blockA))).state;
      l = deliver(l, prepareMsg(spec, [keyOf(spec, 2)], hashOf(blockA))).state;
      return deliver(l, commitMsg(spec, [keyOf(spec, 1)], blockA)).state;
    };
    const detecting = deliver(toPrepared(true), commitMsg(spec, [keyOf(spec, 1)], blockB));
    assert.equal(detecting.outcome.result, "ignored");
    const evidence = detecting.effects.find((x) => x.kind === "evidence");
    assert.ok(evidence !== undefined && evidence.kind === "evidence");
    const slots = spec.validators.flatMap((v) =>
      v.keys.map((k) => ({ publicKey: k.publicKey, ecdsaAddress: v.account }))
    );
    checkDoubleSignEvidence(spec.network, evidence.record, slots);
    // As in Harmony (the check is commented out), without the option the second vote is a duplicate.
    const plain = deliver(toPrepared(false), commitMsg(spec, [keyOf(spec, 1)], blockB));
    assert.equal(plain.outcome.result === "ignored" && plain.outcome.reason, "fbft/already-voted");
    assert.equal(sent(plain.effects, MSG.COMMITTED).length, 0);
  },
);
