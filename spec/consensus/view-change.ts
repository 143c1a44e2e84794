/**
 * View change: replacing a leader that fails to finish a block.
 *
 * **Trigger.** A node starts a view change when its consensus timer (27 s), its bootstrap timer
 * (120 s) or its view-change timer expires, or when the leader sends two different ANNOUNCEs for
 * one height and view. Timers are events here; their durations are data ({@link TIMEOUTS}).
 *
 * **Next view ID** ({@link nextViewId}, Go `getNextViewID`), from the head header `H` and the
 * node's clock `now` (seconds): when `now > H.time`, it is
 * `H.viewID + 1 + (⌊(now − H.time) / 45⌋ + 1)` and the view-change timer runs 27 s, so nodes whose
 * clocks fall in the same 45-second slot pick the same view; otherwise (a clock not after the
 * block time) it is `viewChangingID + 1` and the timer runs `d² · 27 s`, with
 * `d = viewChangingID + 1 − blockViewID` (at least 1).
 *
 * **Next leader** ({@link nextLeaderKey}, Go `getNextLeaderKey`): from the head's proposer (read
 * from its coinbase; participant 0 when the head is the last block of its epoch), step
 * `gap = viewID − (H.viewID + 1)` places with the selector the head epoch's features call for
 * (`rotation.ts`).
 *
 * **VIEWCHANGE** (one per committee key, never aggregated): `view_id` = the new view, the sender,
 * the expected leader, and two signatures: M1 (over `blockHash ‖ prepareCertificate`, with the
 * prepared block attached) when the node holds a PREPARED for the current height whose block it
 * has and which verifies, else M2 (over `NIL`); and M3 (over `uint64_LE(viewID)`).
 *
 * **The new leader** collects them (Go `onViewChange`, `ProcessViewChangeMsg`, `InitPayload`):
 * it adds its own M1/M2 and M3 once per view, refuses duplicates, verifies each signature, and for
 * an M1 also verifies the carried prepare certificate (quorum and aggregate signature) and the
 * attached block. When the M3 signers reach quorum (the decider's rule, over M1 and M2 senders
 * alike) it starts the new view: with no M1 it proposes a fresh block; with an M1 it commits the
 * carried block itself (`selfCommit`: it adopts the prepare certificate and adds its own COMMIT
 * votes), then sends NEWVIEW: the M1 payload and block (when the block is verified), the M2
 * aggregate and bitmap (when any), and the M3 aggregate and bitmap.
 *
 * **A validator** accepts a NEWVIEW for its height and a view not below its own when M3 verifies
 * under its bitmap over the view ID, M2 (if present) verifies over NIL, an attached block matches
 * the M1 hash and verifies, and the M3 bitmap is a quorum. When M2 is absent or has fewer signers
 * than M3, the M1 prepare certificate must verify over its hash (its quorum is not checked again
 * here). It then enters the view with the sender as leader and, if a prepared block came along,
 * sends COMMIT for it (the commit payload keeps the block's own header view ID).
 *
 * Observations reproduced: the NEWVIEW sender is not checked against the leader the validator
 * would compute; M3 signatures cover only the view ID. **Deviation:** a NEWVIEW that needs an M1
 * but carries a payload shorter than 32 bytes makes Go slice out of range and panic; the spec
 * rejects it with `viewchange/m1-missing`.
 *
 * @see github.com/harmony-one/harmony consensus/view_change.go, view_change_construct.go,
 *   view_change_msg.go, checks.go `onViewChangeSanityCheck`, `onNewViewSanityCheck`,
 *   consensus_service.go `selfCommit`, config.go
 * @module
 */
