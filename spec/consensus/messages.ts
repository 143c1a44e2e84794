/**
 * Harmony's consensus messages on the wire: the protobuf `Message`, its framing and its signature.
 *
 * **Layers.** A consensus message travels as
 * `p2p frame = 0x11 ‖ uint32_BE(len(content)) ‖ content`, where
 * `content = 0x00 (category "consensus") ‖ protobuf(Message)`.
 *
 * **The protobuf schema** (`harmonymessage.proto`, proto3). Field numbers in brackets:
 * - `Message { service_type [1] enum, type [2] enum, signature [3] bytes,
 *   oneof request { consensus [5] ConsensusRequest, viewchange [7] ViewChangeRequest,
 *   last_sign_power [9] LastSignPowerBroadcast } }`; fields 4, 6 and 8 are deprecated members
 *   of the same `oneof` (staking, drand, lottery requests).
 * - `ConsensusRequest { view_id [1] uint64, block_num [2] uint64, shard_id [3] uint32,
 *   block_hash [4], block [5], sender_pubkey [6], payload [7], sender_pubkey_bitmap [8] }`.
 * - `ViewChangeRequest { view_id [1] uint64, block_num [2] uint64, shard_id [3] uint32,
 *   sender_pubkey [4], leader_pubkey [5], payload [6], viewchange_sig [7], viewid_sig [8],
 *   m2_aggsigs [9], m2_bitmap [10], m3_aggsigs [11], m3_bitmap [12], prepared_block [13] }`.
 * - `LastSignPowerBroadcast { prepare [1] int64, commit [2] int64, change [3] int64,
 *   sender_pubkey [4], shard_id [5] uint32 }`.
 * - Message types: ANNOUNCE 1, PREPARE 2, PREPARED 3, COMMIT 4, COMMITTED 5, VIEWCHANGE 6,
 *   NEWVIEW 7, LAST_SIGN_POWER 13.
 *
 * **Decoding follows Go's `proto.Unmarshal`**, because what Go accepts the network accepts:
 * fields may come in any order; a scalar or bytes field that repeats keeps its last value; an
 * embedded message that repeats is merged into the earlier one; a different `oneof` member
 * replaces the earlier one; an `int32`/enum keeps the low 32 bits of its varint and a `uint32` the
 * low 32 bits; a field of a known number but the wrong wire type, and any unknown field, is kept
 * as an unknown field. Unknown fields are kept byte for byte, per message, in arrival order.
 *
 * **Encoding follows Go's `proto.Marshal`**: known fields in field-number order, zero scalars and
 * empty bytes left out, a set `oneof` member always written (even when empty), then the unknown
 * fields as they were received. Decoding and re-encoding therefore gives the bytes Go would sign.
 *
 * **Message signature** (ANNOUNCE, PREPARED, COMMITTED, VIEWCHANGE, NEWVIEW, LAST_SIGN_POWER):
 * clear the signature field, marshal, take legacy Keccak-256 of the bytes, and BLS `SignHash` the
 * 32-byte digest with the sender's key. PREPARE and COMMIT carry no message signature: their
 * payload, a BLS signature over the block, authenticates them.
 *
 * **Senders.** A message names its sender with `sender_pubkey` (48 bytes), or, for a validator
 * that holds several keys and aggregates (Go's `AggregateSig`), with `sender_pubkey_bitmap`: a
 * committee bitmap of the keys that signed the payload.
 *
 * **Deviation.** The deprecated `oneof` members (fields 4, 6, 8) are not decoded field by field:
 * the spec checks they are well-formed protobuf and keeps their bytes. Such a message is refused
 * before anything looks inside (it names no sender), so nothing depends on their content.
 *
 * @see github.com/harmony-one/harmony api/proto/message/harmonymessage.proto
 * @see github.com/harmony-one/harmony api/proto/common.go `ConstructConsensusMessage`
 * @see github.com/harmony-one/harmony p2p/host.go `ConstructMessage`
 * @see github.com/harmony-one/harmony consensus/construct.go `construct`
 * @see github.com/harmony-one/harmony consensus/consensus_service.go `signConsensusMessage`
 * @see github.com/harmony-one/harmony consensus/checks.go `verifyMessageSig`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import {
  BLS_PUBLIC_KEY_BYTES,
  BLS_SIGNATURE_BYTES,
  blsDecodeSecretKey,
  blsDecodeSignature,
  blsEncodeSignature,
  type BlsG1Point,
  type BlsG2Point,
  blsSignHashScalar,
  blsVerifyHashPoints,
} from "../crypto/bls.ts";
import { type BlsCommittee, blsMaskFromIndices } from "../crypto/bls-mask.ts";
import { BLS_GROUP_ORDER } from "../crypto/bls-map.ts";
import { concatBytes, toHex } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { require } from "../errors.ts";
import {
  bytesField,
  int32FromVarint,
  int32ToVarint,
  messageField,
  readFields,
  varintField,
  WIRE_BYTES,
  WIRE_VARINT,
  type WireField,
} from "./protobuf.ts";

/** The `MessageType` enum of `harmonymessage.proto`. */
export const MSG = {
  /** Leader proposes a block. */
  ANNOUNCE: 1,
  /** Validator votes for the announced block hash. */
  PREPARE: 2,
  /** Leader's prepare quorum certificate. */
  PREPARED: 3,
  /** Validator votes to commit the prepared block. */
  COMMIT: 4,
  /** Leader's commit quorum certificate: the block is final. */
  COMMITTED: 5,
  /** Validator asks for a new view. */
  VIEWCHANGE: 6,
  /** New leader proves the new view has a quorum. */
  NEWVIEW: 7,
  /** Leader's metrics broadcast; consensus ignores it. */
  LAST_SIGN_POWER: 13,
} as const;

