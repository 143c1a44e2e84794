/**
 * A small chain layer for running consensus outside a full node: a simple block format, a
 * committee with keys and stakes, and the chain adapter consensus needs.
 *
 * The block format stands in for Harmony's block (whose header and body belong to the chain
 * layer): `block = RLP([header, body])`,
 * `header = [parentHash, number, epoch, viewID, shardID, time, coinbase, lastCommitSig,
 * lastCommitBitmap, isLastInEpoch, valid, bodyHash]` with `bodyHash = Keccak-256(body)`, and the
 * block hash is Keccak-256 of the header's RLP.
 * `valid = 0` marks a block the validity predicate refuses (a Byzantine leader's bad block).
 *
 * The validity predicate checks what consensus relies on: the block extends the node's head
 * (parent hash, number), its epoch and shard, its proposer is a committee member (staking-era
 * coinbase), its last-commit signature is a valid commit certificate for the head (the header
 * rule, `checkLastCommit`), and the `valid` mark.
 *
 * The roster gives each key a voting power proportional to its stake (all slots external, the
 * rounding remainder on the last slot so the powers sum to one): enough to exercise the staked
 * quorum rule. Harmony's own roster (`votepower.Compute`) is the staking rules' business.
 *
 * @module
 */
import { blsCommittee } from "../../spec/crypto/bls-mask.ts";
import { blsPublicKey } from "../../spec/crypto/bls.ts";
import { BLS_GROUP_ORDER } from "../../spec/crypto/bls-map.ts";
import {
  bigintToBytes,
  bigintToFixedBytes,
  bigintToFixedBytesLE,
  bytesEqual,
  toHex,
} from "../../spec/encoding/bytes.ts";
import { keccak256, sha256 } from "../../spec/encoding/hash.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readBytes,
  readFixedBytes,
  readListOf,
  readUint,
} from "../../spec/encoding/rlp.ts";
import { checkLastCommit } from "../../spec/consensus/certificate.ts";
import type { Signer } from "../../spec/consensus/messages.ts";
import type { QuorumPolicy } from "../../spec/consensus/quorum.ts";
import type { VoteWeight } from "../../spec/staking/voting-power.ts";
import type {
  Block,
  BlockHeader,
  ChainAdapter,
  ChainView,
  EpochContext,
} from "../../spec/consensus/state.ts";
import { isSpecError, require } from "../../spec/errors.ts";
import { LOCALNET } from "../../spec/params/mod.ts";
import type { NetworkConfig } from "../../spec/params/config.ts";
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decAdd,
  decFromInt,
  decQuo,
  decSub,
} from "../../spec/numeric/decimal.ts";

/** One validator of the simulated committee: its account, its keys and its stake per key. */
export interface SimValidator {
  /** The validator's 20-byte account. */
  account: Uint8Array;
  /** Its BLS keys. */
  keys: Signer[];
  /** Its stake per key (any positive integer). */
  stake: bigint;
}

/** Everything the simulated chain is made of. */
export interface SimChainSpec {
  /** The network (features decide the quorum policy and payloads). */
  network: NetworkConfig;
  /** The shard. */
  shardId: bigint;
  /** Blocks per epoch (the last block of each epoch carries the "last in epoch" mark). */
  epochLength: bigint;
  /** The validators, in committee order (each key one slot). */
  validators: SimValidator[];
  /** Genesis block time, unix seconds (0 when absent). */
  genesisTime?: bigint;
}

/** A deterministic BLS key from a seed number. */
export function simSigner(seed: bigint): Signer {
  const sk = bigintToFixedBytesLE((seed * 0x9e3779b97f4a7c15n + 7n) % BLS_GROUP_ORDER, 32);
  return { secretKey: sk, publicKey: blsPublicKey(sk) };
}

/**
 * A network for simulation: localnet's schedule, with Staking and leader rotation placed at the
 * given epochs (`null` = never).
 */
export function simNetwork(staking: bigint | null, rotation: bigint | null): NetworkConfig {
  return {
    ...LOCALNET,
    features: {
      ...LOCALNET.features,
      Staking: staking,
      PreStaking: staking === null ? null : staking === 0n ? null : staking - 1n,
      LeaderRotationInternalValidators: rotation,
      LeaderRotationExternalValidators: rotation,
      LeaderRotationV2: null,
    },
  };
}

