/**
 * A validator's side of a round: ANNOUNCE, PREPARED and COMMITTED from the leader.
 *
 * **ANNOUNCE** (Go `onAnnounce`, `onAnnounceSanityChecks`, `isRightBlockNumCheck`):
 * 1. If an ANNOUNCE for the same height and view from the *same* sender with a *different* hash is
 *    already logged, the leader equivocates: start a view change (unless already changing view).
 *    When either message has several senders it is ignored.
 * 2. The height must be in `[myBlockNum, myBlockNum + 100]`.
 * 3. The message is logged and its hash becomes the candidate. In view-changing mode nothing more
 *    happens.
 * 4. The view must be the node's (`checkViewID`); then the node sends PREPARE (over the hash)
 *    from its committee keys and moves to phase Prepare.
 * 5. The block is then checked on the side (Go does it asynchronously, after PREPARE has gone):
 *    it must decode, have the announced number (not below the node's) and hash, and pass the
 *    injected validity predicate; the result only fills the log.
 *
 * **PREPARED** (Go `onPrepared`): ignored below the node's height (a higher one asks for sync but
 * goes on); the prepare certificate must reach the decider's quorum and verify over the hash; the
 * block is checked as above (a failure is remembered but does not stop the handler); the view must
 * be the node's and the height not above it. Then the certificate is adopted and, in normal mode
 * and with a valid block, the node sends COMMIT (over the block's commit payload) and moves to
 * phase Commit. COMMITTED messages that arrived early for this block are then processed.
 *
 * **COMMITTED** (Go `onCommitted`): accepted from height `myBlockNum − 1` on (a late COMMITTED
 * for the last block may carry more signatures). It is logged (unverified) at once; its block must
 * be in the log; its certificate must pass the chain engine's header rule (`checkCommitCertificate`,
 * skipped while the head is block 0 or 1) and decode over the committee. A certificate for the
 * head block with more signers than the stored one replaces it. Then `tryCatchup` commits, in
 * order from the node's height, every block that has a verified COMMITTED and passes the validity
 * predicate.
 *
 * @see github.com/harmony-one/harmony consensus/validator.go, consensus/checks.go,
 *   consensus/consensus_v2.go `tryCatchup`, `commitBlock`, `postCatchup`
 * @module
 */
import { blsMaskCountEnabled } from "../crypto/bls-mask.ts";
import { BLS_SIGNATURE_BYTES } from "../crypto/bls.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import type { SpecErrorCode } from "../errors.ts";
import { checkCommitCertificate, checkPrepareCertificate, readCertificate } from "./certificate.ts";
import { insertBlock, proposeEffect, setupForNewConsensus } from "./commit.ts";
import {
  logAddBlock,
  logAddMessage,
  logBlock,
  type LoggedMessage,
  logIsVerified,
  logMessages,
  logMessagesByTypeSeqView,
} from "./fbft-log.ts";
import { MSG } from "./messages.ts";
import {
  attempt,
  commitPayloadOf,
  finish,
  ignored,
  rejected,
  startTimer,
  stopTimer,
  toLogged,
  verifyBlock,
  voteMessages,
} from "./round.ts";
import {
  type Block,
  type FbftEffect,
  type FbftState,
  MAX_BLOCK_NUM_DIFF,
  type StepResult,
  TIMEOUTS,
} from "./state.ts";
import type { FbftMessage } from "./validate.ts";
import { startViewChange } from "./view-change.ts";

/** Go `isRightBlockNumCheck`. */
function rightBlockNum(state: FbftState, blockNum: bigint): boolean {
  return blockNum >= state.blockNum && blockNum - state.blockNum <= MAX_BLOCK_NUM_DIFF;
}

/**
 * Go `validateNewBlock`: decode, sanity-check and verify the block of an ANNOUNCE or PREPARED.
 *
 * @param state the state
 * @param msg the message carrying the block
 * @returns the state (the block logged, maybe verified) and the block or the reason it failed
 */
export function validateNewBlock(
  state: FbftState,
  msg: FbftMessage,
): { state: FbftState; block: Block | SpecErrorCode } {
  if (logIsVerified(state.log, msg.blockHash)) {
    const known = logBlock(state.log, msg.blockHash);
    if (known !== undefined) return { state, block: known };
    const decoded = attempt(() => state.config.chain.decodeBlock(msg.block));
    return { state, block: decoded.ok ? decoded.value : decoded.code };
  }
  const decoded = attempt(() => state.config.chain.decodeBlock(msg.block));
  if (!decoded.ok) return { state, block: decoded.code };
  const block = decoded.value;
  let s: FbftState = { ...state, log: logAddBlock(state.log, block) };
  if (block.header.number !== msg.blockNum || msg.blockNum < s.blockNum) {
    return { state: s, block: "fbft/block-number-mismatch" };
  }
  if (!bytesEqual(block.header.hash, msg.blockHash)) {
    return { state: s, block: "fbft/block-hash-mismatch" };
  }
  s = { ...s, block: msg.block, log: logAddMessage(s.log, toLogged(msg, true)) };
  const v = verifyBlock(s, block);
  return { state: v.state, block: v.ok ? block : "fbft/block-invalid" };
}

