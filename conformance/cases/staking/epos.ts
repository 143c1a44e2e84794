/**
 * Conformance cases for the `epos` runner: effective stake, election, voting power, quorum and
 * availability. The format is in `conformance/formats/epos.md`.
 *
 * Expectations come from Harmony's Go code and tests: values computed by running Harmony's Go
 * functions on these inputs (see `test/staking/go-values.ts`), the tables of the Go tests
 * (`measure_test.go`, the quorum tests), and rules worked by hand in each case's description.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fromHex } from "../../../spec/encoding/bytes.ts";
import { blsMaskFromIndices } from "../../../spec/crypto/bls-mask.ts";
import { decFromInt, decFromMantissa, decQuo } from "../../../spec/numeric/decimal.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import {
  currentSigning,
  EPOS_STATUS_ACTIVE,
  EPOS_STATUS_BANNED,
  EPOS_STATUS_INACTIVE,
  incrementSigningCounts,
  updateEposStatuses,
} from "../../../spec/staking/availability.ts";
import {
  applyEffectiveStake,
  EPOS_BOUND_C,
  EPOS_BOUND_C_V2,
} from "../../../spec/staking/effective-stake.ts";
import { computeShardState, type EposCandidate } from "../../../spec/staking/election.ts";
import {
  computeRoster,
  isAllStakedSigsCollected,
  isQuorumAchievedByMask,
  verifierQuorumByMask,
  votePowerByMask,
} from "../../../spec/staking/voting-power.ts";
import { isActive } from "../../../spec/params/features.ts";
import type { Committee, Slot } from "../../../spec/sharding/shard-state.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  bool,
  bytes,
  list,
  readAccount,
  readCandidate,
  readCommittee,
  readShardState,
  rec,
  uint,
  writeCandidate,
  writeCommittee,
  writeShardState,
} from "./codec.ts";
import {
  GO_AUCTION_ATTO,
  GO_AUCTIONS,
  GO_QUORUM_BASE,
  GO_QUORUM_STAKES,
  GO_ROSTER_ADDRESSES,
  GO_ROSTER_D1,
  GO_ROSTER_D2,
  GO_ROSTER_D3,
  GO_ROSTER_D4,
  GO_ROSTER_D6,
  GO_ROSTER_STAKES,
  GO_ROSTER_TEST,
  type GoRoster,
  type GoWinner,
} from "../../../test/staking/go-values.ts";
import { ONE } from "../../../spec/staking/validator.ts";

function account(b: number): Uint8Array {
  const a = new Uint8Array(20);
  a[19] = b;
  return a;
}
function key(a: number, i: number, last = 0): Uint8Array {
  const k = new Uint8Array(48);
  k[0] = a;
  k[1] = i;
  k[47] = last;
  return k;
}
function slot(addr: Uint8Array, k: Uint8Array, stake: bigint | null): Slot {
  return {
    ecdsaAddress: addr,
    blsPublicKey: k,
    effectiveStake: stake === null ? null : decFromMantissa(stake),
  };
}
function committee(slots: Slot[]): Committee {
  return { shardId: 0n, slots };
}
function configData(config: NetworkConfig): Fields {
  return config as unknown as Fields;
}
function keyTag(k: Uint8Array): string {
  return ((k[0] << 8) | k[1]).toString(16).padStart(4, "0");
}

// --- effective_stake ----------------------------------------------------------------------------

const effectiveStakeHandler: Handler = {
  runner: "epos",
  handler: "effective_stake",
  preset: "general",
  config: {},
  covers: ["applyEffectiveStake", "runAuction", "rankBidders", "medianStake", "clampStake"],
  run(inputs) {
    const orders = list(inputs.orders, "orders").map((o) => {
      const r = rec(o, "order");
      return {
        address: bytes(r.address, "address"),
        stake: uint(r.stake, "stake"),
        keys: list(r.keys, "keys").map((k) => bytes(k, "key")),
      };
    });
    const c = bool(inputs.extended_bound, "extended_bound") ? EPOS_BOUND_C_V2 : EPOS_BOUND_C;
    const { median, winners } = applyEffectiveStake(orders, uint(inputs.pull, "pull"), c);
    return {
      median: median.mantissa,
      winners: winners.map((w) => ({
        address: w.address,
        key: w.key,
        raw_stake: w.rawStake.mantissa,
        epos_stake: w.eposStake.mantissa,
      })),
    };
  },
};

const AUCTION_ORDERS: Fields[] = [
  { address: account(5), stake: 1000n * ONE, keys: [0, 1, 2, 3].map((i) => key(5, i)) },
  { address: account(1), stake: 500n * ONE, keys: [key(1, 0), key(1, 1)] },
  { address: account(9), stake: 1001n * ONE, keys: [0, 1, 2].map((i) => key(9, i)) },
  { address: account(2), stake: 100n * ONE, keys: [key(2, 0)] },
  { address: account(7), stake: 7n * ONE, keys: [] },
  { address: account(4), stake: 2000n * ONE, keys: [key(4, 0)] },
];

function goWinners(ws: GoWinner[]): Fields[] {
  return ws.map((w) => ({
    address: account(w.addr),
    key: key(parseInt(w.key.slice(0, 2), 16), parseInt(w.key.slice(2), 16)),
    raw_stake: w.raw,
    epos_stake: w.epos,
  }));
}

const EFFECTIVE_STAKE_CASES: Case[] = [
  ...GO_AUCTIONS.map((a): Case => ({
    name: `auction_pull_${a.pull}_c_${a.extended ? "035" : "015"}`,
    description: `Six validators (ties at 250 ONE per key, truncated thirds, one without keys), ` +
      `${a.pull} slots, c = ${a.extended ? "0.35" : "0.15"}; values from Go's effective.Apply.`,
    inputs: { orders: AUCTION_ORDERS, pull: a.pull, extended_bound: a.extended },
    expect: { median: a.median, winners: goWinners(a.winners) },
  })),
  {
    name: "auction_atto_truncation",
    description:
      "10 atto over 3 keys and 7 atto over 2: per-key stakes truncate the Dec mantissa; " +
      "values from Go's effective.Apply.",
    inputs: {
      orders: [
        { address: account(1), stake: 10n, keys: [0, 1, 2].map((i) => key(1, i)) },
        { address: account(2), stake: 7n, keys: [key(2, 0), key(2, 1)] },
      ],
      pull: 5n,
      extended_bound: false,
    },
    expect: { median: GO_AUCTION_ATTO.median, winners: goWinners(GO_AUCTION_ATTO.winners) },
  },
  {
    name: "duplicate_account",
    description: "The same account bidding twice cannot occur in Go (bids are keyed by account).",
    inputs: {
      orders: [AUCTION_ORDERS[0], { ...AUCTION_ORDERS[1], address: account(5) }],
      pull: 3n,
      extended_bound: false,
    },
    expect: { error: "epos/duplicate-candidate" },
  },
];

// --- election -----------------------------------------------------------------------------------

function electionHandler(config: NetworkConfig): Handler {
  return {
    runner: "epos",
    handler: "election",
    preset: config.network,
    config: configData(config),
    covers: [
      "computeShardState",
      "eposShardState",
      "preStakingShardState",
      "prepareOrders",
      "isEligibleForEposAuction",
      "shardOfKey",
    ],
    run(inputs) {
      const r = computeShardState(config, {
        epoch: uint(inputs.epoch, "epoch"),
        currentEpoch: uint(inputs.current_epoch, "current_epoch"),
        candidates: list(inputs.candidates, "candidates").map(readCandidate),
        harmonyAccounts: list(inputs.harmony_accounts, "harmony_accounts").map(readAccount),
        reservedKeys: list(inputs.reserved_keys, "reserved_keys").map((k) => bytes(k, "key")),
        foundationalAccounts: list(inputs.foundational_accounts, "foundational_accounts").map(
          readAccount,
        ),
        previous: inputs.previous === null ? null : readShardState(inputs.previous),
      });
      return {
        shard_state: writeShardState(r.shardState),
        median: r.median.mantissa,
        winners: r.winners.map((w) => ({
          address: w.address,
          key: w.key,
          raw_stake: w.rawStake.mantissa,
          epos_stake: w.eposStake.mantissa,
        })),
        reused_previous: r.reusedPrevious,
      };
    },
  };
}

function harmonyAccounts(count: number): Fields[] {
  return Array.from(
    { length: count },
    (_, i) => ({ address: account(0xc0 + i), bls_key: key(0xee, i) }),
  );
}

function cand(
  a: number,
  keys: Uint8Array[],
  delegations: bigint[],
  over: Partial<EposCandidate> = {},
): Fields {
  const zero = { numBlocksToSign: 0n, numBlocksSigned: 0n };
  return writeCandidate({
    address: account(a),
    status: EPOS_STATUS_ACTIVE,
    counters: zero,
    snapshot: { epoch: 2n, counters: zero },
    slotPubKeys: keys,
    lastEpochInCommittee: 0n,
    delegations,
    ...over,
  });
}

function electionInputs(
  epoch: bigint,
  candidates: Fields[],
  hmy: number,
  previous: Fields | null = null,
): Fields {
  const accounts = harmonyAccounts(hmy);
  return {
    epoch,
    current_epoch: epoch - 1n,
    candidates,
    harmony_accounts: accounts,
    reserved_keys: accounts.map((a) => a.bls_key),
    foundational_accounts: [],
    previous,
  };
}

type Out = DecodedFields;
const shardsOf = (o: Out) =>
  list(rec(o.shard_state, "shard_state").shards, "shards").map(readCommittee);

const LOCALNET_ELECTION_CASES: Case[] = [
  {
    name: "two_shards_by_key",
    description:
      "Localnet epoch 3 (2 shards × 9 slots, 6 Harmony, c = 0.35): validators 1–4 bid 100–400 " +
      "ONE over two keys each; the six best keys win (4, 4, 3, 3, 2, 2), median 150, nothing clamped; " +
      "each lands in shard (last key byte) mod 2 after the shard's six Harmony slots.",
    inputs: electionInputs(
      3n,
      [1, 2, 3, 4].map((a) => cand(a, [key(a, 0, a), key(a, 1, a + 1)], [BigInt(a) * 100n * ONE])),
      12,
    ),
    check(o) {
      assert.equal(uint(o.median, "median"), 150n * ONE * ONE);
      const winners = list(o.winners, "winners").map((w) => rec(w, "w"));
      assert.deepEqual(winners.map((w) => bytes(w.address, "a")[19]), [4, 4, 3, 3, 2, 2]);
      assert.deepEqual(
        winners.map((w) => uint(w.epos_stake, "e")),
        [200n, 200n, 150n, 150n, 100n, 100n].map((x) => x * ONE * ONE),
      );
      for (const c of shardsOf(o)) {
        assert.deepEqual(
          c.slots.slice(0, 6).map((s) => s.ecdsaAddress[19]),
          [0, 2, 4, 6, 8, 10].map((j) => 0xc0 + Number(c.shardId) + j),
        );
        for (const s of c.slots.slice(6)) assert.equal(BigInt(s.blsPublicKey[47]) % 2n, c.shardId);
      }
    },
  },
  {
    name: "conflicts_and_eligibility",
    description:
      "Validator 2 uses a Harmony key, 3 reuses 2's other key, 4 lists a key twice, 5 is " +
      "inactive, 6 was in the committee and signed 2 of 3 (not more than 2/3): only 1 and 7 bid.",
    inputs: electionInputs(3n, [
      cand(1, [key(1, 0)], [10n * ONE]),
      cand(2, [key(2, 0), key(0xee, 3)], [10n * ONE]),
      cand(3, [key(3, 0), key(2, 0)], [10n * ONE]),
      cand(4, [key(4, 0), key(4, 0)], [10n * ONE]),
      cand(5, [key(5, 0)], [10n * ONE], { status: EPOS_STATUS_INACTIVE }),
      cand(6, [key(6, 0)], [10n * ONE], {
        lastEpochInCommittee: 2n,
        counters: { numBlocksSigned: 2n, numBlocksToSign: 3n },
      }),
      cand(7, [key(7, 0)], [ONE, 2n * ONE]),
    ], 12),
    check(o) {
      const winners = list(o.winners, "winners").map((w) => bytes(rec(w, "w").address, "a")[19]);
      assert.deepEqual(winners, [1, 7]);
      // Median of 10 and 3 ONE: 6.5 ONE; 3 is raised to 0.65 × 6.5 = 4.225 ONE.
      assert.equal(uint(o.median, "median"), 6_500_000_000_000_000_000n * ONE);
      assert.equal(
        uint(rec(list(o.winners, "w")[1], "w").epos_stake, "e"),
        4_225_000_000_000_000_000n * ONE,
      );
    },
  },
  {
    name: "no_winners_reuse_previous",
    description: "Nobody bids: the previous state is reused with the new epoch.",
    inputs: electionInputs(3n, [], 12, { epoch: 2n, shards: [{ shard_id: 0n, slots: [] }] }),
    expect: {
      shard_state: { epoch: 3n, shards: [{ shard_id: 0n, slots: [] }] },
      median: 0n,
      winners: [],
      reused_previous: true,
    },
  },
  {
    name: "no_winners_no_previous",
    description: "Nobody bids and no previous state is known.",
    inputs: electionInputs(3n, [], 12),
    expect: { error: "epos/no-previous-shard-state" },
  },
  {
    name: "epoch_in_past",
    description: "Electing epoch 3 while the chain is at epoch 4.",
    inputs: { ...electionInputs(3n, [], 12), current_epoch: 4n },
    expect: { error: "epos/epoch-in-past" },
  },
  {
    name: "too_few_harmony_accounts",
    description: "Localnet needs 12 Harmony accounts (2 shards × 6); 11 are given.",
    inputs: electionInputs(3n, [cand(1, [key(1, 0)], [ONE])], 11),
    expect: { error: "epos/too-few-harmony-accounts" },
  },
  {
    name: "pre_staking_fixed_committees",
    description:
      "Localnet epoch 1 is before Staking (2): slot j of shard i is Harmony account i + 2j, " +
      "then foundational account i + 2(j − 6); no stakes, no epoch.",
    inputs: {
      ...electionInputs(1n, [], 12),
      foundational_accounts: Array.from(
        { length: 6 },
        (_, i) => ({ address: account(0x50 + i), bls_key: key(0x50, i) }),
      ),
    },
    check(o) {
      const state = rec(o.shard_state, "s");
      assert.equal(state.epoch, null);
      assert.deepEqual(
        shardsOf(o).map((c) => c.slots.map((s) => s.ecdsaAddress[19])),
        [[0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xca, 0x50, 0x52, 0x54], [
          0xc1,
          0xc3,
          0xc5,
          0xc7,
          0xc9,
          0xcb,
          0x51,
          0x53,
          0x55,
        ]],
      );
    },
  },
];

/** A mainnet validator with 30 keys whose last bytes 0..29 spread them over 4 shards. */
const MANY_KEYS = Array.from({ length: 30 }, (_, i) => key(1, i, i));

