/**
 * Resharding: the seed and its fallback, the shuffle against an independent restatement (noble's
 * Keccak), the feature gate, and the properties "every elected key lands in exactly one shard"
 * (both rules) and "committee sizes match the preset" (random rule), each shown to catch a broken
 * rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../spec/params/mod.ts";
import {
  electShardState,
  randomShardAssignment,
  reshardingSeed,
} from "../../spec/sharding/resharding.ts";
import { instanceForEpoch } from "../../spec/sharding/schedule.ts";
import {
  computeShardState,
  type ElectionInput,
  type ElectionResult,
  shardOfKey,
} from "../../spec/staking/election.ts";
import { committeeSizesMatch, winnersPlacedOnce } from "../../spec/invariants.ts";
import { catches, holds } from "../support/property.ts";
import { account, candidate, ONE } from "../staking/epos-fixtures.ts";
import { harmonyAccounts, key48 } from "./xlink-world.ts";

const SEED = keccak_256(Uint8Array.of(1, 2, 3));

/** The dealing rule restated: sort by Keccak-256(seed ‖ key), deal position p to shard p mod n. */
function oracleAssignment(seed: Uint8Array, keys: Uint8Array[], n: number): number[] {
  const ranked = keys.map((k, i) => ({
    i,
    r: toHex(keccak_256(Uint8Array.from([...seed, ...k]))),
  }));
  ranked.sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : a.i - b.i));
  const out = new Array<number>(keys.length);
  ranked.forEach((e, p) => (out[e.i] = p % n));
  return out;
}

/** The localnet election of epoch 2 (read at the last block of epoch 1). */
function localInput(stakes: bigint[][]): ElectionInput {
  const hmy = harmonyAccounts(12);
  return {
    epoch: 2n,
    currentEpoch: 1n,
    candidates: stakes.map((keys, v) =>
      candidate(account(v + 1), keys.map((_, j) => key48(v, j * 7 + v)), [keys[0] * ONE])
    ),
    harmonyAccounts: hmy,
    reservedKeys: hmy.map((a) => a.blsPublicKey),
    foundationalAccounts: [],
    previous: null,
  };
}

test("seed: the DRG's randomness when there is one, else the election block's hash", () => {
  const rnd = keccak_256(Uint8Array.of(9));
  const parent = keccak_256(Uint8Array.of(8));
  assert.deepEqual(reshardingSeed(rnd, parent), rnd);
  assert.deepEqual(reshardingSeed(null, parent), parent);
  assert.throws(
    () => reshardingSeed(new Uint8Array(31), parent),
    (e) => isSpecError(e, "resharding/bad-seed-length"),
  );
  assert.throws(
    () => reshardingSeed(null, new Uint8Array(0)),
    (e) => isSpecError(e, "resharding/bad-seed-length"),
  );
});

test("shuffle equals the restatement over noble's Keccak, and deals evenly", () => {
  const keys = Array.from({ length: 11 }, (_, i) => key48(1, i));
  const got = randomShardAssignment(SEED, keys, 4n).map(Number);
  assert.deepEqual(got, oracleAssignment(SEED, keys, 4));
  const counts = [0, 1, 2, 3].map((s) => got.filter((x) => x === s).length);
  assert.deepEqual(counts.slice().sort(), [2, 3, 3, 3]);
  assert.notDeepEqual(randomShardAssignment(keccak_256(SEED), keys, 4n).map(Number), got);
});

test("feature off (mainnet): the election's own assignment, key mod shard count", () => {
  const net: NetworkConfig = {
    ...LOCALNET,
    features: { ...LOCALNET.features, RandomResharding: null },
  };
  const input = localInput([[5n], [6n], [7n]]);
  assert.deepEqual(electShardState(net, input, SEED), computeShardState(net, input));
  assert.equal(MAINNET.features.RandomResharding, null);
  for (const c of electShardState(net, input, SEED).shardState.shards) {
    for (const s of c.slots.slice(6)) assert.equal(shardOfKey(s.blsPublicKey, 2n), c.shardId);
  }
});

