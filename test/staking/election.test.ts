import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { LOCALNET, MAINNET, type NetworkConfig, TESTNET } from "../../spec/params/mod.ts";
import { externalSlotsAvailable, instanceForEpoch } from "../../spec/sharding/schedule.ts";
import type { ShardState } from "../../spec/sharding/shard-state.ts";
import { EPOS_STATUS_BANNED, EPOS_STATUS_INACTIVE } from "../../spec/staking/availability.ts";
import { eposBound } from "../../spec/staking/effective-stake.ts";
import {
  computeShardState,
  type ElectionInput,
  type ElectionResult,
  type EposCandidate,
  type GenesisAccount,
  isEligibleForEposAuction,
  prepareOrders,
  preStakingShardState,
  shardOfKey,
} from "../../spec/staking/election.ts";
import { account, candidate, key, ONE } from "./epos-fixtures.ts";
import { committeeSizesMatch, stakesWithinBand, winnersPlacedOnce } from "../../spec/invariants.ts";

/** Harmony accounts `0xh0 + i` with keys `0xee, i`. */
function harmony(count: number): GenesisAccount[] {
  return Array.from(
    { length: count },
    (_, i) => ({ address: account(0xc0 + i), blsPublicKey: key(0xee, i) }),
  );
}

function input(epoch: bigint, candidates: EposCandidate[], hmy = 64): ElectionInput {
  const accounts = harmony(hmy);
  return {
    epoch,
    currentEpoch: epoch - 1n,
    candidates,
    harmonyAccounts: accounts,
    reservedKeys: accounts.map((a) => a.blsPublicKey),
    foundationalAccounts: [],
    previous: null,
  };
}

test("a key's shard is its 48 bytes read big-endian, modulo the shard count", () => {
  const first = new Uint8Array(48);
  first[0] = 0xff; // 0xff·2^376 ≡ 0 (mod 4); read little-endian it would be 3
  const last = new Uint8Array(48);
  last[47] = 0x03; // 3 (mod 4); read little-endian it would be 0
  assert.equal(shardOfKey(first, 4n), 0n);
  assert.equal(shardOfKey(last, 4n), 3n);
  // 2^376 ≡ 1 (mod 3)
  const top = new Uint8Array(48);
  top[0] = 1;
  assert.equal(shardOfKey(top, 3n), 1n);
});

test("eligibility: status active, and enough signing when in the current committee", () => {
  const c = candidate(account(1), [key(1, 0)], [ONE]);
  assert.equal(isEligibleForEposAuction(MAINNET, c), true);
  assert.equal(isEligibleForEposAuction(MAINNET, { ...c, status: EPOS_STATUS_INACTIVE }), false);
  assert.equal(isEligibleForEposAuction(MAINNET, { ...c, status: EPOS_STATUS_BANNED }), false);
  const inCommittee = { ...c, lastEpochInCommittee: c.snapshot.epoch };
  // Nothing to sign while in the committee: a failure before HIP-32.
  assert.equal(isEligibleForEposAuction(MAINNET, inCommittee), false);
  const hip32 = {
    ...inCommittee,
    snapshot: { ...c.snapshot, epoch: 2152n },
    lastEpochInCommittee: 2152n,
  };
  assert.equal(isEligibleForEposAuction(MAINNET, hip32), true);
  const signed = (s: bigint) => ({
    ...inCommittee,
    counters: { numBlocksToSign: 3n, numBlocksSigned: s },
  });
  assert.equal(isEligibleForEposAuction(MAINNET, signed(2n)), false, "2 of 3 is not more than 2/3");
  assert.equal(isEligibleForEposAuction(MAINNET, signed(3n)), true);
});