/** The voting power of each key: stake over total, the remainder on the last key. */
function simRoster(validators: SimValidator[]): Map<string, VoteWeight> {
  let total = 0n;
  for (const v of validators) total += v.stake * BigInt(v.keys.length);
  const voters = new Map<string, VoteWeight>();
  let assigned: Dec = DEC_ZERO;
  const all = validators.flatMap((v) => v.keys.map((k) => ({ v, k })));
  all.forEach(({ v, k }, i) => {
    const power = i === all.length - 1
      ? decSub(DEC_ONE, assigned)
      : decQuo(decFromInt(v.stake), decFromInt(total));
    assigned = decAdd(assigned, power);
    const hex = toHex(k.publicKey);
    if (!voters.has(hex)) {
      voters.set(hex, { overallPercent: power, earningAccount: v.account, isHarmonyNode: false });
    }
  });
  return voters;
}

/** The committee of an epoch (the same keys every epoch). */
export function simEpochContext(spec: SimChainSpec, epoch: bigint): EpochContext {
  const slots = spec.validators.flatMap((v) =>
    v.keys.map((k) => ({ publicKey: k.publicKey, ecdsaAddress: v.account }))
  );
  const staked = spec.network.features.Staking !== null && spec.network.features.Staking <= epoch;
  const policy: QuorumPolicy = staked
    ? { kind: "staked", roster: { voters: simRoster(spec.validators) } }
    : { kind: "uniform" };
  return {
    epoch,
    slots,
    committee: blsCommittee(slots.map((s) => s.publicKey)),
    policy,
    numHarmonyOperatedNodes: BigInt(slots.length),
    blocksPerEpoch: spec.epochLength,
  };
}

/** The fields a simulated header is built from: a consensus header without its hash. */
export interface SimHeaderFields extends Omit<BlockHeader, "hash"> {
  /** Whether the validity predicate accepts it. */
  valid: boolean;
}

/** Encodes a simulated block. */
export function encodeSimBlock(
  h: SimHeaderFields,
  body: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const header = [
    h.parentHash,
    bigintToBytes(h.number),
    bigintToBytes(h.epoch),
    bigintToBytes(h.viewId),
    bigintToBytes(h.shardId),
    bigintToBytes(h.time),
    h.coinbase,
    h.lastCommitSignature,
    h.lastCommitBitmap,
    bigintToBytes(h.isLastInEpoch ? 1n : 0n),
    bigintToBytes(h.valid ? 1n : 0n),
    keccak256(body),
  ];
  return encodeRlp([header, body]);
}

/** Decodes a simulated block (strict RLP). Throws a `SpecError` for bad bytes. */
export function decodeSimBlock(bytes: Uint8Array): Block & { valid: boolean } {
  const [headerItem, body] = readListOf(decodeRlp(bytes), 2);
  const f = readListOf(headerItem, 12);
  require(
    bytesEqual(readFixedBytes(f[11], 32), keccak256(readBytes(body))),
    "encoding/rlp-wrong-length",
    "body hash",
  );
  const header: BlockHeader = {
    hash: keccak256(encodeRlp(headerItem)),
    parentHash: readFixedBytes(f[0], 32),
    number: readUint(f[1], 64),
    epoch: readBigUint(f[2]),
    viewId: readUint(f[3], 64),
    shardId: readUint(f[4], 32),
    time: readBigUint(f[5]),
    coinbase: readFixedBytes(f[6], 20),
    lastCommitSignature: readBytes(f[7]),
    lastCommitBitmap: readBytes(f[8]),
    isLastInEpoch: readUint(f[9], 8) === 1n,
  };
  return { bytes, header, valid: readUint(f[10], 8) === 1n };
}

/** The staking-era coinbase of a BLS key: the first 20 bytes of SHA-256 of the key. */
export function coinbaseOf(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).slice(0, 20);
}

/** The epoch of a block number. */
export function simEpochOf(spec: SimChainSpec, number: bigint): bigint {
  return number / spec.epochLength;
}