import { blsMaskAggregatePublicKey, blsMaskCountEnabled } from "../crypto/bls-mask.ts";
import { blsVerifyHashPoints } from "../crypto/bls.ts";
import { concatBytes, toHex } from "../encoding/bytes.ts";
import { require, SpecError, type SpecErrorCode } from "../errors.ts";
import { addNewVote } from "./ballots.ts";
import { certificateVerifies, readCertificate } from "./certificate.ts";
import {
  logAddBlock,
  logAddMessage,
  logBlock,
  logIsVerified,
  logMessages,
  maxViewMessage,
} from "./fbft-log.ts";
import {
  aggregateSignHash,
  constructViewChangeMessage,
  MSG,
  type Signer,
  signHashPoint,
  viewChangeRequest,
} from "./messages.ts";
import { M1_MIN_PAYLOAD_BYTES, NIL_PAYLOAD, viewIdPayload } from "./payloads.ts";
import { isQuorumByMask } from "./quorum.ts";
import {
  attempt,
  commitPayloadOf,
  committeeSigners,
  finish,
  ignored,
  ownBallot,
  rejected,
  resetRound,
  send,
  startTimer,
  stopTimer,
  verifyBlock,
  voteMessages,
  withKeys,
} from "./round.ts";
import { nthNextLeader, proposerKey } from "./rotation.ts";
import {
  type Block,
  type FbftEffect,
  type FbftState,
  MAX_VIEW_ID_DIFF,
  type StepResult,
  TIMEOUTS,
  type Transition,
} from "./state.ts";
import type { FbftMessage } from "./validate.ts";
import {
  aggregatePoints,
  bitmapOfKeys,
  EMPTY_VIEW_CHANGE,
  type ViewSignatures,
  viewSignatures,
  withViewSignatures,
} from "./view-change-state.ts";

// ---------------------------------------------------------------- timing and leader

/** A view to change to and how long to wait for it. */
export interface NextView {
  /** The view ID. */
  viewId: bigint;
  /** The view-change timer's duration, milliseconds. */
  durationMs: bigint;
}

/**
 * The next view ID and the view-change timer's duration (Go `getNextViewID`).
 *
 * @param state the state (head header, view IDs)
 * @param nowMs the node's clock, unix milliseconds
 * @returns the view ID and the duration in milliseconds
 */
export function nextViewId(state: FbftState, nowMs: bigint): NextView {
  const head = state.chain.head;
  const now = nowMs / 1000n;
  if (now > head.time) {
    const diff = (now - head.time) / TIMEOUTS.viewChangeSlotSeconds + 1n;
    return { viewId: head.viewId + 1n + diff, durationMs: TIMEOUTS.viewChangeMs };
  }
  // Fallback: Go computes the difference in uint64 and reads it as int64.
  let d = BigInt.asIntN(64, state.viewChangingId + 1n - state.blockViewId);
  if (d <= 0n) d = 1n;
  return { viewId: state.viewChangingId + 1n, durationMs: d * d * TIMEOUTS.viewChangeMs };
}

/**
 * The leader of a view (Go `getNextLeaderKey`).
 *
 * @param state the state (head header, current leader, committee)
 * @param viewId the view
 * @returns the leader's key
 * @throws {SpecError} `viewchange/leader-index-out-of-range`, `viewchange/leader-search-loops`
 *   (where Go panics or never returns)
 */
export function nextLeaderKey(state: FbftState, viewId: bigint): Uint8Array {
  const head = state.chain.head;
  const gap = BigInt.asIntN(64, viewId - (head.viewId + 1n));
  const ctx = state.config.chain.epochContext(head.epoch);
  let base = proposerKey(state.config.network, ctx, head) ?? state.leaderKey;
  // A view change in the first block of an epoch starts from participant 0.
  if (head.isLastInEpoch) base = state.ctx.committee.publicKeys[0];
  const keys = state.ctx.committee.publicKeys;
  return nthNextLeader(state.config.network, head.epoch, keys, ctx, base, Number(gap)).key;
}

// ---------------------------------------------------------------- own signatures

/** The PREPARED message with the highest view for the current height, its block, if it verifies. */
function preparedToCarry(
  state: FbftState,
): { state: FbftState; payload: Uint8Array; block: Block } | null {
  const msgs = logMessages(state.log, {
    type: MSG.PREPARED,
    blockNum: state.blockNum,
    verified: true,
  });
  const prepared = maxViewMessage(msgs);
  if (prepared === undefined) return null;
  const block = logBlock(state.log, prepared.blockHash);
  if (block === undefined) return null;
  const v = verifyBlock(state, block);
  if (!v.ok) return null;
  return { state: v.state, payload: concatBytes(prepared.blockHash, prepared.payload), block };
}