test("orders: Harmony keys and earlier validators' keys knock out a whole validator", () => {
  const reserved = [key(0xee, 0)];
  const a = candidate(account(1), [key(1, 0), key(1, 1)], [10n * ONE, 5n * ONE]);
  const b = candidate(account(2), [key(2, 0), key(0xee, 0)], [ONE]); // uses a Harmony key
  const c = candidate(account(3), [key(3, 0), key(2, 0)], [ONE]); // reuses b's first key
  const d = candidate(account(4), [key(4, 0), key(4, 0)], [ONE]); // lists its own key twice
  const e = candidate(account(5), [key(5, 0)], [ONE, 2n, 3n]);
  const orders = prepareOrders(MAINNET, [a, b, c, d, e], reserved, 0n, 4n);
  assert.deepEqual(orders.map((o) => o.address[19]), [1, 5]);
  assert.equal(orders[0].stake, 15n * ONE);
  assert.equal(orders[1].stake, ONE + 5n);
});

test("orders: HIP-16 keeps at most slotsLimit keys of a validator per shard, in key order", () => {
  // Keys ending in 0..5: shards (mod 2) 0,1,0,1,0,1.
  const keys = [0, 1, 2, 3, 4, 5].map((i) => {
    const k = key(7, i);
    k[47] = i;
    return k;
  });
  const v = candidate(account(7), keys, [ONE]);
  const limited = prepareOrders(MAINNET, [v], [], 2n, 2n)[0].keys;
  assert.deepEqual(limited.map((k) => k[47]), [0, 1, 2, 3]);
  assert.equal(prepareOrders(MAINNET, [v], [], 0n, 2n)[0].keys.length, 6);
});

test("pre-staking: slot j of shard i is Harmony account i + j·n, then foundational i + (j − h)·n", () => {
  const instance = instanceForEpoch(LOCALNET, 0n); // 2 shards × 9 slots, 6 Harmony
  const fn = Array.from(
    { length: 6 },
    (_, i) => ({ address: account(0x50 + i), blsPublicKey: key(0x50, i) }),
  );
  const state = preStakingShardState(instance, harmony(12), fn);
  assert.equal(state.epoch, null);
  assert.deepEqual(
    state.shards.map((c) => c.slots.map((s) => s.ecdsaAddress[19])),
    [
      [0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xca, 0x50, 0x52, 0x54],
      [0xc1, 0xc3, 0xc5, 0xc7, 0xc9, 0xcb, 0x51, 0x53, 0x55],
    ],
  );
  assert.throws(() => preStakingShardState(instance, harmony(11), fn), {
    code: "epos/too-few-harmony-accounts",
  });
  assert.throws(() => preStakingShardState(instance, harmony(12), fn.slice(0, 5)), {
    code: "epos/too-few-foundational-accounts",
  });
});

test("staking election on localnet: Harmony slots first, winners appended by key, epoch set", () => {
  // Localnet epoch 3: 2 shards × 9 slots, 6 Harmony → 6 external slots, c = 0.35.
  const cands = [1, 2, 3, 4].map((a) =>
    candidate(account(a), [key(a, 0), key(a, 1)], [BigInt(a) * 100n * ONE])
  );
  // Make key shards explicit: key(a, i) ends in a + i.
  for (const c of cands) c.slotPubKeys.forEach((k, i) => (k[47] = c.address[19] + i));
  const r = computeShardState(LOCALNET, input(3n, cands));
  assert.equal(r.shardState.epoch, 3n);
  assert.equal(r.winners.length, 6);
  // Bids: 4→200 ×2, 3→150 ×2, 2→100 ×2, 1→50 ×2; six win; median (150 + 150)/2 = 150.
  assert.deepEqual(r.winners.map((w) => w.address[19]), [4, 4, 3, 3, 2, 2]);
  assert.equal(r.median.mantissa, 150n * ONE * ONE);
  for (const shard of r.shardState.shards) {
    assert.equal(shard.slots.slice(0, 6).every((s) => s.effectiveStake === null), true);
    for (const s of shard.slots.slice(6)) {
      assert.equal(BigInt(s.blsPublicKey[47]) % 2n, shard.shardId);
    }
  }
  // 200 is clamped to 1.35 × 150 = 202.5? No: 200 < 202.5 stays; 100 is raised to 0.65 × 150 = 97.5 → stays 100.
  assert.deepEqual(
    r.winners.map((w) => w.eposStake.mantissa / ONE),
    [200n, 200n, 150n, 150n, 100n, 100n].map((x) => x * ONE),
  );
});

