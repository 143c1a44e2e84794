/**
 * Block-reward distribution, and how it grows with the number of validators.
 *
 * One beacon block of mainnet epoch 400 (7 ONE per block, every block pays, Harmony 68 %) is
 * distributed: its parent's committee of 250 keys, each held by its own validator with 100
 * delegations and a 10 % commission, 90 % of the keys signing. That means counting the
 * signatures, the roster, every signer's due by voting power, and `AddReward` per key (commission
 * plus 100 delegator shares). It is measured for 250 validators (the baseline) and for 500 (a
 * 500-key committee), in alternating samples, over seven rounds that each build both inputs
 * afresh (`measureGrowth`). Target: doubling the validators costs at most 2.2×, in the median of
 * the rounds.
 *
 * For information, the next doubling (500 to 1,000 keys) is measured too, and a reward block of
 * the aggregated era (mainnet epoch 1000, today's rule): its window of 64 beacon blocks signed by
 * the same committee, for 250 and 500 keys, reported per block.
 *
 * Every step is linear in keys and delegations: one roster, one pass over the signers, and per
 * key one `AddReward`. Per delegation that is its credit `RoundInt(share · pool)` (one product
 * and its half-to-even rounding by 10^18: a division and a remainder) and one new delegation
 * record. The shares themselves, `Quo(amount, total)`, are worked out once per snapshot, as Go
 * caches them for the epoch: every block of an epoch pays by the same table, so an op here (after
 * the warm-up) is a block in the middle of an epoch.
 *
 * The collector is what can make it grow faster than that. A block's new delegation records
 * (about 90 bytes each with their reward) stay alive until the block is done, so each young collection
 * that falls inside a block copies the records made so far, and a larger block has both more
 * collections and more to copy at each. `AddReward` therefore builds each record with a literal,
 * which V8 learns to allocate straight into the old generation; built by a spread, the records
 * were copied by every young collection, and the same block took 7.6, 15.4, 38 and 94 ms at 250,
 * 500, 1,000 and 2,000 keys (0.6, 1.3, 10.5 and 37 ms of it collecting), against 6.5, 13.9, 30
 * and 72 ms (0.25, 0.8, 3.0 and 9.1 ms) with the literal, measured one size per process with V8's
 * collector trace. What grows beyond 2× at 2,000 keys (2.4×) is the old generation's marking and
 * the input outgrowing the caches. About 260 bytes are allocated per delegation, of which
 * `AddReward`'s product, quotient, remainder, sums and record are over 200.
 *
 * @module
 */
import { blsMaskFromIndices } from "../spec/crypto/bls-mask.ts";
import { decFromInt, decFromString } from "../spec/numeric/decimal.ts";
import { MAINNET } from "../spec/params/mod.ts";
import type { Committee } from "../spec/sharding/shard-state.ts";
import { accumulateRewardsAndCountSigs, type BlockRewardInput } from "../spec/staking/rewards.ts";
import type { ValidatorWrapper } from "../spec/staking/validator.ts";
import type { Bench } from "./main.ts";
import { measureGrowth, report, reportGrowth } from "./harness.ts";
import { ONE } from "../spec/staking/validator.ts";

const DELEGATIONS = 100;

/** A deterministic 20-byte address or 48-byte key from a number and a tag. */
function bytesOf(length: number, tag: number, n: number): Uint8Array {
  const out = new Uint8Array(length);
  out[0] = tag;
  out[1] = (n >> 16) & 0xff;
  out[2] = (n >> 8) & 0xff;
  out[3] = n & 0xff;
  return out;
}

