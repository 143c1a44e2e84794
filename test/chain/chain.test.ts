/**
 * The chain run end to end (the scenario of `scenario.ts`): what each step of the scenario must
 * have done, by Harmony's rules stated independently here (amounts worked out by hand), and the
 * properties every block of the run satisfies, each shown to catch a deliberately broken rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { validatorWrapperOf } from "../../spec/chain/state.ts";
import type { ChainState } from "../../spec/chain/state.ts";
import {
  crossShardValueConserved,
  receiptsCreditedOnce,
  supplyConserved,
} from "../../spec/invariants.ts";
import { decodeCxReceiptsProof } from "../../spec/sharding/cx-proof.ts";
import { bytesEqual, concatBytes, toHex } from "../../spec/encoding/bytes.ts";
import { addressKey, balanceOf } from "../../spec/execution/state.ts";
import { encodeReceipt, type Receipt } from "../../spec/execution/receipt.ts";
import { decFromInt } from "../../spec/numeric/decimal.ts";
import { catches, holds } from "../support/property.ts";
import {
  BEACON_END,
  COLLECT_BLOCK,
  DRG_COMMIT_BLOCK,
  DRG_RND_BLOCK,
  scenario,
  SHARD1_END,
  SLASH_BLOCK,
} from "./scenario.ts";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  ALICE,
  BOB,
  CAROL,
  chainDigest,
  DAVE,
  GAS_PRICE,
  genesisOf,
  ONE,
  type ShardRun,
  V1,
  V1_KEYS,
  V2,
  V2_KEYS,
} from "./world.ts";

const s = await scenario();

/** The state after block `n` of a run (block 0: genesis). */
function after(run: ShardRun, n: bigint): ChainState {
  if (n === 0n) return genesisOf(run.state.shardId).state;
  return run.blocks[Number(n) - 1].processed.state;
}

function balance(state: ChainState, who: { address: Uint8Array }): bigint {
  return balanceOf(state.world, addressKey(who.address));
}

/** Every (shard, block) of the run, as indices into the two runs. */
const anyBlock = fc.oneof(
  fc.integer({ min: 1, max: Number(BEACON_END) }).map((n) => ({ run: s.beacon, n })),
  fc.integer({ min: 1, max: Number(SHARD1_END) }).map((n) => ({ run: s.shard1, n })),
);

test("the run reaches the end of epoch 8 on the beacon chain and epoch 3 on shard 1", () => {
  assert.equal(s.beacon.state.head.number, BEACON_END);
  assert.equal(s.beacon.state.head.epoch, 8n);
  // 5 blocks in epoch 0, 16 in every later one: block 132 ends epoch 8 and carries epoch 9.
  assert.ok(s.beacon.state.shardStates.has(9n));
  assert.equal(s.shard1.state.head.epoch, 3n);
});

/** Whether processing a block gave the proposer's chain state and receipts. */
function agrees(proposed: ChainState, processed: ChainState, a: Receipt[], b: Receipt[]): boolean {
  const receipts = (r: Receipt[]) => r.map((x) => toHex(encodeReceipt(x))).join();
  return chainDigest(proposed) === chainDigest(processed) && receipts(a) === receipts(b);
}

test("property: processing a proposed block gives the proposer's state and receipts", () => {
  assert.deepEqual(s.mismatches, []);
  holds(
    fc.property(anyBlock, ({ run, n }) => {
      const { proposed, processed } = run.blocks[n - 1];
      return agrees(proposed.state, processed.state, proposed.receipts, processed.receipts);
    }),
  );
});

/** A proposer that forgot a rule of the insertion: the rotation counter or the spent set. */
const brokenInsertions: ((after: ChainState, before: ChainState) => ChainState)[] = [
  (a, b) => ({ ...a, rotation: b.rotation }),
  (a, b) => ({ ...a, spent: b.spent }),
  (a, b) => ({ ...a, offChain: { ...a.offChain, validators: b.offChain.validators } }),
];