/** `ServiceType.CONSENSUS`, the only service of consensus messages. */
export const SERVICE_CONSENSUS = 0;
/** The category byte that starts the content of a consensus message. */
export const CATEGORY_CONSENSUS = 0x00;
/** The first byte of a p2p frame (Go's "message type" 17). */
export const P2P_FRAME_TYPE = 0x11;
/** Bytes before the content in a p2p frame. */
export const P2P_FRAME_PREFIX_BYTES = 5;

/** A `ConsensusRequest`: the body of ANNOUNCE, PREPARE, PREPARED, COMMIT and COMMITTED. */
export interface ConsensusRequest {
  /** `view_id` (field 1). */
  viewId: bigint;
  /** `block_num` (field 2). */
  blockNum: bigint;
  /** `shard_id` (field 3), a uint32. */
  shardId: bigint;
  /** `block_hash` (field 4): 32 bytes from honest senders, any length on the wire. */
  blockHash: Uint8Array;
  /** `block` (field 5): the RLP of the block (ANNOUNCE, PREPARED). */
  block: Uint8Array;
  /** `sender_pubkey` (field 6): the single sender's key. */
  senderPubkey: Uint8Array;
  /** `payload` (field 7): a signature, or a signature and bitmap. */
  payload: Uint8Array;
  /** `sender_pubkey_bitmap` (field 8): the senders, for a multi-key sender. */
  senderPubkeyBitmap: Uint8Array;
  /** Unknown fields, byte for byte. */
  unknown: Uint8Array;
}

/** A `ViewChangeRequest`: the body of VIEWCHANGE and NEWVIEW. */
export interface ViewChangeRequest {
  /** `view_id` (field 1): the view being changed to. */
  viewId: bigint;
  /** `block_num` (field 2). */
  blockNum: bigint;
  /** `shard_id` (field 3), a uint32. */
  shardId: bigint;
  /** `sender_pubkey` (field 4). */
  senderPubkey: Uint8Array;
  /** `leader_pubkey` (field 5): the new leader the sender computed (VIEWCHANGE). */
  leaderPubkey: Uint8Array;
  /** `payload` (field 6): the M1 payload `blockHash ‖ preparedSig ‖ preparedBitmap`, or empty. */
  payload: Uint8Array;
  /** `viewchange_sig` (field 7): the sender's signature of the M1 payload or of NIL (M2). */
  viewchangeSig: Uint8Array;
  /** `viewid_sig` (field 8): the sender's signature of `uint64_LE(viewId)` (M3). */
  viewidSig: Uint8Array;
  /** `m2_aggsigs` [9] (NEWVIEW): the aggregate NIL signature. */
  m2Aggsigs: Uint8Array;
  /** `m2_bitmap` [10] (NEWVIEW). */
  m2Bitmap: Uint8Array;
  /** `m3_aggsigs` [11] (NEWVIEW): the aggregate view-ID signature. */
  m3Aggsigs: Uint8Array;
  /** `m3_bitmap` [12] (NEWVIEW). */
  m3Bitmap: Uint8Array;
  /** `prepared_block` (field 13): the RLP of the block carried over. */
  preparedBlock: Uint8Array;
  /** Unknown fields, byte for byte. */
  unknown: Uint8Array;
}

