/**
 * Cross-shard receipt proofs: how a destination shard checks that the receipts it is asked to
 * credit were really emitted by a finalized block of their source shard.
 *
 * **The proof** (Go `CXReceiptsProof`) travels from the source shard to each destination:
 * `RLP([receipts, merkleProof, header, commitSig, commitBitmap])` where
 * - `receipts` are the source block's receipts for one destination, each
 *   `[txHash(32), from(20), to(20), shardID(uint32), toShardID(uint32), amount]`;
 * - `merkleProof` is `[blockNum, blockHash(32), shardID(uint32), cxReceiptHash(32),
 *   [toShardID...], [shardRoot(32)...]]`: the source block's identity and, for every destination
 *   that has receipts, its shard ID and the `deriveSha` of its receipts ({@link cxMerkleProof}
 *   builds it, Go `CXMerkleProof`);
 * - `header` is the source block's header in its own encoding;
 * - `commitSig` and `commitBitmap` are that block's commit certificate.
 *
 * **Verification** ({@link verifyCxReceiptsProof}, Go `ValidateCXReceiptsProof`), in Go's order:
 * 1. `AcceptsCrossTx` at the header's epoch (`cxproof/cross-tx-not-accepted`);
 * 2. at least one receipt, all to one destination (`cxproof/no-receipts`,
 *    `cxproof/mixed-destinations`);
 * 3. that destination is among the proof's shard IDs (`cxproof/destination-not-in-proof`; when it
 *    is listed twice the last entry counts), and `deriveSha` of the receipts equals its root
 *    (`cxproof/receipts-root-mismatch`);
 * 4. Keccak-256 of `uint32_BE(shardID) ‖ root` over all entries equals the proof's
 *    `cxReceiptHash` (`cxproof/outgoing-root-mismatch`): the commitment `cxReceiptsMerkleRoot`
 *    of `chain/derive-sha.ts` rebuilt from the proof;
 * 5. the header hashes to the proof's `blockHash` and carries `cxReceiptHash` as its
 *    `OutgoingReceiptHash` (`cxproof/header-mismatch`);
 * 6. **[Deviation]** the proof's `blockNum` and `shardID` are the header's
 *    (`cxproof/source-mismatch`); see below;
 * 7. the commit certificate is a valid commit certificate of the header (the chain engine's rule,
 *    `checkCommitCertificate` of `consensus/certificate.ts`, against the committee of the header's
 *    shard and epoch), skipped while the verifying chain's head is block 0 or 1 (Go
 *    `VerifyHeaderSignature`). Go copies the signature into 96 bytes (cut or zero-padded); so does
 *    the spec ({@link sourceCommitCheck}). The `…With` variants of the verifiers take this step as
 *    a parameter ({@link CommitSignatureCheck}), for callers that supply the commit check
 *    themselves (block execution, `execution/block.ts`).
 *
 * **A block's incoming receipts** ({@link verifyIncomingReceipts}, Go `VerifyIncomingReceipts`):
 * for each proof in body order: not already spent (`cxproof/already-spent`; the spent set is the
 * execution rules', passed in as a predicate), its `blockHash` not seen earlier in the block
 * (`cxproof/duplicate-in-block`), every receipt to this shard (`cxproof/wrong-destination`), and
 * the proof valid; then the header's `IncomingReceiptHash` must be `deriveSha` of the proofs'
 * encodings, or the empty root for none (`cxproof/incoming-root-mismatch`).
 *
 * **Why the deviation.** Go marks a credited proof as spent under (`merkleProof.shardID`,
 * `merkleProof.blockNum`) and checks spending under the same key, but never compares those two
 * fields with the signed header. A proof re-sent with another `blockNum` therefore passes the
 * spent check and is credited again. The spec binds both fields to the header, so the spent key
 * names the signed block and a proof is credited at most once. Honest proofs (built by
 * {@link cxMerkleProof}) always satisfy the binding.
 *
 * **Deviation:** a proof whose `[shardRoot...]` list is shorter than its `[toShardID...]` list is
 * refused (`cxproof/shard-hashes-length-mismatch`); Go indexes past the end and panics.
 *
 * **Receipts.** Each receipt is read with the execution rules' `CXReceipt` decoder
 * (`execution/cx-receipt.ts`, which also credits receipts and keeps the spent set); a strictly
 * decoded receipt re-encodes to its own bytes, which is what enters the roots. The roots
 * themselves are the outgoing commitment's (`cxShardRoots` and `hashShardRoots` of
 * `chain/derive-sha.ts`).
 *
 * @see github.com/harmony-one/harmony core/types/cx_receipt.go (`CXReceiptsProof`,
 *   `CXMerkleProof`, `GetToShardID`)
 * @see github.com/harmony-one/harmony core/block_validator.go `ValidateCXReceiptsProof`
 * @see github.com/harmony-one/harmony core/blockchain_impl.go `VerifyIncomingReceipts`,
 *   `CXMerkleProof`, `IsSpent`
 * @see github.com/harmony-one/harmony internal/chain/engine.go `VerifyHeaderSignature`
 * @module
 */
