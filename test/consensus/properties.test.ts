/**
 * Properties of one validator's state machine under arbitrary sequences of leader messages and
 * timeouts, each shown to catch a deliberately broken rule:
 * - a validator never sends two different PREPAREs (or COMMITs) for one height and view;
 * - a validator commits a block only with a quorum certificate that verifies (from Staking on, and
 *   once its head is past block 1: before that Harmony's engine skips the check, and before Staking
 *   its verifier accepts any bitmap of a committee of four or more, see `certificate.ts`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { EMPTY_LOG } from "../../spec/consensus/fbft-log.ts";
import { step } from "../../spec/consensus/fbft.ts";
import {
  constructConsensusMessage,
  decodeHarmonyMessage,
  type HarmonyMessage,
  MSG,
} from "../../spec/consensus/messages.ts";
import type { QuorumPolicy } from "../../spec/consensus/quorum.ts";
import type { FbftEvent, FbftState, StepResult } from "../../spec/consensus/state.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { commitCertified } from "../../spec/invariants.ts";
import { DEC_ONE, DEC_ZERO } from "../../spec/numeric/decimal.ts";
import { decodeSimBlock, simProposal } from "../../src/sim/chain.ts";
import { catches, holds } from "../support/property.ts";
import { commitCert, committeeSpec, frame, keyOf, nodeAt, prepareCert, round } from "./fixtures.ts";

/** BLS is slow in JavaScript: these tests get minutes, not the default seconds. */
const SLOW = { timeout: 600_000 };

const SPEC = committeeSpec(4, 0n); // Staking from epoch 0: the staked verifier checks quorum
const LEADER = keyOf(SPEC, 0);
const COMMITTEE = nodeAt(SPEC, 0).ctx.committee;

function msg(
  type: number,
  block: Uint8Array,
  viewId: bigint,
  payload: Uint8Array,
  withBlock: boolean,
): HarmonyMessage {
  const h = decodeSimBlock(block).header;
  return constructConsensusMessage(type, round(viewId, h.number, h.hash), [LEADER], COMMITTEE, {
    block: withBlock ? block : undefined,
    payload,
  });
}

/** Honest messages that finish one block on top of a validator's chain. */
function finishBlock(s: FbftState, viewId: bigint, time: bigint): FbftState {
  const block = simProposal(SPEC, s.chain, LEADER.publicKey, viewId, s.chain.headCommitSig, time);
  const h = decodeSimBlock(block).header;
  for (
    const m of [
      msg(MSG.ANNOUNCE, block, viewId, h.hash, true),
      msg(MSG.PREPARED, block, viewId, prepareCert(SPEC, [0, 1, 2], h.hash), true),
      msg(MSG.COMMITTED, block, viewId, commitCert(SPEC, [0, 1, 2], block), false),
    ]
  ) s = step(s, { kind: "message", frame: frame(m), now: time * 1000n }).state;
  return s;
}

/** Validator 1 after blocks 1 and 2, in view 3 at height 3. */
const AT_HEIGHT_3 = finishBlock(finishBlock(nodeAt(SPEC, 1), 1n, 10n), 2n, 20n);

/** For views 3 and 4: two blocks each (the leader equivocates); only the first is prepared. */
const POOL: FbftEvent[] = (() => {
  const events: FbftEvent[] = [];
  for (const viewId of [3n, 4n]) {
    const [a, b] = ["a", "b"].map((body) =>
      simProposal(
        SPEC,
        AT_HEIGHT_3.chain,
        LEADER.publicKey,
        viewId,
        AT_HEIGHT_3.chain.headCommitSig,
        30n,
        true,
        new TextEncoder().encode(body),
      )
    );
    const ha = decodeSimBlock(a).header.hash;
    const hb = decodeSimBlock(b).header.hash;
    for (
      const m of [
        msg(MSG.ANNOUNCE, a, viewId, ha, true),
        msg(MSG.ANNOUNCE, b, viewId, hb, true),
        msg(MSG.PREPARED, a, viewId, prepareCert(SPEC, [0, 1, 2], ha), true),
        msg(MSG.COMMITTED, a, viewId, commitCert(SPEC, [0, 1, 2], a), false),
        msg(MSG.COMMITTED, a, viewId, commitCert(SPEC, [0, 1], a), false), // no quorum
        msg(MSG.COMMITTED, b, viewId, commitCert(SPEC, [0], b), false), // no quorum
      ]
    ) events.push({ kind: "message", frame: frame(m), now: 40_000n });
  }
  events.push({ kind: "timeout", timer: "consensus", now: 100_000n });
  return events;
})();

type Step = (s: FbftState, e: FbftEvent) => StepResult;

function runSequence(stepFn: Step, picks: number[]) {
  let s = AT_HEIGHT_3;
  const results: StepResult[] = [];
  for (const i of picks) {
    const r = stepFn(s, POOL[i]);
    results.push(r);
    s = r.state;
  }
  return results;
}

