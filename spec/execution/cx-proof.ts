/**
 * Proofs of cross-shard receipts: how a destination shard knows the receipts it credits were
 * really emitted by a committed block of the source shard.
 *
 * **Outgoing commitment.** A source block's header carries `OutgoingReceiptHash` over its
 * CXReceipts (Go `CXReceipts.ComputeMerkleRoot`): for each destination shard with receipts, in
 * increasing order, `uint32_BE(shard) ‖ DeriveSha(receipts to that shard)`, all concatenated and
 * hashed with Keccak-256; the empty root when there is none ({@link outgoingReceiptsRoot}).
 *
 * **Proof** (Go `CXReceiptsProof`, RLP `[receipts, merkleProof, header, commitSig,
 * commitBitmap]`): the receipts of one source block for one destination, the per-shard roots
 * (`merkleProof`: `[blockNum, blockHash, shardId, cxReceiptHash, shardIds, cxShardHashes]`), the
 * source block's header (tagged RLP), and that block's commit signature and bitmap.
 *
 * **Verification** ({@link verifyCxReceiptsProof}, Go `ValidateCXReceiptsProof`), in order:
 * 1. the source header's epoch accepts cross-shard transactions (`CrossTx` + 1);
 * 2. the receipts all go to one shard, this one;
 * 3. that shard is listed in the proof, and `DeriveSha(receipts)` is its listed root;
 * 4. the listed `(shard, root)` pairs hash to the proof's `cxReceiptHash`;
 * 5. the header hashes to the proof's block hash and commits to the same `cxReceiptHash`;
 * 6. the header carries a valid commit signature of the source committee. That check needs the
 *    committee and the quorum rule, which belong to the consensus and sharding parts of the
 *    spec; it is a parameter here ({@link CommitSignatureCheck}), called last.
 *
 * @see github.com/harmony-one/harmony core/types/cx_receipt.go (ComputeMerkleRoot,
 *   CXMerkleProof, CXReceiptsProof, GetToShardID), core/block_validator.go
 *   (ValidateCXReceiptsProof), core/blockchain_impl.go (CXMerkleProof)
 * @module
 */
import { bigintToBytes, bigintToFixedBytes, bytesEqual, concatBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
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
  splitRlpList,
} from "../encoding/rlp.ts";
import { require } from "../errors.ts";
import { acceptsCrossTx, type NetworkConfig } from "../params/mod.ts";
import { cxReceiptsMerkleRoot, deriveSha, EMPTY_ROOT_HASH } from "../chain/derive-sha.ts";
import { decodeHeader, encodeHeader, type Header, headerHash } from "../chain/header.ts";
import { type CXReceipt, encodeCxReceipt, readCxReceipt } from "./cx-receipt.ts";

/** The per-shard roots of a source block's outgoing receipts (Go `CXMerkleProof`). */
export interface CXMerkleProof {
  /** The source block's number. */
  blockNumber: bigint;
  /** The source block's hash. */
  blockHash: Uint8Array;
  /** The source shard. */
  shardId: bigint;
  /** The source header's `OutgoingReceiptHash`. */
  cxReceiptHash: Uint8Array;
  /** Destination shards with receipts, increasing. */
  shardIds: bigint[];
  /** `DeriveSha` of the receipts to each of `shardIds`. */
  cxShardHashes: Uint8Array[];
}

/** Receipts of one source block for one destination, with their proof (Go `CXReceiptsProof`). */
export interface CXReceiptsProof {
  /** The receipts, all to the destination shard. */
  receipts: CXReceipt[];
  /** The per-shard roots. */
  merkleProof: CXMerkleProof;
  /** The source block's header. */
  header: Header;
  /** The source block's aggregated commit signature. */
  commitSig: Uint8Array;
  /** The bitmap of its signers. */
  commitBitmap: Uint8Array;
}

/**
 * Checks the commit signature of a source header (consensus part of the spec).
 *
 * @throws {SpecError} when the signature is not a valid commit of the source committee
 */
export type CommitSignatureCheck = (
  header: Header,
  commitSig: Uint8Array,
  commitBitmap: Uint8Array,
) => void;

/**
 * The `OutgoingReceiptHash` of a block's cross-shard receipts (Go `ComputeMerkleRoot`).
 *
 * @param receipts the block's outgoing receipts, in block order
 * @returns the 32-byte commitment
 */
export function outgoingReceiptsRoot(receipts: CXReceipt[]): Uint8Array {
  return cxReceiptsMerkleRoot(
    receipts.map((cx) => ({ toShardId: cx.toShardId, encoding: encodeCxReceipt(cx) })),
  );
}

/**
 * The proof a source shard sends to one destination (Go `CXMerkleProof` and the proof assembly):
 * every destination shard of the instance that has receipts, with its root.
 *
 * @param header the committed source block's header
 * @param receipts the block's outgoing receipts
 * @param toShardId the destination
 * @param commitSig the block's commit signature
 * @param commitBitmap the block's commit bitmap
 * @returns the proof, or `null` when the block sends nothing to `toShardId`
 */