import { decodeHeader, encodeHeader, type Header, headerHash } from "../chain/header.ts";
import {
  cxShardRoots,
  deriveSha,
  EMPTY_ROOT_HASH,
  hashShardRoots,
  type RoutedItem,
} from "../chain/derive-sha.ts";
import { verifyHeaderSignature } from "../consensus/certificate.ts";
import { bigintToBytes, bytesEqual, bytesKey } from "../encoding/bytes.ts";
import {
  decodeRlp,
  encodeRlp,
  encodeRlpList,
  readBigUint,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
  splitRlpList,
} from "../encoding/rlp.ts";
import { require } from "../errors.ts";
import {
  type CXReceipt,
  encodeCxReceipt,
  readCxReceipt,
  routeCxReceipts,
} from "../execution/cx-receipt.ts";
import type { NetworkConfig } from "../params/config.ts";
import { acceptsCrossTx, type HasFeatures } from "../params/features.ts";
import { commitSubject } from "./crosslink.ts";
import { instanceForEpoch } from "./schedule.ts";
import type { CommitteeLookup } from "./transition.ts";

/** The source block's identity and per-destination roots (Go `CXMerkleProof`). */
export interface CxMerkleProof {
  /** The source block's number. */
  blockNum: bigint;
  /** The source block's hash (32 bytes). */
  blockHash: Uint8Array;
  /** The source shard (uint32). */
  shardId: bigint;
  /** The source block's outgoing receipts commitment (32 bytes). */
  cxReceiptHash: Uint8Array;
  /** The destinations that have receipts, in increasing order. */
  shardIds: bigint[];
  /** `deriveSha` of each destination's receipts (32 bytes each), in the same order. */
  cxShardHashes: Uint8Array[];
}

/** A receipt proof (Go `CXReceiptsProof`). */
export interface CxReceiptsProof {
  /** The receipts for one destination. */
  receipts: CXReceipt[];
  /** The source block's identity and roots. */
  merkleProof: CxMerkleProof;
  /** The source block's header. */
  header: Header;
  /** The source block's aggregate commit signature (96 bytes in a well-formed proof). */
  commitSig: Uint8Array;
  /** The bitmap of its signers. */
  commitBitmap: Uint8Array;
}

/** What a verified proof allows the destination to credit. */
export interface VerifiedReceipts {
  /** The source shard (the signed header's). */
  sourceShardId: bigint;
  /** The source block number (the signed header's). */
  sourceBlockNumber: bigint;
  /** The source block hash. */
  sourceBlockHash: Uint8Array;
  /** The destination shard. */
  toShardId: bigint;
  /** The receipts' RLP encodings, in proof order. */
  receipts: Uint8Array[];
}

/** Whether a source block's receipts were already credited on this shard. */
export type SpentPredicate = (sourceShardId: bigint, sourceBlockNumber: bigint) => boolean;

function readMerkleProof(item: RlpItem): CxMerkleProof {
  const f = readListOf(item, 6);
  return {
    blockNum: readBigUint(f[0]),
    blockHash: readFixedBytes(f[1], 32),
    shardId: readUint(f[2], 32),
    cxReceiptHash: readFixedBytes(f[3], 32),
    shardIds: readList(f[4]).map((s) => readUint(s, 32)),
    cxShardHashes: readList(f[5]).map((h) => readFixedBytes(h, 32)),
  };
}