/** A `LastSignPowerBroadcast` (metrics only). */
export interface LastSignPower {
  /** `prepare` (field 1), an int64. */
  prepare: bigint;
  /** `commit` (field 2), an int64. */
  commit: bigint;
  /** `change` (field 3), an int64. */
  change: bigint;
  /** `sender_pubkey` (field 4). */
  senderPubkey: Uint8Array;
  /** `shard_id` (field 5), a uint32. */
  shardId: bigint;
  /** Unknown fields, byte for byte. */
  unknown: Uint8Array;
}

/** The `oneof request` of a message. */
export type MessageRequest =
  | {
    /** No request field. */
    kind: "none";
  }
  | {
    /** Field 5. */
    kind: "consensus";
    /** The request. */
    consensus: ConsensusRequest;
  }
  | {
    /** Field 7. */
    kind: "viewchange";
    /** The request. */
    viewchange: ViewChangeRequest;
  }
  | {
    /** Field 9. */
    kind: "lastSignPower";
    /** The request. */
    lastSignPower: LastSignPower;
  }
  | {
    /** Field 4, 6 or 8 (deprecated members). */
    kind: "deprecated";
    /** The field number. */
    field: number;
    /** The member's bytes, as received (occurrences concatenated). */
    bytes: Uint8Array;
  };

