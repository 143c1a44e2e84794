/**
 * The simulator's checks, run after every step:
 * - **safety**: no two honest nodes commit different blocks at one height;
 * - **validity**: every block an honest node commits carries a commit certificate that is a
 *   quorum of the committee (the true rule, whatever the node believes) and verifies over the
 *   block's commit payload;
 * - **accountability**: every double sign (two COMMIT votes by one key for different blocks at one
 *   height and view) seen on the network yields evidence that passes the slashing checks, and no
 *   evidence names an honest validator;
 * - **liveness** is judged at the end of a run (see `scenario.ts`).
 *
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { certificateVerifies, readCertificate } from "../../spec/consensus/certificate.ts";
import {
  type CommitVote,
  isDoubleSign,
  makeSlashRecord,
} from "../../spec/consensus/double-sign.ts";
import { decodeHarmonyMessage, MSG } from "../../spec/consensus/messages.ts";
import { commitPayload } from "../../spec/consensus/payloads.ts";
import { isQuorumByMask } from "../../spec/consensus/quorum.ts";
import type { EpochContext, FbftEffect } from "../../spec/consensus/state.ts";
import { blsMaskEnabledIndices } from "../../spec/crypto/bls-mask.ts";
import { blsDecodeSignature, blsVerifyHashPoints } from "../../spec/crypto/bls.ts";
import { bytesEqual, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import type { ShardState } from "../../spec/sharding/shard-state.ts";
import { verifySlashEvidence } from "../../spec/staking/slashing.ts";
import { simChainAdapter, simEpochOf } from "./chain.ts";
import type { SimNode, World } from "./world.ts";

/** What the checks found. */
export interface CheckLog {
  /** Violations, as text. */
  violations: string[];
  /** Height → hash (hex) of the first honest commit. */
  committed: Map<bigint, string>;
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

/** Safety and validity of a node's `committed` effects. */
export function checkCommits(w: World, log: CheckLog, node: SimNode, effects: FbftEffect[]): void {
  if (node.byzantine !== null) return;
  const adapter = simChainAdapter(w.spec);
  for (const e of effects) {
    if (e.kind !== "committed") continue;
    const h = e.block.header;
    const hash = toHex(h.hash);
    const first = log.committed.get(h.number);
    if (first === undefined) log.committed.set(h.number, hash);
    else if (first !== hash) {
      log.violations.push(`safety: height ${h.number} has ${first} and ${hash} (node ${node.id})`);
    }
    const ctx = adapter.epochContext(h.epoch);
    if (!certificateOk(w, ctx, e)) {
      log.violations.push(
        `validity: block ${h.number} committed by node ${node.id} without a quorum certificate`,
      );
    }
  }
}

function certificateOk(
  w: World,
  ctx: EpochContext,
  e: Extract<FbftEffect, { kind: "committed" }>,
): boolean {
  try {
    const cert = readCertificate(ctx.committee, e.commitSig, 0);
    const h = e.block.header;
    const payload = commitPayload(w.spec.network, h.epoch, h.hash, h.number, h.viewId);
    return isQuorumByMask(ctx.policy, ctx.committee, cert.bitmap) &&
      certificateVerifies(ctx.committee, cert, payload);
  } catch (err) {
    if (isSpecError(err)) return false;
    throw err;
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
    const offender = ctx.slots.find((s) => bytesEqual(s.publicKey, k))!.ecdsaAddress;
    if (
      w.nodes.some((n) =>
        n.byzantine === null && n.state.config.keys.some((x) => bytesEqual(x.publicKey, k))
      )
    ) {
      log.violations.push(`accountability: honest key ${toHex(k).slice(0, 12)} double-signed`);
    }
    const reporter = new Uint8Array(20).fill(0xee);
    const record = makeSlashRecord(
      earlier,
      vote,
      { epoch: ctx.epoch, shardId: w.spec.shardId },
      offender,
      reporter,
    );
    try {
      verifySlashEvidence({
        config: w.spec.network,
        record,
        currentEpoch: ctx.epoch,
        shardState: committeeState(ctx, w.spec.shardId),
      });
      const entry = `${toHex(offender)}/${vote.height}/${vote.viewId}`;
      if (!log.evidence.includes(entry)) log.evidence.push(entry);
    } catch (err) {
      if (!isSpecError(err)) throw err;
      log.violations.push(`accountability: evidence for ${id} fails ${err.code}`);
    }
  }
}
