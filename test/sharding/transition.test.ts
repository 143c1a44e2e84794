/**
 * The epoch transition: expected shard states built by hand and encoded with `@ethereumjs/rlp`
 * (the fixed committees of `preStakingEnabledCommittee`, an EPoS election whose outcome is plain
 * by construction, and a localnet election re-dealt by the seed); Go's gaps (an empty field, a
 * non-last beacon block carrying `0xc0`); the non-beacon shards' following of the beacon chain;
 * the next block's epoch; committee contexts; and the property that the shard state hash changes
 * iff the committees (in shard order, empty ones aside) change, shown to catch a broken hash.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type Header, newHeaderAt } from "../../spec/chain/header.ts";
import { bigintToBytes, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { LOCALNET, MAINNET, type NetworkConfig, TESTNET } from "../../spec/params/mod.ts";
import { lastBlockOfEpoch } from "../../spec/sharding/schedule.ts";
import { type ShardState, shardStateHash } from "../../spec/sharding/shard-state.ts";
import {
  type BeaconView,
  committeeContext,
  EMPTY_SHARD_STATE,
  nextBlockEpoch,
  shardStateEncoding,
  shardStateFields,
  shardStateStorageEpoch,
  superCommitteeForNextEpoch,
  type TransitionSources,
  verifyShardState,
} from "../../spec/sharding/transition.ts";
import type { ElectionInput, EposCandidate, GenesisAccount } from "../../spec/staking/election.ts";
import { catches, holds } from "../support/property.ts";
import { candidate, ONE } from "../staking/epos-fixtures.ts";
import { account, harmonyAccounts, key48, WORLD_STATE } from "./xlink-world.ts";

function rejects(fn: () => unknown, code: SpecErrorCode): void {
  assert.throws(fn, (e) => isSpecError(e, code), `expected ${code}`);
}

function header(config: NetworkConfig, fields: Partial<Header>): Header {
  return { ...newHeaderAt(config, fields.epoch ?? 0n), ...fields };
}

const NO_BEACON: BeaconView = { headEpoch: 0n, headIsLastInEpoch: false, shardStates: new Map() };
const SEED = keccak_256(Uint8Array.of(7));

/** Legacy RLP `[[shardID, [[address, key]...]]...]` of committees given as account lists. */
function legacyRlp(shards: GenesisAccount[][]): Uint8Array {
  return RLP.encode(
    shards.map((
      slots,
      i,
    ) => [bigintToBytes(BigInt(i)), slots.map((a) => [a.address, a.blsPublicKey])]),
  );
}

/** Staking RLP of committees of `[account, key, stake or null]`. */
function stakingRlp(
  epoch: bigint,
  shards: [Uint8Array, Uint8Array, bigint | null][][],
): Uint8Array {
  return RLP.encode([
    bigintToBytes(epoch),
    shards.map((slots, i) => [
      bigintToBytes(BigInt(i)),
      slots.map(([a, k, s]) => [a, k, s === null ? [] : [bigintToBytes(s)]]),
    ]),
  ]);
}

// Testnet: epochs 0 and 1 have 38 blocks; V0 (4 shards × 8 Harmony slots) before Staking (2).
const TN_HMY = harmonyAccounts(32);
/** Testnet's fixed committees: slot j of shard i is Harmony account i + 4j. */
const TN_FIXED = legacyRlp(
  [0, 1, 2, 3].map((i) => Array.from({ length: 8 }, (_, j) => TN_HMY[i + 4 * j])),
);

function tnInput(epoch: bigint, candidates: EposCandidate[]): ElectionInput {
  return {
    epoch,
    currentEpoch: epoch - 1n,
    candidates,
    harmonyAccounts: TN_HMY,
    reservedKeys: TN_HMY.map((a) => a.blsPublicKey),
    foundationalAccounts: [],
    previous: null,
  };
}

