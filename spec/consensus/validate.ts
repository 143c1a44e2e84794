/**
 * Admitting a received consensus message: every check before a handler sees it.
 *
 * Harmony checks a message in two places, and the spec keeps their order, because the order
 * decides which reason a bad message is refused for.
 *
 * **1. The p2p validator** (`node.go` `validateShardBoundMessage`, run for every gossip message):
 * 1. the frame holds at least the 5-byte prefix (whose bytes are skipped, not read) and a
 *    category byte, which must be "consensus";
 * 2. the protobuf decodes;
 * 3. in view-changing mode PREPARE and COMMIT are ignored; otherwise VIEWCHANGE and NEWVIEW are;
 * 4. a leader ignores ANNOUNCE, PREPARED and COMMITTED;
 * 5. the request's `shard_id` is the node's shard;
 * 6. the view ID is not stale: a ConsensusRequest is refused when `view_id + 5 < blockViewID`, a
 *    ViewChangeRequest when `view_id + 5 < viewChangingID`; the sum wraps at 2^64 as Go's
 *    `uint64` does, so a view ID within 5 of 2^64 counts as stale;
 * 7. a request with no known body names no sender and is refused;
 * 8. a non-leader ignores PREPARE and COMMIT;
 * 9. a single sender key must be 48 bytes and a committee member; a multi-key sender's bitmap
 *    must be exactly `⌈n/8⌉` bytes.
 *
 * **2. The consensus entry** (`consensus_v2.go` `HandleMessageUpdate`):
 * 1. ANNOUNCE, PREPARED and COMMITTED must come from the leader's key when in normal mode (a
 *    multi-key sender has no key: the all-zero key stands for it, and it is refused);
 * 2. every message but PREPARE and COMMIT must carry a valid message signature by the sender key
 *    (the all-zero key decodes to the point at infinity, under which only the infinity signature
 *    verifies);
 * 3. the request is parsed for its type (see {@link FbftMessage}); LAST_SIGN_POWER stops here.
 *
 * A rejection is a malformed or unauthentic message; an ignore is a message not meant for this
 * node in its current mode. Either way the state does not change.
 *
 * **Parsing quirks reproduced.** A block hash field of the wrong length is cut or zero-padded to
 * 32 bytes (Go copies into a 32-byte array). The leader key and signatures of a view-change
 * request are read as mcl reads them: at least 48 (96) bytes, of which only the first 48 (96)
 * count. A NEWVIEW bitmap of the wrong length is not an error: Go ignores `SetMask`'s failure and
 * keeps an empty mask. **Deviation:** a message whose type does not match its request body (an
 * ANNOUNCE carrying a ViewChangeRequest, say) makes Go dereference a nil pointer and panic; the
 * spec refuses it with `fbft/request-kind-mismatch`.
 *
 * @see github.com/harmony-one/harmony node/harmony/node.go `validateShardBoundMessage`
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `HandleMessageUpdate`
 * @see github.com/harmony-one/harmony consensus/fbft_log.go `parseFBFTMessage`
 * @see github.com/harmony-one/harmony consensus/view_change_msg.go `ParseViewChangeMessage`,
 *   `ParseNewViewMessage`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import {
  BLS_PUBLIC_KEY_BYTES,
  blsDecodePublicKey,
  type BlsG1Point,
  type BlsG2Point,
} from "../crypto/bls.ts";
import { blsMaskEnabledIndices, blsMaskFromIndices, blsMaskLength } from "../crypto/bls-mask.ts";
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import { isSpecError, require, SpecError, type SpecErrorCode } from "../errors.ts";
import {
  CATEGORY_CONSENSUS,
  checkMessageSignature,
  type ConsensusRequest,
  decodeHarmonyMessage,
  type HarmonyMessage,
  MSG,
  P2P_FRAME_PREFIX_BYTES,
  readSignatureField,
  type ViewChangeRequest,
} from "./messages.ts";
import { BLOCK_HASH_BYTES } from "./payloads.ts";
import type { FbftState, Outcome } from "./state.ts";
import { STALE_VIEW_MARGIN } from "./state.ts";

/** A signature and the (normalized) bitmap of its signers, from a NEWVIEW. */
export interface MaskedSignature {
  /** The decoded aggregate signature. */
  signature: BlsG2Point;
  /** The bitmap, `⌈n/8⌉` bytes with padding bits clear; all zero when the sent one was unusable. */
  bitmap: Uint8Array;
}

