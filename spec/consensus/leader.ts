/**
 * The leader's side of a round: ANNOUNCE, collecting PREPARE and COMMIT votes, PREPARED and
 * COMMITTED.
 *
 * 1. **Announce** (Go `announce`): when its proposal is ready (a block at least at the current
 *    height), the leader records the block as the candidate, signs ANNOUNCE (block, payload = the
 *    hash), logs it, and casts its own PREPARE vote for each of its committee keys (one ballot per
 *    key). It moves to phase Prepare.
 * 2. **PREPARE** (Go `onPrepare`): the vote must be for the current height and view; none of its
 *    keys may have voted; its 96-byte signature must verify under the sum of the sender keys over
 *    the *leader's* candidate hash (the message's own hash field is not compared); the ballot box
 *    must accept it (`ballots.ts`). On the first transition to quorum — or on the first foreign
 *    vote when the leader's own keys already made a quorum — the leader sends PREPARED
 *    (`aggregate ‖ prepareBitmap`, the block again), adds its own COMMIT votes and moves to phase
 *    Commit.
 * 3. **COMMIT** (Go `onCommit`): same height, view and duplicate checks; the block named by the
 *    message's hash must be in the log, and the signature must verify over that block's commit
 *    payload. On the quorum transition the block is marked verified and, unless it is the last
 *    block of its epoch, pre-committed: COMMITTED is sent with the signatures so far and the block
 *    is inserted; unless leadership rotates to another node's key, the `prepare` effect asks for
 *    the next block to be built meanwhile (Go's `AsyncProposal`). After a grace period
 *    (`max(1 s, nextBlockDue − now − 200 ms)`, the `commitGrace` timer) the *final* commit builds
 *    COMMITTED from every vote collected, stores it as the block's commit signature, inserts the
 *    block if it was not yet, and sets up the next round.
 *
 * Every aggregate the leader sends is checked again first (Go `verifyLastCommitSig`).
 *
 * The final COMMITTED is broadcast only when the leader's key changed hands meanwhile or the block
 * ends its epoch; otherwise Go queues it for retries only (not modelled) and hands the signature to
 * the next proposal (the `propose` effect's `lastCommitSig`).
 *
 * **Double-sign report** (spec option, off in Harmony): with `detectDoubleSign`, a COMMIT whose
 * key already voted for another block of the same height and view, whose signature verifies over
 * that other block's commit payload (so the block must be in the leader's log), yields an
 * `evidence` effect.
 *
 * @see github.com/harmony-one/harmony consensus/leader.go `announce`, `onPrepare`, `onCommit`
 * @see github.com/harmony-one/harmony consensus/threshold.go `didReachPrepareQuorum`
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `preCommitAndPropose`,
 *   `finalCommit`, `verifyLastCommitSig`, `commitBlock`
 * @module
 */
import {
  BLS_SIGNATURE_BYTES,
  type BlsG2Point,
  blsSumPublicKeys,
  blsVerifyHashPoints,
} from "../crypto/bls.ts";
import { blsVerifyMaskedHashPoint } from "../crypto/bls-mask.ts";
import { bytesEqual, concatBytes, toHex } from "../encoding/bytes.ts";
import type { SpecErrorCode } from "../errors.ts";
import {
  addNewVote,
  aggregateVotes,
  type Ballot,
  type BallotBox,
  ballotsCountOf,
  isQuorumAchieved,
  signersCount,
} from "./ballots.ts";
import { blockPeriodMs, insertBlock, proposeEffect, setupForNewConsensus } from "./commit.ts";
import { type CommitVote, isDoubleSign, makeSlashRecord } from "./double-sign.ts";
import { logAddBlock, logAddMessage, logBlock, logMarkVerified } from "./fbft-log.ts";
import {
  constructConsensusMessage,
  type HarmonyMessage,
  MSG,
  readSignatureField,
} from "./messages.ts";
import {
  ACCEPTED,
  attempt,
  commitPayloadOf,
  committeeSigners,
  finish,
  ignored,
  isMyKey,
  leaderSigner,
  ownBallot,
  rejected,
  roundFields,
  send,
  startTimer,
  withKeys,
} from "./round.ts";
import {
  type Block,
  type FbftEffect,
  type FbftState,
  type StepResult,
  TIMEOUTS,
  type Transition,
} from "./state.ts";
import { isActive } from "../params/features.ts";
import { rotateLeader } from "./rotation.ts";
import type { FbftMessage } from "./validate.ts";
import { addOwnCommitVotes } from "./view-change.ts";