test("property: the state comparison catches a proposer that forgets a rule of the insertion", () => {
  for (const broken of brokenInsertions) {
    catches(
      fc.property(anyBlock, ({ run, n }) => {
        const { proposed, processed } = run.blocks[n - 1];
        const mutated = broken(proposed.state, after(run, BigInt(n - 1)));
        return agrees(mutated, processed.state, proposed.receipts, processed.receipts);
      }),
    );
  }
});

test("property: supply is conserved on each shard at every block", () => {
  holds(
    fc.property(anyBlock, ({ run, n }) => {
      assert.equal(supplyConserved(after(run, BigInt(n))), true);
    }),
  );
  // Across the network, the value sent from shard 1 arrived on the beacon chain.
  assert.equal(s.shard1.state.supply.sent, 5n * ONE);
  assert.equal(s.beacon.state.supply.received, 5n * ONE);
  assert.equal(crossShardValueConserved([s.beacon.state, s.shard1.state], 0n), true);
});

test("property: supply accounting that ignores what is burnt is caught", () => {
  catches(
    fc.property(anyBlock, ({ run, n }) => {
      const state = after(run, BigInt(n));
      return supplyConserved({ ...state, supply: { ...state.supply, burnt: 0n } }) === true;
    }),
  );
});

/** The source blocks whose receipts a block credits, as their signed headers name them. */
function creditedSources(run: ShardRun, n: number) {
  return run.blocks[n - 1].block.body.incomingReceipts.map((bytes) => {
    const { header } = decodeCxReceiptsProof(bytes);
    return { sourceShardId: header.shardId, sourceBlockNumber: header.number };
  });
}

test("property: no block credits an incoming receipt its chain had credited", () => {
  holds(
    fc.property(anyBlock, ({ run, n }) => {
      assert.equal(
        receiptsCreditedOnce(after(run, BigInt(n - 1)).spent, creditedSources(run, n)),
        true,
      );
    }),
  );
  // Canary: beacon block 8 credits shard 1's block 6; the same proofs again in block 9 would not do.
  assert.deepEqual(creditedSources(s.beacon, 8), [{ sourceShardId: 1n, sourceBlockNumber: 6n }]);
  assert.notEqual(
    receiptsCreditedOnce(after(s.beacon, 8n).spent, creditedSources(s.beacon, 8)),
    true,
  );
});

test("epoch 0: transfers pay the value and the pre-staking fee to the leader's account", () => {
  const before = after(s.beacon, 0n);
  const state = after(s.beacon, 1n);
  const fee = 21_000n * GAS_PRICE;
  assert.equal(balance(state, DAVE), 2n * ONE);
  assert.equal(balance(before, ALICE) - balance(state, ALICE), 2n * ONE + 2n * fee);
  // Before Staking the fees go to the coinbase, the leader slot's account.
  const coinbase = { address: s.beacon.blocks[0].block.header.coinbase };
  assert.equal(balance(state, coinbase) - balance(before, coinbase), 2n * fee);
});

test("pre-staking rewards: 24 ONE per block from block 2 on every shard", () => {
  // Blocks 2–20 of epochs 0 and 1 pay their parent's signers 24 ONE each.
  assert.equal(after(s.beacon, 20n).supply.issued, 19n * 24n * ONE);
  assert.equal(after(s.shard1, 20n).supply.issued, 19n * 24n * ONE);
  // From Staking, shards other than the beacon chain pay nothing.
  assert.equal(s.shard1.state.supply.issued, 19n * 24n * ONE);
});

test("a cross-shard transfer from shard 1 is credited on the beacon chain with its proof", () => {
  const fee = 21_000n * GAS_PRICE; // a plain cross-shard transfer uses the intrinsic gas
  const b5 = after(s.shard1, 5n);
  const b6 = after(s.shard1, 6n);
  assert.equal(balance(b5, BOB) - balance(b6, BOB), 5n * ONE + fee);
  assert.equal(s.shard1.blocks[5].processed.cxReceipts.length, 1);
  assert.equal(balance(after(s.beacon, 8n), ALICE) - balance(after(s.beacon, 7n), ALICE), 5n * ONE);
  assert.ok(after(s.beacon, 8n).spent.has("1:6"));
  assert.ok(!after(s.beacon, 7n).spent.has("1:6"));
});