const MAINNET_ELECTION_CASES: Case[] = [
  {
    name: "hip16_slot_limit",
    description:
      "Mainnet epoch 1000 (4 shards, 25 Harmony each, HIP-16 limit 13): a validator with 30 " +
      "keys (7 or 8 per shard) keeps them all; with the limit at epoch 1000 none is dropped, so 30 win.",
    inputs: electionInputs(1000n, [cand(1, MANY_KEYS, [3000n * ONE])], 100),
    check(o) {
      assert.equal(list(o.winners, "w").length, 30);
    },
  },
  {
    name: "hip16_drops_keys_beyond_limit",
    description:
      "Mainnet epoch 2200 (2 shards, 2 Harmony each, limit 11): 30 keys split 15/15 by shard, " +
      "so the validator keeps 11 per shard, the first ones in key order: 22 win.",
    inputs: electionInputs(2200n, [cand(1, MANY_KEYS, [3000n * ONE])], 4),
    check(o) {
      const won = list(o.winners, "w").map((w) => bytes(rec(w, "w").key, "k")[47]);
      assert.deepEqual(won.slice().sort((a, b) => a - b), [...Array(22).keys()]);
      for (const c of shardsOf(o)) assert.equal(c.slots.length, 2 + 11);
    },
  },
];

// --- voting_power -------------------------------------------------------------------------------