test("beacon, pre-staking: the last block of testnet epoch 0 carries the fixed committees", () => {
  const h = header(TESTNET, { shardId: 0n, epoch: 0n, number: 37n, shardState: TN_FIXED });
  const sources: TransitionSources = {
    beacon: NO_BEACON,
    election: { input: tnInput(1n, []), seed: SEED },
  };
  const state = superCommitteeForNextEpoch(TESTNET, h, sources, true);
  assert.deepEqual(shardStateEncoding(TESTNET, state), TN_FIXED);
  verifyShardState(TESTNET, 0n, h, sources);
  rejects(
    () => verifyShardState(TESTNET, 0n, { ...h, shardState: TN_FIXED.slice(0, -1) }, sources),
    "transition/shard-state-mismatch",
  );
  rejects(
    () => verifyShardState(TESTNET, 0n, h, { beacon: NO_BEACON, election: null }),
    "transition/election-missing",
  );
  rejects(
    () =>
      verifyShardState(TESTNET, 0n, h, {
        beacon: NO_BEACON,
        election: { input: tnInput(2n, []), seed: SEED },
      }),
    "transition/election-missing",
  );
  rejects(() => verifyShardState(TESTNET, 1n, h, sources), "transition/wrong-shard");
});

test("beacon, staking: the last block of testnet epoch 1 carries the EPoS committees of epoch 2", () => {
  // Three validators with one key each and equal stakes: all win, effective stake = stake; each
  // key goes to shard (last byte mod 4), after the shard's 8 Harmony slots.
  const keys = [key48(1, 6), key48(2, 1), key48(3, 6)];
  const cands = keys.map((k, i) => candidate(account(10 + i), [k], [10_000n * ONE]));
  const h = header(TESTNET, { shardId: 0n, epoch: 1n, number: lastBlockOfEpoch(TESTNET, 1n) });
  const sources: TransitionSources = {
    beacon: NO_BEACON,
    election: { input: tnInput(2n, cands), seed: SEED },
  };
  const shards = [0, 1, 2, 3].map((i) => {
    const slots: [Uint8Array, Uint8Array, bigint | null][] = Array.from({ length: 8 }, (_, j) => [
      TN_HMY[i + 4 * j].address,
      TN_HMY[i + 4 * j].blsPublicKey,
      null,
    ]);
    keys.forEach((k, c) => {
      if (k[47] % 4 === i) slots.push([account(10 + c), k, 10_000n * ONE * 10n ** 18n]);
    });
    return slots;
  });
  const expected = stakingRlp(2n, shards);
  assert.deepEqual(
    shardStateEncoding(TESTNET, superCommitteeForNextEpoch(TESTNET, h, sources, false)),
    expected,
  );
  verifyShardState(TESTNET, 0n, { ...h, shardState: expected }, sources);
});

test("beacon, localnet epoch 2: RandomResharding deals the winners by the seed", () => {
  const hmy = harmonyAccounts(12);
  const keys = [0, 1, 2, 3, 4, 5].map((i) => key48(i, 2 * i)); // all even: key mod 2 = 0
  const input: ElectionInput = {
    epoch: 2n,
    currentEpoch: 1n,
    candidates: keys.map((k, i) => candidate(account(10 + i), [k], [1000n * ONE])),
    harmonyAccounts: hmy,
    reservedKeys: hmy.map((a) => a.blsPublicKey),
    foundationalAccounts: [],
    previous: null,
  };
  // The dealing restated: ranks Keccak-256(seed ‖ key), position p to shard p mod 2.
  const rank = (k: Uint8Array) => toHex(keccak_256(Uint8Array.from([...SEED, ...k])));
  const order = keys.map((k, i) => ({ i, r: rank(k) })).sort((a, b) => (a.r < b.r ? -1 : 1));
  const shardOf = new Map(order.map((e, p) => [e.i, p % 2]));
  const shards = [0, 1].map((s) => {
    const slots: [Uint8Array, Uint8Array, bigint | null][] = Array.from({ length: 6 }, (_, j) => [
      hmy[s + 2 * j].address,
      hmy[s + 2 * j].blsPublicKey,
      null,
    ]);
    keys.forEach((k, i) => {
      if (shardOf.get(i) === s) slots.push([account(10 + i), k, 1000n * ONE * 10n ** 18n]);
    });
    return slots;
  });
  const h = header(LOCALNET, { shardId: 0n, epoch: 1n, number: lastBlockOfEpoch(LOCALNET, 1n) });
  const sources: TransitionSources = { beacon: NO_BEACON, election: { input, seed: SEED } };
  verifyShardState(LOCALNET, 0n, { ...h, shardState: stakingRlp(2n, shards) }, sources);
});

