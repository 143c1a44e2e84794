/**
 * Quorum certificates: an aggregate signature and the bitmap of its signers, and the checks on
 * them.
 *
 * A certificate travels as `signature(96) ‖ bitmap`, the bitmap over the committee in slot order.
 * Three kinds appear in consensus:
 * - the **prepare certificate** (PREPARED payload, and inside an M1 view-change payload) signs
 *   the block hash;
 * - the **commit certificate** (COMMITTED payload) signs the block's commit payload; it is the
 *   block's finality proof, and the *next* block's header carries it as
 *   `LastCommitSignature` / `LastCommitBitmap`;
 * - the **view-change certificates** of a NEWVIEW (M2 over NIL, M3 over the view ID), checked in
 *   `view-change.ts`.
 *
 * **Reading** (Go `readSignatureBitmapPayload`, `ParseCommitSigAndBitmap`, `DecodeSigBitmap`): the
 * bytes from the offset on must hold at least 96; the signature must decode; the bitmap must be
 * exactly `⌈n/8⌉` bytes (padding bits are ignored).
 *
 * **The header rule** (Go `engine.VerifySeal` and `VerifyHeaderSignature`): a commit certificate
 * for a block is checked against the committee of that block's epoch (and shard): the verifier's
 * quorum (`verifierQuorumByMask`, whose pre-staking form accepts any bitmap once the committee has
 * four keys) and the aggregate signature under the enabled keys over the block's commit payload.
 * The engine skips the check entirely while the node's own chain head is block 0 or 1.
 *
 * @see github.com/harmony-one/harmony consensus/consensus_service.go `readSignatureBitmapPayload`
 * @see github.com/harmony-one/harmony internal/chain/sig.go
 * @see github.com/harmony-one/harmony internal/chain/engine.go `VerifySeal`,
 *   `VerifyHeaderSignature`, `verifySignature`
 * @module
 */
import { BLS_SIGNATURE_BYTES, blsDecodeSignature, type BlsG2Point } from "../crypto/bls.ts";
import {
  type BlsCommittee,
  blsMaskEnabledIndices,
  blsMaskFromIndices,
  blsSeparateSigAndMask,
  blsVerifyMaskedHashPoint,
} from "../crypto/bls-mask.ts";
import { require } from "../errors.ts";
import type { HasFeatures } from "../params/features.ts";
import { commitPayload } from "./payloads.ts";
import { isQuorumByMask, verifierQuorumByMask } from "./quorum.ts";
import type { BlockHeader, EpochContext } from "./state.ts";

/** A decoded certificate. */
export interface DecodedCertificate {
  /** The aggregate signature. */
  signature: BlsG2Point;
  /** The bitmap, normalized (padding bits clear). */
  bitmap: Uint8Array;
}

/**
 * Reads `signature ‖ bitmap` starting at an offset (Go `readSignatureBitmapPayload`).
 *
 * @param committee the committee the bitmap is over
 * @param payload the bytes
 * @param offset where the signature starts (0 for PREPARED, 32 in an M1 payload)
 * @returns the decoded signature and bitmap
 * @throws {SpecError} `bls/commit-sig-too-short`, the `blsDecodeSignature` codes,
 *   `bls/bitmap-length-mismatch`
 */
export function readCertificate(
  committee: BlsCommittee,
  payload: Uint8Array,
  offset: number,
): DecodedCertificate {
  require(offset + BLS_SIGNATURE_BYTES <= payload.length, "bls/commit-sig-too-short");
  const { signature, bitmap } = blsSeparateSigAndMask(payload.subarray(offset));
  const point = blsDecodeSignature(signature);
  const n = committee.points.length;
  return { signature: point, bitmap: blsMaskFromIndices(n, blsMaskEnabledIndices(n, bitmap)) };
}

/**
 * Whether a decoded certificate's signature verifies under its signers' keys.
 *
 * @param committee the committee
 * @param cert the certificate
 * @param message the signed bytes
 * @returns whether it verifies
 */
export function certificateVerifies(
  committee: BlsCommittee,
  cert: DecodedCertificate,
  message: Uint8Array,
): boolean {
  return blsVerifyMaskedHashPoint(committee, cert.bitmap, message, cert.signature);
}