/**
 * Adds the node's own M1 (or M2) and M3 signatures for a view, once (Go `InitPayload`).
 *
 * @param state the state
 * @param viewId the view
 * @returns the state with its collections updated
 */
export function initPayload(state: FbftState, viewId: bigint): FbftState {
  let s = state;
  const mine = committeeSigners(s);
  const sigs = viewSignatures(s.vc, viewId);
  const hex = mine.map((k) => toHex(k.publicKey));
  const next: ViewSignatures = { m1: new Map(sigs.m1), m2: new Map(sigs.m2), m3: new Map(sigs.m3) };
  let m1Payload = s.vc.m1Payload;
  if (!hex.some((k) => next.m1.has(k) || next.m2.has(k))) {
    const carried = preparedToCarry(s);
    if (carried !== null) {
      s = carried.state;
      for (let i = 0; i < mine.length; i++) {
        next.m1.set(hex[i], signHashPoint([mine[i]], carried.payload));
      }
      if (m1Payload.length === 0) m1Payload = carried.payload;
    } else {
      for (let i = 0; i < mine.length; i++) {
        next.m2.set(hex[i], signHashPoint([mine[i]], NIL_PAYLOAD));
      }
    }
  }
  if (!hex.some((k) => next.m3.has(k))) {
    const payload = viewIdPayload(viewId);
    for (let i = 0; i < mine.length; i++) next.m3.set(hex[i], signHashPoint([mine[i]], payload));
  }
  return { ...s, vc: { ...withViewSignatures(s.vc, viewId, next), m1Payload } };
}

// ---------------------------------------------------------------- starting a view change

/** The VIEWCHANGE message of one key (Go `constructViewChangeMessage`). */
function viewChangeMessage(
  state: FbftState,
  key: Signer,
  carried: { payload: Uint8Array; block: Block } | null,
) {
  const request = viewChangeRequest({
    viewId: state.viewChangingId,
    blockNum: state.blockNum,
    shardId: state.config.shardId,
    senderPubkey: key.publicKey,
    leaderPubkey: state.leaderKey,
    payload: carried === null ? new Uint8Array(0) : carried.payload,
    preparedBlock: carried === null ? new Uint8Array(0) : carried.block.bytes,
    viewchangeSig: aggregateSignHash([key], carried === null ? NIL_PAYLOAD : carried.payload),
    viewidSig: aggregateSignHash([key], viewIdPayload(state.viewChangingId)),
  });
  return constructViewChangeMessage(MSG.VIEWCHANGE, request, key);
}

/**
 * Starts a view change (Go `startViewChange`).
 *
 * @param state the state
 * @param nowMs the clock
 * @returns the new state and its effects: timers, the VIEWCHANGE messages, a `viewChange` effect
 * @throws {SpecError} the codes of {@link nextLeaderKey}
 */
export function startViewChange(
  state: FbftState,
  nowMs: bigint,
): Transition {
  const { viewId, durationMs } = nextViewId(state, nowMs);
  let s: FbftState = { ...state, mode: "viewChanging", viewChangingId: viewId };
  s = { ...s, leaderKey: nextLeaderKey(s, viewId) };
  const effects: FbftEffect[] = [
    stopTimer("consensus"),
    stopTimer("bootstrap"),
    startTimer("viewChange", durationMs),
  ];
  s = initPayload(s, viewId);
  const carried = preparedToCarry(s);
  if (carried !== null) s = carried.state;
  for (const key of committeeSigners(s)) effects.push(send(viewChangeMessage(s, key, carried)));
  effects.push({ kind: "viewChange", viewId, nextLeader: s.leaderKey });
  return { state: s, effects };
}

// ---------------------------------------------------------------- the new leader

/** Go `onViewChangeSanityCheck` (after the leader and quorum checks). */
function viewChangeSanity(state: FbftState, msg: FbftMessage): SpecErrorCode | null {
  if (state.blockNum > msg.blockNum) return "viewchange/block-number-low";
  if (state.blockNum < msg.blockNum) return "viewchange/block-number-high";
  if (state.mode === "viewChanging" && state.blockViewId > msg.viewId) {
    return "viewchange/view-id-too-low";
  }
  if (msg.viewId > state.viewChangingId && msg.viewId - state.viewChangingId > MAX_VIEW_ID_DIFF) {
    return "viewchange/view-id-too-far";
  }
  return null;
}

