/**
 * Conformance cases for the `block_reward` and `distribute_rewards` handlers of the `epoch`
 * runner. The format is in `conformance/formats/epoch.md`.
 *
 * Expectations: the block rewards of Go's `staking/reward/values.go` by era (and its test's
 * 28·5/8 and 28·2/8), the yearly 441,806,400 ONE, and distributions worked by hand in each
 * case's description (shares of a 49 % or 68 % Harmony vote, Dec rounding of Go's
 * `processOneCrossLink` and `AddReward`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { LOCALNET, MAINNET, type NetworkConfig, TESTNET } from "../../../spec/params/mod.ts";
import { firstBlockOfEpoch } from "../../../spec/sharding/schedule.ts";
import type { Committee, ShardState } from "../../../spec/sharding/shard-state.ts";
import {
  accumulateRewardsAndCountSigs,
  type BeaconBlockSignatures,
  blockReward,
  emissionSplit,
  hip30RecoveryCredit,
  isRewardBlock,
  networkIssuancePerYear,
  type SignedBlock,
} from "../../../spec/staking/rewards.ts";
import type { ValidatorWrapper } from "../../../spec/staking/validator.ts";
import { decodeValidatorWrapper } from "../../../spec/staking/wrapper-rlp.ts";
import {
  allSign,
  bitmap,
  committeeOf,
  harmonySlot,
  snapshotsOf,
  stakedSlot,
  validator,
} from "../../../test/staking/reward-fixtures.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  base,
  bytes,
  creditsField,
  list,
  ONE,
  payoutsField,
  readShardState,
  readSignatures,
  readSnapshots,
  readWrappers,
  rec,
  signaturesField,
  signed,
  uint,
  writeShardState,
  writeSnapshots,
  writeWrappers,
} from "./common.ts";
import { signedToBytes } from "../../cbor.ts";

// --- block_reward -------------------------------------------------------------------------------

function blockRewardHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "block_reward",
    covers: [
      "blockReward",
      "stakingBlockReward",
      "emissionSplit",
      "isRewardBlock",
      "networkIssuancePerYear",
    ],
    run(inputs) {
      const epoch = uint(inputs.epoch, "epoch");
      const number = uint(inputs.block_number, "block_number");
      const reward = blockReward(config, epoch, number);
      const split = emissionSplit(config, epoch, reward);
      return {
        reward,
        validators_share: split.validators.mantissa,
        recovery_share: split.recovery.mantissa,
        reward_block: isRewardBlock(config, epoch, number),
        network_issuance_per_year: networkIssuancePerYear(config, epoch),
      };
    },
  };
}

const YEARLY = 441_806_400n * ONE;

function rewardCase(
  name: string,
  description: string,
  epoch: bigint,
  number: bigint,
  expect: { reward: bigint; recoveryAtto?: bigint; rewardBlock?: boolean; yearly?: bigint },
): Case {
  const recovery = expect.recoveryAtto ?? 0n;
  return {
    name,
    description,
    inputs: { epoch, block_number: number },
    expect: {
      reward: expect.reward,
      // Decs of atto: their mantissa is the atto amount times 10^18.
      validators_share: (expect.reward - recovery) * ONE,
      recovery_share: recovery * ONE,
      reward_block: expect.rewardBlock ?? true,
      network_issuance_per_year: expect.yearly ?? YEARLY,
    },
  };
}

const MAINNET_REWARD_CASES: Case[] = [
  rewardCase(
    "pre_staking",
    "Epoch 185 (before Staking): 24 ONE per block, split among the signers (4 shards of 5 s).",
    185n,
    3_000_000n,
    { reward: 24n * ONE, yearly: 24n * 4n * 31_557_600n * ONE / 5n },
  ),
  rewardCase(
    "staking_launch",
    "Epoch 186: 28 ONE (the 8-second era; the yearly figure uses the 5-second block time the " +
      "spec models before TwoSeconds).",
    186n,
    3_400_000n,
    { reward: 28n * ONE, yearly: 28n * 4n * 31_557_600n * ONE / 5n },
  ),
  rewardCase(
    "five_seconds",
    "Epoch 230 (FiveSeconds): 17.5 ONE = 28·5/8; 4 shards at 5 s make 14 ONE/s, 441,806,400 a year.",
    230n,
    4_000_000n,
    { reward: 17_500_000_000_000_000_000n },
  ),
  rewardCase(
    "two_seconds",
    "Epoch 366 (TwoSeconds): 7 ONE = 28·2/8; every block still pays (before AggregatedReward).",
    366n,
    6_324_224n,
    { reward: 7n * ONE },
  ),
  rewardCase(
    "aggregated_off_block",
    "Epoch 689 (AggregatedReward): 7 ONE, but block 6324224 + 62 is not a reward block (63 mod 64).",
    689n,
    6_324_224n + 62n,
    { reward: 7n * ONE, rewardBlock: false },
  ),
  rewardCase(
    "aggregated_reward_block",
    "Epoch 689: block 6324224 + 63 is a reward block.",
    689n,
    6_324_224n + 63n,
    { reward: 7n * ONE },
  ),
  rewardCase(
    "hip30",
    "Epoch 1673 (HIP30, 2 shards): 14 ONE, of which 25 % (3.5 ONE) goes to the recovery address.",
    1673n,
    48_000_063n,
    { reward: 14n * ONE, recoveryAtto: 3_500_000_000_000_000_000n },
  ),
  rewardCase(
    "one_second",
    "Epoch 10,000,000 (OneSecond, EpochTBD): 7 ONE at 1 s, HIP30's quarter still split off.",
    10_000_000n,
    63n,
    { reward: 7n * ONE, recoveryAtto: 1_750_000_000_000_000_000n },
  ),
];

const LOCALNET_REWARD_CASES: Case[] = [
  rewardCase(
    "reward_frequency_16",
    "Localnet epoch 3 (AggregatedReward): 7 ONE; reward blocks are 15 mod 16. 2 shards at 2 s.",
    3n,
    47n,
    { reward: 7n * ONE, yearly: 7n * ONE * 31_557_600n },
  ),
  rewardCase(
    "not_a_reward_block",
    "Localnet epoch 3: block 46 pays nothing.",
    3n,
    46n,
    { reward: 7n * ONE, rewardBlock: false, yearly: 7n * ONE * 31_557_600n },
  ),
];

const TESTNET_REWARD_CASES: Case[] = [
  rewardCase(
    "testnet_hip30",
    "Testnet epoch 2176 (HIP30): 14 ONE, 3.5 to recovery; 2 shards at 2 s.",
    2176n,
    17_817_663n,
    { reward: 14n * ONE, recoveryAtto: 3_500_000_000_000_000_000n },
  ),
];

// --- distribute_rewards -------------------------------------------------------------------------

function distributeHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "distribute_rewards",
    covers: [
      "accumulateRewardsAndCountSigs",
      "preStakingPayouts",
      "signerDues",
      "beaconSignerDues",
      "addReward",
      "delegatorShares",
      "rewardWindow",
      "hip30RecoveryCredit",
    ],
    run(inputs) {
      const states = list(inputs.shard_states, "shard_states").map(readShardState);
      const epoch = uint(inputs.epoch, "epoch");
      const out = accumulateRewardsAndCountSigs({
        config,
        shardId: uint(inputs.shard_id, "shard_id"),
        blockNumber: uint(inputs.block_number, "block_number"),
        epoch,
        signatures: readSignatures(inputs.signatures, states),
        validators: readWrappers(inputs.validators, "validators"),
        snapshots: readSnapshots(inputs.snapshots, "snapshots"),
      });
      const recovery = hip30RecoveryCredit(config, epoch, out.recoveryRemainder);
      return {
        validators: writeWrappers(out.validators),
        balance_credits: creditsField(out.balanceCredits),
        payouts: payoutsField(out.payouts),
        total: out.total,
        issued: out.issued,
        undistributed: signedToBytes(out.undistributed.mantissa),
        recovery_credit: recovery === null ? null : creditsField([recovery])[0],
      };
    },
  };
}

interface Scenario {
  shardId?: bigint;
  blockNumber: bigint;
  epoch: bigint;
  states: ShardState[];
  signatures: BeaconBlockSignatures[];
  validators: ValidatorWrapper[];
  snapshotEpoch?: bigint;
}

function distributeInputs(s: Scenario): Fields {
  return {
    shard_id: s.shardId ?? 0n,
    block_number: s.blockNumber,
    epoch: s.epoch,
    shard_states: s.states.map(writeShardState),
    signatures: signaturesField(s.signatures),
    validators: writeWrappers(s.validators),
    snapshots: writeSnapshots(snapshotsOf(s.snapshotEpoch ?? s.epoch, s.validators)),
  };
}

function signedBlock(epoch: bigint, committee: Committee, b: Uint8Array): SignedBlock {
  return { shardId: committee.shardId, epoch, blockNumber: 1n, bitmap: b, committee };
}

/** A (rate 0.1, 60 + 40 ONE, keys 0 and 1) and B (300 ONE) on the beacon; A alone on shard 1. */
function twoValidators() {
  const a = validator(1, [60n * ONE, 40n * ONE], "0.1", 2);
  const b = validator(2, [300n * ONE]);
  const beacon = committeeOf([stakedSlot(a, 0, 100n), stakedSlot(b, 0, 300n), harmonySlot(0)]);
  const shard1 = committeeOf([stakedSlot(a, 1, 100n), harmonySlot(1)], 1n);
  return { a, b, beacon, shard1 };
}