/** A decoded `harmonymessage.Message`. */
export interface HarmonyMessage {
  /** `service_type` (field 1) (0 = CONSENSUS), an int32 enum. */
  serviceType: number;
  /** `type` (field 2): one of {@link MSG}, or any other int32 a sender wrote. */
  type: number;
  /** `signature` (field 3): the message signature, or empty. */
  signature: Uint8Array;
  /** The request body. */
  request: MessageRequest;
  /** Unknown fields, byte for byte. */
  unknown: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * An empty `ConsensusRequest` with some fields set.
 *
 * @param fields the fields to set
 * @returns the request
 */
export function consensusRequest(fields: Partial<ConsensusRequest>): ConsensusRequest {
  return {
    viewId: 0n,
    blockNum: 0n,
    shardId: 0n,
    blockHash: EMPTY,
    block: EMPTY,
    senderPubkey: EMPTY,
    payload: EMPTY,
    senderPubkeyBitmap: EMPTY,
    unknown: EMPTY,
    ...fields,
  };
}

/**
 * An empty `ViewChangeRequest` with some fields set.
 *
 * @param fields the fields to set
 * @returns the request
 */
export function viewChangeRequest(fields: Partial<ViewChangeRequest>): ViewChangeRequest {
  return {
    viewId: 0n,
    blockNum: 0n,
    shardId: 0n,
    senderPubkey: EMPTY,
    leaderPubkey: EMPTY,
    payload: EMPTY,
    viewchangeSig: EMPTY,
    viewidSig: EMPTY,
    m2Aggsigs: EMPTY,
    m2Bitmap: EMPTY,
    m3Aggsigs: EMPTY,
    m3Bitmap: EMPTY,
    preparedBlock: EMPTY,
    unknown: EMPTY,
    ...fields,
  };
}

function lastSignPower(): LastSignPower {
  return { prepare: 0n, commit: 0n, change: 0n, senderPubkey: EMPTY, shardId: 0n, unknown: EMPTY };
}

// ---------------------------------------------------------------- decoding

/** The uint32 a varint carries: Go keeps the low 32 bits. */
function uint32Of(v: bigint): bigint {
  return v & 0xffff_ffffn;
}

/** A varint field's value, or undefined when the wire type is not a varint. */
function varintOf(f: WireField): bigint | undefined {
  return f.wireType === WIRE_VARINT ? f.varint : undefined;
}

/** A bytes field's value, or undefined when the wire type is not length-delimited. */
function bytesOf(f: WireField): Uint8Array | undefined {
  return f.wireType === WIRE_BYTES ? f.bytes : undefined;
}

/** What a `ConsensusRequest` and a `ViewChangeRequest` share: fields 1–3 and the unknown bytes. */
interface RequestHead {
  /** Field 1. */
  viewId: bigint;
  /** Field 2. */
  blockNum: bigint;
  /** Field 3 (uint32). */
  shardId: bigint;
  /** The fields not understood, kept as read. */
  unknown: Uint8Array;
}

/**
 * Reads a request into `into` (a repeated occurrence merges, as in Go): fields 1–3 are the view
 * ID, block number and shard; `byteFields` names the byte-string fields; anything else is kept as
 * unknown bytes.
 */
function mergeRequestFields<T extends RequestHead>(
  bytes: Uint8Array,
  into: T,
  byteFields: Record<number, keyof T>,
): T {
  const out = { ...into };
  const unknown: Uint8Array[] = [out.unknown];
  for (const f of readFields(bytes)) {
    const v = varintOf(f);
    const b = bytesOf(f);
    if (f.number === 1 && v !== undefined) out.viewId = v;
    else if (f.number === 2 && v !== undefined) out.blockNum = v;
    else if (f.number === 3 && v !== undefined) out.shardId = uint32Of(v);
    else if (byteFields[f.number] !== undefined && b !== undefined) {
      (out as unknown as Record<string, Uint8Array>)[byteFields[f.number] as string] = b;
    } else unknown.push(f.raw);
  }
  out.unknown = concatBytes(...unknown);
  return out;
}

const CONSENSUS_BYTES: Record<number, keyof ConsensusRequest> = {
  4: "blockHash",
  5: "block",
  6: "senderPubkey",
  7: "payload",
  8: "senderPubkeyBitmap",
};

const VIEWCHANGE_BYTES: Record<number, keyof ViewChangeRequest> = {
  4: "senderPubkey",
  5: "leaderPubkey",
  6: "payload",
  7: "viewchangeSig",
  8: "viewidSig",
  9: "m2Aggsigs",
  10: "m2Bitmap",
  11: "m3Aggsigs",
  12: "m3Bitmap",
  13: "preparedBlock",
};

/** Reads a `LastSignPowerBroadcast` into `into`. */
function mergeLastSignPower(bytes: Uint8Array, into: LastSignPower): LastSignPower {
  const out = { ...into };
  const unknown: Uint8Array[] = [out.unknown];
  for (const f of readFields(bytes)) {
    const v = varintOf(f);
    if (f.number >= 1 && f.number <= 3 && v !== undefined) {
      const key = (["prepare", "commit", "change"] as const)[f.number - 1];
      out[key] = BigInt.asIntN(64, v);
    } else if (f.number === 4 && f.wireType === WIRE_BYTES) out.senderPubkey = f.bytes;
    else if (f.number === 5 && v !== undefined) out.shardId = uint32Of(v);
    else unknown.push(f.raw);
  }
  out.unknown = concatBytes(...unknown);
  return out;
}

/** Applies one occurrence of a `oneof request` member to the current request. */
function mergeRequest(current: MessageRequest, f: WireField): MessageRequest {
  if (f.number === 5) {
    const base = current.kind === "consensus" ? current.consensus : consensusRequest({});
    return { kind: "consensus", consensus: mergeRequestFields(f.bytes, base, CONSENSUS_BYTES) };
  }
  if (f.number === 7) {
    const base = current.kind === "viewchange" ? current.viewchange : viewChangeRequest({});
    return { kind: "viewchange", viewchange: mergeRequestFields(f.bytes, base, VIEWCHANGE_BYTES) };
  }
  if (f.number === 9) {
    const base = current.kind === "lastSignPower" ? current.lastSignPower : lastSignPower();
    return { kind: "lastSignPower", lastSignPower: mergeLastSignPower(f.bytes, base) };
  }
  readFields(f.bytes); // a deprecated member must still be well-formed protobuf
  const earlier = current.kind === "deprecated" && current.field === f.number
    ? current.bytes
    : EMPTY;
  return { kind: "deprecated", field: f.number, bytes: concatBytes(earlier, f.bytes) };
}

/**
 * Decodes a `Message` as Go's `proto.Unmarshal` does (see the module notes).
 *
 * @param bytes the protobuf bytes
 * @returns the message
 * @throws {SpecError} the codes of `readFields` (`fbft/proto-*`) for malformed protobuf, at any
 *   depth of embedded request messages
 */
export function decodeHarmonyMessage(bytes: Uint8Array): HarmonyMessage {
  const m: HarmonyMessage = {
    serviceType: 0,
    type: 0,
    signature: EMPTY,
    request: { kind: "none" },
    unknown: EMPTY,
  };
  const unknown: Uint8Array[] = [];
  for (const f of readFields(bytes)) {
    const v = varintOf(f);
    if (f.number === 1 && v !== undefined) m.serviceType = int32FromVarint(v);
    else if (f.number === 2 && v !== undefined) m.type = int32FromVarint(v);
    else if (f.number === 3 && f.wireType === WIRE_BYTES) m.signature = f.bytes;
    else if (f.number >= 4 && f.number <= 9 && f.wireType === WIRE_BYTES) {
      m.request = mergeRequest(m.request, f);
    } else unknown.push(f.raw);
  }
  m.unknown = concatBytes(...unknown);
  return m;
}

// ---------------------------------------------------------------- encoding

function encodeConsensusRequest(r: ConsensusRequest): Uint8Array {
  return concatBytes(
    varintField(1, r.viewId),
    varintField(2, r.blockNum),
    varintField(3, r.shardId),
    bytesField(4, r.blockHash),
    bytesField(5, r.block),
    bytesField(6, r.senderPubkey),
    bytesField(7, r.payload),
    bytesField(8, r.senderPubkeyBitmap),
    r.unknown,
  );
}

function encodeViewChangeRequest(r: ViewChangeRequest): Uint8Array {
  const parts = [varintField(1, r.viewId), varintField(2, r.blockNum), varintField(3, r.shardId)];
  for (const [number, key] of Object.entries(VIEWCHANGE_BYTES)) {
    parts.push(bytesField(Number(number), r[key] as Uint8Array));
  }
  return concatBytes(...parts, r.unknown);
}

function encodeLastSignPower(r: LastSignPower): Uint8Array {
  return concatBytes(
    varintField(1, BigInt.asUintN(64, r.prepare)),
    varintField(2, BigInt.asUintN(64, r.commit)),
    varintField(3, BigInt.asUintN(64, r.change)),
    bytesField(4, r.senderPubkey),
    varintField(5, r.shardId),
    r.unknown,
  );
}

function encodeRequest(r: MessageRequest): Uint8Array {
  switch (r.kind) {
    case "none":
      return EMPTY;
    case "consensus":
      return messageField(5, encodeConsensusRequest(r.consensus));
    case "viewchange":
      return messageField(7, encodeViewChangeRequest(r.viewchange));
    case "lastSignPower":
      return messageField(9, encodeLastSignPower(r.lastSignPower));
    case "deprecated":
      return messageField(r.field, r.bytes);
  }
}

/**
 * Encodes a `Message` as Go's `proto.Marshal` does (see the module notes).
 *
 * @param m the message; integers must fit their protobuf types (uint64, uint32, int64, int32)
 * @returns the protobuf bytes
 * @throws {SpecError} `encoding/integer-too-large` for an integer outside its type
 */
export function encodeHarmonyMessage(m: HarmonyMessage): Uint8Array {
  return concatBytes(
    varintField(1, int32ToVarint(m.serviceType)),
    varintField(2, int32ToVarint(m.type)),
    bytesField(3, m.signature),
    encodeRequest(m.request),
    m.unknown,
  );
}

// ---------------------------------------------------------------- framing

/**
 * The content of a consensus message: the category byte, then the protobuf.
 *
 * @param protobuf the encoded `Message`
 * @returns `0x00 ‖ protobuf`
 */
export function encodeConsensusContent(protobuf: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(CATEGORY_CONSENSUS), protobuf);
}

