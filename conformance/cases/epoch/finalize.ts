/**
 * Conformance cases for the `finalize_epoch` handler of the `epoch` runner: Go's `Finalize` on
 * the beacon chain, composed of the election, the undelegation payout, the commission upkeep,
 * the availability verdict, the rewards, the slashes and the HIP-30 recovery credit. The format
 * is in `conformance/formats/epoch.md`.
 *
 * Expectations are worked by hand in each case's description from the rules of the Go node
 * (`internal/chain/engine.go` `Finalize` and the functions it calls).
 *
 * @module
 */
import assert from "node:assert/strict";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import { lastBlockOfEpoch } from "../../../spec/sharding/schedule.ts";
import type { Committee, ShardState } from "../../../spec/sharding/shard-state.ts";
import type { GenesisAccount } from "../../../spec/staking/election.ts";
import { finalizeBlock, type FinalizeInput } from "../../../spec/staking/finalize.ts";
import type { BeaconBlockSignatures } from "../../../spec/staking/rewards.ts";
import { encodeSlashRecords, type SlashRecord } from "../../../spec/staking/slashing.ts";
import { Eligibility, type ValidatorWrapper } from "../../../spec/staking/validator.ts";
import { decodeValidatorWrapper } from "../../../spec/staking/wrapper-rlp.ts";
import {
  addr,
  allSign,
  committeeOf,
  harmonySlot,
  keyOf,
  stakedSlot,
  validator,
} from "../../../test/staking/reward-fixtures.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { type Decoded, signedToBytes } from "../../cbor.ts";
import { decodeSlashRecords } from "../../../spec/staking/slashing.ts";
import {
  base,
  bytes,
  creditsField,
  list,
  ONE,
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
import { readAccount } from "../staking/codec.ts";

const K = 1_000n * ONE;

function readEpochEnd(value: Decoded | undefined): FinalizeInput["epochEnd"] {
  if (value === null) return null;
  const r = rec(value, "epoch_end");
  return {
    currentShardState: readShardState(r.current_shard_state),
    electionValidators: readWrappers(r.election_validators, "election_validators"),
    firstElectionEpochs: list(r.first_election_epochs, "firsts").map((x) => uint(x, "first")),
    harmonyAccounts: list(r.harmony_accounts, "harmony").map(readAccount),
    reservedKeys: list(r.reserved_keys, "reserved").map((k) => bytes(k, "key")),
    foundationalAccounts: list(r.foundational_accounts, "foundational").map(readAccount),
  };
}

function finalizeHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "finalize_epoch",
    covers: [
      "finalizeBlock",
      "finalizeEpoch",
      "availabilityOf",
      "eposCandidateOf",
      "payoutUndelegations",
      "maintainCommissionAtElection",
      "updateEposStatuses",
      "computeShardState",
      "accumulateRewardsAndCountSigs",
      "applySlashes",
      "hip30RecoveryCredit",
    ],
    run(inputs) {
      const states = list(inputs.shard_states, "shard_states").map(readShardState);
      const out = finalizeBlock({
        config,
        shardId: uint(inputs.shard_id, "shard_id"),
        blockNumber: uint(inputs.block_number, "block_number"),
        epoch: uint(inputs.epoch, "epoch"),
        coinbase: bytes(inputs.coinbase, "coinbase"),
        validators: readWrappers(inputs.validators, "validators"),
        snapshots: readSnapshots(inputs.snapshots, "snapshots"),
        signatures: readSignatures(inputs.signatures, states),
        slashes: decodeSlashRecords(bytes(inputs.slashes, "slashes")),
        slashSnapshots: readSnapshots(inputs.slash_snapshots, "slash_snapshots"),
        epochEnd: readEpochEnd(inputs.epoch_end),
      });
      return {
        validators: writeWrappers(out.validators),
        first_election_epochs: out.firstElectionEpochs,
        balance_credits: creditsField(out.balanceCredits),
        next_shard_state: out.nextShardState === null ? null : writeShardState(out.nextShardState),
        accumulator_increment: out.accumulatorIncrement,
        undistributed: signedToBytes(out.undistributed.mantissa),
        issued: out.issued,
        burnt: signedToBytes(out.burnt),
        slashed: signedToBytes(out.slashed),
      };
    },
  };
}

// --- scenarios ----------------------------------------------------------------------------------

function harmonyAccounts(count: number): GenesisAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    address: addr(i, 0x11),
    blsPublicKey: keyOf(0xf0, i),
  }));
}

function windowOf(epoch: bigint, committee: Committee, length: number): BeaconBlockSignatures[] {
  return Array.from({ length }, (_, i) => ({
    parent: { shardId: 0n, epoch, blockNumber: BigInt(i), bitmap: allSign(committee), committee },
    crossLinks: [],
  }));
}

