/**
 * The exact bytes every consensus signature signs.
 *
 * - **PREPARE** signs the raw 32-byte block hash (Keccak-256 of the header's tagged RLP). This
 *   never changed.
 * - **COMMIT** signs the *commit payload* of the block:
 *   `uint64_LE(blockNum) ‖ blockHash` (40 bytes) before the `Staking` feature, and
 *   `uint64_LE(blockNum) ‖ blockHash ‖ uint64_LE(viewID)` (48 bytes) from it on. The epoch that
 *   decides is the epoch of the signed block, and the view ID is the one in its header (the view
 *   the block was proposed in, which a block carried over a view change keeps). Every consumer
 *   signs or checks this same payload: the leader and validators, the header's last-commit
 *   signature, crosslinks, cross-shard receipt proofs, and double-sign evidence.
 * - **View change:** M1 signs `blockHash ‖ preparedAggSig(96) ‖ preparedBitmap` (the prepare
 *   certificate of the block carried over); M2 signs `NIL = [0x01]` ("no prepared block");
 *   M3 signs `uint64_LE(viewID)` of the view being entered.
 *
 * **Only the first 48 bytes count.** Harmony's `SignHash` reads at most the first 48 bytes of
 * what it signs as a field element, with no hash function (see `crypto/bls.ts`). The staking
 * commit payload is exactly 48 bytes, so all of it is covered; the pre-staking payload (40 bytes)
 * is covered in full too. An M1 signature, however, covers only the block hash and the first
 * 16 bytes of the prepare signature: two M1 payloads that differ after byte 48 carry the same
 * signature. {@link signedPrefix} names the bytes a signature actually binds.
 *
 * The certificate `signature(96) ‖ bitmap` is parsed by `blsSeparateSigAndMask` in
 * `crypto/bls-mask.ts`.
 *
 * @see github.com/harmony-one/harmony consensus/signature/signature.go `ConstructCommitPayload`
 * @see github.com/harmony-one/harmony consensus/config.go `NIL`
 * @see github.com/harmony-one/harmony consensus/view_change_msg.go
 *   `constructViewChangeMessage`
 * @module
 */
import { BLS_SIGNATURE_BYTES } from "../crypto/bls.ts";
import { concatBytes, uint64LE } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { type HasFeatures, isActive } from "../params/features.ts";

/** Bytes of a block hash. */
export const BLOCK_HASH_BYTES = 32;
/** How many leading bytes of a message Harmony's `SignHash` reads. */
export const SIGN_HASH_PREFIX_BYTES = 48;
/** The M2 ("no prepared block") view-change payload. */
export const NIL_PAYLOAD: Uint8Array = Uint8Array.of(0x01);
/**
 * The shortest payload Harmony treats as M1: a block hash and a signature (Go
 * `ValidPayloadLength` = 32 + 96); the bitmap may be empty.
 */
export const M1_MIN_PAYLOAD_BYTES = BLOCK_HASH_BYTES + BLS_SIGNATURE_BYTES;

function requireHash(blockHash: Uint8Array): void {
  require(blockHash.length === BLOCK_HASH_BYTES, "fbft/bad-block-hash-length");
}

/**
 * What a PREPARE signs: the block hash itself.
 *
 * @param blockHash the 32-byte hash
 * @returns the same 32 bytes
 * @throws {SpecError} `fbft/bad-block-hash-length`
 */
export function preparePayload(blockHash: Uint8Array): Uint8Array {
  requireHash(blockHash);
  return blockHash.slice();
}

/**
 * What a COMMIT signs (Go `ConstructCommitPayload`).
 *
 * [Modified in Staking] the view ID is appended.
 *
 * @param config the network's feature schedule
 * @param epoch the epoch of the signed block
 * @param blockHash the block's 32-byte hash
 * @param blockNum the block's number
 * @param viewId the view ID in the block's header
 * @returns 40 bytes before `Staking`, 48 bytes from it on
 * @throws {SpecError} `fbft/bad-block-hash-length`; `encoding/integer-too-large` when a number
 *   does not fit in 64 bits
 */
export function commitPayload(
  config: HasFeatures,
  epoch: bigint,
  blockHash: Uint8Array,
  blockNum: bigint,
  viewId: bigint,
): Uint8Array {
  requireHash(blockHash);
  const base = concatBytes(uint64LE(blockNum), blockHash);
  if (!isActive(config, "Staking", epoch)) return base;
  return concatBytes(base, uint64LE(viewId)); // [New in Staking]
}

/**
 * What an M1 view-change signature signs: the block hash and the prepare certificate.
 *
 * @param blockHash the prepared block's 32-byte hash
 * @param preparedSigAndBitmap the prepare certificate `aggSig(96) ‖ bitmap` from PREPARED
 * @returns `blockHash ‖ preparedSigAndBitmap`
 * @throws {SpecError} `fbft/bad-block-hash-length`
 */
export function m1Payload(blockHash: Uint8Array, preparedSigAndBitmap: Uint8Array): Uint8Array {
  requireHash(blockHash);
  return concatBytes(blockHash, preparedSigAndBitmap);
}

/**
 * What an M3 view-change signature signs: the view ID being entered.
 *
 * @param viewId the view ID
 * @returns `uint64_LE(viewId)`
 * @throws {SpecError} `encoding/integer-too-large` when it does not fit in 64 bits
 */
export function viewIdPayload(viewId: bigint): Uint8Array {
  return uint64LE(viewId);
}

/**
 * The bytes a `SignHash` signature actually binds: the first 48 of the message.
 *
 * @param message the signed bytes
 * @returns its first `min(48, length)` bytes
 */
export function signedPrefix(message: Uint8Array): Uint8Array {
  return message.slice(0, SIGN_HASH_PREFIX_BYTES);
}
