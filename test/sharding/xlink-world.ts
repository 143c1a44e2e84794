/**
 * A small signed world for the crosslink and receipt-proof tests and vectors: committees whose
 * keys come from herumi's mcl (the oracle, not the spec), commit payloads written out byte by byte
 * here, signatures and aggregates made by mcl, and shard headers.
 *
 * The staked committee of a shard (mainnet, an epoch of instance V3_3: Harmony's share 0.49) has
 * four Harmony slots and four staked slots of stakes 1, 2, 3 and 2 (thousand ONE). Its voting
 * powers are exact in Dec, in units of 10^-5: a Harmony slot 0.49/4 = 12250; the staked slots
 * 0.51 · (1/8, 2/8, 3/8, 2/8) = 6375, 12750, 19125, 12750. They add up to 100000, so no rounding
 * remainder moves, and a set of signers is a quorum iff its units add up to at least 66667
 * (strictly above Dec 2/3 = 0.666666666666666667).
 *
 * @module
 */
import { createMPT } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { RoutedItem } from "../../spec/chain/derive-sha.ts";
import { encodeHeader, type Header, headerHash, newHeaderAt } from "../../spec/chain/header.ts";
import { bigintToBytes } from "../../spec/encoding/bytes.ts";
import { decFromInt } from "../../spec/numeric/decimal.ts";
import { MAINNET, type NetworkConfig } from "../../spec/params/mod.ts";
import type { Committee, ShardState } from "../../spec/sharding/shard-state.ts";
import type { CrossLink } from "../../spec/sharding/crosslink.ts";
import type { GenesisAccount } from "../../spec/staking/election.ts";
import { mclAggregateSignatures, mclPublicKey, mclSignHash } from "../support/mcl-oracle.ts";

/** The network of the world: mainnet. */
export const NET: NetworkConfig = MAINNET;
/** A staking, crosslink epoch of mainnet (instance V3_3, 4 shards). */
export const EPOCH = 1000n;
/** Committee size of every shard in the world. */
export const SIZE = 8;
/** Voting power of each slot of the staked committee, in units of 10^-5. */
export const POWER_UNITS = [12250, 12250, 12250, 12250, 6375, 12750, 19125, 12750];
/** The least number of units that is a quorum. */
export const QUORUM_UNITS = 66667;

/** A secret key (32 bytes, little-endian) from a small integer. */
export function secretKey(n: number): Uint8Array {
  const sk = new Uint8Array(32);
  sk[0] = n & 0xff;
  sk[1] = (n >> 8) & 0xff;
  return sk;
}

/** The secret keys of shard `s`'s committee, in slot order. */
export function committeeSecrets(shard: number): Uint8Array[] {
  return Array.from({ length: SIZE }, (_, i) => secretKey(100 + shard * SIZE + i));
}

/** A 20-byte account from a small integer. */
export function account(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[18] = (n >> 8) & 0xff;
  a[19] = n & 0xff;
  return a;
}

const STAKES = [1n, 2n, 3n, 2n];
const THOUSAND_ONE = 1000n * 10n ** 18n;

/** The staked committee of a shard: four Harmony slots, then four staked ones. */
export function stakedCommittee(shard: number): Committee {
  const keys = committeeSecrets(shard).map((sk) => mclPublicKey(sk)!);
  return {
    shardId: BigInt(shard),
    slots: keys.map((key, i) => ({
      ecdsaAddress: account(shard * SIZE + i),
      blsPublicKey: key,
      effectiveStake: i < 4 ? null : decFromInt(STAKES[i - 4] * THOUSAND_ONE),
    })),
  };
}

/** The world's shard state: four staked committees. */
export const WORLD_STATE: ShardState = {
  epoch: EPOCH,
  shards: [0, 1, 2, 3].map(stakedCommittee),
};

/** The history the verifier reads: the world's state at {@link EPOCH}. */
export function worldHistory(): Map<bigint, ShardState> {
  return new Map([[EPOCH, WORLD_STATE]]);
}

/** `uint64` little-endian, written out here rather than taken from the spec. */
function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, true);
  return out;
}