function counters(w: ValidatorWrapper, toSign: bigint, signed: bigint): ValidatorWrapper {
  return { ...w, counters: { numBlocksToSign: toSign, numBlocksSigned: signed } };
}

interface World {
  config: NetworkConfig;
  epoch: bigint;
  blockNumber: bigint;
  validators: ValidatorWrapper[];
  snapshots: ValidatorWrapper[];
  committee: Committee;
  window: number;
  slashes?: SlashRecord[];
  epochEnd?: { harmony: number; firsts: bigint[] } | null;
  shardId?: bigint;
}

function finalizeInputs(w: World): Fields {
  const hmy = w.epochEnd ? harmonyAccounts(w.epochEnd.harmony) : [];
  const state: ShardState = { epoch: w.epoch, shards: [w.committee] };
  const snapshots = w.snapshots.map((wrapper) => ({ epoch: w.epoch, wrapper }));
  return {
    shard_id: w.shardId ?? 0n,
    block_number: w.blockNumber,
    epoch: w.epoch,
    coinbase: addr(0x77, 0x22),
    validators: writeWrappers(w.validators),
    snapshots: writeSnapshots(snapshots),
    shard_states: [writeShardState(state)],
    signatures: signaturesField(windowOf(w.epoch, w.committee, w.window)),
    slashes: encodeSlashRecords(w.slashes ?? []),
    slash_snapshots: writeSnapshots(snapshots),
    epoch_end: w.epochEnd
      ? {
        current_shard_state: writeShardState(state),
        election_validators: writeWrappers(w.validators),
        first_election_epochs: w.epochEnd.firsts,
        harmony_accounts: hmy.map((a) => ({ address: a.address, bls_key: a.blsPublicKey })),
        reserved_keys: hmy.map((a) => a.blsPublicKey),
        foundational_accounts: [],
      }
      : null,
  };
}

/** Mainnet epoch 1000: A (0.1; 60k + 40k), B (300k; 5k undelegated at 993), C (2 of 3 signed). */
function mainnetWorld(): World {
  const epoch = 1000n;
  const mark = (w: ValidatorWrapper) => {
    w.validator.lastEpochInCommittee = epoch;
    return w;
  };
  const a = mark(validator(1, [60n * K, 40n * K], "0.1"));
  const b = mark(validator(2, [300n * K, 10n * K]));
  b.delegations[1].undelegations = [{ amount: 5n * K, epoch: 993n }, { amount: K, epoch: 995n }];
  const c = mark(validator(3, [100n * K]));
  return {
    config: MAINNET,
    epoch,
    blockNumber: lastBlockOfEpoch(MAINNET, epoch),
    validators: [counters(a, 200n, 199n), counters(b, 200n, 200n), counters(c, 103n, 102n)],
    snapshots: [a, b, c].map((w) => counters(w, 100n, 100n)),
    committee: committeeOf([
      harmonySlot(0),
      stakedSlot(a, 0, 100n),
      stakedSlot(b, 0, 300n),
      stakedSlot(c, 0, 100n),
    ]),
    window: 64,
    epochEnd: { harmony: 100, firsts: [0n, 0n, 0n] },
  };
}

function outWrappers(outputs: DecodedFields): ValidatorWrapper[] {
  return list(outputs.validators, "v").map((x) => decodeValidatorWrapper(bytes(x, "w")));
}

function credits(outputs: DecodedFields): bigint[] {
  return list(outputs.balance_credits, "c").map((x) => signed(rec(x, "c").amount, "amount"));
}

function slashRecord(offender: Uint8Array): SlashRecord {
  const vote = {
    signerPubKeys: [],
    blockHeaderHash: new Uint8Array(32),
    signature: new Uint8Array(),
  };
  return {
    evidence: {
      moment: { epoch: 1000n, shardId: 0n, height: 5n, viewId: 5n },
      firstVote: vote,
      secondVote: { ...vote, blockHeaderHash: new Uint8Array(32).fill(1) },
      offender,
    },
    reporter: addr(9),
  };
}