/**
 * Decodes a receipt proof (Go `rlp.DecodeBytes(bytes, &CXReceiptsProof{})`).
 *
 * @param bytes the RLP
 * @returns the proof
 * @throws {SpecError} the `encoding/rlp-*` codes and the header decoding codes
 */
export function decodeCxReceiptsProof(bytes: Uint8Array): CxReceiptsProof {
  const parts = splitRlpList(bytes);
  require(parts.length === 5, "encoding/rlp-wrong-item-count");
  return {
    receipts: readList(decodeRlp(parts[0])).map(readCxReceipt),
    merkleProof: readMerkleProof(decodeRlp(parts[1])),
    header: decodeHeader(parts[2]),
    commitSig: readBytes(decodeRlp(parts[3])),
    commitBitmap: readBytes(decodeRlp(parts[4])),
  };
}

/**
 * Encodes a receipt proof.
 *
 * @param proof the proof
 * @returns its RLP
 * @throws {SpecError} the header encoding codes
 */
export function encodeCxReceiptsProof(proof: CxReceiptsProof): Uint8Array {
  const m = proof.merkleProof;
  const merkle = encodeRlp([
    bigintToBytes(m.blockNum),
    m.blockHash,
    bigintToBytes(m.shardId),
    m.cxReceiptHash,
    m.shardIds.map(bigintToBytes),
    m.cxShardHashes,
  ]);
  return encodeRlpList([
    encodeRlpList(proof.receipts.map(encodeCxReceipt)),
    merkle,
    encodeHeader(proof.header),
    encodeRlp(proof.commitSig),
    encodeRlp(proof.commitBitmap),
  ]);
}

/**
 * Checks the commit signature carried by a proof's source header.
 *
 * @throws {SpecError} when the signature is not a valid commit of the source committee
 */
export type CommitSignatureCheck = (
  header: Header,
  commitSig: Uint8Array,
  commitBitmap: Uint8Array,
) => void;

/**
 * The merkle proof a source block gives its destinations (Go `CXMerkleProof`): for each shard
 * `0 … numShards−1` that has receipts, its ID and `deriveSha` of its receipts.
 *
 * @param header the source block's header
 * @param outgoing the block's outgoing receipts, in block order
 * @param numShards the number of shards of the block's epoch
 * @returns the proof, or `null` when no receipt goes to a shard below `numShards`
 * @throws {SpecError} the codes of `headerHash`
 */
export function cxMerkleProof(
  header: Header,
  outgoing: readonly RoutedItem[],
  numShards: bigint,
): CxMerkleProof | null {
  const roots = cxShardRoots(outgoing).filter(([shard]) => shard < numShards);
  if (roots.length === 0) return null;
  return {
    blockNum: header.number,
    blockHash: headerHash(header),
    shardId: header.shardId,
    cxReceiptHash: header.outgoingReceiptHash.slice(),
    shardIds: roots.map(([shard]) => shard),
    cxShardHashes: roots.map(([, root]) => root),
  };
}

/**
 * The proof a source block sends to one destination (Go's proof assembly): the block's receipts
 * to that shard, the {@link cxMerkleProof} over the shards of the block's epoch, the header and
 * its commit certificate.
 *
 * @param config the network configuration (for the number of shards of the header's epoch)
 * @param header the committed source block's header
 * @param receipts the block's outgoing receipts, in block order
 * @param toShardId the destination
 * @param commitSig the block's commit signature
 * @param commitBitmap the block's commit bitmap
 * @returns the proof, or `null` when the block sends nothing to `toShardId`
 * @throws {SpecError} the codes of `headerHash`
 */
export function buildCxReceiptsProof(
  config: NetworkConfig,
  header: Header,
  receipts: readonly CXReceipt[],
  toShardId: bigint,
  commitSig: Uint8Array,
  commitBitmap: Uint8Array,
): CxReceiptsProof | null {
  const mine = receipts.filter((r) => r.toShardId === toShardId);
  const numShards = instanceForEpoch(config, header.epoch).numShards;
  const merkleProof = cxMerkleProof(header, routeCxReceipts(receipts), numShards);
  if (mine.length === 0 || merkleProof === null) return null;
  return { receipts: mine, merkleProof, header, commitSig, commitBitmap };
}

