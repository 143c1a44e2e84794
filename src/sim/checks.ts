/**
 * The simulator's checks, run after every step, each through its predicate in
 * `spec/invariants.ts`:
 * - **safety** (`commitsAgree`): no two honest nodes commit different blocks at one height;
 * - **validity** (`commitCertified`): every block an honest node commits carries a commit
 *   certificate that is a quorum of the committee (the true rule, whatever the node believes) and
 *   verifies over the block's commit payload;
 * - **accountability** (`doubleSignYieldsEvidence`, `honestNeverDoubleSign`): every double sign
 *   (two COMMIT votes by one key for different blocks at one height and view) seen on the network
 *   yields evidence that passes the slashing checks, and no evidence names an honest validator;
 * - **liveness** is judged at the end of a run (see `scenario.ts`).
 *
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { type CommitVote, isDoubleSign } from "../../spec/consensus/double-sign.ts";
import { decodeHarmonyMessage, MSG } from "../../spec/consensus/messages.ts";
import { commitPayload } from "../../spec/consensus/payloads.ts";
import type { EpochContext, FbftEffect } from "../../spec/consensus/state.ts";
import { blsMaskEnabledIndices } from "../../spec/crypto/bls-mask.ts";
import { blsDecodeSignature, blsVerifyHashPoints } from "../../spec/crypto/bls.ts";
import { bytesEqual, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import {
  commitCertified,
  type CommitRecord,
  commitsAgree,
  doubleSignYieldsEvidence,
  honestNeverDoubleSign,
} from "../../spec/invariants.ts";
import type { ShardState } from "../../spec/sharding/shard-state.ts";
import { simChainAdapter, simEpochOf } from "./chain.ts";
import type { SimNode, World } from "./world.ts";

/** What the checks found. */
export interface CheckLog {
  /** Violations, as text. */
  violations: string[];
  /** Height → the first honest commit at that height. */
  committed: Map<bigint, CommitRecord>;
  /** Double signs detected on the network, as (offender account hex, height, view). */
  evidence: string[];
  /** Verified COMMIT votes seen: key of (signer, height, view) → vote. */
  votes: Map<string, CommitVote>;
  /** Double signs that Byzantine nodes performed (key hex, height, view). */
  doubleSigns: Set<string>;
}

/** A fresh log. */
export function newCheckLog(): CheckLog {
  return {
    violations: [],
    committed: new Map(),
    evidence: [],
    votes: new Map(),
    doubleSigns: new Set(),
  };
}

/** Logs a violation once. */
function report(log: CheckLog, violation: string): void {
  if (!log.violations.includes(violation)) log.violations.push(violation);
}

/** Safety and validity of a node's `committed` effects. */
export function checkCommits(w: World, log: CheckLog, node: SimNode, effects: FbftEffect[]): void {
  if (node.byzantine !== null) return;
  const adapter = simChainAdapter(w.spec);
  for (const e of effects) {
    if (e.kind !== "committed") continue;
    const h = e.block.header;
    const record = { validator: `node ${node.id}`, height: h.number, blockHash: h.hash };
    const first = log.committed.get(h.number);
    if (first === undefined) log.committed.set(h.number, record);
    const safety = commitsAgree(first === undefined ? [record] : [first, record]);
    if (safety !== true) report(log, safety);
    const ctx = adapter.epochContext(h.epoch);
    const validity = commitCertified(w.spec.network, ctx, h, e.commitSig);
    if (validity !== true) report(log, `${validity} (node ${node.id})`);
  }
}

/** The verified vote of a COMMIT frame, or null. */
function commitVoteOf(w: World, frame: Uint8Array): CommitVote | null {
  try {
    const m = decodeHarmonyMessage(frame.subarray(6));
    if (m.type !== MSG.COMMIT || m.request.kind !== "consensus") return null;
    const c = m.request.consensus;
    const ctx = simChainAdapter(w.spec).epochContext(simEpochOf(w.spec, c.blockNum));
    const signers = c.senderPubkey.length > 0
      ? [c.senderPubkey]
      : blsMaskEnabledIndices(ctx.committee.points.length, c.senderPubkeyBitmap).map((i) =>
        ctx.committee.publicKeys[i]
      );
    let key = bls12_381.G1.Point.ZERO;
    for (const s of signers) {
      key = key.add(ctx.committee.points[ctx.committee.index.get(toHex(s))!]);
    }
    const epoch = simEpochOf(w.spec, c.blockNum);
    const payload = commitPayload(w.spec.network, epoch, c.blockHash, c.blockNum, c.viewId);
    const sig = c.payload.slice(0, 96);
    if (!blsVerifyHashPoints(key, payload, blsDecodeSignature(sig))) return null;
    return {
      signerKeys: signers,
      blockHash: c.blockHash,
      signature: sig,
      height: c.blockNum,
      viewId: c.viewId,
    };
  } catch (err) {
    if (isSpecError(err)) return null;
    throw err;
  }
}

/** The epoch's committee as the one-shard state the slashing checks look keys up in. */
function committeeState(ctx: EpochContext, shardId: bigint): ShardState {
  const slots = ctx.slots.map((s) => ({
    ecdsaAddress: s.ecdsaAddress,
    blsPublicKey: s.publicKey,
    effectiveStake: null,
  }));
  return { epoch: ctx.epoch, shards: [{ shardId, slots }] };
}

/** The keys of the honest nodes. */
function honestKeys(w: World): Uint8Array[] {
  return w.nodes.filter((n) => n.byzantine === null)
    .flatMap((n) => n.state.config.keys.map((k) => k.publicKey));
}

/** Accountability: watch COMMIT votes on the network and turn conflicts into evidence. */
export function watchCommit(w: World, log: CheckLog, frame: Uint8Array): void {
  const vote = commitVoteOf(w, frame);
  if (vote === null) return;
  const ctx = simChainAdapter(w.spec).epochContext(simEpochOf(w.spec, vote.height));
  for (const k of vote.signerKeys) {
    const id = `${toHex(k)}/${vote.height}/${vote.viewId}`;
    const earlier = log.votes.get(id);
    if (earlier === undefined) {
      log.votes.set(id, vote);
      continue;
    }
    if (!isDoubleSign(earlier, vote)) continue;
    const honest = honestNeverDoubleSign(earlier, vote, honestKeys(w));
    if (honest !== true) report(log, honest);
    const verdict = doubleSignYieldsEvidence({
      config: w.spec.network,
      first: earlier,
      second: vote,
      epoch: ctx.epoch,
      shardId: w.spec.shardId,
      shardState: committeeState(ctx, w.spec.shardId),
      reporter: new Uint8Array(20).fill(0xee),
    });
    if (verdict !== true) {
      report(log, verdict);
      continue;
    }
    const offender = ctx.slots.find((s) => bytesEqual(s.publicKey, k))!.ecdsaAddress;
    const entry = `${toHex(offender)}/${vote.height}/${vote.viewId}`;
    if (!log.evidence.includes(entry)) log.evidence.push(entry);
  }
}