function wrapper(v: number): ValidatorWrapper {
  const address = bytesOf(20, 0xaa, v);
  const delegations = Array.from({ length: DELEGATIONS }, (_, d) => ({
    delegatorAddress: d === 0 ? address : bytesOf(20, 0xdd, v * DELEGATIONS + d),
    amount: BigInt(1000 + ((v * 7 + d * 13) % 997)) * ONE,
    reward: 0n,
    undelegations: [],
  }));
  return {
    validator: {
      address,
      slotPubKeys: [bytesOf(48, 0xbb, v)],
      lastEpochInCommittee: 399n,
      minSelfDelegation: 10_000n * ONE,
      maxTotalDelegation: 10n ** 30n,
      status: 1,
      commission: {
        rates: {
          rate: decFromString("0.1"),
          maxRate: decFromString("0.5"),
          maxChangeRate: decFromString("0.1"),
        },
        updateHeight: 0n,
      },
      description: {
        name: new Uint8Array(),
        identity: new Uint8Array(),
        website: new Uint8Array(),
        securityContact: new Uint8Array(),
        details: new Uint8Array(),
      },
      creationHeight: 0n,
    },
    delegations,
    counters: { numBlocksToSign: 0n, numBlocksSigned: 0n },
    blockReward: 0n,
  };
}

function setup(validators: number, epoch: bigint, windowLength: number): BlockRewardInput {
  const ws = Array.from({ length: validators }, (_, v) => wrapper(v));
  const committee: Committee = {
    shardId: 0n,
    slots: ws.map((w, v) => ({
      ecdsaAddress: w.validator.address,
      blsPublicKey: w.validator.slotPubKeys[0],
      effectiveStake: decFromInt(BigInt(100_000 + (v % 50) * 1_000) * ONE),
    })),
  };
  // Every tenth key misses the block.
  const signing = ws.map((_, i) => i).filter((i) => i % 10 !== 3);
  const bitmap = blsMaskFromIndices(validators, signing);
  const signatures = Array.from({ length: windowLength }, (_, i) => ({
    parent: { shardId: 0n, epoch, blockNumber: BigInt(i), bitmap, committee },
    crossLinks: [],
  }));
  return {
    config: MAINNET,
    shardId: 0n,
    blockNumber: epoch === 400n ? 7_000_000n : 6_324_224n + 64n * 100n + 63n,
    epoch,
    signatures,
    validators: ws,
    snapshots: ws.map((wrapper) => ({ epoch, wrapper })),
  };
}

function distribute(input: BlockRewardInput): bigint {
  const out = accumulateRewardsAndCountSigs(input);
  if (out.total === 0n) throw new Error("benchmark set-up is wrong: nothing paid");
  return out.total;
}

/** Prints a figure reported for information (no target). */
function information(label: string, value: string): void {
  console.log(`  ${`${label} (information)`.padEnd(56)} ${value.padStart(10)}`);
}

/** The benchmark. */
export const bench: Bench = {
  name: "rewards",
  run() {
    const growthOf = (
      labels: [string, string],
      sizes: [number, number],
      build: (validators: number) => BlockRewardInput,
    ) =>
      measureGrowth(
        [
          { name: labels[0], build: () => build(sizes[0]) },
          { name: labels[1], build: () => build(sizes[1]) },
        ],
        distribute,
      );
    const oneBlock = (validators: number) => setup(validators, 400n, 1);
    const perBlock = growthOf(
      ["one block, 250 keys × 100 delegations (baseline)", "one block, 500 keys × 100 delegations"],
      [250, 500],
      oneBlock,
    );
    const next = growthOf(
      ["one block, 500 keys × 100 delegations", "one block, 1,000 keys × 100 delegations"],
      [500, 1000],
      oneBlock,
    );
    const window = growthOf(
      ["aggregated window of 64 blocks, 250 keys", "aggregated window of 64 blocks, 500 keys"],
      [250, 500],
      (validators) => setup(validators, 1000n, 64),
    );
    report(next.larger);
    information("one block, growth from 500 to 1,000 keys", `${next.ratio.toFixed(2)}×`);
    report(window.base);
    report(window.larger);
    information(
      "aggregated window, 250 keys, per block",
      `${(window.base.msPerOp / 64).toFixed(3)} ms`,
    );
    information("aggregated window, growth per doubling", `${window.ratio.toFixed(2)}×`);
    return reportGrowth("growth per doubling of validators", perBlock, { max: 2.2 });
  },
};