/**
 * The commit payload: `uint64_LE(number) ‖ hash ‖ uint64_LE(viewID)` in the staking era, without
 * the view ID before.
 */
export function commitPayloadBytes(
  hash: Uint8Array,
  number: bigint,
  viewId: bigint,
  staking = true,
): Uint8Array {
  const out = new Uint8Array(staking ? 48 : 40);
  out.set(u64le(number), 0);
  out.set(hash, 8);
  if (staking) out.set(u64le(viewId), 40);
  return out;
}

/** A bitmap with the given slots set (bit i of byte i/8, least significant first). */
export function bitmapOf(size: number, indices: readonly number[]): Uint8Array {
  const out = new Uint8Array((size + 7) >> 3);
  for (const i of indices) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/** The aggregate signature of some slots of shard `s` over a message, by mcl. */
export function aggregateSign(shard: number, signers: readonly number[], msg: Uint8Array) {
  const secrets = committeeSecrets(shard);
  return mclAggregateSignatures(signers.map((i) => mclSignHash(secrets[i], msg)!))!;
}

/** A 32-byte hash from a label. */
export function hashOf(label: string): Uint8Array {
  return keccak_256(new TextEncoder().encode(label));
}

/** A crosslink of shard `s` signed by some slots (staking payload). */
export function signedCrossLink(
  shard: number,
  blockNumber: bigint,
  viewId: bigint,
  signers: readonly number[],
  epoch = EPOCH,
  staking = true,
): CrossLink {
  const hash = hashOf(`block ${shard}/${blockNumber}/${viewId}`);
  const payload = commitPayloadBytes(hash, blockNumber, viewId, staking);
  return {
    hash,
    blockNumber,
    viewId,
    signature: aggregateSign(shard, signers, payload),
    bitmap: bitmapOf(SIZE, signers),
    shardId: BigInt(shard),
    epoch,
  };
}

/** The crosslink RLP, written with `@ethereumjs/rlp` (not the spec's encoder). */
export function crossLinkRlp(cl: CrossLink): Uint8Array {
  return RLP.encode(crossLinkFields(cl));
}

/** The crosslink's RLP fields for `@ethereumjs/rlp`. */
export function crossLinkFields(cl: CrossLink): Uint8Array[] {
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

/** A list of crosslinks as RLP, written with `@ethereumjs/rlp`. */
export function crossLinksRlp(list: readonly CrossLink[]): Uint8Array {
  return RLP.encode(list.map(crossLinkFields));
}

/** A shard header of the world's epoch with some fields set. */
export function shardHeader(fields: Partial<Header>): Header {
  return { ...newHeaderAt(NET, fields.epoch ?? EPOCH), ...fields };
}

/** The commit certificate of a header by some slots of its shard's committee. */
export function certify(header: Header, signers: readonly number[]) {
  const msg = commitPayloadBytes(headerHash(header), header.number, header.viewId);
  return {
    signature: aggregateSign(Number(header.shardId), signers, msg),
    bitmap: bitmapOf(SIZE, signers),
  };
}

/** The sum of the voting-power units of some slots. */
export function unitsOf(signers: readonly number[]): number {
  let sum = 0;
  for (const i of new Set(signers)) sum += POWER_UNITS[i];
  return sum;
}

/** A cross-shard receipt's RLP, written with `@ethereumjs/rlp`. */
export function receiptRlp(
  tag: number,
  shard: bigint,
  toShard: bigint,
  amount: bigint,
): Uint8Array {
  return RLP.encode([
    hashOf(`tx ${tag}`),
    account(1000 + tag),
    account(2000 + tag),
    bigintToBytes(shard),
    bigintToBytes(toShard),
    bigintToBytes(amount),
  ]);
}

/** The oracle's DeriveSha: @ethereumjs/mpt with keys RLP(i), as go-ethereum's. */
export async function oracleDeriveSha(items: readonly Uint8Array[]): Promise<Uint8Array> {
  const trie = await createMPT();
  for (let i = 0; i < items.length; i++) await trie.put(RLP.encode(i), items[i]);
  return trie.root();
}

/** `uint32` big-endian. */
function u32be(v: bigint): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, Number(v));
  return out;
}

