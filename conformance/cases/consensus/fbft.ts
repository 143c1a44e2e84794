/**
 * Conformance cases for the `fbft` runner: the bytes consensus signatures sign, the outcome of a
 * received message (accepted, ignored or rejected, with the reason), and multi-step sequences of
 * several nodes (a normal round, view changes with and without a prepared block, a NEWVIEW with a
 * bad certificate). The format is in `conformance/formats/fbft.md`.
 *
 * Where the expectations come from, never from the spec: payload bytes are written out by hand
 * from Harmony's layouts (`ConstructCommitPayload`, `NIL`, the view-ID bytes); signatures are
 * checked with mcl-wasm; outcomes, reasons and the messages a node sends are the Go handlers'
 * behaviour restated (`validateShardBoundMessage`, `HandleMessageUpdate`, `onAnnounce`,
 * `onPrepared`, `onCommitted`, `onPrepare`, `onCommit`, `onViewChange`, `onNewView`), and block
 * hashes are those of the blocks the cases build.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  commitPayload,
  m1Payload,
  NIL_PAYLOAD,
  preparePayload,
  viewIdPayload,
} from "../../../spec/consensus/payloads.ts";
import { initialState, step } from "../../../spec/consensus/fbft.ts";
import {
  aggregateSignHash,
  encodeP2pFrame,
  MSG,
  signHarmonyMessage,
} from "../../../spec/consensus/messages.ts";
import type { FbftEvent, FbftState, TimerKind } from "../../../spec/consensus/state.ts";
import { blsPublicKey } from "../../../spec/crypto/bls.ts";
import { bytesToBigint, concatBytes, fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import type { Data } from "../../cbor.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { inputBytes as bytes, inputUint as uint } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  simAccount,
  simChainAdapter,
  type SimChainSpec,
  simGenesisView,
  simNetwork,
} from "../../../src/sim/chain.ts";
import { mclSignHash } from "../../../test/support/mcl-oracle.ts";
import {
  announceMsg,
  block1,
  commitMsg,
  committedMsg,
  committeeSpec,
  frame,
  hashOf,
  keyOf,
  newViewMsg,
  preparedMsg,
  prepareMsg,
  viewChangeM1Msg,
  viewChangeMsg,
} from "../../../test/consensus/fixtures.ts";

// ---------------------------------------------------------------- reading inputs

function text(inputs: DecodedFields, name: string): string {
  const v = inputs[name];
  if (typeof v !== "string") throw new Error(`input ${name} must be text`);
  return v;
}
function flag(inputs: DecodedFields, name: string): boolean {
  const v = inputs[name];
  if (typeof v !== "boolean") throw new Error(`input ${name} must be a boolean`);
  return v;
}
function list(inputs: DecodedFields, name: string): DecodedFields[] {
  const v = inputs[name];
  if (!Array.isArray(v)) throw new Error(`input ${name} must be a list`);
  return v as DecodedFields[];
}
// ---------------------------------------------------------------- payloads

/** The features a payload case runs under: Staking from epoch 0, or never. */
function features(staking: boolean) {
  return simNetwork(staking ? 0n : null, null);
}

const payloadsHandler: Handler = {
  runner: "fbft",
  handler: "payloads",
  preset: "general",
  config: {},
  covers: [
    "preparePayload",
    "commitPayload",
    "m1Payload",
    "viewIdPayload",
    "NIL_PAYLOAD",
    "aggregateSignHash",
  ],
  run(inputs) {
    const kind = text(inputs, "kind");
    let payload: Uint8Array;
    if (kind === "prepare") payload = preparePayload(bytes(inputs, "block_hash"));
    else if (kind === "commit") {
      const net = features(flag(inputs, "staking"));
      payload = commitPayload(
        net,
        0n,
        bytes(inputs, "block_hash"),
        uint(inputs, "block_num"),
        uint(inputs, "view_id"),
      );
    } else if (kind === "m1") {
      payload = m1Payload(bytes(inputs, "block_hash"), bytes(inputs, "prepared"));
    } else if (kind === "m2") payload = NIL_PAYLOAD;
    else if (kind === "m3") payload = viewIdPayload(uint(inputs, "view_id"));
    else throw new Error(`unknown kind ${kind}`);
    const signature = aggregateSignHash([{
      secretKey: bytes(inputs, "secret_key"),
      publicKey: new Uint8Array(48),
    }], payload);
    return { payload, signature };
  },
};

