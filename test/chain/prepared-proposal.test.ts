/**
 * A proposal prepared before its parent's commit certificate is known (Go's asynchronous
 * proposal) and completed afterwards: each completion is a block that validators accept with the
 * state the proposer computed, the certificate decides the block's rewards, and completing does
 * not change the prepared proposal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeBlock } from "../../spec/chain/body.ts";
import { headerHash } from "../../spec/chain/header.ts";
import { completeProposal, PAUSE_EVERY, prepareProposal } from "../../spec/chain/propose.ts";
import { processBlock } from "../../spec/chain/process.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { stateRoot } from "../../spec/execution/state-root.ts";
import { nextBlockEpoch } from "../../spec/sharding/transition.ts";
import {
  ALICE,
  CAROL,
  certify,
  chainDigest,
  committeeAt,
  lookupsFor,
  NET,
  nextBlock,
  proposalInput,
  startShard,
  transfer,
} from "./world.ts";

test("a prepared proposal completes, with either certificate, into a block validators accept", async () => {
  const run = startShard(0n);
  const lookups = lookupsFor(run, run);
  await nextBlock(run, lookups, { transactions: [transfer(ALICE, { nonce: 0n })] });
  const parent = run.state.head;
  const committee = committeeAt(run.state, parent.epoch);
  const allButOne = committee.slots.map((_, i) => i).slice(1);
  const certificates = {
    everyone: run.state.headCommitSig,
    allButOne: certify(committee, parent, headerHash(parent), allButOne),
  };
  const input = proposalInput(run, nextBlockEpoch(NET, parent), {
    transactions: [transfer(ALICE, { nonce: 1n }), transfer(CAROL, { nonce: 0n })],
  });
  const prepared = await prepareProposal(run.state, lookups, input);

  const roots = new Map<string, string>();
  const blocks = new Map<string, string>();
  const completions: [string, Uint8Array][] = [
    ["everyone", certificates.everyone],
    ["allButOne", certificates.allButOne],
    ["again", certificates.everyone],
  ];
  for (const [name, lastCommitSig] of completions) {
    const done = await completeProposal(prepared, { viewId: input.viewId, lastCommitSig });
    assert.equal(done.block.body.transactions.length, 2);
    const header = done.block.header;
    const commitSig = certify(committeeAt(run.state, header.epoch), header, headerHash(header));
    const processed = await processBlock(run.state, done.block, lookups, commitSig);
    assert.equal(chainDigest(processed.state), chainDigest(done.state), name);
    roots.set(name, toHex(stateRoot(done.state.world)));
    blocks.set(name, toHex(encodeBlock(done.block)));
  }
  // The signer who did not sign the parent is not paid for it: the certificate reaches the state.
  assert.notEqual(roots.get("everyone"), roots.get("allButOne"));
  // Completing once more with the first certificate gives the first block: nothing was consumed.
  assert.equal(blocks.get("again"), blocks.get("everyone"));
});

test("the view ID is set when the proposal is completed", async () => {
  const run = startShard(0n);
  const lookups = lookupsFor(run, run);
  await nextBlock(run, lookups);
  const input = proposalInput(run, nextBlockEpoch(NET, run.state.head), {});
  const prepared = await prepareProposal(run.state, lookups, input);
  const later = await completeProposal(prepared, {
    viewId: input.viewId + 3n,
    lastCommitSig: run.state.headCommitSig,
  });
  assert.equal(later.block.header.viewId, input.viewId + 3n);
  const header = later.block.header;
  const commitSig = certify(committeeAt(run.state, header.epoch), header, headerHash(header));
  await processBlock(run.state, later.block, lookups, commitSig);
});

test("a proposer that pauses now and then builds the same block, pausing as often as documented", async () => {
  const run = startShard(0n);
  const lookups = lookupsFor(run, run);
  await nextBlock(run, lookups);
  const count = 2 * PAUSE_EVERY + 3;
  const input = proposalInput(run, nextBlockEpoch(NET, run.state.head), {
    transactions: Array.from({ length: count }, (_, n) => transfer(ALICE, { nonce: BigInt(n) })),
  });
  const completion = { viewId: input.viewId, lastCommitSig: run.state.headCommitSig };
  let pauses = 0;
  const pause = () => {
    pauses++;
    return new Promise<void>((resolve) => setTimeout(resolve, 0));
  };
  const paused = await prepareProposal(run.state, lookups, { ...input, pause });
  const straight = await prepareProposal(run.state, lookups, input);
  const [a, b] = await Promise.all([paused, straight].map((p) => completeProposal(p, completion)));
  assert.equal(a.block.body.transactions.length, count);
  assert.equal(toHex(encodeBlock(a.block)), toHex(encodeBlock(b.block)));
  // Two within the transactions, one before sealing.
  assert.equal(pauses, 3);
});
