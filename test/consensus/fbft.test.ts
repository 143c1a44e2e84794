/**
 * The state machine, scenario by scenario: a normal round from the validator's and the leader's
 * side, every check a received message passes or fails, view changes with and without a
 * prepared block, and a NEWVIEW with a bad certificate. Signatures the nodes produce are checked
 * with mcl-wasm (Harmony's own BLS library), not with the spec.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  decodeHarmonyMessage,
  encodeP2pFrame,
  MSG,
  signHarmonyMessage,
} from "../../spec/consensus/messages.ts";
import { blsAggregateSignatures } from "../../spec/crypto/bls.ts";
import { commitPayload } from "../../spec/consensus/payloads.ts";
import type { FbftEffect, FbftState, StepResult } from "../../spec/consensus/state.ts";
import { blsMaskEnabledIndices } from "../../spec/crypto/bls-mask.ts";
import { concatBytes, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import {
  decodeSimBlock,
  simChainAdapter,
  simGenesisView,
  simProposal,
} from "../../src/sim/chain.ts";
import { initialState } from "../../spec/consensus/fbft.ts";
import { mclAggregatePublicKeys, mclVerifyHash } from "../support/mcl-oracle.ts";
import {
  announceMsg,
  block1,
  commitMsg,
  committedMsg,
  committeeSpec,
  deliver,
  hashOf,
  keyOf,
  nodeAt,
  prepareCert,
  preparedMsg,
  prepareMsg,
  run,
  sent,
  viewChangeMsg,
} from "./fixtures.ts";

/** BLS is slow in JavaScript: these tests get minutes, not the default seconds. */
const SLOW = { timeout: 600_000 };

const SPEC = committeeSpec(4);
const [K0, K1, K2, K3] = [0, 1, 2, 3].map((i) => keyOf(SPEC, i));
const BLOCK = block1(SPEC, K0);
const HASH = hashOf(BLOCK);

function payloadOf(frame: Uint8Array): Uint8Array {
  const m = decodeHarmonyMessage(frame.subarray(6));
  if (m.request.kind === "consensus") return m.request.consensus.payload;
  throw new Error("not a consensus request");
}
function outcome(r: StepResult): string {
  return r.outcome.result === "accepted" ? "accepted" : `${r.outcome.result} ${r.outcome.reason}`;
}
/** Checks `sig ‖ bitmap` with mcl: the bitmap's keys signed the message. */
function mclCertificateOk(cert: Uint8Array, message: Uint8Array, n = 4): boolean {
  const signers = blsMaskEnabledIndices(n, cert.subarray(96)).map((i) => keyOf(SPEC, i).publicKey);
  return mclVerifyHash(mclAggregatePublicKeys(signers)!, message, cert.subarray(0, 96));
}
function effectsOf(r: StepResult, kind: FbftEffect["kind"]) {
  return r.effects.filter((e) => e.kind === kind);
}

// ---------------------------------------------------------------- a normal round

test(
  "normal round, validator: ANNOUNCE → PREPARE, PREPARED → COMMIT, COMMITTED → committed",
  SLOW,
  () => {
    let v = nodeAt(SPEC, 1);
    let r = deliver(v, announceMsg(SPEC, K0, BLOCK));
    assert.equal(outcome(r), "accepted");
    const prepares = sent(r.effects, MSG.PREPARE);
    assert.equal(prepares.length, 1);
    assert.ok(
      mclVerifyHash(K1.publicKey, HASH, payloadOf(prepares[0])),
      "PREPARE signs the block hash",
    );
    v = r.state;
    assert.equal(v.phase, "prepare");

    r = deliver(v, preparedMsg(SPEC, K0, BLOCK, [0, 1, 2]));
    assert.equal(outcome(r), "accepted");
    const commits = sent(r.effects, MSG.COMMIT);
    const h = decodeSimBlock(BLOCK).header;
    const signed = commitPayload(SPEC.network, 0n, HASH, 1n, h.viewId);
    assert.equal(signed.length, 40, "pre-staking commit payload: number and hash");
    assert.ok(
      mclVerifyHash(K1.publicKey, signed, payloadOf(commits[0])),
      "COMMIT signs the payload",
    );
    v = r.state;
    assert.equal(v.phase, "commit");

    r = deliver(v, committedMsg(SPEC, K0, BLOCK, [0, 1, 2]));
    assert.equal(outcome(r), "accepted");
    const committed = effectsOf(r, "committed");
    assert.equal(committed.length, 1);
    assert.equal(r.state.blockNum, 2n);
    assert.equal(r.state.blockViewId, 2n, "the next view is the COMMITTED's view + 1");
    assert.equal(r.state.phase, "announce");
  },
);