/** A leader message built from the current round (ANNOUNCE, PREPARED, COMMITTED). */
function leaderMessage(
  state: FbftState,
  type: number,
  body: { block?: Uint8Array; payload: Uint8Array },
): HarmonyMessage {
  const me = leaderSigner(state)!;
  return constructConsensusMessage(type, roundFields(state), [me], state.ctx.committee, body);
}

/** A leader message as the log keeps it. */
function loggedLeaderMessage(state: FbftState, m: HarmonyMessage, payload: Uint8Array) {
  return {
    type: m.type,
    viewId: state.blockViewId,
    blockNum: state.blockNum,
    blockHash: state.blockHash,
    senderKeys: [leaderSigner(state)!.publicKey],
    senderBitmap: new Uint8Array(0),
    payload,
    verified: true,
  };
}

/** The leader's own PREPARE votes (one ballot per committee key); a refused vote stops them. */
function ownPrepareVotes(state: FbftState, block: Block): FbftState | SpecErrorCode {
  let s = state;
  for (const key of committeeSigners(s)) {
    const ballot = ownBallot(key, block.header.hash, block.header);
    s = { ...s, prepareBitmap: withKeys(s, s.prepareBitmap, [key.publicKey]) };
    const vote = attempt(() => addNewVote(s.ctx.policy, s.prepare, ballot));
    if (!vote.ok) return vote.code; // Go returns from announce without sending
    s = { ...s, prepare: vote.value };
  }
  return s;
}

/**
 * The leader announces its proposal (Go `BlockChannel` and `announce`).
 *
 * @param state the state
 * @param blockBytes the proposed block's RLP
 * @param nowMs the clock
 * @returns the step result
 */
export function announce(state: FbftState, blockBytes: Uint8Array, nowMs: bigint): StepResult {
  const decoded = attempt(() => state.config.chain.decodeBlock(blockBytes));
  if (!decoded.ok) return finish(state, [], rejected(decoded.code));
  const block = decoded.value;
  if (block.header.number < state.blockNum) return finish(state, [], ignored("fbft/old-proposal"));
  if (leaderSigner(state) === undefined) return finish(state, [], ignored("fbft/not-leader"));
  const nextBlockDueMs = nowMs + blockPeriodMs(state, block.header.epoch);
  let s: FbftState = { ...state, blockHash: block.header.hash, block: blockBytes, nextBlockDueMs };
  const message = leaderMessage(s, MSG.ANNOUNCE, { block: blockBytes, payload: block.header.hash });
  const log = logAddBlock(
    logAddMessage(s.log, loggedLeaderMessage(s, message, block.header.hash)),
    block,
  );
  s = { ...s, log };
  const voted = ownPrepareVotes(s, block);
  if (typeof voted === "string") return finish(s, [], rejected(voted));
  return finish({ ...voted, phase: "prepare" }, [send(message)]);
}

/** Whether all the votes in a box are the node's own (Go `checkFirstReceivedSignature`). */
function onlyOwnVotes(state: FbftState, box: BallotBox): boolean {
  const mine = state.config.keys.map((k) => toHex(k.publicKey));
  return signersCount(box) === ballotsCountOf(box, mine);
}

/** Outcome class of a refused vote: an already-voted key is ignored, anything else rejected. */
function voteRefusal(code: SpecErrorCode) {
  return code === "fbft/already-voted" ? ignored(code) : rejected(code);
}

/**
 * The leader's handling of PREPARE (Go `onPrepare`).
 *
 * @param state the state
 * @param msg the parsed message
 * @returns the step result
 */