function m3Bitmap(state: FbftState, viewId: bigint): Uint8Array {
  return bitmapOfKeys(state.ctx.committee, viewSignatures(state.vc, viewId).m3.keys());
}

/** Records an M1 vote (Go `ProcessViewChangeMsg`, first branch). */
function processM1(state: FbftState, msg: FbftMessage, sigs: ViewSignatures): FbftState {
  const blockResult = attempt(() => state.config.chain.decodeBlock(msg.block));
  if (!blockResult.ok) throw new SpecError(blockResult.code);
  const v = verifyBlock(state, blockResult.value);
  require(v.ok, "viewchange/prepared-block-invalid");
  const sender = toHex(msg.senderKeys[0]);
  if (sigs.m1.has(sender)) throw new SpecError("viewchange/duplicate-m1");
  const ok = blsVerifyHashPoints(msg.senderPoints[0], msg.payload, msg.viewchangeSig!);
  require(ok, "viewchange/bad-m1-signature");
  const cert = readCertificate(state.ctx.committee, msg.payload, 32);
  require(
    isQuorumByMask(state.ctx.policy, state.ctx.committee, cert.bitmap),
    "viewchange/m1-no-quorum",
  );
  const hash = msg.payload.slice(0, 32);
  require(
    certificateVerifies(state.ctx.committee, cert, hash),
    "viewchange/bad-m1-prepared-signature",
  );
  sigs.m1.set(sender, msg.viewchangeSig!);
  sigs.m3.set(sender, msg.viewidSig!);
  let s = v.state;
  if (s.vc.m1Payload.length === 0) {
    s = { ...s, vc: { ...s.vc, m1Payload: msg.payload.slice() } };
    const prepared = {
      type: MSG.PREPARED,
      viewId: msg.viewId,
      blockNum: msg.blockNum,
      blockHash: hash,
      senderKeys: [msg.leaderKey],
      senderBitmap: new Uint8Array(0),
      payload: msg.payload.slice(32),
      verified: true,
    };
    s = { ...s, log: logAddBlock(logAddMessage(s.log, prepared), blockResult.value) };
  }
  return s;
}

/** Records an M2 vote (Go `ProcessViewChangeMsg`, second branch). */
function processM2(msg: FbftMessage, sigs: ViewSignatures): void {
  const sender = toHex(msg.senderKeys[0]);
  if (sigs.m2.has(sender)) throw new SpecError("viewchange/duplicate-m2");
  const ok = blsVerifyHashPoints(msg.senderPoints[0], NIL_PAYLOAD, msg.viewchangeSig!);
  require(ok, "viewchange/bad-m2-signature");
  sigs.m2.set(sender, msg.viewchangeSig!);
  sigs.m3.set(sender, msg.viewidSig!);
}

/**
 * Records a VIEWCHANGE at the new leader (Go `ProcessViewChangeMsg`).
 *
 * @param state the state
 * @param msg the message
 * @returns the new state
 * @throws {SpecError} `viewchange/duplicate-m3`, `viewchange/duplicate-m1`,
 *   `viewchange/duplicate-m2`, the block decoder's codes, `viewchange/prepared-block-invalid`,
 *   `viewchange/bad-m1-signature`, the certificate codes, `viewchange/m1-no-quorum`,
 *   `viewchange/bad-m1-prepared-signature`, `viewchange/bad-m2-signature`
 */
export function processViewChange(state: FbftState, msg: FbftMessage): FbftState {
  const old = viewSignatures(state.vc, msg.viewId);
  if (old.m3.has(toHex(msg.senderKeys[0]))) throw new SpecError("viewchange/duplicate-m3");
  const sigs: ViewSignatures = { m1: new Map(old.m1), m2: new Map(old.m2), m3: new Map(old.m3) };
  let s = state;
  if (msg.payload.length >= M1_MIN_PAYLOAD_BYTES && msg.block.length > 0) {
    s = processM1(s, msg, sigs);
  } else processM2(msg, sigs);
  return { ...s, vc: withViewSignatures(s.vc, msg.viewId, sigs) };
}

