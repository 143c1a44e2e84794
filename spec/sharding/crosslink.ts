/**
 * Crosslinks: how the beacon chain learns, with proof, which blocks the other shards finalized.
 *
 * **What a crosslink is.** A block of shard `s` is final once a quorum of its committee signed its
 * commit payload (`consensus/payloads.ts`). The *next* block of `s` carries that commit signature
 * and bitmap in its header (`LastCommitSignature`, `LastCommitBitmap`). A crosslink packs the
 * finalized block's identity with that certificate: its hash, number, view ID and epoch, the
 * signature, the bitmap and the shard. Anyone holding the committee of (`s`, epoch) can check it
 * without the block itself. Built from a shard header `h` and its parent `p`
 * ({@link createCrossLink}, Go `NewCrossLink`), the crosslink is about `p`: hash =
 * `h.parentHash`, number, view ID and epoch of `p`, certificate of `h`, shard of `h`.
 *
 * **Encoding** (Go `rlp.EncodeToBytes(CrossLink)`): the RLP list
 * `[hash(32), number, viewID, signature(96), bitmap, shardID(uint32), epoch]`, integers minimal
 * big-endian. The beacon header's `CrossLinks` field is the RLP list of crosslinks, or empty.
 *
 * **Verification on the beacon chain** ({@link verifyCrossLink}, Go `engine.VerifyCrossLink`):
 * the number must exceed 1; the `CrossLink` feature must be active at the crosslink's epoch; the
 * certificate must pass the chain engine's commit-certificate rule (`checkCommitCertificate` of
 * `consensus/certificate.ts`: the verifier quorum, by voting power from `Staking` on, and before
 * it Go's pre-staking verifier, which accepts any bitmap once the committee has four keys; then the
 * aggregate signature over the commit payload of the linked block) against the committee of the
 * crosslink's shard and epoch ({@link CommitteeLookup}).
 *
 * **Observation (Go's cache).** Go remembers every certificate it verified under the key (block
 * hash, signature, bitmap) and skips the check on a hit, so a crosslink repeating a verified
 * crosslink's hash and certificate with another number, view ID, epoch or shard passes on a node
 * that has seen the original and fails on one that has not. The spec states the rule without the
 * cache: every field is checked every time.
 *
 * **A block's crosslinks** ({@link verifyBlockCrossLinks}, Go `VerifyBlockCrossLinks`): an empty
 * field means none; otherwise the field must decode, the list must be in non-decreasing order of
 * (shard, number, view ID) (Go `IsSorted`), and every crosslink must not be processed yet (no
 * crosslink stored for its shard and number) and must verify. **Observation:** Go checks the
 * order non-strictly and compares each crosslink only with those already stored, so a header may
 * list the same (shard, number) twice; both are then stored under one key, and the reward code
 * pays each. The spec reproduces this (the honest proposer never does it: its pool holds one
 * crosslink per shard and number).
 *
 * **Bookkeeping** ({@link recordCrossLinks}, Go `WriteCrossLinks`, `LastContinuousCrossLink`):
 * after a beacon block, its crosslinks are stored by (shard, number), and the beacon keeps per
 * shard the *last continuous* crosslink: set to the first crosslink ever stored for the shard, then
 * advanced over consecutive stored numbers. Go advances it reading the database *before* the
 * block's own writes, so the advance lags one block; the spec reproduces that.
 *
 * **Proposal** ({@link acceptCrossLinkMessage}, {@link selectCrossLinksToPropose}, Go
 * `ProcessCrossLinkMessage`, `ProposeNewBlock`, `FinalizeNewBlock`): the beacon keeps a pool of
 * verified crosslinks (at most 1000; at most 7 taken per message; one per shard and number, the
 * newest wins). Its leader proposes, in pool order, those whose epoch has `CrossLink`, that are not
 * stored, and whose number is above the shard's last continuous crosslink, at most 16, sorted
 * into the header. **Deviation:** Go's pool is a map, iterated in random order, so which 16 a Go
 * leader picks from a larger pool is unspecified; the spec keeps the pool sorted by (shard,
 * number) and so picks the lowest. Validity of the resulting block is unaffected.
 *
 * **What a processed crosslink triggers** ({@link crossLinkFacts}): for each crosslink of a
 * `Staking` epoch, the rewards and availability rules receive (shard, epoch, block number, block
 * hash, signers' bitmap); crosslinks of earlier epochs trigger nothing (Go `processOneCrossLink`).
 * The beacon chain's own blocks enter the same rules as *pseudo-crosslinks* built with
 * {@link createCrossLink} from each beacon header and its parent. Which blocks pay when (before and
 * after `AggregatedReward`) is the rewards rules' business.
 *
 * **Deviation:** numbers, view IDs and epochs of 2^64 or more are refused
 * (`crosslink/field-out-of-range`); Go decodes them and then reads their low 64 bits.
 *
 * @see github.com/harmony-one/harmony core/types/crosslink.go (`CrossLink`, `NewCrossLink`,
 *   `CrossLinks.Sort`, `IsSorted`)
 * @see github.com/harmony-one/harmony internal/chain/engine.go `VerifyCrossLink`
 * @see github.com/harmony-one/harmony core/blockchain_impl.go `VerifyBlockCrossLinks`,
 *   `LastContinuousCrossLink`, `CachePendingCrossLinks`; core/offchain.go (crosslink writes)
 * @see github.com/harmony-one/harmony node/harmony/node_cross_link.go `ProcessCrossLinkMessage`
 * @see github.com/harmony-one/harmony consensus/consensus_block_proposing.go `ProposeNewBlock`
 * @see github.com/harmony-one/harmony internal/chain/reward.go `processOneCrossLink`
 * @module
 */