test("nobody wins: the previous shard state is reused with the new epoch, unless there is none", () => {
  const previous: ShardState = { epoch: 2n, shards: [{ shardId: 0n, slots: [] }] };
  const r = computeShardState(LOCALNET, { ...input(3n, []), previous });
  assert.equal(r.reusedPrevious, true);
  assert.deepEqual(r.shardState, { epoch: 3n, shards: previous.shards });
  assert.throws(() => computeShardState(LOCALNET, input(3n, [])), {
    code: "epos/no-previous-shard-state",
  });
  // Testnet's exception: shard count 4 → 2 at epoch 486; the Harmony-only committees are kept.
  const t = computeShardState(TESTNET, input(486n, []));
  assert.equal(t.reusedPrevious, false);
  assert.equal(t.shardState.shards.length, 2);
});

test("an epoch before the current one cannot be elected; pre-staking epochs have no epoch field", () => {
  assert.throws(() => computeShardState(LOCALNET, { ...input(3n, []), currentEpoch: 4n }), {
    code: "epos/epoch-in-past",
  });
});

// --- properties -----------------------------------------------------------------------------------

const candidatesArb = fc.uniqueArray(
  fc.record({
    a: fc.integer({ min: 1, max: 60 }),
    keys: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 4 }),
    stake: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 25n }), fc.constantFrom(ONE, 2n * ONE)),
  }),
  { selector: (c) => c.a, maxLength: 30 },
).map((cs) =>
  cs.map((c) => {
    // Distinct keys per validator (no conflicts): first byte = account, last byte random.
    const keys = [...new Set(c.keys)].map((b, i) => {
      const k = key(c.a, i);
      k[47] = b;
      return k;
    });
    return candidate(account(c.a), keys, [c.stake]);
  })
);

type Elect = (config: NetworkConfig, input: ElectionInput) => ElectionResult;
const ELECTED_EPOCH: [NetworkConfig, bigint][] = [[MAINNET, 2200n], [MAINNET, 700n], [
  LOCALNET,
  3n,
]];
const presetArb = fc.constantFrom(...ELECTED_EPOCH);

/**
 * Every winner sits in exactly one shard, the one its key selects; the committees have the
 * preset's shape; without a slot limit the auction sells every open slot it has bids for.
 */
function assignmentIsSound(elect: Elect) {
  return fc.property(candidatesArb, presetArb, (cands, [config, epoch]) => {
    const r = elect(config, { ...input(epoch, cands, 200), previous: { epoch: 0n, shards: [] } });
    if (r.reusedPrevious) return r.winners.length === 0;
    const inst = instanceForEpoch(config, epoch);
    const keys = r.winners.map((w) => w.key);
    if (winnersPlacedOnce(r.shardState, keys) !== true) return false;
    if (committeeSizesMatch(r.shardState, inst, keys) !== true) return false;
    for (const shard of r.shardState.shards) {
      for (const s of shard.slots.slice(Number(inst.numHarmonyOperatedNodesPerShard))) {
        if (BigInt("0x" + toHex(s.blsPublicKey)) % inst.numShards !== shard.shardId) return false;
      }
    }
    let bids = 0n;
    for (const c of cands) bids += BigInt(Math.min(c.slotPubKeys.length, 1000));
    const external = externalSlotsAvailable(inst);
    const expectedWinners = inst.slotsLimit === 0n ? (bids < external ? bids : external) : null;
    return expectedWinners === null || BigInt(r.winners.length) === expectedWinners;
  });
}