test("Go's gaps: an empty field always passes; a non-last beacon block may carry 0xc0", () => {
  const h = header(TESTNET, { shardId: 0n, epoch: 0n, number: 20n });
  const sources: TransitionSources = { beacon: NO_BEACON, election: null };
  verifyShardState(TESTNET, 0n, h, sources);
  verifyShardState(TESTNET, 0n, { ...h, number: 37n }, sources); // a withheld state
  verifyShardState(TESTNET, 0n, { ...h, shardState: Uint8Array.of(0xc0) }, sources);
  rejects(
    () => verifyShardState(TESTNET, 0n, { ...h, shardState: TN_FIXED }, sources),
    "transition/shard-state-mismatch",
  );
  assert.deepEqual(superCommitteeForNextEpoch(TESTNET, h, sources, false), EMPTY_SHARD_STATE);
});

// Mainnet, staking era: the beacon chain stored the state of epoch 1001.
const NEXT: ShardState = { ...WORLD_STATE, epoch: 1001n };
const NEXT_BYTES = shardStateEncoding(MAINNET, NEXT);

test("other shards: verify against the beacon's stored state for the epoch they claim", () => {
  const beacon: BeaconView = {
    headEpoch: 1001n,
    headIsLastInEpoch: false,
    shardStates: new Map([[1001n, NEXT]]),
  };
  const h = header(MAINNET, {
    shardId: 2n,
    epoch: 1000n,
    number: 123456789n,
    shardState: NEXT_BYTES,
  });
  verifyShardState(MAINNET, 2n, h, { beacon, election: null });
  const other = shardStateEncoding(MAINNET, { ...NEXT, shards: NEXT.shards.slice(1) });
  rejects(
    () => verifyShardState(MAINNET, 2n, { ...h, shardState: other }, { beacon, election: null }),
    "transition/shard-state-mismatch",
  );
  const unknown: BeaconView = { ...beacon, shardStates: new Map() };
  rejects(
    () => verifyShardState(MAINNET, 2n, h, { beacon: unknown, election: null }),
    "transition/beacon-state-unknown",
  );
  // A state claiming the shard's own epoch: nothing is due, so any content mismatches.
  const same = shardStateEncoding(MAINNET, { ...NEXT, epoch: 1000n });
  rejects(
    () => verifyShardState(MAINNET, 2n, { ...h, shardState: same }, { beacon, election: null }),
    "transition/shard-state-mismatch",
  );
  rejects(
    () =>
      verifyShardState(MAINNET, 2n, { ...h, shardState: Uint8Array.of(1) }, {
        beacon,
        election: null,
      }),
    "encoding/rlp-expected-list",
  );
});

