/**
 * The chain tests' scenario, run once and shared: a beacon chain and shard 1 on localnet, block by
 * block, from genesis to the end of epoch 8 (block 132) on the beacon chain and to block 40 on
 * shard 1.
 *
 * - epoch 0: transfers on both shards;
 * - epoch 1: bob sends 5 ONE from shard 1 to alice on the beacon chain (block 6 of shard 1; its
 *   proof goes into beacon block 8); V1 (one key, 20,000 ONE) and V2 (two keys, 30,000 ONE)
 *   are created (block 7); carol delegates 5,000 ONE to V2 (block 9) and undelegates 1,000 ONE
 *   (block 10); the last block (20) elects the committees of epoch 2, the first staking epoch;
 * - epoch 2: every shard-1 block is crosslinked into the next beacon block; V1 double-signs
 *   at shard height 25, and alice's report is included in beacon block 30;
 * - epoch 3: the beacon committee runs the DRG: block 38 commits pRnd from every key's VRF over
 *   block 36's hash, block 41 commits Rnd (the VDF of pRnd), and block 52 reshards epoch 4 with
 *   the epoch's randomness;
 * - epoch 3 on: aggregated rewards every 16 blocks; V2 collects its rewards at block 60;
 * - the end of epoch 8 (block 132) pays carol's undelegation of epoch 1 (7 epochs later).
 *
 * @module
 */
import { headerHash } from "../../spec/chain/header.ts";
import type { Header } from "../../spec/chain/header.ts";
import { buildCxReceiptsProof, encodeCxReceiptsProof } from "../../spec/sharding/cx-proof.ts";
import { blsSeparateSigAndMask } from "../../spec/crypto/bls-mask.ts";
import { type CrossLink } from "../../spec/sharding/crosslink.ts";
import { lastBlockOfEpoch } from "../../spec/sharding/schedule.ts";
import { drgCombine, drgEncodeCommitment, drgProposeRnd } from "../../spec/randomness/drg.ts";
import type { SlashRecord } from "../../spec/staking/slashing.ts";
import { bytesEqual } from "../../spec/encoding/bytes.ts";
import {
  ALICE,
  type BlockItems,
  BOB,
  CAROL,
  chainDigest,
  commitPayloadOf,
  committeeAt,
  createValidator,
  lookupsFor,
  NET,
  nextBlock,
  ONE,
  secretOf,
  type ShardRun,
  stakingTx,
  startShard,
  transfer,
  V1,
  V1_KEYS,
  V2,
  V2_KEYS,
  vrfSignerOf,
} from "./world.ts";
import { mclSignHash } from "../support/mcl-oracle.ts";

/** The last beacon block of the run: the end of epoch 8. */
export const BEACON_END = 132n;
/** The last shard-1 block of the run. */
export const SHARD1_END = 40n;
/** The beacon block whose header carries the slash. */
export const SLASH_BLOCK = 30n;
/** The beacon block committing the DRG's pRnd. */
export const DRG_COMMIT_BLOCK = 38n;
/** The beacon block committing the DRG's Rnd. */
export const DRG_RND_BLOCK = 41n;
/** The block at which V2 collects its rewards. */
export const COLLECT_BLOCK = 60n;

/** Both shards after the run, with what the scenario sent where. */
export interface Scenario {
  /** The beacon chain. */
  beacon: ShardRun;
  /** Shard 1. */
  shard1: ShardRun;
  /** The slash record included. */
  slash: SlashRecord;
  /** Blocks (`shard:number`) whose proposer's state differed from the processed one. */
  mismatches: string[];
}

/** The crosslink of a shard-1 block, from the block's header and its commit certificate. */
export function crossLinkOf(header: Header, commitSig: Uint8Array): CrossLink {
  const { signature, bitmap } = blsSeparateSigAndMask(commitSig);
  return {
    hash: headerHash(header),
    blockNumber: header.number,
    viewId: header.viewId,
    signature,
    bitmap,
    shardId: header.shardId,
    epoch: header.epoch,
  };
}

/** Alice's report of V1 signing two blocks at one height (shard-1 or beacon height 25). */
function doubleSign(run: ShardRun, shardId: bigint): SlashRecord {
  const height = 25n;
  const vote = (hash: Uint8Array) => ({
    signerPubKeys: [V1_KEYS[0].pub],
    blockHeaderHash: hash,
    signature: mclSignHash(V1_KEYS[0].secret, commitPayloadOf(hash, height, height, 2n))!,
  });
  const real = headerHash(run.blocks[Number(height) - 1].block.header);
  return {
    evidence: {
      moment: { epoch: 2n, shardId, height, viewId: height },
      firstVote: vote(real),
      secondVote: vote(new Uint8Array(32).fill(0xbd)),
      offender: V1.address,
    },
    reporter: ALICE.address,
  };
}

/** The shard whose epoch-2 committee holds V1's key. */
function shardOfV1(beacon: ShardRun): bigint {
  const state = beacon.state.shardStates.get(2n)!;
  for (const c of state.shards) {
    if (c.slots.some((s) => bytesEqual(s.blsPublicKey, V1_KEYS[0].pub))) return c.shardId;
  }
  throw new Error("V1 not elected");
}