const SK = fromHex("2a" + "00".repeat(31)); // the secret key 42, little-endian
const H32 = fromHex("ab".repeat(32));

function payloadCase(name: string, description: string, inputs: Fields, payloadHex: string): Case {
  return {
    name,
    description,
    inputs: { secret_key: SK, ...inputs },
    check(out) {
      assert.equal(toHex(out.payload as Uint8Array), payloadHex);
      assert.equal(
        toHex(out.signature as Uint8Array),
        toHex(mclSignHash(SK, fromHex(payloadHex))!),
      );
    },
  };
}

const PAYLOAD_CASES: Case[] = [
  payloadCase("prepare_signs_block_hash", "PREPARE signs the 32-byte block hash itself.", {
    kind: "prepare",
    block_hash: H32,
  }, "ab".repeat(32)),
  payloadCase(
    "commit_before_staking",
    "Before Staking the commit payload is uint64_LE(blockNum) ‖ blockHash (40 bytes).",
    { kind: "commit", staking: false, block_hash: H32, block_num: 0x0102n, view_id: 7n },
    "0201000000000000" + "ab".repeat(32),
  ),
  payloadCase(
    "commit_from_staking",
    "From Staking the commit payload also carries uint64_LE(viewID) (48 bytes).",
    { kind: "commit", staking: true, block_hash: H32, block_num: 0x0102n, view_id: 0x0a0bn },
    "0201000000000000" + "ab".repeat(32) + "0b0a000000000000",
  ),
  payloadCase(
    "m1_hash_and_prepare_certificate",
    "M1 signs blockHash ‖ prepare signature ‖ bitmap; SignHash reads only its first 48 bytes.",
    { kind: "m1", block_hash: H32, prepared: fromHex("cd".repeat(96) + "07") },
    "ab".repeat(32) + "cd".repeat(96) + "07",
  ),
  payloadCase("m2_nil", "M2 signs NIL = [0x01].", { kind: "m2" }, "01"),
  payloadCase(
    "m3_view_id",
    "M3 signs uint64_LE(viewID).",
    { kind: "m3", view_id: 24n },
    "1800000000000000",
  ),
];

// ---------------------------------------------------------------- node scenarios

/** The simulated chain of a scenario: single-key validators with equal stakes. */
function chainSpec(secretKeys: Uint8Array[], staking: boolean): SimChainSpec {
  return {
    network: simNetwork(staking ? 0n : null, null),
    shardId: 0n,
    epochLength: 1000n,
    validators: secretKeys.map((sk, i) => ({
      account: simAccount(i),
      keys: [{ secretKey: sk, publicKey: blsPublicKey(sk) }],
      stake: 100n,
    })),
  };
}

function nodes(spec: SimChainSpec): FbftState[] {
  const chain = simChainAdapter(spec);
  return spec.validators.map((v) =>
    initialState({
      network: spec.network,
      shardId: 0n,
      keys: v.keys,
      aggregateSig: true,
      chain,
      detectDoubleSign: false,
    }, simGenesisView(spec))
  );
}

function eventOf(s: DecodedFields): FbftEvent {
  const now = uint(s, "now");
  const kind = text(s, "kind");
  if (kind === "message") return { kind, frame: bytes(s, "bytes"), now };
  if (kind === "proposal") return { kind, block: bytes(s, "bytes"), now };
  if (kind === "timeout") return { kind, timer: text(s, "timer") as TimerKind, now };
  if (kind === "start") return { kind, now };
  throw new Error(`unknown step kind ${kind}`);
}