import { type Header, headerHash } from "../chain/header.ts";
import { checkCommitCertificate } from "../consensus/certificate.ts";
import type { BlockHeader } from "../consensus/state.ts";
import { BLS_SIGNATURE_BYTES } from "../crypto/bls.ts";
import { bigintToBytes, bytesEqual, bytesKey, concatBytes, MAX_UINT64 } from "../encoding/bytes.ts";
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
import { isSpecError, require } from "../errors.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import { instanceForEpoch } from "./schedule.ts";
import type { CommitteeLookup } from "./transition.ts";

/** A crosslink (Go `types.CrossLink`). */
export interface CrossLink {
  /** Hash of the linked shard block (32 bytes). */
  hash: Uint8Array;
  /** Its number. */
  blockNumber: bigint;
  /** The view ID in its header. */
  viewId: bigint;
  /** The aggregate commit signature on it (96 bytes). */
  signature: Uint8Array;
  /** The bitmap of the signers, over the committee of its shard and epoch. */
  bitmap: Uint8Array;
  /** Its shard (uint32). */
  shardId: bigint;
  /** Its epoch. */
  epoch: bigint;
}

/** What the beacon chain has recorded of crosslinks. */
export interface CrossLinkStore {
  /** The stored crosslinks by {@link crossLinkKey} (Go `ReadCrossLink`). */
  processed: ReadonlyMap<string, CrossLink>;
  /** The last continuous crosslink of each shard (Go `ReadShardLastCrossLink`). */
  lastContinuous: ReadonlyMap<bigint, CrossLink>;
}

/** The facts one processed crosslink gives the rewards and availability rules. */
export interface CrossLinkFact {
  /** The shard whose committee signed. */
  shardId: bigint;
  /** The epoch of that committee. */
  epoch: bigint;
  /** The signed block's number. */
  blockNumber: bigint;
  /** The signed block's hash. */
  blockHash: Uint8Array;
  /** Which slots of the committee signed. */
  bitmap: Uint8Array;
}

/** Most crosslinks one beacon block includes (Go: the proposer stops after the 16th). */
export const MAX_CROSSLINKS_PER_BLOCK = 16;
/** Most crosslinks the beacon takes from one message (Go `crossLinkBatchSize · 2 + 1`). */
export const MAX_CROSSLINKS_PER_MESSAGE = 7;
/** The pool refuses new crosslinks once it holds this many (Go `maxPendingCrossLinkSize`). */
export const MAX_PENDING_CROSSLINKS = 1000;