/** Shuffling conflict-free candidates does not change the result. */
function shuffleInvariant(elect: Elect) {
  return fc.property(
    candidatesArb,
    presetArb,
    fc.integer({ min: 0, max: 1000 }),
    (cands, [config, epoch], seed) => {
      const shuffled = cands.slice().sort((x, y) =>
        ((x.address[19] * 31 + seed) % 61) - ((y.address[19] * 31 + seed) % 61)
      );
      const a = elect(config, {
        ...input(epoch, cands, 200),
        previous: { epoch: 0n, shards: [] },
      });
      const b = elect(config, {
        ...input(epoch, shuffled, 200),
        previous: { epoch: 0n, shards: [] },
      });
      return JSON.stringify(a, big) === JSON.stringify(b, big);
    },
  );
}

/** Every elected slot's effective stake is within the EPoS band around the median. */
function stakesInBand(elect: Elect) {
  return fc.property(candidatesArb, presetArb, (cands, [config, epoch]) => {
    const r = elect(config, { ...input(epoch, cands, 200), previous: { epoch: 0n, shards: [] } });
    const stakes = r.shardState.shards.flatMap((shard) =>
      shard.slots.flatMap((s) => s.effectiveStake === null ? [] : [s.effectiveStake])
    );
    return stakesWithinBand(stakes, r.median, eposBound(config, epoch)) === true;
  });
}

function big(_k: string, v: unknown) {
  return typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? toHex(v) : v;
}

test("property: every elected key lands in exactly one shard, and committee sizes match the preset", () => {
  holds(assignmentIsSound(computeShardState), 60);
  // Broken rule: shard by the key's first byte.
  catches(
    assignmentIsSound((config, inp) => {
      const r = computeShardState(config, inp);
      const n = BigInt(r.shardState.shards.length);
      const h = Number(instanceForEpoch(config, inp.epoch).numHarmonyOperatedNodesPerShard);
      const shards = r.shardState.shards.map((c) => ({ ...c, slots: c.slots.slice(0, h) }));
      for (const w of r.winners) {
        shards[Number(BigInt(w.key[0]) % n)].slots.push({
          ecdsaAddress: w.address,
          blsPublicKey: w.key,
          effectiveStake: w.eposStake,
        });
      }
      return { ...r, shardState: { ...r.shardState, shards } };
    }),
    200,
  );
  // Broken rule: every shard's Harmony slots put in shard 0.
  catches(
    assignmentIsSound((config, inp) => {
      const r = computeShardState(config, inp);
      const h = Number(instanceForEpoch(config, inp.epoch).numHarmonyOperatedNodesPerShard);
      const harmony = r.shardState.shards.flatMap((c) => c.slots.slice(0, h));
      const shards = r.shardState.shards.map((c, i) => ({
        ...c,
        slots: [...(i === 0 ? harmony : []), ...c.slots.slice(h)],
      }));
      return { ...r, shardState: { ...r.shardState, shards } };
    }),
    20,
  );
});

test("property: the election depends on the candidates, not on their order", () => {
  holds(shuffleInvariant(computeShardState), 60);
  // Broken rule: winners taken in candidate order instead of by stake.
  catches(
    shuffleInvariant((config, inp) => {
      const inst = instanceForEpoch(config, inp.epoch);
      const winners = inp.candidates.flatMap((c) => c.slotPubKeys.map((k) => ({ a: c.address, k })))
        .slice(0, Number(externalSlotsAvailable(inst)));
      return { ...computeShardState(config, inp), winners: winners as never };
    }),
    200,
  );
});

test("property: elected stakes lie within the band around the median", () => {
  holds(stakesInBand(computeShardState), 60);
  // Broken rule: raw stakes elected without clamping.
  catches(
    stakesInBand((config, inp) => {
      const r = computeShardState(config, inp);
      const raw = new Map(r.winners.map((w) => [toHex(w.key), w.rawStake]));
      const shards = r.shardState.shards.map((c) => ({
        ...c,
        slots: c.slots.map((s) =>
          s.effectiveStake === null ? s : { ...s, effectiveStake: raw.get(toHex(s.blsPublicKey))! }
        ),
      }));
      return { ...r, shardState: { ...r.shardState, shards } };
    }),
    200,
  );
});

// --- the fast paths against plain restatements -------------------------------------------------