/** What a step shows: outcome, messages sent, blocks committed, the node's round. */
function stepOutput(states: FbftState[], s: DecodedFields): Fields {
  const i = Number(uint(s, "node"));
  const r = step(states[i], eventOf(s));
  states[i] = r.state;
  const sent = r.effects.flatMap((e) => (e.kind === "send" ? [e.type] : []));
  const committed = r.effects.flatMap((e) => (e.kind === "committed" ? [e.block.header.hash] : []));
  return {
    result: r.outcome.result,
    reason: r.outcome.result === "accepted" ? "" : r.outcome.reason,
    sent,
    committed,
    mode: r.state.mode,
    block_num: r.state.blockNum,
    view_id: r.state.blockViewId,
  };
}

function scenarioNodes(inputs: DecodedFields): FbftState[] {
  const keys = inputs.committee_secret_keys as Uint8Array[];
  return nodes(chainSpec(keys, flag(inputs, "staking")));
}

const validationHandler: Handler = {
  runner: "fbft",
  handler: "message_validation",
  preset: "general",
  config: {},
  covers: [
    "step",
    "admitMessage",
    "onAnnounce",
    "onPrepared",
    "onCommitted",
    "onPrepare",
    "onCommit",
  ],
  run(inputs) {
    const states = scenarioNodes(inputs);
    for (const s of list(inputs, "prelude")) stepOutput(states, s);
    const out = stepOutput(states, inputs.step as DecodedFields);
    return { result: out.result, reason: out.reason, sent: out.sent };
  },
};

const sequencesHandler: Handler = {
  runner: "fbft",
  handler: "sequences",
  preset: "general",
  config: {},
  covers: [
    "step",
    "startViewChange",
    "onViewChange",
    "startNewView",
    "onNewView",
    "selfCommit",
    "finalCommit",
  ],
  run(inputs) {
    const states = scenarioNodes(inputs);
    return { steps: list(inputs, "steps").map((s) => stepOutput(states, s) as Data) };
  },
};

// ---------------------------------------------------------------- scenario data

const SPEC4 = committeeSpec(4);
const KEYS = [0, 1, 2, 3].map((i) => keyOf(SPEC4, i));
const SECRETS = KEYS.map((k) => k.secretKey);
const BLOCK = block1(SPEC4, KEYS[0]);
const HASH = hashOf(BLOCK);
const NOW = 1_000_000n;

function msgStep(node: number, m: Uint8Array | Parameters<typeof frame>[0], now = NOW): Fields {
  return {
    node: BigInt(node),
    kind: "message",
    bytes: m instanceof Uint8Array ? m : frame(m),
    now,
  };
}
function timeoutStep(node: number, timer: TimerKind = "consensus", now = NOW): Fields {
  return { node: BigInt(node), kind: "timeout", timer, now };
}
function proposalStep(node: number, block: Uint8Array, now = 0n): Fields {
  return { node: BigInt(node), kind: "proposal", bytes: block, now };
}

function validation(
  name: string,
  description: string,
  prelude: Fields[],
  last: Fields,
  expect: { result: string; reason: string; sent: number[] },
): Case {
  return {
    name,
    description,
    inputs: { staking: false, committee_secret_keys: SECRETS, prelude, step: last },
    expect: expect as unknown as Fields,
  };
}

const accepted = (sent: number[]) => ({ result: "accepted", reason: "", sent });
const ignoredFor = (reason: string) => ({ result: "ignored", reason, sent: [] });
const rejectedFor = (reason: string) => ({ result: "rejected", reason, sent: [] });