/** The single destination of a proof's receipts (Go `GetToShardID`). */
function destinationOf(receipts: readonly CXReceipt[]): bigint {
  require(receipts.length > 0, "cxproof/no-receipts");
  const to = receipts[0].toShardId;
  for (const r of receipts) require(r.toShardId === to, "cxproof/mixed-destinations");
  return to;
}

/** Checks the receipts against their destination's root and the roots against the commitment. */
function checkRoots(proof: CxReceiptsProof, to: bigint): void {
  const m = proof.merkleProof;
  require(m.cxShardHashes.length >= m.shardIds.length, "cxproof/shard-hashes-length-mismatch");
  let root: Uint8Array | null = null;
  const pairs: [bigint, Uint8Array][] = [];
  for (let j = 0; j < m.shardIds.length; j++) {
    pairs.push([m.shardIds[j], m.cxShardHashes[j]]);
    if (m.shardIds[j] === to) root = m.cxShardHashes[j]; // the last entry for `to` counts, as in Go
  }
  require(root !== null, "cxproof/destination-not-in-proof", `shard ${to}`);
  const receipts = proof.receipts.map(encodeCxReceipt);
  require(bytesEqual(deriveSha(receipts), root), "cxproof/receipts-root-mismatch");
  require(bytesEqual(hashShardRoots(pairs), m.cxReceiptHash), "cxproof/outgoing-root-mismatch");
}

/**
 * Step 7 as the chain engine does it (`verifyHeaderSignature` of `consensus/certificate.ts`): the
 * header's commit certificate against the committee of its shard and epoch, skipped while the
 * verifying chain's head is block 0 or 1.
 *
 * @param config the network configuration
 * @param lookup the committee of a shard in an epoch
 * @param headNumber the verifying chain's head number
 * @returns the check
 */
export function sourceCommitCheck(
  config: NetworkConfig,
  lookup: CommitteeLookup,
  headNumber: bigint,
): CommitSignatureCheck {
  return (h, commitSig, commitBitmap) => {
    const subject = commitSubject(headerHash(h), h.number, h.epoch, h.viewId, h.shardId);
    const ctx = () => lookup(h.shardId, h.epoch);
    verifyHeaderSignature(config, ctx, subject, commitSig, commitBitmap, headNumber);
  };
}

/**
 * Verifies one receipt proof (Go `ValidateCXReceiptsProof`, with the source binding), with the
 * commit check of step 7 given by the caller.
 *
 * @param config the network's feature schedule
 * @param proof the proof
 * @param checkCommit the commit-signature check of the source header, run last
 * @returns the receipts the destination may credit, with their source
 * @throws {SpecError} `cxproof/cross-tx-not-accepted`, `cxproof/no-receipts`,
 *   `cxproof/mixed-destinations`, `cxproof/shard-hashes-length-mismatch`,
 *   `cxproof/destination-not-in-proof`, `cxproof/receipts-root-mismatch`,
 *   `cxproof/outgoing-root-mismatch`, `cxproof/header-mismatch`, `cxproof/source-mismatch`, and
 *   whatever `checkCommit` raises
 */
export function verifyCxReceiptsProofWith(
  config: HasFeatures,
  proof: CxReceiptsProof,
  checkCommit: CommitSignatureCheck,
): VerifiedReceipts {
  const h = proof.header;
  const m = proof.merkleProof;
  require(acceptsCrossTx(config, h.epoch), "cxproof/cross-tx-not-accepted");
  const to = destinationOf(proof.receipts);
  checkRoots(proof, to);
  const hash = headerHash(h);
  const sameBlock = bytesEqual(hash, m.blockHash) &&
    bytesEqual(h.outgoingReceiptHash, m.cxReceiptHash);
  require(sameBlock, "cxproof/header-mismatch");
  // [Deviation] bind the fields the spent key is made of to the signed header.
  require(m.blockNum === h.number && m.shardId === h.shardId, "cxproof/source-mismatch");
  checkCommit(h, proof.commitSig, proof.commitBitmap);
  return {
    sourceShardId: h.shardId,
    sourceBlockNumber: h.number,
    sourceBlockHash: hash,
    toShardId: to,
    receipts: proof.receipts.map(encodeCxReceipt),
  };
}