test("CreateValidator and Delegate: the validators enter the next epoch's committees", () => {
  const state = after(s.beacon, 7n);
  assert.deepEqual(state.offChain.validators.map(toHex), [V1, V2].map((v) => toHex(v.address)));
  assert.deepEqual(s.beacon.blocks[6].processed.events.newValidators.map(toHex), [
    toHex(V1.address),
    toHex(V2.address),
  ]);
  const v2 = validatorWrapperOf(after(s.beacon, 9n).world, V2.address)!;
  assert.equal(v2.delegations[1].amount, 5_000n * ONE);
  assert.deepEqual(after(s.beacon, 9n).offChain.delegations.get(toHex(CAROL.address)), [
    { validatorAddress: V2.address, index: 1n, blockNumber: 9n },
  ]);
  // Epoch 1 is pre-staking: its committees hold no staked slot.
  const epoch1 = after(s.beacon, 20n).shardStates.get(1n)!;
  assert.ok(epoch1.shards.every((c) => c.slots.every((slot) => slot.effectiveStake === null)));
  // Block 20 elects epoch 2: six Harmony slots per shard, then V1's key and V2's two keys, with
  // the raw stakes as effective stakes (all within 35% of the median, 17,000 ONE): V1 20,000 ONE,
  // each V2 key (30,000 + 5,000 − 1,000) / 2 = 17,000 ONE.
  const epoch2 = after(s.beacon, 20n).shardStates.get(2n)!;
  assert.equal(epoch2.epoch, 2n);
  const staked = epoch2.shards.flatMap((c) => c.slots.filter((x) => x.effectiveStake !== null));
  const stakeOf = (key: Uint8Array) =>
    staked.find((x) => bytesEqual(x.blsPublicKey, key))!.effectiveStake;
  assert.equal(staked.length, 3);
  assert.deepEqual(stakeOf(V1_KEYS[0].pub), decFromInt(20_000n * ONE));
  for (const k of V2_KEYS) assert.deepEqual(stakeOf(k.pub), decFromInt(17_000n * ONE));
  for (const c of epoch2.shards) assert.equal(c.slots.length - 6 <= 3, true);
  // Shard 1 carries the beacon chain's state in its own block 20.
  assert.deepEqual(after(s.shard1, 20n).shardStates.get(2n), epoch2);
});

test("rewards: per block in epoch 2, every 16th block from AggregatedReward (epoch 3)", () => {
  const rewardOf = (n: bigint) => {
    const w = validatorWrapperOf(after(s.beacon, n).world, V2.address)!;
    return w.delegations.reduce((t, d) => t + d.reward, 0n);
  };
  for (let n = 22n; n <= 36n; n++) assert.ok(rewardOf(n) > rewardOf(n - 1n), `block ${n}`);
  for (let n = 38n; n <= 58n; n++) {
    const rewardBlock = n % 16n === 15n;
    assert.equal(rewardOf(n) > rewardOf(n - 1n), rewardBlock, `block ${n}`);
  }
  assert.ok(s.beacon.state.offChain.rewardAccumulator > 0n);
});

test("CollectRewards moves the uncollected rewards to the balance", () => {
  const before = after(s.beacon, COLLECT_BLOCK - 1n);
  const state = after(s.beacon, COLLECT_BLOCK);
  const reward = validatorWrapperOf(before.world, V2.address)!.delegations[0].reward;
  const receipt = s.beacon.blocks[Number(COLLECT_BLOCK) - 1].processed.receipts[0];
  const fee = receipt.gasUsed * GAS_PRICE;
  assert.equal(balance(state, V2) - balance(before, V2), reward - fee);
  assert.equal(validatorWrapperOf(state.world, V2.address)!.delegations[0].reward, 0n);
});