const ANNOUNCE = announceMsg(SPEC4, KEYS[0], BLOCK);
/** The leader's ANNOUNCE with its message signature made by another committee key. */
const misSignedAnnounce = frame(signHarmonyMessage(ANNOUNCE, KEYS[2]));
const wrongShard = (() => {
  if (ANNOUNCE.request.kind !== "consensus") throw new Error("consensus");
  return frame({
    ...ANNOUNCE,
    request: { kind: "consensus", consensus: { ...ANNOUNCE.request.consensus, shardId: 1n } },
  });
})();

const VALIDATION_CASES: Case[] = [
  validation(
    "announce_valid",
    "A validator accepts the leader's ANNOUNCE and sends PREPARE.",
    [],
    msgStep(1, ANNOUNCE),
    accepted([MSG.PREPARE]),
  ),
  validation(
    "announce_not_from_leader",
    "ANNOUNCE signed by a non-leader key is rejected.",
    [],
    msgStep(1, announceMsg(SPEC4, KEYS[2], BLOCK)),
    rejectedFor("fbft/sender-not-leader"),
  ),
  validation(
    "announce_bad_message_signature",
    "The leader's ANNOUNCE with a message signature by another key is rejected.",
    [],
    msgStep(1, misSignedAnnounce),
    rejectedFor("fbft/bad-message-signature"),
  ),
  validation(
    "announce_wrong_shard",
    "A message for another shard is rejected by the p2p validator.",
    [],
    msgStep(1, wrongShard),
    rejectedFor("fbft/wrong-shard"),
  ),
  validation(
    "announce_wrong_view",
    "An ANNOUNCE for another view is logged but ignored: no PREPARE.",
    [],
    msgStep(1, announceMsg(SPEC4, KEYS[0], block1(SPEC4, KEYS[0], "", 2n), 2n)),
    ignoredFor("fbft/wrong-view-id"),
  ),
  validation(
    "announce_too_far_ahead",
    "An ANNOUNCE more than 100 blocks ahead is ignored.",
    [],
    msgStep(1, announceMsg(SPEC4, KEYS[0], BLOCK, 1n, 102n)),
    ignoredFor("fbft/wrong-block-number"),
  ),
  validation(
    "announce_at_leader",
    "The leader ignores ANNOUNCE.",
    [],
    msgStep(0, ANNOUNCE),
    ignoredFor("fbft/ignored-by-leader"),
  ),
  validation(
    "prepare_at_validator",
    "A validator ignores PREPARE.",
    [],
    msgStep(1, prepareMsg(SPEC4, [KEYS[2]], HASH)),
    ignoredFor("fbft/ignored-by-validator"),
  ),
  validation(
    "frame_too_short",
    "Five bytes are only the frame prefix: rejected.",
    [],
    msgStep(1, fromHex("1100000000")),
    rejectedFor("fbft/frame-too-short"),
  ),
  validation(
    "not_consensus_category",
    "Content whose category byte is not 0x00 is not a consensus message.",
    [],
    msgStep(1, encodeP2pFrame(fromHex("01aa"))),
    rejectedFor("fbft/not-consensus-category"),
  ),
  validation(
    "protobuf_truncated",
    "A varint cut short is rejected.",
    [],
    msgStep(1, encodeP2pFrame(fromHex("0008"))),
    rejectedFor("fbft/proto-truncated"),
  ),
  validation(
    "viewchange_in_normal_mode",
    "VIEWCHANGE is ignored outside view-changing mode.",
    [],
    msgStep(3, viewChangeMsg(KEYS[1], KEYS[3], 24n)),
    ignoredFor("fbft/ignored-outside-view-change"),
  ),
  validation(
    "prepared_valid",
    "PREPARED with a quorum certificate makes the validator COMMIT.",
    [msgStep(1, ANNOUNCE)],
    msgStep(1, preparedMsg(SPEC4, KEYS[0], BLOCK, [0, 1, 2])),
    accepted([MSG.COMMIT]),
  ),
  validation(
    "prepared_no_quorum",
    "PREPARED signed by 2 of 4 keys (below ⌊8/3⌋+1 = 3) is rejected.",
    [msgStep(1, ANNOUNCE)],
    msgStep(1, preparedMsg(SPEC4, KEYS[0], BLOCK, [0, 1])),
    rejectedFor("fbft/no-quorum"),
  ),
  validation(
    "committed_unknown_block",
    "COMMITTED for a block not in the log is kept aside and ignored.",
    [],
    msgStep(1, committedMsg(SPEC4, KEYS[0], BLOCK, [0, 1, 2])),
    ignoredFor("fbft/unknown-block"),
  ),
  validation(
    "prepare_already_voted",
    "The leader ignores a second PREPARE from the same key.",
    [proposalStep(0, BLOCK), msgStep(0, prepareMsg(SPEC4, [KEYS[1]], HASH))],
    msgStep(0, prepareMsg(SPEC4, [KEYS[1]], HASH)),
    ignoredFor("fbft/already-voted"),
  ),
  validation(
    "prepare_bad_signature",
    "A PREPARE whose signature is over another hash is rejected.",
    [proposalStep(0, BLOCK)],
    msgStep(0, prepareMsg(SPEC4, [KEYS[1]], HASH.map((b) => b ^ 1))),
    rejectedFor("fbft/bad-vote-signature"),
  ),
  validation(
    "commit_wrong_round",
    "The leader ignores a COMMIT for another view.",
    [proposalStep(0, BLOCK)],
    msgStep(0, commitMsg(SPEC4, [KEYS[1]], BLOCK, 2n)),
    ignoredFor("fbft/wrong-round"),
  ),
];