/** Step 1 of ANNOUNCE: a second ANNOUNCE in the same view. */
function conflictingAnnounce(state: FbftState, msg: FbftMessage, nowMs: bigint) {
  const logged = logMessagesByTypeSeqView(state.log, MSG.ANNOUNCE, msg.blockNum, msg.viewId);
  if (logged.length === 0) return { state, effects: [] as FbftEffect[] };
  const first = logged[0];
  if (first.senderKeys.length !== 1 || msg.senderKeys.length !== 1) return null;
  const sameSender = bytesEqual(first.senderKeys[0], msg.senderKeys[0]);
  if (bytesEqual(first.blockHash, msg.blockHash) || !sameSender || state.mode === "viewChanging") {
    return { state, effects: [] as FbftEffect[] };
  }
  return startViewChange(state, nowMs); // the leader is malicious
}

/**
 * A validator's handling of ANNOUNCE (Go `onAnnounce`).
 *
 * @param state the state
 * @param msg the parsed message
 * @param nowMs the clock (a conflicting ANNOUNCE starts a view change)
 * @returns the step result
 */
export function onAnnounce(state: FbftState, msg: FbftMessage, nowMs: bigint): StepResult {
  const conflict = attempt(() => conflictingAnnounce(state, msg, nowMs));
  if (!conflict.ok) return finish(state, [], rejected(conflict.code));
  const checked = conflict.value;
  const sync = (s: FbftState): FbftEffect[] =>
    s.mode === "viewChanging" && msg.blockNum > s.blockNum
      ? [{ kind: "sync", blockNum: msg.blockNum }]
      : [];
  if (checked === null) return finish(state, sync(state), ignored("fbft/announce-multi-sender"));
  let s = checked.state;
  const effects = [...checked.effects];
  if (!rightBlockNum(s, msg.blockNum)) {
    return finish(s, [...effects, ...sync(s)], ignored("fbft/wrong-block-number"));
  }
  s = { ...s, log: logAddMessage(s.log, toLogged(msg, true)), blockHash: msg.blockHash };
  if (s.mode === "viewChanging") return finish(s, effects);
  if (msg.viewId !== s.blockViewId) return finish(s, effects, ignored("fbft/wrong-view-id"));
  effects.push(...voteMessages(s, MSG.PREPARE, s.blockHash));
  s = { ...s, phase: "prepare" };
  if (msg.block.length > 0) s = validateNewBlock(s, msg).state; // best effort, after PREPARE
  return finish(s, effects);
}

/**
 * A validator's handling of PREPARED (Go `onPrepared`).
 *
 * @param state the state
 * @param msg the parsed message
 * @param nowMs the clock
 * @returns the step result
 */
export function onPrepared(state: FbftState, msg: FbftMessage, nowMs: bigint): StepResult {
  if (msg.blockNum < state.blockNum) return finish(state, [], ignored("fbft/old-block"));
  const effects: FbftEffect[] = msg.blockNum > state.blockNum
    ? [{ kind: "sync", blockNum: msg.blockNum }]
    : [];
  const cert = attempt(() => checkPrepareCertificate(state.ctx, msg.payload, 0, msg.blockHash));
  if (!cert.ok) return finish(state, effects, rejected(cert.code));
  const validated = validateNewBlock(state, msg);
  let s = validated.state;
  if (msg.viewId !== s.blockViewId) return finish(s, effects, ignored("fbft/wrong-view-id"));
  if (msg.blockNum > s.blockNum) return finish(s, effects, ignored("fbft/future-block"));
  s = { ...s, prepareBitmap: cert.value.bitmap, blockHash: msg.blockHash };
  const block = typeof validated.block === "string" ? null : validated.block;
  if (s.mode === "normal") {
    if (block !== null) {
      effects.push(...voteMessages(s, MSG.COMMIT, commitPayloadOf(s, block.header)));
    }
    s = { ...s, phase: "commit" };
  }
  if (block === null) return finish(s, effects);
  return catchUpEarlyCommitted(s, block, effects, nowMs);
}

/** COMMITTED messages that came before their PREPARED are processed now. */
function catchUpEarlyCommitted(
  state: FbftState,
  block: Block,
  effects: FbftEffect[],
  nowMs: bigint,
): StepResult {
  let s = state;
  const startNum = s.blockNum;
  const early = logMessages(s.log, {
    type: MSG.COMMITTED,
    blockNum: block.header.number,
    viewId: block.header.viewId,
    blockHash: block.header.hash,
    verified: false,
  });
  for (const m of early) {
    const r = onCommitted(s, m, nowMs);
    s = r.state;
    effects.push(...r.effects);
    if (startNum < s.blockNum) break;
  }
  return finish(s, effects);
}

