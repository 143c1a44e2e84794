/**
 * Double signing: two conflicting commit votes by one key, and the evidence record Harmony slashes
 * with.
 *
 * **What counts.** A key double-signs when it signs COMMIT votes for two *different* block hashes
 * at the *same* height and the *same* view ID. Because a COMMIT signs the commit payload
 * `uint64_LE(height) ‖ blockHash ‖ uint64_LE(viewID)` (from Staking on), each vote is a
 * self-contained, verifiable statement; two of them with one common key convict that key's
 * validator.
 *
 * **The evidence record** (Go `slash.Record`), RLP-encoded as go-ethereum encodes structs (each
 * struct, embedded ones included, is a list of its fields in order):
 * ```
 * Record   = [Evidence, Reporter(20)]
 * Evidence = [Moment, ConflictingVotes, Offender(20)]
 * Moment   = [Epoch(big int), ShardID(uint32), Height(uint64), ViewID(uint64)]
 * ConflictingVotes = [FirstVote, SecondVote]
 * Vote     = [[SignerPubKey(48), ...], BlockHeaderHash(32), Signature(bytes, 96)]
 * ```
 * The signer keys of each vote are sorted byte-wise (Go sorts them when it builds evidence).
 * Records travel to the beacon chain (node message `Block/SlashCandidate`) and land in the
 * beacon header's `Slashes` field as the RLP list of records.
 *
 * **Checks done here.** {@link checkDoubleSignEvidence} restates the parts of Go's
 * `slash.Verify` that need only the committee and the signatures: the reporter is not the
 * offender, the two hashes differ, at least one key is in both votes, every such key belongs to
 * one committee account and that account is the offender, the two votes differ as a whole
 * (SHA3-256 of their RLP), and each vote's signature verifies under the sum of its keys over the
 * commit payload of `(Epoch, hash, Height, ViewID)`. The checks on validator state (the offender
 * exists and is not banned, the epoch is a staking epoch and not in the future) and the penalty
 * belong to staking.
 *
 * **Detection in Harmony.** The leader's double-sign check (`checkDoubleSign`) is commented out
 * in `leader.go` `onCommit`; even enabled, it would sit after the "already voted" early return and
 * could never see a second vote from a key. The spec's state machine can report double signs
 * among the COMMIT votes its leader verifies when `detectDoubleSign` is set (see `leader.ts`);
 * with it off, as in Harmony, nothing is reported.
 *
 * @see github.com/harmony-one/harmony staking/slash/double-sign.go `Record`, `Evidence`,
 *   `Moment`, `ConflictingVotes`, `Vote`, `Verify`
 * @see github.com/harmony-one/harmony consensus/double_sign.go `checkDoubleSign`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { blsDecodePublicKey, blsVerifyHashPoints } from "../crypto/bls.ts";
import { bigintToBytes, bytesEqual, compareBytes, toHex } from "../encoding/bytes.ts";
import { sha3_256 } from "../encoding/hash.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import { require } from "../errors.ts";
import type { HasFeatures } from "../params/features.ts";
import { readSignatureField } from "./messages.ts";
import { commitPayload } from "./payloads.ts";
import type { CommitteeSlot } from "./state.ts";

/** One vote of the evidence (Go `slash.Vote`). */
export interface SlashVote {
  /** The signer keys (48 bytes each), sorted byte-wise. */
  signerPubKeys: Uint8Array[];
  /** The hash of the block voted for (32 bytes). */
  blockHeaderHash: Uint8Array;
  /** The vote's BLS signature (96 bytes from honest reporters). */
  signature: Uint8Array;
}

/** When the double sign happened (Go `slash.Moment`). */
export interface SlashMoment {
  /** The epoch of the blocks. */
  epoch: bigint;
  /** The shard. */
  shardId: bigint;
  /** The block height. */
  height: bigint;
  /** The view ID. */
  viewId: bigint;
}

/** The evidence (Go `slash.Evidence`). */
export interface SlashEvidence {
  /** When. */
  moment: SlashMoment;
  /** The first vote. */
  firstVote: SlashVote;
  /** The conflicting second vote. */
  secondVote: SlashVote;
  /** The offending validator's account (20 bytes). */
  offender: Uint8Array;
}