test("property: a key's shard is the big-endian integer of its bytes modulo the shard count", () => {
  const plain = (k: Uint8Array, n: bigint) => BigInt("0x" + (toHex(k) || "0")) % n;
  const agrees = (shard: (k: Uint8Array, n: bigint) => bigint) =>
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 50 }),
      fc.oneof(
        fc.bigInt({ min: 1n, max: 40n }),
        fc.constantFrom(1n, 2n, 4n, 1n << 15n, (1n << 15n) + 1n, 1n << 30n, (1n << 32n) - 1n),
        fc.bigInt({ min: 1n, max: (1n << 32n) - 1n }),
      ),
      (k, n) => shard(k, n) === plain(k, n),
    );
  holds(agrees(shardOfKey));
  // Broken rule: the bytes read little-endian.
  catches(agrees((k, n) => shardOfKey(k.slice().reverse(), n)));
});

/**
 * Go's `prepareOrders` restated plainly: the taken keys in a set of hex strings, the keys counted
 * per shard in a map, the stake summed with the order of the delegations.
 */
function plainOrders(
  config: NetworkConfig,
  candidates: EposCandidate[],
  reserved: Uint8Array[],
  limit: bigint,
  shards: bigint,
) {
  const taken = new Set(reserved.map(toHex));
  const orders = [];
  for (const c of candidates) {
    if (!isEligibleForEposAuction(config, c)) continue;
    const counts = new Map<bigint, bigint>();
    const keys = [];
    let skip = false;
    for (const k of c.slotPubKeys) {
      if (taken.has(toHex(k))) {
        skip = true;
        continue;
      }
      taken.add(toHex(k));
      const shard = BigInt("0x" + toHex(k)) % shards;
      const counted = counts.get(shard) ?? 0n;
      if (limit === 0n || counted < limit) keys.push(k);
      counts.set(shard, counted + 1n);
    }
    if (skip) continue;
    orders.push({ address: c.address, stake: c.delegations.reduce((a, b) => a + b, 0n), keys });
  }
  return orders;
}

/** Candidates whose keys often clash with each other's and with the reserved ones. */
const clashingCandidates = fc.array(
  fc.record({
    keys: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 5 }),
    stakes: fc.array(fc.bigInt({ min: 0n, max: 10n ** 24n }), { maxLength: 4 }),
    banned: fc.boolean(),
  }),
  { maxLength: 12 },
).map((cs) =>
  cs.map((c, i) =>
    candidate(
      account(i + 1),
      c.keys.map((b) => key(0x40 + (b % 3), b)),
      c.stakes,
      c.banned ? EPOS_STATUS_BANNED : undefined,
    )
  )
);

function ordersMatchGo(orders: typeof prepareOrders) {
  return fc.property(
    clashingCandidates,
    fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 3 }),
    fc.constantFrom(0n, 1n, 2n),
    fc.constantFrom(1n, 2n, 3n, 4n),
    (cands, reservedBytes, limit, shards) => {
      const reserved = reservedBytes.map((b) => key(0x40 + (b % 3), b));
      const got = orders(MAINNET, cands, reserved, limit, shards);
      const want = plainOrders(MAINNET, cands, reserved, limit, shards);
      return JSON.stringify(got, big) === JSON.stringify(want, big);
    },
  );
}

test("property: the auction's orders are those of Go's prepareOrders, restated plainly", () => {
  holds(ordersMatchGo(prepareOrders));
  // Broken rule: the reserved keys not taken from the start.
  catches(
    ordersMatchGo((config, cands, _reserved, limit, shards) =>
      prepareOrders(config, cands, [], limit, shards)
    ),
  );
  // Broken rule: a skipped validator's new keys given back.
  catches(ordersMatchGo((config, cands, reserved, limit, shards) => {
    const out = [];
    let taken = reserved;
    for (const c of cands) {
      const before = prepareOrders(config, [c], taken, limit, shards);
      out.push(...before);
      if (before.length > 0) taken = [...taken, ...c.slotPubKeys];
    }
    return out;
  }));
});