export function onPrepare(state: FbftState, msg: FbftMessage): StepResult {
  if (msg.viewId !== state.blockViewId || msg.blockNum !== state.blockNum) {
    return finish(state, [], ignored("fbft/wrong-round"));
  }
  if (msg.senderKeys.some((k) => state.prepare.byKey.has(toHex(k)))) {
    return finish(state, [], ignored("fbft/already-voted"));
  }
  const n = state.ctx.committee.points.length;
  const firstForeign = onlyOwnVotes(state, state.prepare);
  const before = isQuorumAchieved(state.ctx.policy, n, state.prepare);
  const sig = attempt(() => readSignatureField(msg.payload));
  if (!sig.ok) return finish(state, [], rejected(sig.code));
  if (!blsVerifyHashPoints(blsSumPublicKeys(msg.senderPoints), state.blockHash, sig.value)) {
    return finish(state, [], rejected("fbft/bad-vote-signature"));
  }
  const vote = attempt(() => addNewVote(state.ctx.policy, state.prepare, ballotOf(msg, sig.value)));
  if (!vote.ok) return finish(state, [], voteRefusal(vote.code));
  const s = {
    ...state,
    prepare: vote.value,
    prepareBitmap: withKeys(state, state.prepareBitmap, msg.senderKeys),
  };
  const after = isQuorumAchieved(s.ctx.policy, n, s.prepare);
  if ((firstForeign && before) || (!before && after)) return didReachPrepareQuorum(s);
  return finish(s, []);
}

/**
 * The leader reached a prepare quorum (Go `didReachPrepareQuorum`): PREPARED, then its own
 * COMMIT votes, phase Commit.
 *
 * @param state the state
 * @returns the step result
 */
export function didReachPrepareQuorum(state: FbftState): StepResult {
  if (leaderSigner(state) === undefined) return finish(state, [], ignored("fbft/not-leader"));
  const payload = concatBytes(aggregateVotes(state.prepare), state.prepareBitmap);
  const message = leaderMessage(state, MSG.PREPARED, { block: state.block, payload });
  let s = { ...state, log: logAddMessage(state.log, loggedLeaderMessage(state, message, payload)) };
  const decoded = attempt(() => s.config.chain.decodeBlock(s.block));
  if (!decoded.ok) return finish(s, [], rejected(decoded.code));
  s = addOwnCommitVotes(s, decoded.value);
  return finish({ ...s, phase: "commit" }, [send(message)]);
}

/** Checks an aggregate the leader is about to send (Go `verifyLastCommitSig`). */
function aggregateVerifies(state: FbftState, signature: Uint8Array, block: Block): boolean {
  const sig = attempt(() => readSignatureField(signature));
  if (!sig.ok) return false;
  const payload = commitPayloadOf(state, block.header);
  return blsVerifyMaskedHashPoint(state.ctx.committee, state.commitBitmap, payload, sig.value);
}

/** COMMITTED from the votes so far, logged. */
function committedNow(
  state: FbftState,
): { state: FbftState; message: HarmonyMessage; payload: Uint8Array } {
  const payload = concatBytes(aggregateVotes(state.commit), state.commitBitmap);
  const message = leaderMessage(state, MSG.COMMITTED, { payload });
  const log = logAddMessage(state.log, loggedLeaderMessage(state, message, payload));
  return { state: { ...state, log }, message, payload };
}

/**
 * Sends COMMITTED with the quorum's signatures and inserts the block before the grace period,
 * then asks for the next block to be prepared unless leadership rotates to a key of another node
 * (Go `preCommitAndPropose` and its `AsyncProposal`).
 *
 * @param state the state
 * @param block the committed block
 * @returns the state and effects (nothing sent when the aggregate fails its check)
 * @throws {SpecError} the codes of `rotateLeader`
 */