/** A parsed consensus message (Go `FBFTMessage`). */
export interface FbftMessage {
  /** The protobuf message as received. */
  message: HarmonyMessage;
  /** The message type. */
  type: number;
  /** The view ID. */
  viewId: bigint;
  /** The block number. */
  blockNum: bigint;
  /** The block hash, cut or zero-padded to 32 bytes (empty hash for view-change requests). */
  blockHash: Uint8Array;
  /** The block (ANNOUNCE, PREPARED) or prepared block (VIEWCHANGE, NEWVIEW), or empty. */
  block: Uint8Array;
  /** The payload. */
  payload: Uint8Array;
  /** The sender keys: one, or those enabled in the sender bitmap, in slot order. */
  senderKeys: Uint8Array[];
  /** The sender keys, decoded. */
  senderPoints: BlsG1Point[];
  /** The sender bitmap of a multi-key sender, else empty. */
  senderBitmap: Uint8Array;
  /** VIEWCHANGE: the new leader the sender names (48 bytes), else empty. */
  leaderKey: Uint8Array;
  /** VIEWCHANGE: the M1 or M2 signature. */
  viewchangeSig: BlsG2Point | null;
  /** VIEWCHANGE: the M3 signature. */
  viewidSig: BlsG2Point | null;
  /** NEWVIEW: the aggregate M2 signature and bitmap, when present. */
  m2: MaskedSignature | null;
  /** NEWVIEW: the aggregate M3 signature and bitmap, when present. */
  m3: MaskedSignature | null;
}

/** The result of admitting a message. */
export type Admission =
  | {
    /** The message passed every check and is parsed. */
    ok: true;
    /** The parsed message. */
    msg: FbftMessage;
  }
  | {
    /** The message stops here. */
    ok: false;
    /** Why. */
    outcome: Outcome;
  };

const ZERO_KEY = new Uint8Array(BLS_PUBLIC_KEY_BYTES);

/** The admission codes that mean "not for this node now" (ignored) rather than "bad" (rejected). */
const IGNORE_CODES: ReadonlySet<SpecErrorCode> = new Set<SpecErrorCode>([
  "fbft/ignored-in-view-change",
  "fbft/ignored-outside-view-change",
  "fbft/ignored-by-leader",
  "fbft/ignored-by-validator",
  "fbft/last-sign-power-ignored",
]);

function ignore(reason: SpecErrorCode): never {
  throw new SpecError(reason);
}

/** Whether one of the node's keys is the leader's. */
export function isLeader(state: FbftState): boolean {
  return state.config.keys.some((k) => bytesEqual(k.publicKey, state.leaderKey));
}

/** Opens the frame and decodes the protobuf (p2p validator steps 1 and 2). */
function openFrame(frame: Uint8Array): HarmonyMessage {
  require(frame.length > P2P_FRAME_PREFIX_BYTES, "fbft/frame-too-short");
  require(frame[P2P_FRAME_PREFIX_BYTES] === CATEGORY_CONSENSUS, "fbft/not-consensus-category");
  return decodeHarmonyMessage(frame.subarray(P2P_FRAME_PREFIX_BYTES + 1));
}

/** Mode and role filters (p2p validator steps 3 and 4). */
function filterByModeAndRole(state: FbftState, type: number): void {
  const voteType = type === MSG.PREPARE || type === MSG.COMMIT;
  const viewType = type === MSG.VIEWCHANGE || type === MSG.NEWVIEW;
  if (state.mode === "viewChanging" && voteType) ignore("fbft/ignored-in-view-change");
  if (state.mode === "normal" && viewType) ignore("fbft/ignored-outside-view-change");
  const leaderType = type === MSG.ANNOUNCE || type === MSG.PREPARED || type === MSG.COMMITTED;
  if (isLeader(state) && leaderType) ignore("fbft/ignored-by-leader");
}