function states(epoch: bigint, ...committees: Committee[]): ShardState {
  return { epoch, shards: committees };
}

/** The outputs' wrappers, decoded. */
function outWrappers(outputs: DecodedFields): ValidatorWrapper[] {
  return list(outputs.validators, "validators").map((w) => decodeValidatorWrapper(bytes(w, "w")));
}

function window(
  epoch: bigint,
  committee: Committee,
  length: number,
  signing: (i: number) => Uint8Array,
  extra: (i: number) => SignedBlock[] = () => [],
): BeaconBlockSignatures[] {
  return Array.from({ length }, (_, i) => ({
    parent: signedBlock(epoch, committee, signing(i)),
    crossLinks: extra(i),
  }));
}

function preStakingCase(): Case {
  const c = committeeOf([harmonySlot(0), harmonySlot(1), harmonySlot(2)], 2n);
  return {
    name: "pre_staking_shard",
    description: "Epoch 100, shard 2, block 2: two of three keys signed the parent; 24 ONE " +
      "split 12 + 12 straight into their balances.",
    inputs: distributeInputs({
      shardId: 2n,
      blockNumber: 2n,
      epoch: 100n,
      states: [states(100n, committeeOf([]), committeeOf([], 1n), c)],
      signatures: [{ parent: signedBlock(100n, c, bitmap(c, [0, 2])), crossLinks: [] }],
      validators: [],
    }),
    check(outputs) {
      const credits = list(outputs.balance_credits, "credits").map((x) => rec(x, "credit"));
      assert.deepEqual(credits.map((x) => signed(x.amount, "amount")), [12n * ONE, 12n * ONE]);
      assert.equal(uint(outputs.issued, "issued"), 24n * ONE);
    },
  };
}