/** An empty store: nothing processed yet. */
export const EMPTY_CROSSLINK_STORE: CrossLinkStore = {
  processed: new Map(),
  lastContinuous: new Map(),
};

/**
 * The key a crosslink is stored under: its shard and block number.
 *
 * @param shardId the shard
 * @param blockNumber the block number
 * @returns `"<shard>:<number>"`
 */
export function crossLinkKey(shardId: bigint, blockNumber: bigint): string {
  return `${shardId}:${blockNumber}`;
}

function crossLinkItem(cl: CrossLink): RlpItem {
  const ok = cl.hash.length === 32 && cl.signature.length === BLS_SIGNATURE_BYTES &&
    cl.shardId >= 0n && cl.shardId <= 0xffff_ffffn && cl.blockNumber >= 0n &&
    cl.viewId >= 0n && cl.epoch >= 0n;
  require(ok, "crosslink/malformed");
  return [
    cl.hash,
    bigintToBytes(cl.blockNumber),
    bigintToBytes(cl.viewId),
    cl.signature,
    cl.bitmap,
    bigintToBytes(cl.shardId),
    bigintToBytes(cl.epoch),
  ];
}

function readCrossLink(item: RlpItem): CrossLink {
  const f = readListOf(item, 7);
  return {
    hash: readFixedBytes(f[0], 32),
    blockNumber: readBigUint(f[1]),
    viewId: readBigUint(f[2]),
    signature: readFixedBytes(f[3], BLS_SIGNATURE_BYTES),
    bitmap: readBytes(f[4]),
    shardId: readUint(f[5], 32),
    epoch: readBigUint(f[6]),
  };
}

/**
 * Encodes one crosslink (Go `CrossLink.Serialize`).
 *
 * @param cl the crosslink
 * @returns its RLP
 * @throws {SpecError} `crosslink/malformed` for a hash not of 32 bytes, a signature not of 96, a
 *   negative integer or a shard ID beyond uint32
 */
export function encodeCrossLink(cl: CrossLink): Uint8Array {
  return encodeRlp(crossLinkItem(cl));
}

/**
 * Decodes one crosslink (Go `DeserializeCrossLink`).
 *
 * @param bytes the RLP
 * @returns the crosslink
 * @throws {SpecError} the `encoding/rlp-*` codes
 */
export function decodeCrossLink(bytes: Uint8Array): CrossLink {
  return readCrossLink(decodeRlp(bytes));
}

/**
 * Encodes a list of crosslinks as it is, without sorting (Go `rlp.EncodeToBytes(CrossLinks)`).
 *
 * @param list the crosslinks
 * @returns the RLP list
 * @throws {SpecError} as {@link encodeCrossLink}
 */
export function encodeCrossLinks(list: readonly CrossLink[]): Uint8Array {
  return encodeRlp(list.map(crossLinkItem));
}

/**
 * Decodes a list of crosslinks (a header's non-empty `CrossLinks` field, or a crosslink message).
 *
 * @param bytes the RLP list
 * @returns the crosslinks, in order
 * @throws {SpecError} the `encoding/rlp-*` codes
 */
export function decodeCrossLinks(bytes: Uint8Array): CrossLink[] {
  return readList(decodeRlp(bytes)).map(readCrossLink);
}

/**
 * Harmony's crosslink order (Go `CrossLinks.Sort` comparator): by shard, then number, then view ID.
 *
 * @param a a crosslink
 * @param b another
 * @returns negative, zero or positive as `a` sorts before, with, or after `b`
 */
export function compareCrossLinks(a: CrossLink, b: CrossLink): number {
  if (a.shardId !== b.shardId) return a.shardId < b.shardId ? -1 : 1;
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  if (a.viewId !== b.viewId) return a.viewId < b.viewId ? -1 : 1;
  return 0;
}