// -------- sequences

const VC_VIEW = 24n; // 1 + ⌊(1000 s − 0) / 45⌋ + 1 from a genesis at time 0, clocks at 1000 s

function sequence(
  name: string,
  description: string,
  steps: Fields[],
  check: (outs: DecodedFields[]) => void,
): Case {
  return {
    name,
    description,
    inputs: { staking: false, committee_secret_keys: SECRETS, steps },
    check: (out) => check(out.steps as DecodedFields[]),
  };
}

function sentTypes(o: DecodedFields): number[] {
  return o.sent as number[];
}

const NORMAL_ROUND = sequence(
  "normal_round",
  "Leader 0 announces block 1; validator 1 prepares; two PREPAREs make PREPARED; two COMMITs make COMMITTED; validator 1 commits.",
  [
    proposalStep(0, BLOCK),
    msgStep(1, ANNOUNCE),
    msgStep(0, prepareMsg(SPEC4, [KEYS[1]], HASH)),
    msgStep(0, prepareMsg(SPEC4, [KEYS[2]], HASH)),
    msgStep(1, preparedMsg(SPEC4, KEYS[0], BLOCK, [0, 1, 2])),
    msgStep(0, commitMsg(SPEC4, [KEYS[1]], BLOCK)),
    msgStep(0, commitMsg(SPEC4, [KEYS[2]], BLOCK)),
    msgStep(1, committedMsg(SPEC4, KEYS[0], BLOCK, [0, 1, 2])),
    timeoutStep(0, "commitGrace", 2000n),
  ],
  (o) => {
    assert.deepEqual(o.map(sentTypes), [[1], [2], [], [3], [4], [], [5], [], []]);
    assert.equal(toHex((o[6].committed as Uint8Array[])[0]), toHex(HASH));
    assert.equal(toHex((o[7].committed as Uint8Array[])[0]), toHex(HASH));
    assert.equal(bytesToBigint(o[7].block_num as Uint8Array), 2n);
    assert.equal(
      bytesToBigint(o[8].block_num as Uint8Array),
      2n,
      "the leader moves on after the final commit",
    );
  },
);