function beforeAggregationCase(): Case {
  const { a, b, beacon, shard1 } = twoValidators();
  return {
    name: "before_aggregation",
    description: "Epoch 400 (Harmony 68 %, 7 ONE, every block pays): a shard-1 crosslink signed " +
      "by A alone pays A 7 ONE (TruncateInt); the beacon block's signers A and B share 7 ONE as " +
      "0.25/0.75 of their 32 % (RoundInt). A's 7 then 1.75 ONE each lose 10 % commission and " +
      "split 60:40: A's delegations gain 5.6 and 3.15 ONE.",
    inputs: distributeInputs({
      blockNumber: 7_000_000n,
      epoch: 400n,
      states: [states(400n, beacon, shard1)],
      signatures: [{
        parent: signedBlock(400n, beacon, allSign(beacon)),
        crossLinks: [signedBlock(400n, shard1, bitmap(shard1, [0]))],
      }],
      validators: [a, b],
    }),
    check(outputs) {
      const [a2, b2] = outWrappers(outputs);
      assert.deepEqual(a2.delegations.map((d) => d.reward), [
        5_600n * ONE / 1000n,
        3_150n * ONE / 1000n,
      ]);
      assert.equal(b2.blockReward, 5_250n * ONE / 1000n);
      assert.deepEqual(a2.counters, { numBlocksToSign: 2n, numBlocksSigned: 2n });
      assert.equal(uint(outputs.total, "total"), 14n * ONE);
    },
  };
}