/**
 * A p2p frame around some content (Go `p2p.ConstructMessage`).
 *
 * @param content the content
 * @returns `0x11 ‖ uint32_BE(len) ‖ content`
 */
export function encodeP2pFrame(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(P2P_FRAME_PREFIX_BYTES + content.length);
  out[0] = P2P_FRAME_TYPE;
  new DataView(out.buffer).setUint32(1, content.length, false);
  out.set(content, P2P_FRAME_PREFIX_BYTES);
  return out;
}

/**
 * Reads a p2p frame strictly: the type byte and the length must be right. (Harmony's receiver is
 * laxer: it skips the first five bytes without reading them; see `validate.ts`.)
 *
 * @param frame the frame
 * @returns the content
 * @throws {SpecError} `fbft/frame-too-short`, `fbft/frame-bad-type`, `fbft/frame-length-mismatch`
 */
export function decodeP2pFrame(frame: Uint8Array): Uint8Array {
  require(frame.length >= P2P_FRAME_PREFIX_BYTES, "fbft/frame-too-short");
  require(frame[0] === P2P_FRAME_TYPE, "fbft/frame-bad-type");
  const length = new DataView(frame.buffer, frame.byteOffset).getUint32(1, false);
  require(length === frame.length - P2P_FRAME_PREFIX_BYTES, "fbft/frame-length-mismatch");
  return frame.slice(P2P_FRAME_PREFIX_BYTES);
}