function votingPowerHandler(config: NetworkConfig): Handler {
  return {
    runner: "epos",
    handler: "voting_power",
    preset: config.network,
    config: configData(config),
    covers: ["computeRoster", "computeRosterWithShare"],
    run(inputs) {
      const r = computeRoster(config, readCommittee(inputs.committee), uint(inputs.epoch, "epoch"));
      return {
        our_total: r.ourVotingPowerTotalPercentage.mantissa,
        their_total: r.theirVotingPowerTotalPercentage.mantissa,
        total_effective_stake: r.totalEffectiveStake.mantissa,
        harmony_slot_count: r.hmySlotCount,
        voters: [...r.voters.values()].map((v) => ({
          key: v.identity,
          earning_account: v.earningAccount,
          is_harmony_node: v.isHarmonyNode,
          group_percent: v.groupPercent.mantissa,
          overall_percent: v.overallPercent.mantissa,
          effective_stake: v.effectiveStake.mantissa,
        })),
      };
    },
  };
}

const hs = (b: number) => slot(account(0xa0 + b), key(0xa + b, 0), null);
const ss = (b: number, stake: bigint, k = key(b, 0)) => slot(account(b), k, stake);

function rosterCase(
  name: string,
  description: string,
  c: Committee,
  epoch: bigint,
  want: GoRoster,
): Case {
  return {
    name,
    description,
    inputs: { committee: writeCommittee(c), epoch },
    check(o) {
      assert.equal(uint(o.our_total, "ours"), want.ours);
      assert.equal(uint(o.their_total, "theirs"), want.theirs);
      const voters = list(o.voters, "voters").map((v) => rec(v, "v"));
      assert.deepEqual(
        voters.map((v) => ({
          key: keyTag(bytes(v.key, "k")),
          group: uint(v.group_percent, "g"),
          overall: uint(v.overall_percent, "o"),
          harmony: bool(v.is_harmony_node, "h"),
        })),
        want.voters,
      );
    },
  };
}