/** Whether a COMMITTED's certificate passes (Go `VerifyHeaderSignature` then `DecodeSigBitmap`). */
function checkCommitted(state: FbftState, m: LoggedMessage, block: Block) {
  if (state.chain.head.number > 1n) {
    const ctx = state.config.chain.epochContext(block.header.epoch);
    checkCommitCertificate(state.config.network, ctx, block.header, m.payload);
  }
  return readCertificate(state.ctx.committee, m.payload, 0);
}

/** Keeps the better certificate for the head block (Go's "override commit signatures"). */
function betterCertificate(
  state: FbftState,
  block: Block,
  payload: Uint8Array,
  bitmap: Uint8Array,
) {
  const stored = state.chain.headCommitSig;
  const isHead = bytesEqual(state.chain.head.hash, block.header.hash);
  if (!isHead || stored.length !== payload.length) return { state, effects: [] as FbftEffect[] };
  const n = state.ctx.committee.points.length;
  const storedBits = attempt(() => blsMaskCountEnabled(n, stored.subarray(BLS_SIGNATURE_BYTES)));
  if (!storedBits.ok || blsMaskCountEnabled(n, bitmap) <= storedBits.value) {
    return { state, effects: [] as FbftEffect[] };
  }
  const chain = { ...state.chain, headCommitSig: payload };
  const effect: FbftEffect = {
    kind: "commitSig",
    blockNum: block.header.number,
    commitSig: payload,
  };
  return { state: { ...state, chain }, effects: [effect] };
}

/**
 * A validator's handling of COMMITTED (Go `onCommitted`). Takes the message as the log keeps it,
 * because early COMMITTED messages are replayed from the log.
 *
 * @param state the state
 * @param m the message
 * @param nowMs the clock
 * @returns the step result
 */
export function onCommitted(state: FbftState, m: LoggedMessage, nowMs: bigint): StepResult {
  if (m.blockNum < state.blockNum - 1n) return finish(state, [], ignored("fbft/old-block"));
  const effects: FbftEffect[] = m.blockNum > state.blockNum
    ? [{ kind: "sync", blockNum: m.blockNum }]
    : [];
  let s: FbftState = { ...state, log: logAddMessage(state.log, { ...m, verified: false }) };
  const block = logBlock(s.log, m.blockHash);
  if (block === undefined) return finish(s, effects, ignored("fbft/unknown-block"));
  if (m.payload.length < BLS_SIGNATURE_BYTES) {
    return finish(s, effects, rejected("bls/commit-sig-too-short"));
  }
  const cert = attempt(() => checkCommitted(s, m, block));
  if (!cert.ok) return finish(s, effects, rejected(cert.code));
  s = {
    ...s,
    log: logAddMessage(s.log, { ...m, verified: true }),
    commitBitmap: cert.value.bitmap,
  };
  const better = betterCertificate(s, block, m.payload, cert.value.bitmap);
  s = better.state;
  effects.push(...better.effects);
  const initNum = s.blockNum;
  const caught = tryCatchup(s, nowMs);
  s = caught.state;
  effects.push(...caught.effects);
  if (m.blockNum > s.blockNum || s.mode === "viewChanging") return finish(s, effects);
  effects.push(stopTimer("bootstrap"));
  if (initNum < s.blockNum) effects.push(startTimer("consensus", TIMEOUTS.phaseMs));
  return finish(s, effects);
}

/** The first verified COMMITTED at a height whose block is in the log. */
function committedAt(
  state: FbftState,
  blockNum: bigint,
): { block: Block; msg: LoggedMessage } | null {
  for (const msg of logMessages(state.log, { type: MSG.COMMITTED, blockNum, verified: true })) {
    const block = logBlock(state.log, msg.blockHash);
    if (block !== undefined) return { block, msg };
  }
  return null;
}

/**
 * Commits every block the log can finish, in order (Go `tryCatchup`, `commitBlock`,
 * `postCatchup`).
 *
 * @param state the state
 * @param _nowMs the clock (unused: catching up sets no clock-dependent timer)
 * @returns the new state and effects
 */
export function tryCatchup(
  state: FbftState,
  _nowMs: bigint,
): { state: FbftState; effects: FbftEffect[] } {
  let s = state;
  const effects: FbftEffect[] = [];
  const initNum = s.blockNum;
  for (let found = committedAt(s, s.blockNum); found !== null; found = committedAt(s, s.blockNum)) {
    const v = verifyBlock(s, found.block);
    if (!v.ok) break;
    const inserted = insertBlock(v.state, found.block, found.msg.payload);
    s = inserted.state;
    effects.push(...inserted.effects);
    if (found.msg.senderKeys.length !== 1) break; // Go refuses after inserting
    const setup = setupForNewConsensus(s, found.block, found.msg.viewId, found.msg.senderKeys[0]);
    s = setup.state;
    if (setup.proposeDelayMs !== null) effects.push(proposeEffect(s, setup.proposeDelayMs));
  }
  if (initNum < s.blockNum && s.mode === "viewChanging") {
    s = { ...s, mode: "normal" };
    effects.push(stopTimer("viewChange"));
  }
  return { state: s, effects };
}