/**
 * Checks a prepare certificate as a validator does on PREPARED: the consensus decider's quorum
 * and the aggregate signature over the block hash.
 *
 * @param ctx the committee
 * @param payload the PREPARED payload (or an M1 payload)
 * @param offset where the certificate starts in it
 * @param blockHash the hash it must sign
 * @returns the decoded certificate
 * @throws {SpecError} the codes of {@link readCertificate}, `fbft/no-quorum`,
 *   `fbft/bad-quorum-signature`
 */
export function checkPrepareCertificate(
  ctx: EpochContext,
  payload: Uint8Array,
  offset: number,
  blockHash: Uint8Array,
): DecodedCertificate {
  const cert = readCertificate(ctx.committee, payload, offset);
  require(isQuorumByMask(ctx.policy, ctx.committee, cert.bitmap), "fbft/no-quorum");
  require(certificateVerifies(ctx.committee, cert, blockHash), "fbft/bad-quorum-signature");
  return cert;
}

/**
 * Checks a block's commit certificate with the chain engine's rule (Go `verifySignature`).
 *
 * @param config the feature schedule (the commit payload depends on Staking)
 * @param ctx the committee of the block's epoch
 * @param header the block's header
 * @param commitSig `signature(96) ‖ bitmap`
 * @returns the decoded certificate
 * @throws {SpecError} the codes of {@link readCertificate}, `fbft/no-quorum`,
 *   `fbft/bad-quorum-signature`
 */
export function checkCommitCertificate(
  config: HasFeatures,
  ctx: EpochContext,
  header: BlockHeader,
  commitSig: Uint8Array,
): DecodedCertificate {
  const cert = readCertificate(ctx.committee, commitSig, 0);
  require(verifierQuorumByMask(ctx.policy, ctx.committee, cert.bitmap), "fbft/no-quorum");
  const payload = commitPayload(config, header.epoch, header.hash, header.number, header.viewId);
  require(certificateVerifies(ctx.committee, cert, payload), "fbft/bad-quorum-signature");
  return cert;
}

/**
 * The header rule: a block's `LastCommitSignature` and `LastCommitBitmap` must be a valid commit
 * certificate for its parent (Go `VerifySeal`). Skipped while the checking node's head is block 0
 * or 1.
 *
 * @param config the feature schedule
 * @param parentCtx the committee of the parent's epoch
 * @param parent the parent header
 * @param header the header whose seal is checked
 * @param headNumber the checking node's chain head number
 * @throws {SpecError} the codes of {@link checkCommitCertificate}
 */
export function checkLastCommit(
  config: HasFeatures,
  parentCtx: EpochContext,
  parent: BlockHeader,
  header: BlockHeader,
  headNumber: bigint,
): void {
  const { lastCommitSignature, lastCommitBitmap } = header;
  const ctx = () => parentCtx;
  verifyHeaderSignature(config, ctx, parent, lastCommitSignature, lastCommitBitmap, headNumber);
}

/**
 * The chain engine's check of a commit signature carried with a header (Go
 * `VerifyHeaderSignature`, for a block's seal and a cross-shard proof's source header): skipped
 * while the checking node's head is block 0 or 1; otherwise the signature is copied into 96 bytes
 * (cut or zero-padded, as Go's fixed-size array), followed by the bitmap, and must pass
 * {@link checkCommitCertificate}.
 *
 * @param config the feature schedule
 * @param contextOf the committee of the signed block's epoch, asked for only when checked
 * @param subject the signed block
 * @param signature the carried commit signature
 * @param bitmap the carried signers' bitmap
 * @param headNumber the checking node's chain head number
 * @throws {SpecError} the codes of `contextOf` and of {@link checkCommitCertificate}
 */
export function verifyHeaderSignature(
  config: HasFeatures,
  contextOf: () => EpochContext,
  subject: BlockHeader,
  signature: Uint8Array,
  bitmap: Uint8Array,
  headNumber: bigint,
): void {
  if (headNumber <= 1n) return;
  const commitSig = new Uint8Array(BLS_SIGNATURE_BYTES + bitmap.length);
  commitSig.set(signature.subarray(0, BLS_SIGNATURE_BYTES));
  commitSig.set(bitmap, BLS_SIGNATURE_BYTES);
  checkCommitCertificate(config, contextOf(), subject, commitSig);
}