/**
 * Whether a list is in Harmony's crosslink order, equal neighbours allowed (Go `IsSorted`).
 *
 * @param list the crosslinks
 * @returns true iff no crosslink sorts before the one preceding it
 */
export function isCrossLinkListSorted(list: readonly CrossLink[]): boolean {
  for (let i = 1; i < list.length; i++) {
    if (compareCrossLinks(list[i], list[i - 1]) < 0) return false;
  }
  return true;
}

/**
 * The `CrossLinks` field a proposer writes (Go `FinalizeNewBlock`): empty for no crosslinks, else
 * the list sorted in Harmony's order and encoded. (Go's sort is not stable; the spec's is. They
 * differ only for two crosslinks equal in shard, number and view ID, which the pool never holds.)
 *
 * @param list the crosslinks to include
 * @returns the field's bytes
 * @throws {SpecError} as {@link encodeCrossLink}
 */
export function crossLinksField(list: readonly CrossLink[]): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  return encodeCrossLinks(list.slice().sort(compareCrossLinks));
}

/**
 * The crosslink for the parent of a shard header (Go `NewCrossLink(header, parent)`).
 *
 * @param header a shard block's header, carrying its parent's commit certificate
 * @param parent the parent's header
 * @returns the crosslink of the parent block
 * @throws {SpecError} `crosslink/parent-mismatch` unless `parent` hashes to `header.parentHash`;
 *   the codes of `headerHash`
 */
export function createCrossLink(header: Header, parent: Header): CrossLink {
  require(bytesEqual(headerHash(parent), header.parentHash), "crosslink/parent-mismatch");
  return {
    hash: header.parentHash.slice(),
    blockNumber: parent.number,
    viewId: parent.viewId,
    signature: header.lastCommitSignature.slice(),
    bitmap: header.lastCommitBitmap.slice(),
    shardId: header.shardId,
    epoch: parent.epoch,
  };
}

/**
 * The block a commit certificate is about, in the form `checkCommitCertificate` takes. That check
 * reads only the hash, number, epoch and view ID; the other fields are left empty.
 *
 * @param hash the block hash
 * @param number the block number
 * @param epoch the block's epoch
 * @param viewId the block's view ID
 * @param shardId the block's shard
 * @returns the consensus header record
 */
export function commitSubject(
  hash: Uint8Array,
  number: bigint,
  epoch: bigint,
  viewId: bigint,
  shardId: bigint,
): BlockHeader {
  return {
    hash,
    number,
    epoch,
    viewId,
    shardId,
    parentHash: new Uint8Array(32),
    time: 0n,
    coinbase: new Uint8Array(20),
    lastCommitSignature: new Uint8Array(BLS_SIGNATURE_BYTES),
    lastCommitBitmap: new Uint8Array(0),
    isLastInEpoch: false,
  };
}

/**
 * Verifies one crosslink on the beacon chain (Go `engine.VerifyCrossLink`).
 *
 * @param config the network configuration
 * @param lookup the committee of a shard in an epoch
 * @param cl the crosslink
 * @throws {SpecError} `crosslink/field-out-of-range`, `crosslink/block-number-too-low`,
 *   `crosslink/not-crosslink-epoch`; the lookup's codes (`transition/committee-unknown`); the
 *   codes of `checkCommitCertificate` (BLS decoding, `bls/bitmap-length-mismatch`,
 *   `fbft/no-quorum`, `fbft/bad-quorum-signature`)
 */
export function verifyCrossLink(
  config: NetworkConfig,
  lookup: CommitteeLookup,
  cl: CrossLink,
): void {
  const inRange = cl.blockNumber <= MAX_UINT64 && cl.viewId <= MAX_UINT64 &&
    cl.epoch <= MAX_UINT64;
  require(inRange, "crosslink/field-out-of-range");
  require(cl.blockNumber > 1n, "crosslink/block-number-too-low");
  require(isActive(config, "CrossLink", cl.epoch), "crosslink/not-crosslink-epoch");
  const ctx = lookup(cl.shardId, cl.epoch);
  const subject = commitSubject(cl.hash, cl.blockNumber, cl.epoch, cl.viewId, cl.shardId);
  checkCommitCertificate(config, ctx, subject, concatBytes(cl.signature, cl.bitmap));
}