test("other shards: propose the beacon's state once the beacon head has moved on", () => {
  const stored = new Map([[1001n, NEXT]]);
  const h = header(MAINNET, { shardId: 3n, epoch: 1000n, number: 5n });
  const at = (headEpoch: bigint, last: boolean) =>
    superCommitteeForNextEpoch(MAINNET, h, {
      beacon: { headEpoch, headIsLastInEpoch: last, shardStates: stored },
      election: null,
    }, false);
  assert.deepEqual(at(1000n, false), EMPTY_SHARD_STATE);
  assert.deepEqual(at(1000n, true), NEXT);
  assert.deepEqual(at(1001n, false), NEXT);
  assert.deepEqual(shardStateFields(MAINNET, 1000n, NEXT), {
    shardState: NEXT_BYTES,
    shardStateHash: new Uint8Array(32),
  });
  assert.deepEqual(
    shardStateFields(MAINNET, 1000n, EMPTY_SHARD_STATE).shardState,
    new Uint8Array(0),
  );
});

test("other shards before staking compute the fixed committees on the epoch's last block", () => {
  const h = header(TESTNET, { shardId: 1n, epoch: 0n, number: 37n, shardState: TN_FIXED });
  const sources: TransitionSources = {
    beacon: NO_BEACON,
    election: { input: tnInput(1n, []), seed: SEED },
  };
  verifyShardState(TESTNET, 1n, h, sources);
  rejects(
    () => verifyShardState(TESTNET, 1n, { ...h, number: 36n }, sources),
    "transition/shard-state-mismatch",
  );
  // Headers before PreStaking also carry the state's hash.
  const fields = shardStateFields(
    TESTNET,
    0n,
    superCommitteeForNextEpoch(TESTNET, h, sources, false),
  );
  assert.deepEqual(fields.shardState, TN_FIXED);
  const perShard = [0, 1, 2, 3].map((i) =>
    keccak_256(
      Uint8Array.from(
        Array.from({ length: 8 }, (_, j) => TN_HMY[i + 4 * j]).flatMap((
          a,
        ) => [...a.address, ...a.blsPublicKey]),
      ),
    )
  );
  assert.deepEqual(
    fields.shardStateHash,
    keccak_256(Uint8Array.from(perShard.flatMap((x) => [...x]))),
  );
});

test("the next block's epoch (Go GetNewEpoch) and where a state is stored", () => {
  const plain = header(MAINNET, { epoch: 1000n, number: 10n });
  assert.equal(nextBlockEpoch(MAINNET, plain), 1000n);
  assert.equal(nextBlockEpoch(MAINNET, { ...plain, shardState: NEXT_BYTES }), 1001n);
  // A staking state decides the epoch, even when it jumps (a shard catching up).
  const jump = shardStateEncoding(MAINNET, { ...NEXT, epoch: 1005n });
  assert.equal(nextBlockEpoch(MAINNET, { ...plain, shardState: jump }), 1005n);
  assert.equal(shardStateStorageEpoch(MAINNET, { ...plain, shardState: jump }), 1005n);
  // A legacy state: the count rule, except after block 0.
  const legacy = header(TESTNET, { epoch: 0n, number: 37n, shardState: TN_FIXED });
  assert.equal(nextBlockEpoch(TESTNET, legacy), 1n);
  assert.equal(nextBlockEpoch(TESTNET, { ...legacy, number: 0n }), 0n);
  assert.equal(shardStateStorageEpoch(TESTNET, legacy), 1n);
  assert.equal(shardStateStorageEpoch(TESTNET, { ...legacy, shardState: new Uint8Array(0) }), 0n);
  // Go ignores an undecodable state when choosing the epoch: the count rule applies.
  assert.equal(nextBlockEpoch(MAINNET, { ...plain, shardState: Uint8Array.of(1) }), 1001n);
});