test(
  "normal round, leader: own votes count, PREPARED at quorum, COMMITTED then final commit",
  SLOW,
  () => {
    let l = nodeAt(SPEC, 0);
    let r = run(l, { kind: "start", now: 0n });
    const propose = effectsOf(r, "propose")[0];
    assert.ok(propose !== undefined && propose.kind === "propose" && propose.blockNum === 1n);
    r = run(r.state, { kind: "proposal", block: BLOCK, now: 0n });
    assert.equal(sent(r.effects, MSG.ANNOUNCE).length, 1);
    l = r.state;
    assert.equal(l.prepare.byKey.size, 1, "the leader's own PREPARE");

    r = deliver(l, prepareMsg(SPEC, [K1], HASH));
    assert.equal(sent(r.effects, MSG.PREPARED).length, 0, "2 of 4 is below ⌊8/3⌋+1 = 3");
    r = deliver(r.state, prepareMsg(SPEC, [K2], HASH));
    const prepared = sent(r.effects, MSG.PREPARED);
    assert.equal(prepared.length, 1);
    const cert = payloadOf(prepared[0]);
    assert.deepEqual(blsMaskEnabledIndices(4, cert.subarray(96)), [0, 1, 2]);
    assert.ok(mclCertificateOk(cert, HASH));
    l = r.state;
    assert.equal(l.phase, "commit");
    assert.equal(l.commit.byKey.size, 1, "the leader's own COMMIT");

    // A late PREPARE for the same round is a duplicate key only if it voted; K3 did not.
    r = deliver(l, prepareMsg(SPEC, [K1], HASH));
    assert.equal(outcome(r), "ignored fbft/already-voted");

    r = deliver(l, commitMsg(SPEC, [K1], BLOCK));
    assert.equal(effectsOf(r, "prepare").length, 0, "not before the commit quorum");
    r = deliver(r.state, commitMsg(SPEC, [K2], BLOCK));
    const committed = sent(r.effects, MSG.COMMITTED);
    assert.equal(committed.length, 1);
    const h = decodeSimBlock(BLOCK).header;
    assert.ok(
      mclCertificateOk(
        payloadOf(committed[0]),
        commitPayload(SPEC.network, 0n, HASH, 1n, h.viewId),
      ),
    );
    assert.equal(effectsOf(r, "committed").length, 1, "pre-commit inserts the block");
    assert.deepEqual(
      effectsOf(r, "prepare").map((e) => e.kind === "prepare" && e.blockNum),
      [2n],
      "the leader starts building block 2 during the grace period (Go AsyncProposal)",
    );
    const grace = effectsOf(r, "startTimer").find((e) =>
      e.kind === "startTimer" && e.timer === "commitGrace"
    );
    assert.ok(grace !== undefined);

    // A fourth COMMIT during the grace period is still counted.
    r = deliver(r.state, commitMsg(SPEC, [K3], BLOCK));
    assert.equal(outcome(r), "accepted");
    r = run(r.state, { kind: "timeout", timer: "commitGrace", now: 5_000n });
    const finalSig = effectsOf(r, "commitSig")[0];
    assert.ok(finalSig !== undefined && finalSig.kind === "commitSig");
    assert.deepEqual(blsMaskEnabledIndices(4, finalSig.commitSig.subarray(96)), [0, 1, 2, 3]);
    assert.equal(r.state.blockNum, 2n);
    const next = effectsOf(r, "propose")[0];
    assert.ok(
      next !== undefined && next.kind === "propose" &&
        toHex(next.lastCommitSig) === toHex(finalSig.commitSig),
    );
  },
);