/** The beacon block's items at `n` (beyond the crosslinks). */
function beaconItems(n: bigint, s: { beacon: ShardRun; shard1: ShardRun; slash?: SlashRecord }) {
  const items: BlockItems = {};
  if (n === 1n) {
    items.transactions = [transfer(ALICE, { nonce: 0n }), transfer(ALICE, { nonce: 1n })];
  }
  if (n === 7n) {
    items.stakingTransactions = [
      stakingTx(V1, createValidator(V1, V1_KEYS, 20_000n), 0n),
      stakingTx(V2, createValidator(V2, V2_KEYS, 30_000n), 0n),
    ];
  }
  if (n === 8n) items.incomingReceipts = [cxProof(s.shard1, 6n)];
  if (n === 9n) {
    const msg = {
      directive: 2 as const,
      body: { delegatorAddress: CAROL.address, validatorAddress: V2.address, amount: 5_000n * ONE },
    };
    items.stakingTransactions = [stakingTx(CAROL, msg, 0n)];
  }
  if (n === 10n) {
    const msg = {
      directive: 3 as const,
      body: { delegatorAddress: CAROL.address, validatorAddress: V2.address, amount: 1_000n * ONE },
    };
    items.stakingTransactions = [stakingTx(CAROL, msg, 1n)];
  }
  if (n === SLASH_BLOCK && s.slash !== undefined) items.slashes = [s.slash];
  if (n === DRG_COMMIT_BLOCK) items.vdf = drgCommitment(s.beacon);
  if (n === DRG_RND_BLOCK) items.vdf = drgProposeRnd(s.beacon.state.offChain.drg!);
  if (n === COLLECT_BLOCK) {
    const msg = { directive: 4 as const, body: { delegatorAddress: V2.address } };
    items.stakingTransactions = [stakingTx(V2, msg, 1n)];
  }
  return items;
}

/** Every beacon key's DRG contribution over the epoch's input, combined into a commitment. */
function drgCommitment(beacon: ShardRun): Uint8Array {
  const head = beacon.state.head;
  const committee = committeeAt(beacon.state, head.epoch);
  // The input is the hash of the previous epoch's last block.
  const previousLast = lastBlockOfEpoch(NET, head.epoch - 1n);
  const input = headerHash(beacon.blocks[Number(previousLast) - 1].block.header);
  const contributions = committee.slots.map((slot, i) => ({
    slot: i,
    ...vrfSignerOf(secretOf(slot.blsPublicKey))(input),
  }));
  const { pRnd, bitmap } = drgCombine(committee.slots.length, contributions);
  return drgEncodeCommitment({ pRnd, bitmap, contributions });
}

/** The proof of shard-1 block `n`'s receipts to the beacon chain. */
function cxProof(shard1: ShardRun, n: bigint): Uint8Array {
  const entry = shard1.blocks[Number(n) - 1];
  const { signature, bitmap } = blsSeparateSigAndMask(entry.commitSig);
  const proof = buildCxReceiptsProof(
    NET,
    entry.block.header,
    entry.processed.cxReceipts,
    0n,
    signature,
    bitmap,
  )!;
  return encodeCxReceiptsProof(proof);
}

/** Shard 1's items at `n`: a transfer from bob in each block, the cross-shard one at block 6. */
function shardItems(n: bigint): BlockItems {
  const nonce = n - 1n;
  if (n !== 6n) {
    return { transactions: [transfer(BOB, { nonce, shardId: 1n, toShardId: 1n, value: n })] };
  }
  const tx = transfer(BOB, {
    nonce,
    shardId: 1n,
    toShardId: 0n,
    to: ALICE.address,
    value: 5n * ONE,
    gasLimit: 30_000n,
  });
  return { transactions: [tx] };
}

/** The scenario run so far, and where it stands. */
interface Progress extends Scenario {
  /** Shard 1's blocks not crosslinked yet. */
  pending: CrossLink[];
  /** The last beacon block run. */
  reached: bigint;
}

/** Runs beacon block `n` and, up to {@link SHARD1_END}, shard 1's block `n`. */
async function step(p: Progress, n: bigint): Promise<void> {
  const { beacon, shard1, pending } = p;
  const items = { ...beaconItems(n, p), crossLinks: pending.slice() };
  const { proposed, processed } = await nextBlock(beacon, lookupsFor(beacon, beacon), items);
  if (chainDigest(proposed.state) !== chainDigest(processed.state)) p.mismatches.push(`0:${n}`);
  for (const cl of processed.events.crossLinks) {
    const i = pending.findIndex((x) => x.blockNumber === cl.blockNumber);
    if (i >= 0) pending.splice(i, 1);
  }
  if (n <= SHARD1_END) {
    const r = await nextBlock(shard1, lookupsFor(shard1, beacon), shardItems(n));
    if (chainDigest(r.proposed.state) !== chainDigest(r.processed.state)) {
      p.mismatches.push(`1:${n}`);
    }
    const last = shard1.blocks[shard1.blocks.length - 1];
    if (last.block.header.epoch >= 2n) pending.push(crossLinkOf(last.block.header, last.commitSig));
  }
  if (n === 26n) {
    const shard = shardOfV1(beacon);
    p.slash = doubleSign(shard === 0n ? beacon : shard1, shard);
  }
}

let progress: Promise<Progress> | undefined;

/**
 * The scenario run up to beacon block `end` (the whole run by default), once per test process:
 * a later call continues the same run.
 */
export function scenario(end = BEACON_END): Promise<Scenario> {
  progress ??= Promise.resolve({
    beacon: startShard(0n),
    shard1: startShard(1n),
    slash: undefined as unknown as SlashRecord,
    mismatches: [],
    pending: [],
    reached: 0n,
  });
  progress = progress.then(async (p) => {
    for (let n = p.reached + 1n; n <= end; n++) await step(p, n);
    if (end > p.reached) p.reached = end;
    return p;
  });
  return progress;
}