export function preCommit(
  state: FbftState,
  block: Block,
): Transition {
  if (leaderSigner(state) === undefined) return { state, effects: [] };
  const built = committedNow(state);
  if (!aggregateVerifies(built.state, built.payload, block)) {
    return { state: built.state, effects: [] };
  }
  const inserted = insertBlock(built.state, block, built.payload);
  const effects: FbftEffect[] = [
    send(built.message),
    ...inserted.effects,
    startTimer("consensus", TIMEOUTS.phaseMs),
  ];
  if (leadsNext(inserted.state, block.header.epoch)) {
    effects.push({ kind: "prepare", blockNum: block.header.number + 1n });
  }
  return { state: inserted.state, effects };
}

/**
 * Whether this node leads the block after the one just inserted: always without rotation (the
 * leader stays), else when `rotateLeader` picks one of its keys.
 */
function leadsNext(state: FbftState, epoch: bigint): boolean {
  if (!isActive(state.config.network, "LeaderRotationInternalValidators", epoch)) return true;
  return isMyKey(state, rotateLeader(state, epoch, state.leaderKey));
}

/**
 * A received vote as the ballot box files it: its senders, block hash, height and view, and its
 * signature (the payload's first 96 bytes), decoded as `point`.
 */
function ballotOf(msg: FbftMessage, point: BlsG2Point): Ballot {
  return {
    signerKeys: msg.senderKeys,
    blockHash: msg.blockHash,
    signature: msg.payload.slice(0, BLS_SIGNATURE_BYTES),
    signaturePoint: point,
    height: msg.blockNum,
    viewId: msg.viewId,
  };
}

/** The leader's COMMIT double-sign report (spec option; see the module notes). */
function doubleSignReport(state: FbftState, second: CommitVote, block: Block): FbftEffect[] {
  for (const k of second.signerKeys) {
    const ballot = state.commit.byKey.get(toHex(k));
    if (ballot === undefined) continue;
    const first: CommitVote = { ...ballot, signerKeys: ballot.signerKeys };
    if (!isDoubleSign(first, second)) continue;
    const slot = state.ctx.slots.find((x) => bytesEqual(x.publicKey, k));
    const reporter = state.ctx.slots.find((x) => bytesEqual(x.publicKey, state.leaderKey));
    if (slot === undefined || reporter === undefined) continue;
    const where = { epoch: block.header.epoch, shardId: state.config.shardId };
    return [{
      kind: "evidence",
      record: makeSlashRecord(first, second, where, slot.ecdsaAddress, reporter.ecdsaAddress),
    }];
  }
  return [];
}

/** Verifies a COMMIT's signature against the block its hash names. */
function checkCommitVote(state: FbftState, msg: FbftMessage) {
  const sig = attempt(() => readSignatureField(msg.payload));
  if (!sig.ok) return { outcome: rejected(sig.code) } as const;
  const block = logBlock(state.log, msg.blockHash);
  if (block === undefined) return { outcome: ignored("fbft/unknown-block") } as const;
  const payload = commitPayloadOf(state, block.header);
  if (!blsVerifyHashPoints(blsSumPublicKeys(msg.senderPoints), payload, sig.value)) {
    return { outcome: rejected("fbft/bad-vote-signature") } as const;
  }
  return { sig: sig.value, block } as const;
}

/**
 * The leader's handling of COMMIT (Go `onCommit`).
 *
 * @param state the state
 * @param msg the parsed message
 * @param nowMs the clock (for the grace period)
 * @returns the step result
 */
export function onCommit(state: FbftState, msg: FbftMessage, nowMs: bigint): StepResult {
  if (msg.viewId !== state.blockViewId || msg.blockNum !== state.blockNum) {
    return finish(state, [], ignored("fbft/wrong-round"));
  }
  const voted = msg.senderKeys.some((k) => state.commit.byKey.has(toHex(k)));
  if (voted && state.config.detectDoubleSign) {
    const checked = checkCommitVote(state, msg);
    if ("outcome" in checked) return finish(state, [], checked.outcome);
    const report = doubleSignReport(state, ballotOf(msg, checked.sig), checked.block);
    if (report.length > 0) return finish(state, report, ignored("fbft/double-sign"));
  }
  if (voted) return finish(state, [], ignored("fbft/already-voted"));
  const n = state.ctx.committee.points.length;
  const before = isQuorumAchieved(state.ctx.policy, n, state.commit);
  const firstForeign = onlyOwnVotes(state, state.commit);
  const checked = checkCommitVote(state, msg);
  if ("outcome" in checked) return finish(state, [], checked.outcome);
  const vote = attempt(() =>
    addNewVote(state.ctx.policy, state.commit, ballotOf(msg, checked.sig))
  );
  if (!vote.ok) return finish(state, [], voteRefusal(vote.code));
  const s = {
    ...state,
    commit: vote.value,
    commitBitmap: withKeys(state, state.commitBitmap, msg.senderKeys),
  };
  const after = isQuorumAchieved(s.ctx.policy, n, s.commit);
  if ((firstForeign && before) || (!before && after)) return commitQuorum(s, checked.block, nowMs);
  return finish(s, []);
}