const MAINNET_CASES: Case[] = [
  {
    name: "epoch_end",
    description:
      "Last block of mainnet epoch 1000 (a reward block). Election of 1001: C signed 2 " +
      "of 3 since its snapshot and is not eligible; A and B win. Payout: B's delegator gets its " +
      "5k undelegated at 993 (7 epochs); the 1k of 995 stays. Upkeep: A and B enter 1001 with " +
      "first election epoch 1001 (5 % floor, promotion not over). Verdict before counting: C " +
      "becomes Inactive. Rewards: 64 blocks, 7 ONE each, S = 51 %: A and C 1.4 ONE a block, B " +
      "4.2 (Inactive C still earns): 448 ONE.",
    inputs: finalizeInputs(mainnetWorld()),
    check(outputs) {
      const [a, b, c] = outWrappers(outputs);
      assert.deepEqual(credits(outputs), [5n * K]);
      assert.deepEqual(list(outputs.first_election_epochs, "f").map((x) => uint(x, "f")), [
        1001n,
        1001n,
        0n,
      ]);
      assert.deepEqual([a, b, c].map((w) => w.validator.lastEpochInCommittee), [
        1001n,
        1001n,
        1000n,
      ]);
      assert.equal(c.validator.status, Eligibility.Inactive);
      assert.equal(a.blockReward, 89_600n * ONE / 1000n);
      assert.equal(b.blockReward, 268_800n * ONE / 1000n);
      assert.equal(uint(outputs.issued, "issued"), 448n * ONE);
      const next = readShardState(outputs.next_shard_state);
      const external = next.shards.flatMap((s) => s.slots).filter((s) => s.effectiveStake !== null);
      assert.deepEqual(external.map((s) => s.ecdsaAddress[19]).sort(), [1, 2]);
    },
  },
  {
    name: "slash_mid_epoch",
    description: "A reward block inside epoch 1000 with a slash of A (snapshot 60k self, 40k " +
      "delegator): self −30k, delegator −24k; 54k slashed, 27k to the coinbase, 27k burnt.",
    inputs: finalizeInputs({
      ...mainnetWorld(),
      blockNumber: lastBlockOfEpoch(MAINNET, 1000n) - 64n,
      epochEnd: null,
      slashes: [slashRecord(addr(1))],
    }),
    check(outputs) {
      const [a] = outWrappers(outputs);
      assert.equal(a.validator.status, Eligibility.Banned);
      assert.deepEqual(a.delegations.map((d) => d.amount), [30n * K, 16n * K]);
      assert.equal(signed(outputs.slashed, "slashed"), 54n * K);
      assert.equal(signed(outputs.burnt, "burnt"), 27n * K);
      assert.deepEqual(credits(outputs), [27n * K]);
    },
  },
  {
    name: "hip30_recovery",
    description: "A reward block of epoch 2200 (HIP30): 64 signed blocks, 3.5 ONE each to the " +
      "recovery address (224 ONE), 10.5 ONE each to the validators.",
    inputs: finalizeInputs({
      ...mainnetWorld(),
      epoch: 2200n,
      blockNumber: lastBlockOfEpoch(MAINNET, 2200n) - 64n,
      epochEnd: null,
    }),
    check(outputs) {
      assert.deepEqual(credits(outputs), [224n * ONE]);
      assert.equal(uint(outputs.issued, "issued"), 896n * ONE);
      assert.equal(uint(outputs.accumulator_increment, "acc"), 672n * ONE);
    },
  },
  {
    name: "slash_outside_beacon",
    description: "Slashes in a block of shard 1 make Finalize fail.",
    inputs: finalizeInputs({
      ...mainnetWorld(),
      shardId: 1n,
      blockNumber: 9n,
      epochEnd: null,
      slashes: [slashRecord(addr(1))],
    }),
    expect: { error: "slash/not-allowed" },
  },
  {
    name: "epoch_end_input_missing",
    description: "The last beacon block of an epoch needs the epoch-end inputs.",
    inputs: finalizeInputs({ ...mainnetWorld(), epochEnd: null }),
    expect: { error: "finalize/epoch-end-input-missing" },
  },
];

function localnetWorld(): World {
  const epoch = 3n;
  const a = validator(1, [20n * K], "0.1");
  a.validator.lastEpochInCommittee = epoch;
  return {
    config: LOCALNET,
    epoch,
    blockNumber: lastBlockOfEpoch(LOCALNET, epoch),
    validators: [counters(a, 10n, 10n)],
    snapshots: [a],
    committee: committeeOf([harmonySlot(0), stakedSlot(a, 0, 100n)]),
    window: 0,
    epochEnd: { harmony: 12, firsts: [1n] },
  };
}

const LOCALNET_CASES: Case[] = [
  {
    name: "epoch_end_off_reward_block",
    description: "Localnet's last block of epoch 3 is block 52, not a reward block (15 mod 16): " +
      "no reward; A (first elected at 1, promotion 10 epochs, floor 5 %) is elected for 4 and " +
      "keeps its 10 % rate.",
    inputs: finalizeInputs(localnetWorld()),
    check(outputs) {
      const [a] = outWrappers(outputs);
      assert.equal(a.validator.lastEpochInCommittee, 4n);
      assert.equal(a.blockReward, 0n);
      assert.equal(uint(outputs.issued, "issued"), 0n);
      assert.deepEqual(list(outputs.first_election_epochs, "f").map((x) => uint(x, "f")), [1n]);
    },
  },
];

/** The `epoch` runner's finalisation suites. */
export const FINALIZE_SUITES: Suite[] = [
  suite(finalizeHandler(MAINNET), MAINNET_CASES),
  suite(finalizeHandler(LOCALNET), LOCALNET_CASES),
];