/** A slashing record (Go `slash.Record`). */
export interface SlashRecord {
  /** The evidence. */
  evidence: SlashEvidence;
  /** The reporter's account (20 bytes). */
  reporter: Uint8Array;
}

/** A verified commit vote, as a leader or observer holds it. */
export interface CommitVote {
  /** The signer keys. */
  signerKeys: Uint8Array[];
  /** The block hash voted for. */
  blockHash: Uint8Array;
  /** The 96-byte signature. */
  signature: Uint8Array;
  /** The block height. */
  height: bigint;
  /** The view ID. */
  viewId: bigint;
}

/**
 * The keys two votes have in common.
 *
 * @param a a vote
 * @param b another vote
 * @returns the keys of `a` that are also in `b`, in `a`'s order
 */
export function commonKeys(a: CommitVote, b: CommitVote): Uint8Array[] {
  const inB = new Set(b.signerKeys.map(toHex));
  return a.signerKeys.filter((k) => inB.has(toHex(k)));
}

/**
 * Whether two votes are a double sign: same height, same view, different block hashes, and at
 * least one common key.
 *
 * @param a a vote
 * @param b another vote
 * @returns whether they conflict
 */
export function isDoubleSign(a: CommitVote, b: CommitVote): boolean {
  return a.height === b.height && a.viewId === b.viewId &&
    !bytesEqual(a.blockHash, b.blockHash) && commonKeys(a, b).length > 0;
}

function sortedKeys(keys: Uint8Array[]): Uint8Array[] {
  return keys.slice().sort(compareBytes);
}

/**
 * The evidence record of a double sign (Go `checkDoubleSign`'s record, keys sorted).
 *
 * @param first the vote seen first
 * @param second the conflicting vote
 * @param where the epoch and shard of the blocks
 * @param offender the offending validator's account
 * @param reporter the reporter's account
 * @returns the record
 * @throws {SpecError} `doublesign/not-conflicting` unless {@link isDoubleSign} holds
 */
export function makeSlashRecord(
  first: CommitVote,
  second: CommitVote,
  where: { epoch: bigint; shardId: bigint },
  offender: Uint8Array,
  reporter: Uint8Array,
): SlashRecord {
  require(isDoubleSign(first, second), "doublesign/not-conflicting");
  const vote = (v: CommitVote): SlashVote => ({
    signerPubKeys: sortedKeys(v.signerKeys),
    blockHeaderHash: v.blockHash,
    signature: v.signature,
  });
  return {
    evidence: {
      moment: {
        epoch: where.epoch,
        shardId: where.shardId,
        height: first.height,
        viewId: first.viewId,
      },
      firstVote: vote(first),
      secondVote: vote(second),
      offender,
    },
    reporter,
  };
}

function voteItem(v: SlashVote): RlpItem {
  return [v.signerPubKeys, v.blockHeaderHash, v.signature];
}

function recordItem(r: SlashRecord): RlpItem {
  const e = r.evidence;
  const m = e.moment;
  const moment = [m.epoch, m.shardId, m.height, m.viewId].map(bigintToBytes);
  return [[moment, [voteItem(e.firstVote), voteItem(e.secondVote)], e.offender], r.reporter];
}

/**
 * RLP of a record.
 *
 * @param r the record
 * @returns its encoding
 */
export function encodeSlashRecord(r: SlashRecord): Uint8Array {
  return encodeRlp(recordItem(r));
}

/**
 * RLP of a list of records (Go `slash.Records`, the beacon header's `Slashes`).
 *
 * @param records the records
 * @returns their encoding as one list
 */
export function encodeSlashRecords(records: SlashRecord[]): Uint8Array {
  return encodeRlp(records.map(recordItem));
}

function readVote(item: RlpItem): SlashVote {
  const [keys, hash, signature] = readListOf(item, 3);
  return {
    signerPubKeys: readList(keys).map((k) => readFixedBytes(k, 48)),
    blockHeaderHash: readFixedBytes(hash, 32),
    signature: readBytes(signature),
  };
}