/**
 * The wire bytes of a message: protobuf, content, frame.
 *
 * @param m the message
 * @returns the p2p frame
 */
export function frameHarmonyMessage(m: HarmonyMessage): Uint8Array {
  return encodeP2pFrame(encodeConsensusContent(encodeHarmonyMessage(m)));
}

// ---------------------------------------------------------------- signatures

/** A BLS key pair held by a node: the secret scalar and the serialized public key. */
export interface Signer {
  /** The secret key, 32 little-endian bytes. */
  secretKey: Uint8Array;
  /** The serialized public key, 48 bytes. */
  publicKey: Uint8Array;
}

/**
 * The sum of the signers' `SignHash` signatures of one message, as a point: `(Σ skᵢ)·H(m)`, which
 * equals `Σ skᵢ·H(m)`. A message that maps to zero cannot be signed; Go then skips the signature,
 * so the sum is the point at infinity.
 *
 * @param signers the keys
 * @param message the signed bytes (only the first 48 matter)
 * @returns the aggregate signature as a G2 point
 * @throws {SpecError} `bls/invalid-length`, `bls/secret-key-out-of-range` for a bad secret key
 */
export function signHashPoint(signers: Signer[], message: Uint8Array): BlsG2Point {
  let scalar = 0n;
  for (const s of signers) scalar = (scalar + blsDecodeSecretKey(s.secretKey)) % BLS_GROUP_ORDER;
  return blsSignHashScalar(scalar, message) ?? bls12_381.G2.Point.ZERO;
}

/**
 * {@link signHashPoint}, serialized: what a message carries.
 *
 * @param signers the keys
 * @param message the signed bytes (only the first 48 matter)
 * @returns the 96-byte aggregate signature
 * @throws {SpecError} `bls/invalid-length`, `bls/secret-key-out-of-range` for a bad secret key
 */
export function aggregateSignHash(signers: Signer[], message: Uint8Array): Uint8Array {
  return blsEncodeSignature(signHashPoint(signers, message));
}

/**
 * The digest a message signature signs: Keccak-256 of the message marshalled with an empty
 * signature field.
 *
 * @param m the message (its signature field is ignored)
 * @returns 32 bytes
 */
export function messageSigningHash(m: HarmonyMessage): Uint8Array {
  return keccak256(encodeHarmonyMessage({ ...m, signature: EMPTY }));
}

/**
 * Signs a message with one key (Go `signConsensusMessage`).
 *
 * @param m the message
 * @param signer the sender's key
 * @returns the message with its 96-byte signature set
 */
export function signHarmonyMessage(m: HarmonyMessage, signer: Signer): HarmonyMessage {
  return { ...m, signature: aggregateSignHash([signer], messageSigningHash(m)) };
}

/**
 * Reads a signature field as mcl does: at least 96 bytes, of which only the first 96 are read.
 *
 * @param bytes the field
 * @returns the decoded point
 * @throws {SpecError} `bls/invalid-length` below 96 bytes, and the codes of `blsDecodeSignature`
 */
export function readSignatureField(bytes: Uint8Array): BlsG2Point {
  require(bytes.length >= BLS_SIGNATURE_BYTES, "bls/invalid-length", `signature ${bytes.length}`);
  return blsDecodeSignature(bytes.subarray(0, BLS_SIGNATURE_BYTES));
}