function aggregatedCase(): Case {
  const { a, b, beacon, shard1 } = twoValidators();
  return {
    name: "aggregated_window",
    description: "Epoch 1000 (Harmony 49 %, 7 ONE), reward block: 64 beacon blocks, A missing " +
      "from the first 16, one shard-1 crosslink for A. A: 48·1.75 + 7 = 91 ONE; B: 48·5.25 + " +
      "16·7 = 364 ONE; each validator paid once, in address order.",
    inputs: distributeInputs({
      blockNumber: 6_324_224n + 64n * 100n + 63n,
      epoch: 1000n,
      states: [states(1000n, beacon, shard1)],
      signatures: window(
        1000n,
        beacon,
        64,
        (i) => bitmap(beacon, i < 16 ? [1, 2] : [0, 1, 2]),
        (i) => i === 40 ? [signedBlock(1000n, shard1, bitmap(shard1, [0]))] : [],
      ),
      validators: [b, a],
    }),
    check(outputs) {
      const [b2, a2] = outWrappers(outputs);
      assert.equal(a2.blockReward, 91n * ONE);
      assert.equal(b2.blockReward, 364n * ONE);
      assert.deepEqual(a2.delegations.map((d) => d.reward), [
        58_240n * ONE / 1000n,
        32_760n * ONE / 1000n,
      ]);
      assert.deepEqual(a2.counters, { numBlocksToSign: 65n, numBlocksSigned: 49n });
      assert.equal(uint(outputs.total, "total"), 455n * ONE);
    },
  };
}

function offBlockCase(): Case {
  const { a, b, beacon } = twoValidators();
  return {
    name: "aggregated_off_block",
    description: "Epoch 1000, block 63 + 64k − 1: not a reward block; nothing is counted or paid.",
    inputs: distributeInputs({
      blockNumber: 6_324_224n + 64n * 100n + 62n,
      epoch: 1000n,
      states: [states(1000n, beacon)],
      signatures: [],
      validators: [a, b],
    }),
    check(outputs) {
      const [a2] = outWrappers(outputs);
      assert.equal(a2.blockReward, 0n);
      assert.equal(uint(outputs.total, "total"), 0n);
    },
  };
}

function hip30Case(): Case {
  const { a, b, beacon, shard1 } = twoValidators();
  return {
    name: "hip30_recovery",
    description:
      "Epoch 2200 (HIP30): the window has 64 pseudo-crosslinks and two crosslinks, one " +
      "of a pre-staking epoch (it pays nobody but counts): 66 · 3.5 = 231 ONE to the recovery " +
      "address; validators share 10.5 ONE per staking block, 65 · 10.5 = 682.5 ONE.",
    inputs: distributeInputs({
      blockNumber: 6_324_224n + 64n * 1000n + 63n,
      epoch: 2200n,
      states: [states(2200n, beacon, shard1), states(100n, beacon, shard1)],
      signatures: window(
        2200n,
        beacon,
        64,
        () => allSign(beacon),
        (i) =>
          i === 40
            ? [
              signedBlock(2200n, shard1, bitmap(shard1, [0])),
              signedBlock(100n, shard1, bitmap(shard1, [0])),
            ]
            : [],
      ),
      validators: [a, b],
    }),
    check(outputs) {
      const credit = rec(outputs.recovery_credit, "recovery");
      assert.equal(signed(credit.amount, "amount"), 231n * ONE);
      assert.equal(uint(outputs.total, "total"), 682_500n * ONE / 1000n);
    },
  };
}