const BIG = 1_000_000n * ONE + 1n;
const LOCALNET_ROSTER_CASES: Case[] = [
  rosterCase(
    "roster_test_go",
    "roster_test.go TestCompute: 10 Harmony and 10 staked slots (the Go test's seeded stakes) at epoch 3, share 0.68.",
    committee(
      GO_ROSTER_STAKES.map((st, i) =>
        slot(fromHex(GO_ROSTER_ADDRESSES[i]), key(i, 0xff), i < 10 ? null : st)
      ),
    ),
    3n,
    GO_ROSTER_TEST,
  ),
  rosterCase(
    "rounding_fix_up",
    "Three equal stakes at 0.68: 0.106666666666666667 each, the last one 1e-18 less.",
    committee([hs(0), hs(1), ss(1, ONE), ss(2, ONE), ss(3, ONE)]),
    3n,
    GO_ROSTER_D1,
  ),
  rosterCase(
    "repeated_key",
    "The last staked slot repeats an earlier key: its entry is not kept, so the fix-up is lost from the voters.",
    committee([hs(0), ss(1, ONE), ss(2, ONE), ss(3, ONE, key(1, 0))]),
    3n,
    GO_ROSTER_D2,
  ),
  rosterCase(
    "harmony_only",
    "Harmony slots only: 0.226666666666666667 each, total 0.680000000000000001, no fix-up.",
    committee([hs(0), hs(1), hs(2)]),
    3n,
    GO_ROSTER_D3,
  ),
];
const MAINNET_ROSTER_CASES: Case[] = [
  rosterCase(
    "hip32_share",
    "Mainnet epoch 2152 (share 0.01), Harmony and staked slots interleaved.",
    committee([hs(0), ss(1, 123_456n * ONE / 1000n), hs(1), ss(2, 7n * ONE), ss(3, BIG)]),
    2152n,
    GO_ROSTER_D4,
  ),
  rosterCase(
    "hip6_share",
    "Mainnet epoch 725 (share 0.49): three Harmony slots, two staked.",
    committee([hs(0), hs(1), hs(2), ss(1, 7n * ONE), ss(2, 123_456n * ONE / 1000n)]),
    725n,
    GO_ROSTER_D6,
  ),
];

