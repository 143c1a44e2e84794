/**
 * Blocks replayed from a node's own store (`processBlock` with `stored`): the run of
 * `scenario.ts` replayed block by block gives the chain states full processing gave, on the beacon
 * chain (crosslinks, staking, slashing, DRG, elections, incoming receipts) and on shard 1; the
 * header rules and signatures are not checked again, and the execution's commitments still are.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { beaconLookups, ownLookups } from "../../spec/chain/context.ts";
import { processBlock } from "../../spec/chain/process.ts";
import type { ChainState } from "../../spec/chain/state.ts";
import { withCommitSig } from "../../spec/chain/view.ts";
import { isSpecError } from "../../spec/errors.ts";
import type { ShardLookups } from "../../spec/chain/context.ts";
import type { Block } from "../../spec/chain/body.ts";
import { scenario } from "./scenario.ts";
import { chainDigest, genesisOf, type ShardRun } from "./world.ts";

const s = await scenario();

/** Replays a run's blocks as stored, from genesis; the first block whose state differs, or null. */
async function replayDiffers(
  run: ShardRun,
  lookups: (state: ChainState) => ShardLookups,
): Promise<number | null> {
  let state = genesisOf(run.state.shardId).state;
  for (const [i, { block, commitSig, processed }] of run.blocks.entries()) {
    const replayed = await processBlock(state, block, lookups(state), commitSig, { stored: true });
    if (chainDigest(replayed.state) !== chainDigest(processed.state)) return i + 1;
    state = withCommitSig(replayed.state, commitSig);
  }
  return null;
}

test("stored blocks replay to the states full processing gave, on both shards", async () => {
  assert.equal(await replayDiffers(s.beacon, ownLookups), null);
  // As the node replays: shard 1 after the beacon chain, with the beacon chain's final view.
  const beacon = beaconLookups(s.beacon.state);
  assert.equal(await replayDiffers(s.shard1, () => beacon), null);
});

/** The outcome of processing block `n` of the beacon chain, changed, with or without `stored`. */
async function outcome(n: number, block: Block, stored: boolean): Promise<string> {
  const parent = n === 1 ? genesisOf(0n).state : s.beacon.blocks[n - 2].processed.state;
  const { commitSig } = s.beacon.blocks[n - 1];
  try {
    await processBlock(parent, block, ownLookups(parent), commitSig, { stored });
    return "accepted";
  } catch (e) {
    if (isSpecError(e)) return e.code;
    throw e;
  }
}

test("a stored block's signatures are not checked again; its execution's commitments are", async () => {
  const n = 40;
  const { block } = s.beacon.blocks[n - 1];
  // The parent's certificate in the header, one bit changed.
  const lastCommitSignature = block.header.lastCommitSignature.slice();
  lastCommitSignature[5] ^= 1;
  const badSeal = { ...block, header: { ...block.header, lastCommitSignature } };
  assert.notEqual(await outcome(n, badSeal, false), "accepted");
  assert.equal(await outcome(n, badSeal, true), "accepted");
  // A state root that is not the execution's.
  const root = block.header.root.slice();
  root[0] ^= 1;
  const badRoot = { ...block, header: { ...block.header, root } };
  assert.equal(await outcome(n, badRoot, true), await outcome(n, badRoot, false));
  assert.notEqual(await outcome(n, badRoot, true), "accepted");
});