function roundingCase(): Case {
  const ws = [1, 2, 3].map((i) => validator(i, [100n * ONE]));
  const c = committeeOf(ws.map((w) => stakedSlot(w, 0, 100n)));
  // A reward block of testnet epoch 3100 (first block 76 + 8192·3098, 12 mod 64).
  const blockNumber = firstBlockOfEpoch(TESTNET, 3100n) + 51n;
  return {
    name: "hip30_rounding",
    description: "Testnet epoch 3100 (HIP30, no Harmony vote): three equal validators hold " +
      "0.333333333333333333, …333 and …334 (the fix-up on the last); the first and the last " +
      "sign every block. Quo gives them 0.499999999999999999 and 0.500000000000000001 of " +
      "10.5 ONE, truncated to 5249999999999999989 and 5250000000000000010 atto: one atto per " +
      "block is not distributed.",
    inputs: distributeInputs({
      blockNumber,
      epoch: 3100n,
      states: [states(3100n, c)],
      signatures: window(3100n, c, 64, () => bitmap(c, [0, 2])),
      validators: ws,
    }),
    check(outputs) {
      const [w1, w2, w3] = outWrappers(outputs);
      assert.equal(w1.blockReward, 64n * 5249999999999999989n);
      assert.equal(w2.blockReward, 0n);
      assert.equal(w3.blockReward, 64n * 5250000000000000010n);
      // Undistributed is a Dec of atto: 64 atto.
      assert.equal(signed(outputs.undistributed, "undistributed"), 64n * ONE);
      assert.equal(
        signed(rec(outputs.recovery_credit, "r").amount, "amount"),
        64n * 3_500n * ONE / 1000n,
      );
    },
  };
}

function localnetCase(): Case {
  const { a, b, beacon } = twoValidators();
  return {
    name: "localnet_window_16",
    description: "Localnet epoch 3 (Harmony 68 %, 7 ONE): reward block 47 pays the 16 blocks " +
      "32–47; A and B sign all: 16·1.75 and 16·5.25 ONE.",
    inputs: distributeInputs({
      blockNumber: 47n,
      epoch: 3n,
      states: [states(3n, beacon)],
      signatures: window(3n, beacon, 16, () => allSign(beacon)),
      validators: [a, b],
    }),
    check(outputs) {
      const [a2, b2] = outWrappers(outputs);
      assert.equal(a2.blockReward, 28n * ONE);
      assert.equal(b2.blockReward, 84n * ONE);
    },
  };
}

function errorCases(): Case[] {
  const { a, b, beacon } = twoValidators();
  const good = window(1000n, beacon, 64, () => allSign(beacon));
  const s = {
    blockNumber: 6_324_224n + 63n,
    epoch: 1000n,
    states: [states(1000n, beacon)],
    validators: [a, b],
  };
  const missing = distributeInputs({ ...s, signatures: good });
  missing.snapshots = writeSnapshots(snapshotsOf(1000n, [b]));
  return [
    {
      name: "window_too_short",
      description: "A reward block needs exactly 64 beacon blocks of signatures.",
      inputs: distributeInputs({ ...s, signatures: good.slice(1) }),
      expect: { error: "reward/wrong-signature-count" },
    },
    {
      name: "snapshot_missing",
      description: "A's snapshot for the epoch is missing: Go's ReadValidatorSnapshot fails.",
      inputs: missing,
      expect: { error: "reward/snapshot-not-found" },
    },
    {
      name: "bitmap_wrong_length",
      description: "A bitmap of two bytes for a 3-slot committee is refused (Go SetMask).",
      inputs: distributeInputs({
        ...s,
        signatures: window(1000n, beacon, 64, () => new Uint8Array([7, 0])),
      }),
      expect: { error: "bls/bitmap-length-mismatch" },
    },
  ];
}

/** The `epoch` runner's reward suites. */
export const REWARD_SUITES: Suite[] = [
  suite(blockRewardHandler(MAINNET), MAINNET_REWARD_CASES),
  suite(blockRewardHandler(LOCALNET), LOCALNET_REWARD_CASES),
  suite(blockRewardHandler(TESTNET), TESTNET_REWARD_CASES),
  suite(distributeHandler(MAINNET), [
    preStakingCase(),
    beforeAggregationCase(),
    aggregatedCase(),
    offBlockCase(),
    hip30Case(),
    ...errorCases(),
  ]),
  suite(distributeHandler(LOCALNET), [localnetCase()]),
  suite(distributeHandler(TESTNET), [roundingCase()]),
];