const VIEW_CHANGE_FRESH = sequence(
  "view_change_without_prepared_block",
  "Nodes time out at 1000 s; view 24, leader slot (0 + 23) mod 4 = 3; M2 from nodes 1 and 2 and its own make a quorum; NEWVIEW; node 1 follows.",
  [
    timeoutStep(1),
    timeoutStep(2),
    timeoutStep(3),
    msgStep(3, viewChangeMsg(KEYS[1], KEYS[3], VC_VIEW)),
    msgStep(3, viewChangeMsg(KEYS[2], KEYS[3], VC_VIEW)),
    msgStep(1, newViewMsg(SPEC4, KEYS[3], VC_VIEW, [1, 2, 3], [1, 2, 3])),
  ],
  (o) => {
    assert.deepEqual(o.map(sentTypes), [[6], [6], [6], [], [7], []]);
    assert.equal(o[0].mode, "viewChanging");
    assert.equal(o[4].mode, "normal");
    assert.equal(bytesToBigint(o[4].view_id as Uint8Array), VC_VIEW);
    assert.equal(o[5].result, "accepted");
    assert.equal(bytesToBigint(o[5].view_id as Uint8Array), VC_VIEW);
  },
);

const PREPARED_PAYLOAD = concatBytes(HASH, preparedCertBytes());
function preparedCertBytes(): Uint8Array {
  const m = preparedMsg(SPEC4, KEYS[0], BLOCK, [0, 1, 2]);
  return m.request.kind === "consensus" ? m.request.consensus.payload : new Uint8Array(0);
}

const VIEW_CHANGE_PREPARED = sequence(
  "view_change_with_prepared_block",
  "Node 0 prepared block 1 and fails to commit; its M1 reaches the new leader 3, which commits the block itself and carries it in NEWVIEW; node 1 COMMITs it in view 24.",
  [
    timeoutStep(3),
    msgStep(3, viewChangeM1Msg(SPEC4, KEYS[0], KEYS[3], VC_VIEW, BLOCK, [0, 1, 2])),
    msgStep(3, viewChangeMsg(KEYS[1], KEYS[3], VC_VIEW)),
    timeoutStep(1),
    msgStep(
      1,
      newViewMsg(SPEC4, KEYS[3], VC_VIEW, [0, 1, 3], [1, 3], {
        payload: PREPARED_PAYLOAD,
        block: BLOCK,
      }),
    ),
  ],
  (o) => {
    assert.deepEqual(o.map(sentTypes), [[6], [], [7], [6], [4]]);
    assert.equal(o[4].result, "accepted");
    assert.equal(bytesToBigint(o[4].view_id as Uint8Array), VC_VIEW);
  },
);

const NEWVIEW_BAD = sequence(
  "newview_bad_certificate",
  "A NEWVIEW whose M3 aggregate signs view 25 instead of 24 is rejected; one whose M3 bitmap has two keys is not a quorum.",
  [
    timeoutStep(1),
    msgStep(
      1,
      newViewMsg(SPEC4, KEYS[3], VC_VIEW, [1, 2, 3], [1, 2, 3], undefined, viewIdPayload(25n)),
    ),
    msgStep(1, newViewMsg(SPEC4, KEYS[3], VC_VIEW, [2, 3], [2, 3])),
  ],
  (o) => {
    assert.equal(o[1].result, "rejected");
    assert.equal(o[1].reason, "viewchange/bad-m3-signature");
    assert.equal(o[2].reason, "viewchange/newview-no-quorum");
    assert.equal(o[2].mode, "viewChanging");
  },
);

/** The fbft runner's suites. */
export const FBFT_SUITES: Suite[] = [
  suite(payloadsHandler, PAYLOAD_CASES),
  suite(validationHandler, VALIDATION_CASES),
  suite(sequencesHandler, [NORMAL_ROUND, VIEW_CHANGE_FRESH, VIEW_CHANGE_PREPARED, NEWVIEW_BAD]),
];