/**
 * Verifies one receipt proof (Go `ValidateCXReceiptsProof`, with the source binding and the
 * chain engine's commit check, {@link sourceCommitCheck}).
 *
 * @param config the network configuration
 * @param lookup the committee of a shard in an epoch (for the source header's certificate)
 * @param proof the proof
 * @param headNumber the verifying chain's head number (the certificate is not checked at 0 or 1)
 * @returns the receipts the destination may credit, with their source
 * @throws {SpecError} the codes of {@link verifyCxReceiptsProofWith}; the lookup's
 *   `transition/committee-unknown`; the codes of `checkCommitCertificate` (BLS decoding,
 *   `bls/bitmap-length-mismatch`, `fbft/no-quorum`, `fbft/bad-quorum-signature`)
 */
export function verifyCxReceiptsProof(
  config: NetworkConfig,
  lookup: CommitteeLookup,
  proof: CxReceiptsProof,
  headNumber: bigint,
): VerifiedReceipts {
  return verifyCxReceiptsProofWith(config, proof, sourceCommitCheck(config, lookup, headNumber));
}

/**
 * Verifies a block's incoming receipt proofs (Go `VerifyIncomingReceipts`), with the commit check
 * given by the caller.
 *
 * @param config the network's feature schedule
 * @param shardId the verifying (destination) shard
 * @param proofs the body's incoming receipt proofs, as RLP, in body order
 * @param incomingReceiptHash the header's `IncomingReceiptHash`
 * @param isSpent whether a source block's receipts were already credited here (execution rules)
 * @param checkCommit the commit-signature check of each proof's source header
 * @returns the verified receipts, one entry per proof, in order
 * @throws {SpecError} `cxproof/already-spent`, `cxproof/duplicate-in-block`,
 *   `cxproof/wrong-destination`, `cxproof/incoming-root-mismatch`; the decoding codes; the codes
 *   of {@link verifyCxReceiptsProofWith}
 */
export function verifyIncomingReceiptsWith(
  config: HasFeatures,
  shardId: bigint,
  proofs: readonly Uint8Array[],
  incomingReceiptHash: Uint8Array,
  isSpent: SpentPredicate,
  checkCommit: CommitSignatureCheck,
): VerifiedReceipts[] {
  const seen = new Set<string>();
  const verified: VerifiedReceipts[] = [];
  for (const bytes of proofs) {
    const proof = decodeCxReceiptsProof(bytes);
    const m = proof.merkleProof;
    require(!isSpent(m.shardId, m.blockNum), "cxproof/already-spent", `${m.shardId}:${m.blockNum}`);
    require(!seen.has(bytesKey(m.blockHash)), "cxproof/duplicate-in-block");
    seen.add(bytesKey(m.blockHash));
    for (const r of proof.receipts) require(r.toShardId === shardId, "cxproof/wrong-destination");
    verified.push(verifyCxReceiptsProofWith(config, proof, checkCommit));
  }
  const root = proofs.length === 0 ? EMPTY_ROOT_HASH : deriveSha(proofs);
  require(bytesEqual(root, incomingReceiptHash), "cxproof/incoming-root-mismatch");
  return verified;
}

/**
 * Verifies a block's incoming receipt proofs (Go `VerifyIncomingReceipts`) with the chain
 * engine's commit check ({@link sourceCommitCheck}).
 *
 * @param config the network configuration
 * @param lookup the committee of a shard in an epoch
 * @param shardId the verifying (destination) shard
 * @param proofs the body's incoming receipt proofs, as RLP, in body order
 * @param incomingReceiptHash the header's `IncomingReceiptHash`
 * @param isSpent whether a source block's receipts were already credited here (execution rules)
 * @param headNumber the verifying chain's head number
 * @returns the verified receipts, one entry per proof, in order
 * @throws {SpecError} the codes of {@link verifyIncomingReceiptsWith} and of
 *   {@link verifyCxReceiptsProof}
 */
export function verifyIncomingReceipts(
  config: NetworkConfig,
  lookup: CommitteeLookup,
  shardId: bigint,
  proofs: readonly Uint8Array[],
  incomingReceiptHash: Uint8Array,
  isSpent: SpentPredicate,
  headNumber: bigint,
): VerifiedReceipts[] {
  const check = sourceCommitCheck(config, lookup, headNumber);
  return verifyIncomingReceiptsWith(config, shardId, proofs, incomingReceiptHash, isSpent, check);
}
