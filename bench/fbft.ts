/**
 * One full FBFT round in one process, against the BLS work the round cannot avoid.
 *
 * For committees of 4, 50 and 250 single-key validators (one node per key), the round runs the
 * spec's `step` for every node: the leader announces; every validator checks ANNOUNCE and sends
 * PREPARE; the leader checks every PREPARE and sends PREPARED; every validator checks it and sends
 * COMMIT; the leader checks every COMMIT and sends COMMITTED; every validator checks it and
 * commits; the leader's grace timer fires and it finishes with the final COMMITTED. Nothing is
 * skipped: every signature is made and every check is done, from bytes.
 *
 * The baseline, measured in the same run, is the BLS work the protocol requires of a committee
 * of `n` keys, done with the BLS primitives directly:
 * - signatures: each key signs its PREPARE and its COMMIT (`2n`), and the leader signs ANNOUNCE,
 *   PREPARED and COMMITTED (3);
 * - single verifications (signature decoded from bytes): each validator checks the message
 *   signatures of ANNOUNCE, PREPARED and COMMITTED (`3(n−1)`), and the leader checks every
 *   PREPARE and COMMIT (`2(n−1)`);
 * - aggregate verifications over a bitmap: each validator checks the prepare and the commit
 *   certificate, and the proposed header's last-commit certificate (the header rule every
 *   validator applies to a proposal, here through the chain layer's validity predicate):
 *   `3(n−1)`.
 * The measured round is the third block (from height 3 on the commit certificate is checked by
 * every validator; Harmony's engine skips that check while the head is block 0 or 1).
 * Target: round ≤ 1.5 × baseline.
 *
 * @module
 */