const sequences = fc.array(fc.integer({ min: 0, max: POOL.length - 1 }), {
  minLength: 1,
  maxLength: 7,
});

/** The votes a run sent: (type, height, view) → distinct payloads. */
function votesOf(results: StepResult[]): Map<string, Set<string>> {
  const votes = new Map<string, Set<string>>();
  for (const r of results) {
    for (const e of r.effects) {
      if (e.kind !== "send" || (e.type !== MSG.PREPARE && e.type !== MSG.COMMIT)) continue;
      const m = decodeHarmonyMessage(e.frame.subarray(6));
      if (m.request.kind !== "consensus") continue;
      const c = m.request.consensus;
      const key = `${e.type}/${c.blockNum}/${c.viewId}`;
      votes.set(key, (votes.get(key) ?? new Set()).add(toHex(c.payload)));
    }
  }
  return votes;
}

const oneVotePerRound = (stepFn: Step) =>
  fc.property(sequences, (picks) => {
    for (const [key, payloads] of votesOf(runSequence(stepFn, picks))) {
      assert.equal(payloads.size, 1, `two different votes for ${key}`);
    }
  });

test(
  "property: a validator never sends two different PREPAREs or COMMITs for one height and view",
  SLOW,
  () => {
    holds(oneVotePerRound(step), 25);
  },
);

test(
  "…and it catches a validator that forgets its log (so it misses the equivocating ANNOUNCE)",
  SLOW,
  () => {
    const forgetful: Step = (s, e) => step({ ...s, log: EMPTY_LOG }, e);
    catches(oneVotePerRound(forgetful), 60);
  },
);

/** The true committee and quorum rule, independent of the node's state. */
const TRUE_CONTEXT = nodeAt(SPEC, 0).ctx;

const commitsOnlyWithQuorum = (stepFn: Step) =>
  fc.property(sequences, (picks) => {
    for (const r of runSequence(stepFn, picks)) {
      for (const e of r.effects) {
        if (e.kind !== "committed") continue;
        assert.equal(
          commitCertified(SPEC.network, TRUE_CONTEXT, e.block.header, e.commitSig),
          true,
        );
      }
    }
  });

test("property: a validator commits only with a quorum certificate that verifies", SLOW, () => {
  holds(commitsOnlyWithQuorum(step), 25);
});

test(
  "before Staking, Harmony's header verifier lets one signature finalize a block (observation)",
  SLOW,
  () => {
    const pre = committeeSpec(4);
    let s = nodeAt(pre, 1);
    const leader = keyOf(pre, 0);
    const onto = (st: FbftState, viewId: bigint) => {
      const block = simProposal(
        pre,
        st.chain,
        leader.publicKey,
        viewId,
        st.chain.headCommitSig,
        10n * viewId,
      );
      const h = decodeSimBlock(block).header;
      const c = nodeAt(pre, 0).ctx.committee;
      const m = (type: number, payload: Uint8Array, withBlock: boolean) =>
        frame(
          constructConsensusMessage(type, round(viewId, h.number, h.hash), [leader], c, {
            block: withBlock ? block : undefined,
            payload,
          }),
        );
      return { block, m };
    };
    for (const v of [1n, 2n]) {
      const { block, m } = onto(s, v);
      for (
        const f of [
          m(MSG.ANNOUNCE, decodeSimBlock(block).header.hash, true),
          m(MSG.PREPARED, prepareCert(pre, [0, 1, 2], decodeSimBlock(block).header.hash), true),
          m(MSG.COMMITTED, commitCert(pre, [0, 1, 2], block), false),
        ]
      ) {
        s = step(s, { kind: "message", frame: f, now: 0n }).state;
      }
    }
    const { block, m } = onto(s, 3n);
    s = step(s, {
      kind: "message",
      frame: m(MSG.ANNOUNCE, decodeSimBlock(block).header.hash, true),
      now: 0n,
    }).state;
    const r = step(s, {
      kind: "message",
      frame: m(MSG.COMMITTED, commitCert(pre, [0], block), false),
      now: 0n,
    });
    assert.ok(
      r.effects.some((e) => e.kind === "committed"),
      "block 3 committed with one signature of four",
    );
  },
);

test(
  "…and it catches a node whose committee believes one key holds all the voting power",
  SLOW,
  () => {
    const voters = new Map(COMMITTEE.publicKeys.map((k, i) => [toHex(k), {
      overallPercent: i === 0 ? DEC_ONE : DEC_ZERO,
      earningAccount: new Uint8Array(20),
      isHarmonyNode: false,
    }]));
    const brokenPolicy: QuorumPolicy = { kind: "staked", roster: { voters } };
    const broken: Step = (s, e) => {
      const ctx = { ...s.ctx, policy: brokenPolicy };
      const chain = { ...s.config.chain, epochContext: () => ctx };
      return step({ ...s, ctx, config: { ...s.config, chain } }, e);
    };
    catches(commitsOnlyWithQuorum(broken), 60);
  },
);