/**
 * Checks a message signature (Go `verifyMessageSig`).
 *
 * @param m the message as received
 * @param sender the sender's public key, decoded
 * @throws {SpecError} `bls/invalid-length` and the `blsDecodeSignature` codes for an unreadable
 *   signature; `fbft/bad-message-signature` when it does not verify
 */
export function checkMessageSignature(m: HarmonyMessage, sender: BlsG1Point): void {
  const signature = readSignatureField(m.signature);
  const ok = blsVerifyHashPoints(sender, messageSigningHash(m), signature);
  require(ok, "fbft/bad-message-signature");
}

// ---------------------------------------------------------------- construction

/** The fields every ConsensusRequest of a round carries (Go `populateMessageFields`). */
export interface RoundFields {
  /** The view the sender is in. */
  viewId: bigint;
  /** The block number being agreed on. */
  blockNum: bigint;
  /** The shard. */
  shardId: bigint;
  /** The 32-byte hash of the candidate block. */
  blockHash: Uint8Array;
}

/** The sender fields of a ConsensusRequest. */
export interface SenderFields {
  /** The single sender's key, or empty. */
  senderPubkey: Uint8Array;
  /** The senders' bitmap, or empty. */
  senderPubkeyBitmap: Uint8Array;
}

/**
 * The sender fields for some keys (Go `construct`): one key is named by `sender_pubkey`; several
 * by a committee bitmap (keys not in the committee are left out, as Go's `SetKey` fails for them).
 *
 * @param signers the sending keys, at least one
 * @param committee the committee, for a bitmap
 * @returns the sender fields
 */
export function senderFields(signers: Signer[], committee: BlsCommittee): SenderFields {
  require(signers.length > 0, "fbft/no-signers");
  if (signers.length === 1) {
    return { senderPubkey: signers[0].publicKey, senderPubkeyBitmap: EMPTY };
  }
  const indices: number[] = [];
  for (const s of signers) {
    const i = committee.index.get(toHex(s.publicKey));
    if (i !== undefined) indices.push(i);
  }
  return {
    senderPubkey: EMPTY,
    senderPubkeyBitmap: blsMaskFromIndices(committee.points.length, indices),
  };
}

/**
 * Builds a ConsensusRequest message (Go `construct`). PREPARE and COMMIT are left unsigned; the
 * others are signed by the first signer (a leader message has one).
 *
 * @param type a {@link MSG} type
 * @param round the round fields
 * @param signers the sending keys
 * @param committee the committee (for a multi-key bitmap)
 * @param body the block and payload
 * @returns the message
 * @throws {SpecError} `fbft/no-signers` for an empty signer list
 */
export function constructConsensusMessage(
  type: number,
  round: RoundFields,
  signers: Signer[],
  committee: BlsCommittee,
  body: { block?: Uint8Array; payload: Uint8Array },
): HarmonyMessage {
  const consensus = consensusRequest({
    ...round,
    ...senderFields(signers, committee),
    block: body.block ?? EMPTY,
    payload: body.payload,
  });
  const m: HarmonyMessage = {
    serviceType: SERVICE_CONSENSUS,
    type,
    signature: EMPTY,
    request: { kind: "consensus", consensus },
    unknown: EMPTY,
  };
  const unsigned = type === MSG.PREPARE || type === MSG.COMMIT;
  return unsigned ? m : signHarmonyMessage(m, signers[0]);
}

/**
 * Builds a VIEWCHANGE or NEWVIEW message and signs it with the sender's key.
 *
 * @param type `MSG.VIEWCHANGE` or `MSG.NEWVIEW`
 * @param request the request fields (sender key included)
 * @param sender the sender's key pair
 * @returns the signed message
 */
export function constructViewChangeMessage(
  type: number,
  request: ViewChangeRequest,
  sender: Signer,
): HarmonyMessage {
  require(request.senderPubkey.length === BLS_PUBLIC_KEY_BYTES, "fbft/sender-key-size");
  const m: HarmonyMessage = {
    serviceType: SERVICE_CONSENSUS,
    type,
    signature: EMPTY,
    request: { kind: "viewchange", viewchange: request },
    unknown: EMPTY,
  };
  return signHarmonyMessage(m, sender);
}