/** Whether the predicate accepts a block on top of a chain view. */
function simVerify(
  spec: SimChainSpec,
  contextOf: (epoch: bigint) => EpochContext,
  block: Block,
  chain: ChainView,
): boolean {
  const decoded = decodeSimBlock(block.bytes);
  const h = block.header;
  const head = chain.head;
  if (!decoded.valid || h.shardId !== spec.shardId) return false;
  if (h.number !== head.number + 1n || !bytesEqual(h.parentHash, head.hash)) return false;
  if (h.epoch !== simEpochOf(spec, h.number)) return false;
  if (h.isLastInEpoch !== ((h.number + 1n) % spec.epochLength === 0n)) return false;
  const ctx = contextOf(head.epoch);
  if (!contextOf(h.epoch).slots.some((s) => bytesEqual(coinbaseOf(s.publicKey), h.coinbase))) {
    return false;
  }
  try {
    checkLastCommit(spec.network, ctx, head, h, head.number);
  } catch (e) {
    if (isSpecError(e)) return false;
    throw e;
  }
  return true;
}

/** The chain adapter of the simulated chain (committee contexts are cached per epoch). */
export function simChainAdapter(spec: SimChainSpec): ChainAdapter {
  const contexts = new Map<bigint, EpochContext>();
  const epochContext = (epoch: bigint): EpochContext => {
    let ctx = contexts.get(epoch);
    if (ctx === undefined) {
      ctx = simEpochContext(spec, epoch);
      contexts.set(epoch, ctx);
    }
    return ctx;
  };
  return {
    decodeBlock: (bytes) => {
      const { bytes: b, header } = decodeSimBlock(bytes);
      return { bytes: b, header };
    },
    verifyBlock: (block, chain) => simVerify(spec, epochContext, block, chain),
    epochContext,
  };
}

/** The genesis block (number 0, epoch 0, view 0). */
export function simGenesis(spec: SimChainSpec): Block {
  const bytes = encodeSimBlock({
    parentHash: new Uint8Array(32),
    number: 0n,
    epoch: 0n,
    viewId: 0n,
    shardId: spec.shardId,
    time: spec.genesisTime ?? 0n,
    coinbase: new Uint8Array(20),
    lastCommitSignature: new Uint8Array(96),
    lastCommitBitmap: new Uint8Array(0),
    isLastInEpoch: spec.epochLength === 1n,
    valid: true,
  });
  const { header } = decodeSimBlock(bytes);
  return { bytes, header };
}

/** The chain view of a node holding only genesis. */
export function simGenesisView(spec: SimChainSpec): ChainView {
  const g = simGenesis(spec).header;
  return {
    head: g,
    headCommitSig: new Uint8Array(0),
    recent: [g],
    rotation: { pub: new Uint8Array(0), epoch: 0n, count: 0n },
  };
}

/**
 * The block a leader proposes on top of a chain view.
 *
 * @param spec the chain
 * @param chain the leader's chain view
 * @param leader the leader's key
 * @param viewId the view ID for the header
 * @param lastCommitSig the head's commit certificate (`sig ‖ bitmap`)
 * @param timeSeconds the block time
 * @param valid whether the block is valid
 * @param body arbitrary body bytes (to make equivocating blocks differ)
 */
export function simProposal(
  spec: SimChainSpec,
  chain: ChainView,
  leader: Uint8Array,
  viewId: bigint,
  lastCommitSig: Uint8Array,
  timeSeconds: bigint,
  valid = true,
  body: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const number = chain.head.number + 1n;
  require(lastCommitSig.length === 0 || lastCommitSig.length >= 96, "bls/commit-sig-too-short");
  return encodeSimBlock({
    parentHash: chain.head.hash,
    number,
    epoch: simEpochOf(spec, number),
    viewId,
    shardId: spec.shardId,
    time: timeSeconds,
    coinbase: coinbaseOf(leader),
    lastCommitSignature: lastCommitSig.length === 0
      ? new Uint8Array(96)
      : lastCommitSig.slice(0, 96),
    lastCommitBitmap: lastCommitSig.length === 0 ? new Uint8Array(0) : lastCommitSig.slice(96),
    isLastInEpoch: (number + 1n) % spec.epochLength === 0n,
    valid,
  }, body);
}

/** A 20-byte account from a number. */
export function simAccount(n: number): Uint8Array {
  return bigintToFixedBytes(BigInt(n) + 1n, 20);
}
