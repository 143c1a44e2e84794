/**
 * Double signing: two conflicting commit votes by one key, turned into the evidence record
 * Harmony slashes with.
 *
 * **What counts.** A key double-signs when it signs COMMIT votes for two *different* block hashes
 * at the *same* height and the *same* view ID. Because a COMMIT signs the commit payload
 * `uint64_LE(height) ‖ blockHash ‖ uint64_LE(viewID)` (from Staking on), each vote is a
 * self-contained, verifiable statement; two of them with one common key convict that key's
 * validator.
 *
 * **The evidence record** (Go `slash.Record`), its RLP and its verification (Go `slash.Verify`)
 * belong to staking: see `staking/slashing.ts` (`SlashRecord`, `encodeSlashRecord`,
 * `verifySlashRecord`, and `verifySlashEvidence` for the checks that need only the committee).
 * This module only *detects*: it says when two votes conflict ({@link isDoubleSign}) and builds
 * the record from them ({@link makeSlashRecord}), with the signer keys of each vote sorted
 * byte-wise as Go sorts them when it builds evidence. Records travel to the beacon chain (node
 * message `Block/SlashCandidate`) and land in the beacon header's `Slashes` field.
 *
 * **Detection in Harmony.** The leader's double-sign check (`checkDoubleSign`) is commented out
 * in `leader.go` `onCommit`; even enabled, it would sit after the "already voted" early return and
 * could never see a second vote from a key. The spec's state machine can report double signs
 * among the COMMIT votes its leader verifies when `detectDoubleSign` is set (see `leader.ts`);
 * with it off, as in Harmony, nothing is reported.
 *
 * @see github.com/harmony-one/harmony consensus/double_sign.go `checkDoubleSign`
 * @module
 */
import { bytesEqual, compareBytes } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { doubleSignedKeys, type SlashRecord, type SlashVote } from "../staking/slashing.ts";

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
 * Whether two votes are a double sign: same height, same view, different block hashes, and at
 * least one common key.
 *
 * @param a a vote
 * @param b another vote
 * @returns whether they conflict
 */
export function isDoubleSign(a: CommitVote, b: CommitVote): boolean {
  return a.height === b.height && a.viewId === b.viewId &&
    !bytesEqual(a.blockHash, b.blockHash) &&
    doubleSignedKeys(a.signerKeys, b.signerKeys).length > 0;
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