test(
  "multi-key validator: one PREPARE with a sender bitmap and the aggregate of its keys",
  SLOW,
  () => {
    const spec = committeeSpec(3);
    spec.validators[1] = {
      ...spec.validators[1],
      keys: [keyOf(spec, 1), keyOf(committeeSpec(4), 3)],
    };
    const v = nodeAt(spec, 1);
    const leader = keyOf(spec, 0);
    const block = block1(spec, leader);
    const r = deliver(v, announceMsg(spec, leader, block));
    const prepares = sent(r.effects, MSG.PREPARE);
    assert.equal(prepares.length, 1);
    const m = decodeHarmonyMessage(prepares[0].subarray(6));
    assert.ok(m.request.kind === "consensus");
    if (m.request.kind !== "consensus") return;
    assert.equal(toHex(m.request.consensus.senderPubkeyBitmap), "06", "slots 1 and 2 of 4");
    const keys = spec.validators[1].keys.map((k) => k.publicKey);
    assert.ok(
      mclVerifyHash(mclAggregatePublicKeys(keys)!, hashOf(block), m.request.consensus.payload),
    );
    // The leader accepts it as one ballot filed under both keys.
    let l = nodeAt(spec, 0);
    l = run(l, { kind: "proposal", block, now: 0n }).state;
    const lr = deliver(l, prepares[0]);
    assert.equal(lr.state.prepare.byKey.size, 3);
    assert.equal(sent(lr.effects, MSG.PREPARED).length, 1, "3 of 4 keys is a quorum");
  },
);

// ---------------------------------------------------------------- checks on received messages

test("validation: each refused message gets its reason", SLOW, () => {
  const v = nodeAt(SPEC, 1);
  const good = announceMsg(SPEC, K0, BLOCK);
  const cases: [string, Uint8Array | ReturnType<typeof announceMsg>, string][] = [
    ["frame too short", fromHex("1100000000"), "rejected fbft/frame-too-short"],
    ["node category", encodeP2pFrame(fromHex("01aa")), "rejected fbft/not-consensus-category"],
    ["bad protobuf", encodeP2pFrame(fromHex("0008")), "rejected fbft/proto-truncated"],
    ["not the leader", announceMsg(SPEC, K2, BLOCK), "rejected fbft/sender-not-leader"],
    ["PREPARE to a validator", prepareMsg(SPEC, [K2], HASH), "ignored fbft/ignored-by-validator"],
    [
      "VIEWCHANGE in normal mode",
      viewChangeMsg(K2, K3, 5n),
      "ignored fbft/ignored-outside-view-change",
    ],
    [
      "view 2 while in view 1",
      announceMsg(SPEC, K0, block1(SPEC, K0, "", 2n), 2n),
      "ignored fbft/wrong-view-id",
    ],
    ["block 102", announceMsg(SPEC, K0, BLOCK, 1n, 102n), "ignored fbft/wrong-block-number"],
    ["PREPARED without quorum", preparedMsg(SPEC, K0, BLOCK, [0, 1]), "rejected fbft/no-quorum"],
    [
      "COMMITTED for an unknown block",
      committedMsg(SPEC, K0, BLOCK, [0, 1, 2]),
      "ignored fbft/unknown-block",
    ],
  ];
  for (const [what, m, want] of cases) assert.equal(outcome(deliver(v, m)), want, what);

  const tampered = { ...good, signature: good.signature.slice() };
  tampered.signature[0] ^= 1;
  assert.match(outcome(deliver(v, tampered)), /^rejected (fbft\/bad-message-signature|bls\/)/);
  if (good.request.kind !== "consensus") throw new Error("consensus");
  const wrongShard = {
    ...good,
    request: { kind: "consensus" as const, consensus: { ...good.request.consensus, shardId: 1n } },
  };
  assert.equal(outcome(deliver(v, wrongShard)), "rejected fbft/wrong-shard");
  const stranger = {
    ...good,
    request: {
      kind: "consensus" as const,
      consensus: { ...good.request.consensus, senderPubkey: keyOf(committeeSpec(6), 5).publicKey },
    },
  };
  assert.equal(outcome(deliver(v, stranger)), "rejected fbft/sender-not-in-committee");
  const later: FbftState = { ...v, blockViewId: 10n };
  assert.equal(outcome(deliver(later, good)), "rejected fbft/view-id-too-old");
  const badCert = preparedMsg(SPEC, K0, BLOCK, [0, 1, 2]);
  if (badCert.request.kind !== "consensus") throw new Error("consensus");
  const otherHash = prepareCert(SPEC, [0, 1, 2], new Uint8Array(32).fill(9));
  const forged = {
    ...badCert,
    request: {
      kind: "consensus" as const,
      consensus: { ...badCert.request.consensus, payload: otherHash },
    },
  };
  assert.match(
    outcome(deliver(v, forged)),
    /rejected fbft\/(bad-quorum-signature|bad-message-signature)/,
  );
  // The leader ignores leader messages.
  const l = nodeAt(SPEC, 0);
  assert.equal(outcome(deliver(l, good)), "ignored fbft/ignored-by-leader");
});