export function buildCxReceiptsProof(
  header: Header,
  receipts: CXReceipt[],
  toShardId: bigint,
  commitSig: Uint8Array,
  commitBitmap: Uint8Array,
): CXReceiptsProof | null {
  const shards = [...new Set(receipts.map((r) => r.toShardId))].sort((a, b) => (a < b ? -1 : 1));
  const mine = receipts.filter((r) => r.toShardId === toShardId);
  if (mine.length === 0) return null;
  const merkleProof: CXMerkleProof = {
    blockNumber: header.number,
    blockHash: headerHash(header),
    shardId: header.shardId,
    cxReceiptHash: header.outgoingReceiptHash,
    shardIds: shards,
    cxShardHashes: shards.map((s) =>
      deriveSha(receipts.filter((r) => r.toShardId === s).map(encodeCxReceipt))
    ),
  };
  return { receipts: mine, merkleProof, header, commitSig, commitBitmap };
}

/**
 * Encodes a proof as blocks carry it (Go `rlp.EncodeToBytes(cxp)`).
 *
 * @param proof the proof
 * @returns its RLP encoding
 */
export function encodeCxReceiptsProof(proof: CXReceiptsProof): Uint8Array {
  const m = proof.merkleProof;
  const merkle = encodeRlp([
    bigintToBytes(m.blockNumber),
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
 * Decodes a proof.
 *
 * @param bytes the encoding
 * @returns the proof
 * @throws {SpecError} `encoding/rlp-*` and the header decoder's codes for malformed input
 */
export function decodeCxReceiptsProof(bytes: Uint8Array): CXReceiptsProof {
  const [receipts, merkle, , sig, bitmap] = readListOf(decodeRlp(bytes), 5);
  const m = readListOf(merkle, 6);
  return {
    receipts: readList(receipts).map(readCxReceipt),
    merkleProof: {
      blockNumber: readBigUint(m[0]),
      blockHash: readFixedBytes(m[1], 32),
      shardId: readUint(m[2], 32),
      cxReceiptHash: readFixedBytes(m[3], 32),
      shardIds: readList(m[4]).map((s) => readUint(s, 32)),
      cxShardHashes: readList(m[5]).map((h) => readFixedBytes(h, 32)),
    },
    header: decodeHeader(splitRlpList(bytes)[2]),
    commitSig: readBytes(sig),
    commitBitmap: readBytes(bitmap),
  };
}

/** Keccak-256 of the listed `(shard, root)` pairs, or the empty root (Go step 2). */
function listedRootsHash(m: CXMerkleProof): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let j = 0; j < m.shardIds.length; j++) {
    parts.push(bigintToFixedBytes(m.shardIds[j], 4), m.cxShardHashes[j] ?? new Uint8Array(0));
  }
  return parts.length === 0 ? EMPTY_ROOT_HASH.slice() : keccak256(concatBytes(...parts));
}

/**
 * Verifies a proof of incoming receipts for this shard (Go `ValidateCXReceiptsProof`).
 *
 * @param config the network
 * @param shardId this (destination) shard
 * @param proof the proof
 * @param checkCommit the commit-signature check of the source header
 * @throws {SpecError} `execution/cx-proof-not-accepted`, `execution/cx-proof-empty`,
 *   `execution/cx-receipts-mixed-shards`, `execution/cx-receipt-wrong-shard`,
 *   `execution/cx-proof-shard-missing`, `execution/cx-proof-receipts-mismatch`,
 *   `execution/cx-proof-root-mismatch`, `execution/cx-proof-header-mismatch`, and whatever
 *   `checkCommit` raises
 */
export function verifyCxReceiptsProof(
  config: NetworkConfig,
  shardId: bigint,
  proof: CXReceiptsProof,
  checkCommit: CommitSignatureCheck,
): void {
  require(acceptsCrossTx(config, proof.header.epoch), "execution/cx-proof-not-accepted");
  require(proof.receipts.length > 0, "execution/cx-proof-empty");
  const to = proof.receipts[0].toShardId;
  for (const r of proof.receipts) require(r.toShardId === to, "execution/cx-receipts-mixed-shards");
  require(to === shardId, "execution/cx-receipt-wrong-shard");
  const m = proof.merkleProof;
  let listed: Uint8Array | null = null;
  for (let j = 0; j < m.shardIds.length; j++) if (m.shardIds[j] === to) listed = m.cxShardHashes[j];
  require(listed !== null && listed !== undefined, "execution/cx-proof-shard-missing");
  const root = deriveSha(proof.receipts.map(encodeCxReceipt));
  require(bytesEqual(root, listed), "execution/cx-proof-receipts-mismatch");
  require(bytesEqual(listedRootsHash(m), m.cxReceiptHash), "execution/cx-proof-root-mismatch");
  const sameBlock = bytesEqual(headerHash(proof.header), m.blockHash) &&
    bytesEqual(proof.header.outgoingReceiptHash, m.cxReceiptHash);
  require(sameBlock, "execution/cx-proof-header-mismatch");
  checkCommit(proof.header, proof.commitSig, proof.commitBitmap);
}