/** The outcome class of a view-change processing error: duplicates are ignored. */
function classify(code: SpecErrorCode) {
  return code.startsWith("viewchange/duplicate") ? ignored(code) : rejected(code);
}

/**
 * The new leader's handling of a VIEWCHANGE (Go `onViewChange`).
 *
 * @param state the state
 * @param msg the parsed message
 * @returns the step result
 */
export function onViewChange(state: FbftState, msg: FbftMessage): StepResult {
  const me = state.config.keys.find((k) => toHex(k.publicKey) === toHex(msg.leaderKey));
  if (me === undefined) return finish(state, [], ignored("viewchange/not-next-leader"));
  if (isQuorumByMask(state.ctx.policy, state.ctx.committee, m3Bitmap(state, msg.viewId))) {
    return finish(state, [], ignored("viewchange/quorum-already-reached"));
  }
  const insane = viewChangeSanity(state, msg);
  if (insane !== null) return finish(state, [], ignored(insane));
  const m3ok = blsVerifyHashPoints(msg.senderPoints[0], viewIdPayload(msg.viewId), msg.viewidSig!);
  if (!m3ok) return finish(state, [], rejected("viewchange/bad-m3-signature"));
  const initialized = initPayload(state, msg.viewId);
  const processed = attempt(() => processViewChange(initialized, msg));
  if (!processed.ok) return finish(initialized, [], classify(processed.code));
  const s = processed.value;
  if (s.mode !== "viewChanging") return finish(s, []);
  if (!isQuorumByMask(s.ctx.policy, s.ctx.committee, m3Bitmap(s, msg.viewId))) return finish(s, []);
  return enterNewView(s, msg.viewId, me);
}

/** With an M3 quorum: carry the prepared block over (selfCommit) or start fresh. */
function enterNewView(state: FbftState, viewId: bigint, me: Signer): StepResult {
  if (state.vc.m1Payload.length === 0) {
    const started = attempt(() => startNewView(state, viewId, me, true));
    if (!started.ok) return finish(state, [], rejected(started.code));
    const head = started.value.state.chain;
    const propose: FbftEffect = {
      kind: "propose",
      blockNum: head.head.number + 1n,
      viewId,
      lastCommitSig: head.headCommitSig,
      delayMs: 0n,
    };
    return finish(started.value.state, [...started.value.effects, propose]);
  }
  const committed = attempt(() => selfCommit(state, state.vc.m1Payload));
  if (!committed.ok) return finish(state, [], rejected(committed.code));
  const started = attempt(() => startNewView(committed.value, viewId, me, false));
  if (!started.ok) return finish(committed.value, [], rejected(started.code));
  return finish(started.value.state, started.value.effects);
}

/**
 * The new leader commits the carried block itself (Go `selfCommit`).
 *
 * @param state the state
 * @param payload the M1 payload
 * @returns the state in phase Commit with the leader's own COMMIT votes
 * @throws {SpecError} `viewchange/prepared-block-missing`, the certificate codes
 */
export function selfCommit(state: FbftState, payload: Uint8Array): FbftState {
  const hash = payload.slice(0, 32);
  const block = logBlock(state.log, hash);
  require(block !== undefined, "viewchange/prepared-block-missing");
  const cert = readCertificate(state.ctx.committee, payload, 32);
  const s: FbftState = {
    ...resetRound(state),
    blockHash: hash,
    phase: "commit",
    prepareBitmap: cert.bitmap,
  };
  return addOwnCommitVotes(s, block);
}

/**
 * The node's own COMMIT votes, one ballot per committee key (the leader in `didReachPrepareQuorum`
 * and `selfCommit`); a refused vote is skipped, as Go only logs it.
 *
 * @param state the state
 * @param block the block being committed
 * @returns the state with the votes and bitmap bits added
 */