/** The commit quorum transition: mark, pre-commit, and start the grace timer. */
function commitQuorum(state: FbftState, block: Block, nowMs: bigint): StepResult {
  let s: FbftState = { ...state, log: logMarkVerified(state.log, block.header.hash) };
  const effects: FbftEffect[] = [];
  if (!block.header.isLastInEpoch) {
    const pre = preCommit(s, block);
    s = pre.state;
    effects.push(...pre.effects);
  }
  s = { ...s, finalCommit: { viewId: s.blockViewId, wasLeader: leaderSigner(s) !== undefined } };
  effects.push(startTimer("commitGrace", commitGraceMs(s, nowMs)));
  return finish(s, effects);
}

/**
 * The grace period before the final commit (Go `onCommit`): `max(1 s, nextBlockDue − now − 200 ms)`.
 *
 * @param state the state (when the next block is due)
 * @param nowMs the clock
 * @returns milliseconds
 */
export function commitGraceMs(state: FbftState, nowMs: bigint): bigint {
  const untilDue = state.nextBlockDueMs - nowMs - TIMEOUTS.commitGraceMarginMs;
  return untilDue > TIMEOUTS.minCommitGraceMs ? untilDue : TIMEOUTS.minCommitGraceMs;
}

/**
 * The final commit after the grace period (Go `finalCommit`).
 *
 * @param state the state
 * @returns the step result
 */
export function finalCommit(state: FbftState): StepResult {
  const pending = state.finalCommit;
  if (pending === null) return finish(state, [], ignored("fbft/stale-timer"));
  let s: FbftState = { ...state, finalCommit: null };
  if (pending.viewId !== s.blockViewId) return finish(s, []);
  if (leaderSigner(s) === undefined) return finish(s, [], ignored("fbft/not-leader"));
  const built = committedNow(s);
  s = built.state;
  const block = logBlock(s.log, s.blockHash);
  if (block === undefined) return finish(s, [], ignored("fbft/unknown-block"));
  if (!aggregateVerifies(s, built.payload, block)) {
    return finish(s, [], rejected("fbft/commit-sig-not-verified"));
  }
  const effects: FbftEffect[] = [{
    kind: "commitSig",
    blockNum: block.header.number,
    commitSig: built.payload,
  }];
  if (!pending.wasLeader || block.header.isLastInEpoch) {
    effects.push(send(built.message), startTimer("consensus", TIMEOUTS.phaseMs));
  }
  const inserted = insertBlock(s, block, built.payload);
  s = { ...inserted.state, chain: { ...inserted.state.chain, headCommitSig: built.payload } };
  effects.push(...inserted.effects);
  const sender = leaderSigner(s)!.publicKey;
  const setup = setupForNewConsensus(s, block, s.blockViewId, sender);
  s = setup.state;
  let delay = setup.proposeDelayMs;
  const rotation = s.config.network.features.LeaderRotationInternalValidators;
  const rotating = rotation !== null && rotation <= block.header.epoch;
  const pipelined = !block.header.isLastInEpoch || !rotating;
  if (delay === null && pending.wasLeader && pipelined && leaderSigner(s) !== undefined) delay = 0n;
  if (delay !== null) effects.push(proposeEffect(s, delay));
  return finish(s, effects, ACCEPTED);
}