function readRecord(item: RlpItem): SlashRecord {
  const [evidence, reporter] = readListOf(item, 2);
  const [moment, votes, offender] = readListOf(evidence, 3);
  const [epoch, shardId, height, viewId] = readListOf(moment, 4);
  const [first, second] = readListOf(votes, 2);
  return {
    evidence: {
      moment: {
        epoch: readBigUint(epoch),
        shardId: readUint(shardId, 32),
        height: readUint(height, 64),
        viewId: readUint(viewId, 64),
      },
      firstVote: readVote(first),
      secondVote: readVote(second),
      offender: readFixedBytes(offender, 20),
    },
    reporter: readFixedBytes(reporter, 20),
  };
}

/**
 * Decodes a record (strict canonical RLP, go-ethereum's typed rules).
 *
 * @param bytes the encoding
 * @returns the record
 * @throws {SpecError} the `encoding/rlp-*` codes
 */
export function decodeSlashRecord(bytes: Uint8Array): SlashRecord {
  return readRecord(decodeRlp(bytes));
}

/**
 * Decodes a list of records.
 *
 * @param bytes the encoding
 * @returns the records
 * @throws {SpecError} the `encoding/rlp-*` codes
 */
export function decodeSlashRecords(bytes: Uint8Array): SlashRecord[] {
  return readList(decodeRlp(bytes)).map(readRecord);
}

/** The committee account of a key (Go `AddressForBLSKey`: the first slot holding it). */
function accountOf(slots: CommitteeSlot[], key: Uint8Array): Uint8Array {
  const slot = slots.find((s) => bytesEqual(s.publicKey, key));
  require(slot !== undefined, "doublesign/key-not-in-committee", toHex(key));
  return slot.ecdsaAddress;
}

/** Whether a vote's signature verifies under the sum of its keys over the commit payload. */
function voteVerifies(config: HasFeatures, m: SlashMoment, v: SlashVote): boolean {
  let key = bls12_381.G1.Point.ZERO;
  for (const k of v.signerPubKeys) key = key.add(blsDecodePublicKey(k));
  const payload = commitPayload(config, m.epoch, v.blockHeaderHash, m.height, m.viewId);
  return blsVerifyHashPoints(key, payload, readSignatureField(v.signature));
}

/**
 * The committee and signature checks of Go's `slash.Verify` (see the module notes for what is
 * left to staking), in Go's order.
 *
 * @param config the network's feature schedule (for the commit payload)
 * @param record the record
 * @param slots the committee of `(Epoch, ShardID)`
 * @throws {SpecError} `doublesign/reporter-is-offender`, `doublesign/same-block`,
 *   `doublesign/no-common-key`, `doublesign/key-not-in-committee`,
 *   `doublesign/several-offenders`, `doublesign/offender-mismatch`, `doublesign/same-votes`,
 *   the BLS decoding codes, `doublesign/bad-signature`
 */
export function checkDoubleSignEvidence(
  config: HasFeatures,
  record: SlashRecord,
  slots: CommitteeSlot[],
): void {
  const e = record.evidence;
  require(!bytesEqual(e.offender, record.reporter), "doublesign/reporter-is-offender");
  require(
    !bytesEqual(e.firstVote.blockHeaderHash, e.secondVote.blockHeaderHash),
    "doublesign/same-block",
  );
  const second = new Set(e.secondVote.signerPubKeys.map(toHex));
  const doubled = e.firstVote.signerPubKeys.filter((k) => second.has(toHex(k)));
  require(doubled.length > 0, "doublesign/no-common-key");
  const accounts = doubled.map((k) => accountOf(slots, k));
  require(accounts.length === 1, "doublesign/several-offenders");
  require(bytesEqual(accounts[0], e.offender), "doublesign/offender-mismatch");
  const h1 = sha3_256(encodeRlp(voteItem(e.firstVote)));
  const h2 = sha3_256(encodeRlp(voteItem(e.secondVote)));
  require(!bytesEqual(h1, h2), "doublesign/same-votes");
  for (const v of [e.firstVote, e.secondVote]) {
    require(voteVerifies(config, e.moment, v), "doublesign/bad-signature");
  }
}