export function addOwnCommitVotes(state: FbftState, block: Block): FbftState {
  let s = state;
  const signed = commitPayloadOf(s, block.header);
  for (const key of committeeSigners(s)) {
    const ballot = ownBallot(key, signed, block.header);
    const vote = attempt(() => addNewVote(s.ctx.policy, s.commit, ballot));
    const commitBitmap = withKeys(s, s.commitBitmap, [key.publicKey]);
    s = vote.ok ? { ...s, commit: vote.value, commitBitmap } : { ...s, commitBitmap };
  }
  return s;
}

// ---------------------------------------------------------------- NEWVIEW

/** The M1 payload and block a NEWVIEW carries, when the block is verified (Go `GetPreparedBlock`). */
function carriedForNewView(state: FbftState): { payload: Uint8Array; block: Uint8Array } {
  const none = { payload: new Uint8Array(0), block: new Uint8Array(0) };
  const payload = state.vc.m1Payload;
  if (payload.length === 0) return none;
  const hash = payload.slice(0, 32);
  const block = logBlock(state.log, hash);
  if (!logIsVerified(state.log, hash) || block === undefined) return none;
  return { payload, block: block.bytes };
}

/**
 * The new leader's NEWVIEW (Go `constructNewViewMessage`).
 *
 * @param state the state
 * @param viewId the view
 * @param me the new leader's key
 * @returns the signed message
 * @throws {SpecError} `viewchange/no-m3` when no M3 signature was collected
 */
export function newViewMessage(state: FbftState, viewId: bigint, me: Signer) {
  const sigs = viewSignatures(state.vc, viewId);
  require(sigs.m3.size > 0, "viewchange/no-m3");
  const carried = carriedForNewView(state);
  const committee = state.ctx.committee;
  const m2 = sigs.m2.size > 0;
  const request = viewChangeRequest({
    viewId,
    blockNum: state.blockNum,
    shardId: state.config.shardId,
    senderPubkey: me.publicKey,
    payload: carried.payload,
    preparedBlock: carried.block,
    m2Aggsigs: m2 ? aggregatePoints(sigs.m2.values()) : new Uint8Array(0),
    m2Bitmap: m2 ? bitmapOfKeys(committee, sigs.m2.keys()) : new Uint8Array(0),
    m3Aggsigs: aggregatePoints(sigs.m3.values()),
    m3Bitmap: bitmapOfKeys(committee, sigs.m3.keys()),
  });
  return constructViewChangeMessage(MSG.NEWVIEW, request, me);
}

/**
 * The new leader enters the view (Go `startNewView`).
 *
 * @param state the state (in view-changing mode)
 * @param viewId the view
 * @param me the new leader's key
 * @param reset whether to clear the round (no block carried over)
 * @returns the new state and effects
 * @throws {SpecError} `viewchange/not-view-changing`, `viewchange/no-m3`
 */
export function startNewView(
  state: FbftState,
  viewId: bigint,
  me: Signer,
  reset: boolean,
): Transition {
  require(state.mode === "viewChanging", "viewchange/not-view-changing");
  const message = newViewMessage(state, viewId, me);
  let s: FbftState = {
    ...state,
    mode: "normal",
    blockViewId: viewId,
    viewChangingId: viewId,
    vc: EMPTY_VIEW_CHANGE,
  };
  if (reset) s = resetRound(s);
  s = { ...s, leaderKey: me.publicKey };
  const effects: FbftEffect[] = [
    send(message),
    stopTimer("viewChange"),
    startTimer("consensus", TIMEOUTS.phaseMs),
    { kind: "newView", viewId, leader: me.publicKey },
  ];
  return { state: s, effects };
}