/** Shard, staleness and sender fields of the request (p2p validator steps 5–7). */
function requestSender(
  state: FbftState,
  m: HarmonyMessage,
): { key: Uint8Array; bitmap: Uint8Array } {
  const r = m.request;
  const shard = state.config.shardId;
  if (r.kind === "consensus") {
    require(r.consensus.shardId === shard, "fbft/wrong-shard");
    // The view ID plus the margin wraps around as a Go uint64.
    const fresh = BigInt.asUintN(64, r.consensus.viewId + STALE_VIEW_MARGIN) >= state.blockViewId;
    require(fresh, "fbft/view-id-too-old");
    return { key: r.consensus.senderPubkey, bitmap: r.consensus.senderPubkeyBitmap };
  }
  if (r.kind === "viewchange") {
    require(r.viewchange.shardId === shard, "fbft/wrong-shard");
    const fresh =
      BigInt.asUintN(64, r.viewchange.viewId + STALE_VIEW_MARGIN) >= state.viewChangingId;
    require(fresh, "fbft/view-id-too-old");
    return { key: r.viewchange.senderPubkey, bitmap: new Uint8Array(0) };
  }
  if (r.kind === "lastSignPower") {
    require(r.lastSignPower.shardId === shard, "fbft/wrong-shard");
    return { key: r.lastSignPower.senderPubkey, bitmap: new Uint8Array(0) };
  }
  throw new SpecError("fbft/no-sender");
}

/** The sender checks (p2p validator steps 8 and 9); returns the 48-byte sender key (or zeros). */
function checkSender(
  state: FbftState,
  type: number,
  key: Uint8Array,
  bitmap: Uint8Array,
): Uint8Array {
  const voteType = type === MSG.PREPARE || type === MSG.COMMIT;
  if (!isLeader(state) && voteType) ignore("fbft/ignored-by-validator");
  if (key.length > 0) {
    require(key.length === BLS_PUBLIC_KEY_BYTES, "fbft/sender-key-size");
    require(state.ctx.committee.index.has(toHex(key)), "fbft/sender-not-in-committee");
    return key;
  }
  const n = state.ctx.committee.points.length;
  require(bitmap.length === blsMaskLength(n), "fbft/sender-bitmap-size");
  return ZERO_KEY;
}

/** A committee key's decoded point (the committee was decoded once), or a fresh decode. */
function pointOf(state: FbftState, key: Uint8Array): BlsG1Point {
  const i = state.ctx.committee.index.get(toHex(key));
  return i === undefined ? blsDecodePublicKey(key) : state.ctx.committee.points[i];
}

/** The 48-byte key mcl reads from a field: at least 48 bytes, the first 48 count. */
function readKeyField(bytes: Uint8Array): { key: Uint8Array; point: BlsG1Point } {
  require(bytes.length > 0, "fbft/leader-key-missing");
  require(bytes.length >= BLS_PUBLIC_KEY_BYTES, "bls/invalid-length", `key ${bytes.length}`);
  const key = bytes.slice(0, BLS_PUBLIC_KEY_BYTES);
  return { key, point: blsDecodePublicKey(key) };
}

function pad32(hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK_HASH_BYTES);
  out.set(hash.subarray(0, BLOCK_HASH_BYTES));
  return out;
}

function emptyParsed(m: HarmonyMessage): FbftMessage {
  const none = new Uint8Array(0);
  return {
    message: m,
    type: m.type,
    viewId: 0n,
    blockNum: 0n,
    blockHash: new Uint8Array(BLOCK_HASH_BYTES),
    block: none,
    payload: none,
    senderKeys: [],
    senderPoints: [],
    senderBitmap: none,
    leaderKey: none,
    viewchangeSig: null,
    viewidSig: null,
    m2: null,
    m3: null,
  };
}

/** Go `parseFBFTMessage`. */
function parseConsensus(state: FbftState, m: HarmonyMessage, r: ConsensusRequest): FbftMessage {
  const out = emptyParsed(m);
  Object.assign(out, {
    viewId: r.viewId,
    blockNum: r.blockNum,
    blockHash: pad32(r.blockHash),
    block: r.block,
    payload: r.payload,
    senderBitmap: r.senderPubkeyBitmap,
  });
  if (r.senderPubkey.length > 0) {
    out.senderKeys = [r.senderPubkey];
    out.senderPoints = [pointOf(state, r.senderPubkey)];
    return out;
  }
  const n = state.ctx.committee.points.length;
  for (const i of blsMaskEnabledIndices(n, r.senderPubkeyBitmap)) {
    out.senderKeys.push(state.ctx.committee.publicKeys[i]);
    out.senderPoints.push(state.ctx.committee.points[i]);
  }
  return out;
}