test("committee contexts: uniform before Staking, staked roster after, unknown refused", () => {
  const history = new Map([[185n, { ...WORLD_STATE, epoch: null }], [1000n, WORLD_STATE]]);
  const pre = committeeContext(MAINNET, history, 1n, 185n);
  assert.equal(pre.policy.kind, "uniform");
  assert.equal(pre.slots.length, 8);
  const post = committeeContext(MAINNET, history, 1n, 1000n);
  assert.equal(post.policy.kind, "staked");
  if (post.policy.kind === "staked") {
    const powers = [...post.policy.roster.voters.values()].map((v) => v.overallPercent.mantissa);
    assert.deepEqual(
      powers,
      [122500n, 122500n, 122500n, 122500n, 63750n, 127500n, 191250n, 127500n].map((p) =>
        p * 10n ** 12n
      ),
    );
  }
  assert.equal(post.numHarmonyOperatedNodes, 25n);
  rejects(() => committeeContext(MAINNET, history, 1n, 999n), "transition/committee-unknown");
  rejects(() => committeeContext(MAINNET, history, 9n, 1000n), "transition/committee-unknown");
});

/** What the hash may depend on: the non-empty committees' `address ‖ key` lists in shard order. */
function committeeView(state: ShardState): string {
  return state.shards.slice().sort((a, b) => (a.shardId < b.shardId ? -1 : 1))
    .filter((c) => c.slots.length > 0)
    .map((c) => c.slots.map((s) => toHex(s.ecdsaAddress) + toHex(s.blsPublicKey)).join(","))
    .join("|");
}

const small = fc.integer({ min: 0, max: 2 });
const slotArb = fc.record({
  ecdsaAddress: small.map((b) => Uint8Array.from({ length: 20 }, () => b)),
  blsPublicKey: small.map((b) => Uint8Array.from({ length: 48 }, () => b)),
  effectiveStake: fc.option(fc.bigInt({ min: 0n, max: 5n }).map((m) => ({ mantissa: m }))),
});
const stateArb: fc.Arbitrary<ShardState> = fc.record({
  epoch: fc.option(fc.bigInt({ min: 0n, max: 3n })),
  shards: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.array(slotArb, { maxLength: 3 }).map((slots) => ({ shardId: BigInt(id), slots }))
      ),
    )
  ),
});

/** A state changed in one way: some ways change the committees, others do not. */
function mutated(a: ShardState): fc.Arbitrary<ShardState> {
  const shards = a.shards;
  return fc.constantFrom<(s: ShardState) => ShardState>(
    (s) => ({ ...s, epoch: (s.epoch ?? 0n) + 1n }),
    (s) => ({
      ...s,
      shards: shards.map((c) => ({
        ...c,
        slots: c.slots.map((x) => ({ ...x, effectiveStake: null })),
      })),
    }),
    (s) => ({ ...s, shards: shards.slice().reverse() }),
    (s) => ({ ...s, shards: [...shards, { shardId: 9n, slots: [] }] }),
    (s) => ({ ...s, shards: shards.map((c) => ({ ...c, shardId: c.shardId * 2n + 10n })) }),
    (s) => ({
      ...s,
      shards: shards.map((c, i) =>
        i === 0 && c.slots.length > 0
          ? {
            ...c,
            slots: [
              { ...c.slots[0], ecdsaAddress: new Uint8Array(20).fill(7) },
              ...c.slots.slice(1),
            ],
          }
          : c
      ),
    }),
    (s) => ({ ...s, shards: shards.map((c) => ({ ...c, slots: c.slots.slice().reverse() })) }),
  ).map((f) => f(a));
}

test("property: the shard state hash changes iff the committees change", () => {
  const pairs = stateArb.chain((a) => fc.tuple(fc.constant(a), fc.oneof(stateArb, mutated(a))));
  const iff = (hash: (s: ShardState) => Uint8Array) =>
    fc.property(
      pairs,
      ([a, b]) => (toHex(hash(a)) === toHex(hash(b))) === (committeeView(a) === committeeView(b)),
    );
  holds(iff(shardStateHash), 300);
  // Broken rule: a hash over the keys only, blind to the earning accounts.
  const keysOnly = (s: ShardState) =>
    keccak_256(
      Uint8Array.from(s.shards.flatMap((c) => c.slots.flatMap((x) => [...x.blsPublicKey]))),
    );
  catches(iff(keysOnly), 300);
});