test(
  "validation: a second ANNOUNCE with another block in the same view starts a view change",
  SLOW,
  () => {
    let v = nodeAt(SPEC, 1);
    v = deliver(v, announceMsg(SPEC, K0, BLOCK)).state;
    const other = block1(SPEC, K0, "equivocation");
    const r = deliver(v, announceMsg(SPEC, K0, other), 60_000n);
    assert.equal(r.state.mode, "viewChanging");
    assert.equal(sent(r.effects, MSG.PREPARE).length, 0, "no second PREPARE");
    assert.equal(sent(r.effects, MSG.VIEWCHANGE).length, 1);
  },
);

// ---------------------------------------------------------------- view change

/** Times every node out at `now` and returns the states and their VIEWCHANGE frames. */
function allTimeOut(states: FbftState[], now: bigint) {
  const frames: Uint8Array[][] = [];
  const out = states.map((s) => {
    const r = run(s, { kind: "timeout", timer: "consensus", now });
    frames.push(sent(r.effects, MSG.VIEWCHANGE));
    return r.state;
  });
  return { states: out, frames };
}

test(
  "view change without a prepared block: M2 from a quorum, NEWVIEW, a fresh block in view 24",
  SLOW,
  () => {
    const now = 1_000_000n; // 1000 s after the genesis time 0: view 1 + ⌊1000/45⌋ + 1 = 24
    const { states, frames } = allTimeOut([0, 1, 2, 3].map((i) => nodeAt(SPEC, i)), now);
    assert.equal(states[1].viewChangingId, 24n);
    // getNextLeaderKey: gap 23 from the genesis leader (slot 0): slot (0 + 23) mod 4 = 3.
    assert.equal(toHex(states[1].leaderKey), toHex(K3.publicKey));
    let leader = states[3];
    let r = deliver(leader, frames[1][0], now);
    assert.equal(outcome(r), "accepted");
    leader = r.state;
    r = deliver(leader, frames[2][0], now);
    const newView = sent(r.effects, MSG.NEWVIEW);
    assert.equal(newView.length, 1, "own M3 + two = 3 of 4");
    assert.equal(r.state.mode, "normal");
    assert.equal(r.state.blockViewId, 24n);
    const propose = effectsOf(r, "propose")[0];
    assert.ok(propose !== undefined && propose.kind === "propose" && propose.viewId === 24n);
    // A validator accepts the NEWVIEW and follows the new leader.
    const v = deliver(states[1], newView[0], now);
    assert.equal(outcome(v), "accepted");
    assert.equal(v.state.mode, "normal");
    assert.equal(v.state.blockViewId, 24n);
    assert.equal(toHex(v.state.leaderKey), toHex(K3.publicKey));
    // The new leader's block in view 24 is prepared by the validator.
    const block = simProposal(SPEC, r.state.chain, K3.publicKey, 24n, new Uint8Array(0), 1000n);
    const a = deliver(v.state, announceMsg(SPEC, K3, block, 24n), now);
    assert.equal(sent(a.effects, MSG.PREPARE).length, 1);
  },
);

test("view change with a prepared block: the new leader carries it over with M1", SLOW, () => {
  // The old leader prepared the block but no COMMIT reached it.
  let l = run(nodeAt(SPEC, 0), { kind: "proposal", block: BLOCK, now: 0n }).state;
  l = deliver(l, prepareMsg(SPEC, [K1], HASH)).state;
  l = deliver(l, prepareMsg(SPEC, [K2], HASH)).state;
  const now = 1_000_000n;
  const { states, frames } = allTimeOut(
    [l, nodeAt(SPEC, 1), nodeAt(SPEC, 2), nodeAt(SPEC, 3)],
    now,
  );
  const m1 = decodeHarmonyMessage(frames[0][0].subarray(6));
  assert.ok(
    m1.request.kind === "viewchange" && m1.request.viewchange.payload.length === 32 + 96 + 1,
  );
  let leader = states[3];
  leader = deliver(leader, frames[0][0], now).state; // M1 from the old leader
  const r = deliver(leader, frames[1][0], now); // M2
  const newView = sent(r.effects, MSG.NEWVIEW);
  assert.equal(newView.length, 1);
  assert.equal(r.state.phase, "commit", "selfCommit: the new leader commits the carried block");
  assert.equal(toHex(r.state.blockHash), toHex(HASH));
  const nv = decodeHarmonyMessage(newView[0].subarray(6));
  assert.ok(nv.request.kind === "viewchange");
  if (nv.request.kind !== "viewchange") return;
  assert.equal(toHex(nv.request.viewchange.preparedBlock), toHex(BLOCK));
  // A validator receiving NEWVIEW commits the carried block; the payload keeps the header's view.
  const v = deliver(states[1], newView[0], now);
  assert.equal(outcome(v), "accepted");
  const commits = sent(v.effects, MSG.COMMIT);
  assert.equal(commits.length, 1);
  const signed = commitPayload(SPEC.network, 0n, HASH, 1n, 1n);
  assert.ok(mclVerifyHash(K1.publicKey, signed, payloadOf(commits[0])));
  const cm = decodeHarmonyMessage(commits[0].subarray(6));
  assert.ok(cm.request.kind === "consensus" && cm.request.consensus.viewId === 24n);
  // The new leader reaches the commit quorum with its own vote and two more.
  let nl = deliver(r.state, commits[0], now);
  const v2 = deliver(states[2], newView[0], now);
  nl = deliver(nl.state, sent(v2.effects, MSG.COMMIT)[0], now);
  const committed = effectsOf(nl, "committed");
  assert.equal(committed.length, 1);
  assert.ok(
    committed[0].kind === "committed" && toHex(committed[0].block.header.hash) === toHex(HASH),
  );
});

