/**
 * EPoS election plus voting power, and how it grows with the number of validators.
 *
 * One run elects mainnet's committees at epoch 2200 (2 shards × 200 slots, 2 Harmony slots per
 * shard, HIP-16 limit 11, 396 external slots, c = 0.35) from `n` validators with 10 keys each and
 * `100·n` delegations (summed into each validator's stake inside the election), then computes the
 * voting-power roster of both committees. It is measured for 1,000 validators (10,000 keys,
 * 100,000 delegations) as the baseline and for 2,000, in alternating samples, over seven rounds
 * that each build both inputs afresh (`measureGrowth`). Target: doubling the validators costs at
 * most 2.2×, in the median of the rounds.
 *
 * The work is linear but for one sort of the validators (not of their keys: the auction ranks
 * validators and builds bids only for the slots on offer). Most of the time is reading every
 * delegation and every key once: the stake of each validator is the sum of its 100 delegations,
 * one big-integer addition (and one new big integer) each, which is also most of what an
 * election allocates and so sets how often the young generation is collected; each key is
 * hashed (MurmurHash3, four bytes a step) into the index of keys taken, a typed-array table
 * sized once for every key there is, with no text key per key; and each key's shard is a
 * remainder taken a few bytes at a time (or read off the last bytes when the shard count is a
 * power of two). The two rosters of 200 slots are a fixed cost. Reading the input (some 5 MB of
 * keys and big integers for 1,000 validators) is most of the work, so where the input lies in
 * memory shows in the times: with the inputs built once, the first thing a process does, the
 * ratio came out at 2.3 in runs here where later builds of the same inputs gave 1.7–2.1. The
 * rounds even that out. The host adds its own noise: samples vary by ±15 % under other load.
 *
 * @module
 */
import { MAINNET } from "../spec/params/mod.ts";
import { EPOS_STATUS_ACTIVE } from "../spec/staking/availability.ts";
import {
  computeShardState,
  type ElectionInput,
  type EposCandidate,
} from "../spec/staking/election.ts";
import { computeRoster } from "../spec/staking/voting-power.ts";
import type { Bench } from "./main.ts";
import { measureGrowth, reportGrowth } from "./harness.ts";

const EPOCH = 2200n;
const KEYS_PER_VALIDATOR = 10;
const DELEGATIONS_PER_VALIDATOR = 100;

/** Deterministic pseudo-random bytes (xorshift32), so every run elects the same committees. */
function filler(seed: number): (length: number) => Uint8Array {
  let x = seed || 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

function setup(validators: number): ElectionInput {
  const bytes = filler(validators);
  const zero = { numBlocksToSign: 0n, numBlocksSigned: 0n };
  const candidates: EposCandidate[] = [];
  for (let v = 0; v < validators; v++) {
    const delegations: bigint[] = [];
    for (let d = 0; d < DELEGATIONS_PER_VALIDATOR; d++) {
      delegations.push(100n * 10n ** 18n + BigInt(bytes(3)[0] * 65536 + v * 7 + d) * 10n ** 15n);
    }
    candidates.push({
      address: bytes(20),
      status: EPOS_STATUS_ACTIVE,
      counters: zero,
      snapshot: { epoch: EPOCH - 1n, counters: zero },
      slotPubKeys: Array.from({ length: KEYS_PER_VALIDATOR }, () => bytes(48)),
      lastEpochInCommittee: 0n,
      delegations,
    });
  }
  const harmony = Array.from(
    { length: 4 },
    () => ({ address: bytes(20), blsPublicKey: bytes(48) }),
  );
  return {
    epoch: EPOCH,
    currentEpoch: EPOCH - 1n,
    candidates,
    harmonyAccounts: harmony,
    reservedKeys: harmony.map((a) => a.blsPublicKey),
    foundationalAccounts: [],
    previous: null,
  };
}

function electAndWeigh(input: ElectionInput): number {
  const { shardState } = computeShardState(MAINNET, input);
  let voters = 0;
  for (const committee of shardState.shards) {
    voters += computeRoster(MAINNET, committee, EPOCH).voters.size;
  }
  if (voters !== 400) throw new Error(`benchmark set-up is wrong: ${voters} voters`);
  return voters;
}

/** The benchmark. */
export const bench: Bench = {
  name: "epos",
  run() {
    const growth = measureGrowth(
      [
        { name: "election + voting power, 1,000 validators (baseline)", build: () => setup(1000) },
        { name: "election + voting power, 2,000 validators", build: () => setup(2000) },
      ],
      electAndWeigh,
    );
    return reportGrowth("growth per doubling of validators", growth, { max: 2.2 });
  },
};