test("a crosslink from shard 1 is processed on the beacon chain", () => {
  const first = s.beacon.blocks.find((b) => b.processed.events.crossLinks.length > 0)!;
  assert.equal(first.block.header.number, 22n);
  assert.deepEqual(first.processed.events.crossLinks.map((c) => [c.shardId, c.blockNumber]), [
    [1n, 21n],
  ]);
  const store = s.beacon.state.offChain.crossLinks;
  for (let n = 21n; n <= SHARD1_END; n++) assert.ok(store.processed.has(`1:${n}`), `${n}`);
  assert.equal(store.lastContinuous.get(1n)!.blockNumber, SHARD1_END);
});

test("a double sign is slashed: half the self-stake, half of that to the leader, V1 banned", () => {
  const before = after(s.beacon, SLASH_BLOCK - 1n);
  const state = after(s.beacon, SLASH_BLOCK);
  const entry = s.beacon.blocks[Number(SLASH_BLOCK) - 1];
  assert.equal(entry.processed.events.slashes.length, 1);
  const v1 = validatorWrapperOf(state.world, V1.address)!;
  assert.equal(v1.validator.status, 3); // Banned
  assert.equal(v1.delegations[0].amount, 10_000n * ONE);
  assert.equal(state.supply.burnt - before.supply.burnt, 5_000n * ONE);
  const leader = { address: entry.block.header.coinbase };
  assert.equal(balance(state, leader) - balance(before, leader), 5_000n * ONE);
  // Banned, V1 is not elected again: epoch 3 has V2's two keys only.
  const epoch3 = after(s.beacon, 36n).shardStates.get(3n)!;
  const staked = epoch3.shards.flatMap((c) => c.slots.filter((x) => x.effectiveStake !== null));
  assert.deepEqual(
    staked.map((x) => toHex(x.blsPublicKey)).sort(),
    V2_KEYS.map((k) => toHex(k.pub)).sort(),
  );
});

test("an undelegation is paid out at the end of the seventh epoch after it", () => {
  const undelegations = (n: bigint) =>
    validatorWrapperOf(after(s.beacon, n).world, V2.address)!.delegations[1].undelegations;
  assert.deepEqual(undelegations(10n), [{ amount: 1_000n * ONE, epoch: 1n }]);
  assert.deepEqual(undelegations(BEACON_END - 1n), [{ amount: 1_000n * ONE, epoch: 1n }]);
  assert.deepEqual(undelegations(BEACON_END), []);
  const paid = balance(after(s.beacon, BEACON_END), CAROL) -
    balance(after(s.beacon, BEACON_END - 1n), CAROL);
  assert.equal(paid, 1_000n * ONE);
});

test("the DRG's randomness of epoch 3 deals the keys of epoch 4 to shards", () => {
  const drgAt = (n: bigint) => after(s.beacon, n).offChain.drg!;
  assert.equal(drgAt(DRG_COMMIT_BLOCK).commitment!.blockNumber, DRG_COMMIT_BLOCK);
  assert.equal(drgAt(DRG_COMMIT_BLOCK).rnd, null);
  const rnd = drgAt(DRG_RND_BLOCK).rnd!;
  assert.equal(rnd.blockNumber, DRG_RND_BLOCK);
  assert.deepEqual(s.beacon.blocks[Number(DRG_RND_BLOCK) - 1].processed.events.randomness, rnd);
  // The seed: SHA-256 of the first half of the VDF output (the Rnd record after its tag).
  const record = s.beacon.blocks[Number(DRG_RND_BLOCK) - 1].block.header.vdf;
  const output = record.slice(1);
  const seed = nobleSha256(output.slice(0, output.length / 2));
  // Epoch 4 elects V2's two keys; ranked by Keccak-256(seed ‖ key), the first goes to shard 0.
  const rank = (key: Uint8Array) => toHex(keccak_256(concatBytes(seed, key)));
  const [first, second] = V2_KEYS.map((k) => k.pub).sort((a, b) => rank(a) < rank(b) ? -1 : 1);
  const epoch4 = after(s.beacon, 52n).shardStates.get(4n)!;
  const shardOf = (key: Uint8Array) =>
    epoch4.shards.find((c) => c.slots.some((x) => bytesEqual(x.blsPublicKey, key)))!.shardId;
  assert.equal(shardOf(first), 0n);
  assert.equal(shardOf(second), 1n);
});