import { initialState, step } from "../spec/consensus/fbft.ts";
import type { FbftEffect, FbftState } from "../spec/consensus/state.ts";
import { MSG } from "../spec/consensus/messages.ts";
import { blsSignHash, blsVerifyHash } from "../spec/crypto/bls.ts";
import { blsCommittee, blsMaskFromIndices, blsVerifyMaskedHash } from "../spec/crypto/bls-mask.ts";
import { BLS_GROUP_ORDER } from "../spec/crypto/bls-map.ts";
import { bigintToFixedBytesLE, bytesToBigintLE } from "../spec/encoding/bytes.ts";
import {
  simAccount,
  simChainAdapter,
  type SimChainSpec,
  simGenesisView,
  simNetwork,
  simProposal,
  simSigner,
} from "../src/sim/chain.ts";
import process from "node:process";
import type { Bench } from "./main.ts";
import { measure, ratio, report } from "./harness.ts";

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark set-up is wrong: ${what}`);
}

function setup(n: number) {
  const spec: SimChainSpec = {
    network: simNetwork(0n, null), // staking rules: 48-byte commit payload, staked quorum
    shardId: 0n,
    epochLength: 1000n,
    validators: Array.from({ length: n }, (_, i) => ({
      account: simAccount(i),
      keys: [simSigner(BigInt(i + 1))],
      stake: BigInt(100 + i),
    })),
  };
  const adapter = simChainAdapter(spec);
  const view = simGenesisView(spec);
  let states = spec.validators.map((v) =>
    initialState({
      network: spec.network,
      shardId: 0n,
      keys: v.keys,
      aggregateSig: true,
      chain: adapter,
      detectDoubleSign: false,
    }, view)
  );
  // Two rounds first: from height 3 on, validators also check the commit certificate against
  // the chain's header rule (Harmony skips it while the head is block 0 or 1).
  const leaderKey = spec.validators[0].keys[0].publicKey;
  let lastCommit: Uint8Array = new Uint8Array(0);
  for (let h = 1n; h <= 2n; h++) {
    const block = simProposal(spec, states[0].chain, leaderKey, h, lastCommit, 100n * h);
    const r = round(states, block);
    states = r.states;
    lastCommit = r.commitSig;
  }
  const block = simProposal(spec, states[0].chain, leaderKey, 3n, lastCommit, 300n);
  return { spec, states, block };
}

function frames(effects: FbftEffect[], type: number): Uint8Array[] {
  return effects.flatMap((e) => (e.kind === "send" && e.type === type ? [e.frame] : []));
}

/** Every validator handles one frame; returns their new states and the frames they send. */
function toValidators(states: FbftState[], frame: Uint8Array, reply: number) {
  const out: Uint8Array[] = [];
  const next = states.map((s, i) => {
    if (i === 0) return s;
    const r = step(s, { kind: "message", frame, now: 1000n });
    out.push(...frames(r.effects, reply));
    return r.state;
  });
  return { states: next, out };
}

/** The leader handles votes; returns its state and what it sent. */
function toLeader(leader: FbftState, votes: Uint8Array[], type: number) {
  const sentFrames: Uint8Array[] = [];
  let effects: FbftEffect[] = [];
  for (const f of votes) {
    const r = step(leader, { kind: "message", frame: f, now: 1000n });
    leader = r.state;
    sentFrames.push(...frames(r.effects, type));
    effects = effects.concat(r.effects);
  }
  return { leader, sent: sentFrames, effects };
}

/** One full round; returns the states after it and the final commit certificate. */
function round(
  states0: FbftState[],
  block: Uint8Array,
): { states: FbftState[]; commitSig: Uint8Array } {
  let r = step(states0[0], { kind: "proposal", block, now: 0n });
  let leader = r.state;
  const announce = frames(r.effects, MSG.ANNOUNCE)[0];
  let v = toValidators(states0, announce, MSG.PREPARE);
  const p = toLeader(leader, v.out, MSG.PREPARED);
  leader = p.leader;
  v = toValidators(v.states, p.sent[0], MSG.COMMIT);
  const c = toLeader(leader, v.out, MSG.COMMITTED);
  leader = c.leader;
  const done = toValidators(v.states, c.sent[0], MSG.COMMIT);
  r = step(leader, { kind: "timeout", timer: "commitGrace", now: 2000n });
  const final = r.effects.find((e) => e.kind === "commitSig");
  check(final !== undefined && final.kind === "commitSig", "the final commit happened");
  const commitSig = final !== undefined && final.kind === "commitSig"
    ? final.commitSig
    : new Uint8Array(0);
  return { states: [r.state, ...done.states.slice(1)], commitSig };
}

/** The required BLS work of one round of `n` keys, done with the primitives. */
function baseline(n: number): () => void {
  const keys = Array.from({ length: n }, (_, i) => simSigner(BigInt(i + 1)));
  const committee = blsCommittee(keys.map((k) => k.publicKey));
  const message = new Uint8Array(48).map((_, i) => i + 1);
  const sig = blsSignHash(keys[0].secretKey, message);
  const quorum = Math.floor((2 * n) / 3) + 1;
  const bitmap = blsMaskFromIndices(n, Array.from({ length: quorum }, (_, i) => i));
  const agg = blsSignHash(sumOfSecretKeys(keys.slice(0, quorum)), message);
  check(blsVerifyMaskedHash(committee, bitmap, message, agg), "aggregate verifies");
  return () => {
    for (let i = 0; i < 2 * n + 3; i++) blsSignHash(keys[i % n].secretKey, message);
    for (let i = 0; i < 5 * (n - 1); i++) blsVerifyHash(keys[0].publicKey, message, sig);
    for (let i = 0; i < 3 * (n - 1); i++) blsVerifyMaskedHash(committee, bitmap, message, agg);
  };
}

/** The secret key whose signature equals the sum of the keys' signatures. */
function sumOfSecretKeys(keys: { secretKey: Uint8Array }[]): Uint8Array {
  let sum = 0n;
  for (const k of keys) sum = (sum + bytesToBigintLE(k.secretKey)) % BLS_GROUP_ORDER;
  return bigintToFixedBytesLE(sum, 32);
}

/** Committee sizes; `FBFT_BENCH_SIZES=4,50` picks others. */
const SIZES = (process.env.FBFT_BENCH_SIZES ?? "4,50,250").split(",").map(Number);

export const bench: Bench = {
  name: "fbft",
  run(): boolean {
    let allMet = true;
    for (const n of SIZES) {
      const { states, block } = setup(n);
      const next = states[0].blockNum + 1n;
      check(round(states, block).states.every((x) => x.blockNum === next), "every node commits");
      const samples = n >= 250 ? 1 : n >= 50 ? 3 : 7;
      const t = measure(
        `FBFT round, ${n} keys (announce → committed)`,
        () => round(states, block),
        { samples, minMs: 0 },
      );
      const b = measure(`required BLS work of a ${n}-key round (baseline)`, baseline(n), {
        samples,
        minMs: 0,
      });
      report(t);
      report(b);
      allMet = ratio(`${n}-key round / required BLS work`, t.msPerOp / b.msPerOp, { max: 1.5 }) &&
        allMet;
    }
    return allMet;
  },
};