/**
 * Whether a crosslink for a shard and number is already stored.
 *
 * @param store the beacon's crosslink store
 * @param shardId the shard
 * @param blockNumber the block number
 * @returns whether it is
 */
export function isCrossLinkProcessed(
  store: CrossLinkStore,
  shardId: bigint,
  blockNumber: bigint,
): boolean {
  return store.processed.has(crossLinkKey(shardId, blockNumber));
}

/**
 * Verifies a beacon header's `CrossLinks` field (Go `VerifyBlockCrossLinks`).
 *
 * @param config the network configuration
 * @param lookup the committee of a shard in an epoch
 * @param store the crosslinks stored before this block
 * @param field the header's `CrossLinks` bytes
 * @returns the crosslinks, in header order (empty for an empty field)
 * @throws {SpecError} the `encoding/rlp-*` codes, `crosslink/not-sorted`,
 *   `crosslink/already-processed`; the codes of {@link verifyCrossLink}
 */
export function verifyBlockCrossLinks(
  config: NetworkConfig,
  lookup: CommitteeLookup,
  store: CrossLinkStore,
  field: Uint8Array,
): CrossLink[] {
  if (field.length === 0) return [];
  const list = decodeCrossLinks(field);
  require(isCrossLinkListSorted(list), "crosslink/not-sorted");
  for (const cl of list) {
    const seen = isCrossLinkProcessed(store, cl.shardId, cl.blockNumber);
    require(!seen, "crosslink/already-processed", crossLinkKey(cl.shardId, cl.blockNumber));
    verifyCrossLink(config, lookup, cl);
  }
  return list;
}

/**
 * The store after a beacon block of `blockEpoch` with these crosslinks (Go `insertChain`'s
 * crosslink writes and `LastContinuousCrossLink`). Nothing changes outside `CrossLink` epochs.
 *
 * @param config the network configuration
 * @param store the store before the block
 * @param blockEpoch the block's epoch
 * @param list the block's crosslinks, in header order
 * @returns the store after the block
 */
export function recordCrossLinks(
  config: NetworkConfig,
  store: CrossLinkStore,
  blockEpoch: bigint,
  list: readonly CrossLink[],
): CrossLinkStore {
  if (!isActive(config, "CrossLink", blockEpoch)) return store;
  const processed = new Map(store.processed);
  const last = new Map(store.lastContinuous);
  for (const cl of list) {
    processed.set(crossLinkKey(cl.shardId, cl.blockNumber), cl);
    // A shard's first crosslink seeds its last continuous one; the latest in the list wins.
    if (!store.lastContinuous.has(cl.shardId)) last.set(cl.shardId, cl);
  }
  const numShards = instanceForEpoch(config, blockEpoch).numShards;
  for (let shard = 0n; shard < numShards; shard++) {
    const old = store.lastContinuous.get(shard);
    if (old === undefined) continue;
    // Go reads the database before this block's writes: the advance sees earlier blocks only.
    let next = old;
    for (let n = old.blockNumber + 1n;; n++) {
      const found = store.processed.get(crossLinkKey(shard, n));
      if (found === undefined) break;
      next = found;
    }
    last.set(shard, next);
  }
  return { processed, lastContinuous: last };
}

/** What a beacon leader does with its crosslink pool when it proposes a block. */
export interface CrossLinkSelection {
  /** The crosslinks to include in the block, in pool order (at most 16). */
  propose: CrossLink[];
  /** The pool entries to delete: already processed, or too old to matter. */
  drop: CrossLink[];
}

/**
 * The crosslinks a beacon leader includes (Go `ProposeNewBlock`), and those it drops from its pool.
 *
 * @param config the network configuration
 * @param headerEpoch the epoch of the block being proposed
 * @param store the crosslinks stored so far
 * @param pending the pool, in order
 * @returns up to 16 crosslinks to include, in pool order, and the pool entries to delete
 */