/** The request fields common to VIEWCHANGE and NEWVIEW. */
function parseViewChangeCommon(
  state: FbftState,
  m: HarmonyMessage,
  r: ViewChangeRequest,
): FbftMessage {
  const out = emptyParsed(m);
  Object.assign(out, {
    viewId: r.viewId,
    blockNum: r.blockNum,
    block: r.preparedBlock,
    payload: r.payload,
    blockHash: new Uint8Array(BLOCK_HASH_BYTES),
    senderKeys: [r.senderPubkey],
    senderPoints: [pointOf(state, r.senderPubkey)],
  });
  return out;
}

/** Go `ParseViewChangeMessage`. */
function parseViewChange(state: FbftState, m: HarmonyMessage, r: ViewChangeRequest): FbftMessage {
  const out = parseViewChangeCommon(state, m, r);
  out.leaderKey = readKeyField(r.leaderPubkey).key;
  out.viewchangeSig = readSignatureField(r.viewchangeSig);
  out.viewidSig = readSignatureField(r.viewidSig);
  return out;
}

/** A NEWVIEW aggregate: the signature must decode; a bad bitmap leaves an empty mask. */
function maskedSignature(
  state: FbftState,
  sig: Uint8Array,
  bitmap: Uint8Array,
): MaskedSignature | null {
  if (sig.length === 0) return null;
  const n = state.ctx.committee.points.length;
  const usable = bitmap.length === blsMaskLength(n);
  const enabled = usable ? blsMaskEnabledIndices(n, bitmap) : [];
  return { signature: readSignatureField(sig), bitmap: blsMaskFromIndices(n, enabled) };
}

/** Go `ParseNewViewMessage`. */
function parseNewView(state: FbftState, m: HarmonyMessage, r: ViewChangeRequest): FbftMessage {
  const out = parseViewChangeCommon(state, m, r);
  out.m3 = maskedSignature(state, r.m3Aggsigs, r.m3Bitmap);
  out.m2 = maskedSignature(state, r.m2Aggsigs, r.m2Bitmap);
  return out;
}

/** Parses the request for its type (HandleMessageUpdate's parse switch). */
function parseForType(state: FbftState, m: HarmonyMessage): FbftMessage {
  const r = m.request;
  if (m.type === MSG.VIEWCHANGE || m.type === MSG.NEWVIEW) {
    require(r.kind === "viewchange", "fbft/request-kind-mismatch");
    return m.type === MSG.VIEWCHANGE
      ? parseViewChange(state, m, r.viewchange)
      : parseNewView(state, m, r.viewchange);
  }
  if (m.type === MSG.LAST_SIGN_POWER) ignore("fbft/last-sign-power-ignored");
  require(r.kind === "consensus", "fbft/request-kind-mismatch");
  return parseConsensus(state, m, r.consensus);
}

/** The consensus entry's checks (HandleMessageUpdate steps 1 and 2). */
function checkAuthenticity(state: FbftState, m: HarmonyMessage, senderKey: Uint8Array): void {
  const leaderType = m.type === MSG.ANNOUNCE || m.type === MSG.PREPARED ||
    m.type === MSG.COMMITTED;
  if (leaderType && state.mode === "normal") {
    require(bytesEqual(senderKey, state.leaderKey), "fbft/sender-not-leader");
  }
  if (m.type !== MSG.PREPARE && m.type !== MSG.COMMIT) {
    const sender = bytesEqual(senderKey, ZERO_KEY)
      ? bls12_381.G1.Point.ZERO
      : pointOf(state, senderKey);
    checkMessageSignature(m, sender);
  }
}

/**
 * Runs every check a message passes before its handler (see the module notes) and parses it.
 *
 * @param state the node's state
 * @param frame the received p2p frame
 * @returns the parsed message, or the outcome that stops it (ignored or rejected, with a reason)
 */
export function admitMessage(state: FbftState, frame: Uint8Array): Admission {
  try {
    const m = openFrame(frame);
    filterByModeAndRole(state, m.type);
    const { key, bitmap } = requestSender(state, m);
    const senderKey = checkSender(state, m.type, key, bitmap);
    checkAuthenticity(state, m, senderKey);
    return { ok: true, msg: parseForType(state, m) };
  } catch (e) {
    if (!isSpecError(e)) throw e;
    const result = IGNORE_CODES.has(e.code) ? "ignored" : "rejected";
    return { ok: false, outcome: { result, reason: e.code } };
  }
}