/** Go `VerifyNewViewMsg`: M3 and M2 signatures, and the attached block. */
function verifyNewView(
  state: FbftState,
  msg: FbftMessage,
): { state: FbftState; block: Block | null } {
  require(msg.m3 !== null, "viewchange/m3-missing");
  const committee = state.ctx.committee;
  const m3key = blsMaskAggregatePublicKey(committee, msg.m3.bitmap);
  const m3ok = blsVerifyHashPoints(m3key, viewIdPayload(msg.viewId), msg.m3.signature);
  require(m3ok, "viewchange/bad-m3-signature");
  if (msg.m2 !== null) {
    const m2key = blsMaskAggregatePublicKey(committee, msg.m2.bitmap);
    require(
      blsVerifyHashPoints(m2key, NIL_PAYLOAD, msg.m2.signature),
      "viewchange/bad-m2-signature",
    );
  }
  if (msg.payload.length < M1_MIN_PAYLOAD_BYTES || msg.block.length === 0) {
    return { state, block: null };
  }
  const decoded = attempt(() => state.config.chain.decodeBlock(msg.block));
  if (!decoded.ok) throw new SpecError(decoded.code);
  const block = decoded.value;
  require(
    toHex(block.header.hash) === toHex(msg.payload.subarray(0, 32)),
    "viewchange/prepared-block-hash-mismatch",
  );
  const v = verifyBlock(state, block);
  require(v.ok, "viewchange/prepared-block-invalid");
  return { state: v.state, block };
}

/** Adopts the NEWVIEW's M1 prepare certificate (when M3 has more signers than M2). */
function adoptM1(state: FbftState, msg: FbftMessage, block: Block | null): FbftState {
  require(msg.payload.length >= 32, "viewchange/m1-missing");
  const hash = msg.payload.slice(0, 32);
  const cert = readCertificate(state.ctx.committee, msg.payload, 32);
  require(
    certificateVerifies(state.ctx.committee, cert, hash),
    "viewchange/bad-m1-prepared-signature",
  );
  const prepared = {
    type: MSG.PREPARED,
    viewId: msg.viewId,
    blockNum: msg.blockNum,
    blockHash: hash,
    senderKeys: msg.senderKeys,
    senderBitmap: new Uint8Array(0),
    payload: msg.payload.slice(32),
    verified: true,
  };
  let log = logAddMessage(state.log, prepared);
  if (block !== null) log = logAddBlock(log, block);
  return { ...state, blockHash: hash, prepareBitmap: cert.bitmap, log };
}

/**
 * A validator's handling of NEWVIEW (Go `onNewView`).
 *
 * @param state the state
 * @param msg the parsed message
 * @returns the step result
 */
export function onNewView(state: FbftState, msg: FbftMessage): StepResult {
  if (state.blockNum !== msg.blockNum) {
    return finish(state, [], ignored("viewchange/block-number-mismatch"));
  }
  if (msg.viewId < state.blockViewId) {
    return finish(state, [], ignored("viewchange/view-id-too-low"));
  }
  const verified = attempt(() => verifyNewView(state, msg));
  if (!verified.ok) return finish(state, [], rejected(verified.code));
  let s = verified.value.state;
  const block = verified.value.block;
  const n = s.ctx.committee.points.length;
  if (!isQuorumByMask(s.ctx.policy, s.ctx.committee, msg.m3!.bitmap)) {
    return finish(s, [], rejected("viewchange/newview-no-quorum"));
  }
  const m1Needed = msg.m2 === null ||
    blsMaskCountEnabled(n, msg.m3!.bitmap) > blsMaskCountEnabled(n, msg.m2.bitmap);
  if (m1Needed) {
    const adopted = attempt(() => adoptM1(s, msg, block));
    if (!adopted.ok) return finish(s, [], rejected(adopted.code));
    s = adopted.value;
  }
  if (s.mode !== "viewChanging") return finish(s, []);
  return enterViewAsValidator(s, msg, block);
}

/** Switches a validator to the new view (the end of Go `onNewView`). */
function enterViewAsValidator(state: FbftState, msg: FbftMessage, block: Block | null): StepResult {
  let s: FbftState = {
    ...state,
    blockViewId: msg.viewId,
    viewChangingId: msg.viewId,
    leaderKey: msg.senderKeys[0],
    vc: EMPTY_VIEW_CHANGE,
    mode: "normal",
  };
  const effects: FbftEffect[] = [stopTimer("viewChange")];
  if (block !== null) {
    effects.push(...voteMessages(s, MSG.COMMIT, commitPayloadOf(s, block.header)));
    s = { ...s, phase: "commit" };
  } else {
    s = resetRound(s);
  }
  effects.push(startTimer("consensus", TIMEOUTS.phaseMs));
  effects.push({ kind: "newView", viewId: msg.viewId, leader: msg.senderKeys[0] });
  return finish(s, effects);
}