export function selectCrossLinksToPropose(
  config: NetworkConfig,
  headerEpoch: bigint,
  store: CrossLinkStore,
  pending: readonly CrossLink[],
): CrossLinkSelection {
  const propose: CrossLink[] = [];
  const drop: CrossLink[] = [];
  if (!isActive(config, "CrossLink", headerEpoch)) return { propose, drop };
  for (const cl of pending) {
    const last = store.lastContinuous.get(cl.shardId);
    const stale = !isActive(config, "CrossLink", cl.epoch) ||
      isCrossLinkProcessed(store, cl.shardId, cl.blockNumber) ||
      (last !== undefined && last.blockNumber >= cl.blockNumber);
    if (stale) drop.push(cl);
    else propose.push(cl);
    if (propose.length >= MAX_CROSSLINKS_PER_BLOCK) break;
  }
  return { propose, drop };
}

/**
 * The pool after a crosslink message (Go `ProcessCrossLinkMessage` then `AddPendingCrossLinks`):
 * unchanged when the pool is full; otherwise the first 7 received crosslinks that are not in the
 * pool (by hash), not stored, and verify are added, one per (shard, number), the newest winning,
 * and the pool is kept sorted by (shard, number).
 *
 * @param config the network configuration
 * @param lookup the committee of a shard in an epoch
 * @param store the crosslinks stored so far
 * @param pending the pool
 * @param received the message's crosslinks
 * @returns the new pool
 */
export function acceptCrossLinkMessage(
  config: NetworkConfig,
  lookup: CommitteeLookup,
  store: CrossLinkStore,
  pending: readonly CrossLink[],
  received: readonly CrossLink[],
): CrossLink[] {
  if (pending.length >= MAX_PENDING_CROSSLINKS) return pending.slice();
  const pooled = new Set(pending.map((cl) => bytesKey(cl.hash)));
  const merged = new Map<string, CrossLink>();
  for (const cl of pending) merged.set(crossLinkKey(cl.shardId, cl.blockNumber), cl);
  for (const cl of received.slice(0, MAX_CROSSLINKS_PER_MESSAGE)) {
    if (pooled.has(bytesKey(cl.hash))) continue;
    if (isCrossLinkProcessed(store, cl.shardId, cl.blockNumber)) continue;
    if (!verifies(config, lookup, cl)) continue;
    merged.set(crossLinkKey(cl.shardId, cl.blockNumber), cl);
  }
  return [...merged.values()].sort(compareShardAndNumber);
}

/** The pool's order: by shard, then block number (one entry per pair). */
function compareShardAndNumber(a: CrossLink, b: CrossLink): number {
  if (a.shardId !== b.shardId) return a.shardId < b.shardId ? -1 : 1;
  return a.blockNumber < b.blockNumber ? -1 : a.blockNumber > b.blockNumber ? 1 : 0;
}

/** Whether a crosslink verifies; a rejection is an answer here, not an error. */
function verifies(config: NetworkConfig, lookup: CommitteeLookup, cl: CrossLink): boolean {
  try {
    verifyCrossLink(config, lookup, cl);
    return true;
  } catch (e) {
    if (!isSpecError(e)) throw e;
    return false;
  }
}

/**
 * What processed crosslinks give the rewards and availability rules (Go `processOneCrossLink`):
 * one fact per crosslink of a `Staking` epoch, in order; earlier epochs give none.
 *
 * @param config the network configuration
 * @param list the processed crosslinks (a block's, or a beacon pseudo-crosslink)
 * @returns the facts
 */
export function crossLinkFacts(config: NetworkConfig, list: readonly CrossLink[]): CrossLinkFact[] {
  const facts: CrossLinkFact[] = [];
  for (const cl of list) {
    if (!isActive(config, "Staking", cl.epoch)) continue;
    facts.push({
      shardId: cl.shardId,
      epoch: cl.epoch,
      blockNumber: cl.blockNumber,
      blockHash: cl.hash.slice(),
      bitmap: cl.bitmap.slice(),
    });
  }
  return facts;
}