test("NEWVIEW with a bad certificate is rejected", SLOW, () => {
  const now = 1_000_000n;
  const { states, frames } = allTimeOut([0, 1, 2, 3].map((i) => nodeAt(SPEC, i)), now);
  let leader = deliver(states[3], frames[1][0], now).state;
  const r = deliver(leader, frames[2][0], now);
  const good = decodeHarmonyMessage(sent(r.effects, MSG.NEWVIEW)[0].subarray(6));
  if (good.request.kind !== "viewchange") throw new Error("viewchange");
  const vc = good.request.viewchange;
  const resign = (fields: Partial<typeof vc>) => {
    const m = {
      ...good,
      request: { kind: "viewchange" as const, viewchange: { ...vc, ...fields } },
    };
    return signed(m);
  };
  const signed = (m: typeof good) => signHarmonyMessage(m, K3);
  // M3 aggregate over another view ID.
  const otherView = viewChangeMsg(K1, K3, 25n);
  if (otherView.request.kind !== "viewchange") throw new Error("viewchange");
  const badSig = resign({ m3Aggsigs: otherView.request.viewchange.viewidSig });
  assert.equal(outcome(deliver(states[1], badSig, now)), "rejected viewchange/bad-m3-signature");
  // M3 bitmap of two keys (a valid signature of two, but not a quorum).
  const two = concatBytes(fromHex("06"));
  const twoSig = viewChangeMsg(K1, K3, 24n);
  const twoSig2 = viewChangeMsg(K2, K3, 24n);
  if (twoSig.request.kind !== "viewchange" || twoSig2.request.kind !== "viewchange") {
    throw new Error("vc");
  }
  const agg = blsAggregateSignatures([
    twoSig.request.viewchange.viewidSig,
    twoSig2.request.viewchange.viewidSig,
  ]);
  const noQuorum = resign({
    m3Aggsigs: agg,
    m3Bitmap: two,
    m2Aggsigs: new Uint8Array(0),
    m2Bitmap: new Uint8Array(0),
  });
  assert.equal(outcome(deliver(states[1], noQuorum, now)), "rejected viewchange/newview-no-quorum");
  // Without M3.
  const noM3 = resign({ m3Aggsigs: new Uint8Array(0), m3Bitmap: new Uint8Array(0) });
  assert.equal(outcome(deliver(states[1], noM3, now)), "rejected viewchange/m3-missing");
  leader = r.state;
  assert.equal(leader.mode, "normal");
});

test("at genesis the committee is epoch 0's even though the genesis header carries a shard state", () => {
  const spec = committeeSpec(4);
  const adapter = simChainAdapter(spec);
  const asked: bigint[] = [];
  const genesis = simGenesisView(spec);
  const withShardState = { ...genesis, head: { ...genesis.head, isLastInEpoch: true } };
  const state = initialState({
    network: spec.network,
    shardId: spec.shardId,
    keys: spec.validators[0].keys,
    aggregateSig: true,
    chain: { ...adapter, epochContext: (e) => (asked.push(e), adapter.epochContext(e)) },
    detectDoubleSign: false,
  }, withShardState);
  assert.deepEqual(asked, [0n]);
  assert.equal(state.ctx.epoch, 0n);
});