test("feature on (localnet epoch 2): winners dealt by the seed, Harmony slots first", () => {
  const input = localInput([[5n], [6n], [7n], [8n], [9n], [10n]]);
  const result = electShardState(LOCALNET, input, SEED);
  const winners = result.winners.map((w) => w.key);
  const shards = oracleAssignment(SEED, winners, 2);
  for (const c of result.shardState.shards) {
    assert.equal(c.slots.length, 9, "6 Harmony + 3 external: the preset's 9");
    assert.deepEqual(
      c.slots.slice(0, 6).map((s) => s.blsPublicKey),
      input.harmonyAccounts.filter((_, i) => i % 2 === Number(c.shardId)).map((a) =>
        a.blsPublicKey
      ),
    );
    const mine = winners.filter((_, i) => shards[i] === Number(c.shardId));
    assert.deepEqual(c.slots.slice(6).map((s) => s.blsPublicKey), mine, "winning order kept");
  }
  // Pre-staking epochs and a reused state are left alone.
  const pre = { ...input, epoch: 1n, currentEpoch: 0n, foundationalAccounts: harmonyAccounts(6) };
  assert.deepEqual(electShardState(LOCALNET, pre, SEED), computeShardState(LOCALNET, pre));
});

type Elect = (config: NetworkConfig, input: ElectionInput, seed: Uint8Array) => ElectionResult;

const stakesArb = fc.array(
  fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 1, maxLength: 3 }),
  { minLength: 1, maxLength: 9 },
);

/** Every winner in exactly one shard, nothing else external. */
function exactlyOnce(elect: Elect, net: NetworkConfig) {
  return fc.property(stakesArb, (stakes) => {
    const r = elect(net, localInput(stakes), SEED);
    if (r.reusedPrevious) return true;
    assert.equal(winnersPlacedOnce(r.shardState, r.winners.map((w) => w.key)), true);
  });
}

const noRandom: NetworkConfig = {
  ...LOCALNET,
  features: { ...LOCALNET.features, RandomResharding: null },
};

test("property: every elected key lands in exactly one shard, under both rules", () => {
  holds(exactlyOnce(electShardState, LOCALNET));
  holds(exactlyOnce(electShardState, noRandom));
  // Broken rule: dealing into the election's committees, which already hold the winners.
  const dealtTwice: Elect = (net, input, seed) => {
    const r = computeShardState(net, input);
    const assigned = randomShardAssignment(seed, r.winners.map((w) => w.key), 2n);
    r.winners.forEach((w, i) => {
      r.shardState.shards[Number(assigned[i])].slots.push({
        ecdsaAddress: w.address,
        blsPublicKey: w.key,
        effectiveStake: w.eposStake,
      });
    });
    return r;
  };
  catches(exactlyOnce(dealtTwice, LOCALNET));
});

/** Random rule: every shard has its Harmony slots plus ⌊W/n⌋ or ⌈W/n⌉ winners, at most the preset. */
function sizesMatch(elect: Elect) {
  const inst = instanceForEpoch(LOCALNET, 2n);
  return fc.property(stakesArb, (stakes) => {
    const r = elect(LOCALNET, localInput(stakes), SEED);
    if (committeeSizesMatch(r.shardState, inst, r.winners.map((x) => x.key)) !== true) return false;
    // Dealt, not placed by key: the winners spread evenly, up to the preset's committee size.
    const n = Number(inst.numShards);
    const w = r.winners.length;
    return r.shardState.shards.every((c) => {
      const ext = c.slots.length - Number(inst.numHarmonyOperatedNodesPerShard);
      const full = w === n * (Number(inst.numNodesPerShard) - 6);
      return c.slots.length <= Number(inst.numNodesPerShard) &&
        (ext === Math.floor(w / n) || ext === Math.ceil(w / n)) &&
        (!full || c.slots.length === Number(inst.numNodesPerShard));
    });
  });
}

test("property: under random resharding, committee sizes match the preset", () => {
  holds(sizesMatch(electShardState));
  // Broken rule: a random shard per key (first rank byte mod n), not dealt: sizes drift.
  const undealt: Elect = (net, input, seed) => {
    const r = computeShardState(net, input);
    const shards = r.shardState.shards.map((c) => ({ ...c, slots: c.slots.slice(0, 6) }));
    for (const w of r.winners) {
      const s = keccak_256(Uint8Array.from([...seed, ...w.key]))[0] % 2;
      shards[s].slots.push({
        ecdsaAddress: w.address,
        blsPublicKey: w.key,
        effectiveStake: w.eposStake,
      });
    }
    return { ...r, shardState: { epoch: input.epoch, shards } };
  };
  catches(sizesMatch(undealt));
});