// --- quorum -------------------------------------------------------------------------------------

function quorumHandler(config: NetworkConfig): Handler {
  return {
    runner: "epos",
    handler: "quorum",
    preset: config.network,
    config: configData(config),
    covers: [
      "isQuorumAchievedByMask",
      "verifierQuorumByMask",
      "votePowerByMask",
      "isAllStakedSigsCollected",
      "uniformQuorumThreshold",
    ],
    run(inputs) {
      const c = readCommittee(inputs.committee);
      const epoch = uint(inputs.epoch, "epoch");
      const bitmap = bytes(inputs.bitmap, "bitmap");
      const staking = isActive(config, "Staking", epoch);
      const power = staking ? votePowerByMask(computeRoster(config, c, epoch), bitmap) : null;
      return {
        vote_power: power === null ? null : power.mantissa,
        consensus_quorum: isQuorumAchievedByMask(config, c, epoch, bitmap),
        verifier_quorum: verifierQuorumByMask(config, c, epoch, staking, bitmap),
        all_signatures: power === null ? null : isAllStakedSigsCollected(power),
      };
    },
  };
}

function baseCase(harmony: number, n = 100): Committee {
  return committee(
    GO_QUORUM_STAKES.slice(0, n).map((st, i) =>
      slot(account(i), key(i, 0xee), i < harmony ? null : st)
    ),
  );
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const LOCALNET_QUORUM_CASES: Case[] = [
  {
    name: "stakers_only_32_percent",
    description: "TestEvenNodes: 50 Harmony + 50 staked keys at 0.68; the stakers alone hold 0.32.",
    inputs: {
      committee: writeCommittee(baseCase(50)),
      epoch: 3n,
      bitmap: blsMaskFromIndices(100, range(50, 100)),
    },
    expect: {
      vote_power: GO_QUORUM_BASE.staked,
      consensus_quorum: false,
      verifier_quorum: false,
      all_signatures: false,
    },
  },
  {
    name: "everybody_signs",
    description:
      "TestEvenNodes: all 100 keys sign: power exactly 1, quorum, all signatures collected.",
    inputs: {
      committee: writeCommittee(baseCase(50)),
      epoch: 3n,
      bitmap: blsMaskFromIndices(100, range(0, 100)),
    },
    expect: {
      vote_power: GO_QUORUM_BASE.all,
      consensus_quorum: true,
      verifier_quorum: true,
      all_signatures: true,
    },
  },
  {
    name: "harmony_33_of_100",
    description:
      "Test33HarmonyNodes: 33 Harmony keys alone hold 0.68 (33 × 0.020606060606060606 = " +
      "0.679999999999999998) > 2/3.",
    inputs: {
      committee: writeCommittee(baseCase(33)),
      epoch: 3n,
      bitmap: blsMaskFromIndices(100, range(0, 33)),
    },
    expect: {
      vote_power: 679999999999999998n,
      consensus_quorum: true,
      verifier_quorum: true,
      all_signatures: false,
    },
  },
  {
    name: "three_harmony_of_ten",
    description: "TestAddNewVote: 3 Harmony keys of 10 at 0.68: 3 × 0.226666666666666667 > 2/3.",
    inputs: {
      committee: writeCommittee(baseCase(3, 10)),
      epoch: 3n,
      bitmap: blsMaskFromIndices(10, [0, 1, 2]),
    },
    expect: {
      vote_power: 680000000000000001n,
      consensus_quorum: true,
      verifier_quorum: true,
      all_signatures: false,
    },
  },
  {
    name: "bitmap_wrong_length",
    description: "A 100-key committee needs a 13-byte bitmap.",
    inputs: { committee: writeCommittee(baseCase(50)), epoch: 3n, bitmap: new Uint8Array(12) },
    expect: { error: "bls/bitmap-length-mismatch" },
  },
];

const fourHarmony = committee(range(0, 4).map((i) => hs(i)));
const MAINNET_QUORUM_CASES: Case[] = [
  {
    name: "pre_staking_two_of_four",
    description:
      "Mainnet epoch 100: 2 of 4 keys is below ⌊8/3⌋ + 1 = 3 for consensus, yet the header " +
      "verifier accepts (OBSERVATION: it compares the committee size 4 > 3, not the signers).",
    inputs: {
      committee: writeCommittee(fourHarmony),
      epoch: 100n,
      bitmap: blsMaskFromIndices(4, [0, 1]),
    },
    expect: {
      vote_power: null,
      consensus_quorum: false,
      verifier_quorum: true,
      all_signatures: null,
    },
  },
  {
    name: "pre_staking_three_of_three",
    description:
      "Mainnet epoch 100, 3 keys all signing: consensus quorum (3 ≥ 3), but the verifier " +
      "rejects (3 > 3 is false).",
    inputs: {
      committee: writeCommittee(committee(range(0, 3).map((i) => hs(i)))),
      epoch: 100n,
      bitmap: Uint8Array.of(7),
    },
    expect: {
      vote_power: null,
      consensus_quorum: true,
      verifier_quorum: false,
      all_signatures: null,
    },
  },
  {
    name: "staked_just_above_two_thirds",
    description:
      "Mainnet epoch 2200 (share 0.01): one Harmony key (0.01) and staked 1 and 2 ONE get " +
      "0.33 and 0.66; Harmony plus the 2-ONE key hold exactly 0.67 > 2/3.",
    inputs: {
      committee: writeCommittee(committee([hs(0), ss(1, ONE), ss(2, 2n * ONE)])),
      epoch: 2200n,
      bitmap: blsMaskFromIndices(3, [0, 2]),
    },
    expect: {
      vote_power: 670000000000000000n,
      consensus_quorum: true,
      verifier_quorum: true,
      all_signatures: false,
    },
  },
];

// --- availability ---------------------------------------------------------------------------------

const availabilityHandler: Handler = {
  runner: "epos",
  handler: "availability",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: [
    "updateEposStatuses",
    "incrementSigningCounts",
    "currentSigning",
    "computeCurrentSigning",
    "blockSigners",
  ],
  run(inputs) {
    const c = readCommittee(inputs.committee);
    let validators = list(inputs.validators, "validators").map(readCandidate);
    if (bool(inputs.end_of_epoch, "end_of_epoch")) {
      validators = updateEposStatuses(
        MAINNET,
        { epoch: null, shards: [c] },
        validators,
      ) as typeof validators;
    }
    if (inputs.bitmap !== null) {
      validators = incrementSigningCounts(
        validators,
        c,
        bytes(inputs.bitmap, "bitmap"),
      ) as typeof validators;
    }
    return {
      validators: validators.map((v) => {
        const r = currentSigning(MAINNET, v);
        return {
          address: v.address,
          status: v.status,
          signed: v.counters.numBlocksSigned,
          to_sign: v.counters.numBlocksToSign,
          percentage: r.percentage.mantissa,
          is_below_threshold: r.isBelowThreshold,
        };
      }),
    };
  },
};

function avail(
  a: number,
  snap: [bigint, bigint],
  cur: [bigint, bigint],
  status = EPOS_STATUS_ACTIVE,
  snapshotEpoch = 3n,
): Fields {
  return cand(a, [], [], {
    status,
    counters: { numBlocksSigned: cur[0], numBlocksToSign: cur[1] },
    snapshot: {
      epoch: snapshotEpoch,
      counters: { numBlocksSigned: snap[0], numBlocksToSign: snap[1] },
    },
  });
}
const oneStaked = (a: number) => writeCommittee(committee([slot(account(a), key(a, 0), ONE)]));
const pct = (n: bigint, d: bigint) => decQuo(decFromInt(n), decFromInt(d)).mantissa;

const SIGNING_ROWS: [bigint, bigint, bigint, bigint, boolean][] = [
  [0n, 0n, 0n, 0n, true],
  [0n, 1n, 0n, 1n, false],
  [0n, 2n, 0n, 3n, true],
  [100n, 225n, 200n, 350n, false],
  [100n, 200n, 200n, 400n, true],
];

const AVAILABILITY_CASES: Case[] = [
  ...SIGNING_ROWS.map(([ss0, cs, st, ct, below], i): Case => ({
    name: `compute_current_signing_${i}`,
    description:
      `TestComputeCurrentSigning row: snapshot ${ss0}/${st}, now ${cs}/${ct} (signed/to sign).`,
    inputs: {
      committee: oneStaked(1),
      bitmap: null,
      end_of_epoch: false,
      validators: [avail(1, [ss0, st], [cs, ct])],
    },
    expect: {
      validators: [{
        address: account(1),
        status: EPOS_STATUS_ACTIVE,
        signed: cs,
        to_sign: ct,
        percentage: ct === st ? 0n : pct(cs - ss0, ct - st),
        is_below_threshold: below,
      }],
    },
  })),
  {
    name: "hip32_nothing_to_sign",
    description:
      "TestComputeCurrentSigningHIP32: with HIP-32 (mainnet 2152) nothing to sign is not a failure.",
    inputs: {
      committee: oneStaked(1),
      bitmap: null,
      end_of_epoch: true,
      validators: [avail(1, [5n, 5n], [5n, 5n], EPOS_STATUS_ACTIVE, 2152n)],
    },
    expect: {
      validators: [{
        address: account(1),
        status: EPOS_STATUS_ACTIVE,
        signed: 5n,
        to_sign: 5n,
        percentage: 0n,
        is_below_threshold: false,
      }],
    },
  },
  ...([
    [[100n, 100n], [200n, 200n], EPOS_STATUS_ACTIVE, EPOS_STATUS_ACTIVE],
    [[100n, 100n], [200n, 250n], EPOS_STATUS_ACTIVE, EPOS_STATUS_INACTIVE],
    [[100n, 100n], [100n, 200n], EPOS_STATUS_ACTIVE, EPOS_STATUS_INACTIVE],
    [[100n, 100n], [200n, 200n], EPOS_STATUS_INACTIVE, EPOS_STATUS_INACTIVE],
    [[100n, 200n], [100n, 200n], EPOS_STATUS_BANNED, EPOS_STATUS_BANNED],
  ] as [[bigint, bigint], [bigint, bigint], 1 | 2 | 3, 1 | 2 | 3][]).map((
    [snap, cur, from, to],
    i,
  ): Case => ({
    name: `epos_status_${i}`,
    description: `TestComputeAndMutateEPOSStatus row: snapshot ${snap[0]}/${snap[1]}, now ${
      cur[0]
    }/${cur[1]}, status ${from} → ${to}.`,
    inputs: {
      committee: oneStaked(20),
      bitmap: null,
      end_of_epoch: true,
      validators: [avail(20, snap, cur, from)],
    },
    check(o) {
      assert.equal(rec(list(o.validators, "v")[0], "v").status, to);
    },
  })),
  {
    name: "increment_mixed_committee",
    description:
      "TestIncrementValidatorSigningCounts: 10 Harmony and 6 staked slots, bits 0, 2, 3, 4, 6, " +
      "8, 10, 12, 14 set: staked slots 10, 12, 14 signed, 11, 13, 15 missed; counters start at 1/1.",
    inputs: {
      committee: writeCommittee(
        committee(
          range(0, 16).map((i) =>
            slot(account(i), key(i, 1), i < 10 ? null : 100_000_000_000n * ONE)
          ),
        ),
      ),
      bitmap: blsMaskFromIndices(16, [0, 2, 3, 4, 6, 8, 10, 12, 14]),
      end_of_epoch: false,
      validators: range(10, 16).map((a) => avail(a, [1n, 1n], [1n, 1n])),
    },
    check(o) {
      const vs = list(o.validators, "v").map((v) => rec(v, "v"));
      assert.deepEqual(vs.map((v) => uint(v.to_sign, "t")), [2n, 2n, 2n, 2n, 2n, 2n]);
      assert.deepEqual(vs.map((v) => uint(v.signed, "s")), [2n, 1n, 2n, 1n, 2n, 1n]);
    },
  },
  {
    name: "status_before_counting",
    description:
      "At an epoch's last block the status is judged before that block's signatures count: " +
      "2 of 3 fails (not more than 2/3) even though the block brings it to 3 of 4.",
    inputs: {
      committee: oneStaked(1),
      bitmap: Uint8Array.of(1),
      end_of_epoch: true,
      validators: [avail(1, [0n, 0n], [2n, 3n])],
    },
    check(o) {
      const v = rec(list(o.validators, "v")[0], "v");
      assert.equal(v.status, EPOS_STATUS_INACTIVE);
      assert.equal(uint(v.signed, "s"), 3n);
      assert.equal(uint(v.to_sign, "t"), 4n);
    },
  },
  {
    name: "staked_account_without_record",
    description: "A staked account of the committee has no validator record.",
    inputs: {
      committee: oneStaked(1),
      bitmap: Uint8Array.of(1),
      end_of_epoch: false,
      validators: [],
    },
    expect: { error: "epos/validator-not-found" },
  },
];

/** Every suite of the `epos` runner. */
export const EPOS_SUITES: Suite[] = [
  suite(effectiveStakeHandler, EFFECTIVE_STAKE_CASES),
  suite(electionHandler(LOCALNET), LOCALNET_ELECTION_CASES),
  suite(electionHandler(MAINNET), MAINNET_ELECTION_CASES),
  suite(votingPowerHandler(LOCALNET), LOCALNET_ROSTER_CASES),
  suite(votingPowerHandler(MAINNET), MAINNET_ROSTER_CASES),
  suite(quorumHandler(LOCALNET), LOCALNET_QUORUM_CASES),
  suite(quorumHandler(MAINNET), MAINNET_QUORUM_CASES),
  suite(availabilityHandler, AVAILABILITY_CASES),
];