/** A source block with outgoing receipts and its commit certificate. */
export interface SourceBlock {
  /** The header (its outgoing receipt hash set). */
  header: Header;
  /** The outgoing receipts, in block order. */
  outgoing: RoutedItem[];
  /** Destinations with receipts, increasing. */
  destinations: bigint[];
  /** The oracle's root of each destination's receipts, in the same order. */
  roots: Uint8Array[];
  /** The commit certificate. */
  cert: { signature: Uint8Array; bitmap: Uint8Array };
}

/**
 * A source block of `shard` at `number` sending one receipt to each of `dests` (in order), its
 * outgoing hash and roots computed with the oracle, certified by `signers`.
 */
export async function sourceBlock(
  shard: bigint,
  number: bigint,
  dests: readonly bigint[],
  signers: readonly number[] = [0, 1, 2, 3, 6],
): Promise<SourceBlock> {
  const outgoing = dests.map((d, i) => ({
    toShardId: d,
    encoding: receiptRlp(
      Number(shard * 1000n + number) * 10 + i,
      shard,
      d,
      BigInt(i + 1) * 10n ** 18n,
    ),
  }));
  const destinations = [...new Set(dests)].sort((a, b) => (a < b ? -1 : 1));
  const roots: Uint8Array[] = [];
  for (const d of destinations) {
    roots.push(
      await oracleDeriveSha(outgoing.filter((r) => r.toShardId === d).map((r) => r.encoding)),
    );
  }
  const parts = destinations.flatMap((d, i) => [...u32be(d), ...roots[i]]);
  const header = shardHeader({
    shardId: shard,
    number,
    viewId: number + 3n,
    outgoingReceiptHash: keccak_256(Uint8Array.from(parts)),
  });
  return { header, outgoing, destinations, roots, cert: certify(header, signers) };
}

/** What a proof may have changed from the honest one. */
export interface ProofEdits {
  /** Receipts to put in place of the honest ones. */
  receipts?: Uint8Array[];
  /** The merkle proof's block number. */
  blockNum?: bigint;
  /** The merkle proof's shard. */
  shardId?: bigint;
  /** The merkle proof's block hash. */
  blockHash?: Uint8Array;
  /** The merkle proof's receipt hash. */
  cxReceiptHash?: Uint8Array;
  /** The merkle proof's destinations. */
  shardIds?: bigint[];
  /** The merkle proof's roots. */
  cxShardHashes?: Uint8Array[];
  /** The header. */
  header?: Header;
  /** The signature. */
  signature?: Uint8Array;
  /** The bitmap. */
  bitmap?: Uint8Array;
}

/** The RLP of the proof for destination `dest`, written with `@ethereumjs/rlp`. */
export function proofRlp(src: SourceBlock, dest: bigint, edits: ProofEdits = {}): Uint8Array {
  const receipts = edits.receipts ??
    src.outgoing.filter((r) => r.toShardId === dest).map((r) => r.encoding);
  const header = edits.header ?? src.header;
  return RLP.encode([
    receipts.map((r) => RLP.decode(r) as Uint8Array[]),
    [
      bigintToBytes(edits.blockNum ?? src.header.number),
      edits.blockHash ?? headerHash(src.header),
      bigintToBytes(edits.shardId ?? src.header.shardId),
      edits.cxReceiptHash ?? src.header.outgoingReceiptHash,
      (edits.shardIds ?? src.destinations).map(bigintToBytes),
      edits.cxShardHashes ?? src.roots,
    ],
    RLP.decode(encodeHeader(header)) as Uint8Array[],
    edits.signature ?? src.cert.signature,
    edits.bitmap ?? src.cert.bitmap,
  ]);
}

/** A 48-byte key tagged `0xb0, tag`, its last byte `last` (which fixes it modulo 2 and 4). */
export function key48(tag: number, last: number): Uint8Array {
  const k = new Uint8Array(48);
  k[0] = 0xb0;
  k[1] = tag;
  k[47] = last;
  return k;
}

/** `count` Harmony genesis accounts with keys tagged `0xee`. */
export function harmonyAccounts(count: number): GenesisAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    address: account(200 + i),
    blsPublicKey: key48(0xee, i),
  }));
}
