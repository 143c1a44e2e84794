/**
 * Conformance cases for `create_validator` and `edit_validator`.
 *
 * The mainnet cases restate the tables of Harmony's `core/staking_verifier_test.go`
 * (`TestVerifyAndCreateValidatorFromMsg`, `TestVerifyAndEditValidatorFromMsg`), numbered as there,
 * with the Go test's default state (five validators, rates 0.4 / 0.9 / 0.4, self-delegation
 * 20,000 ONE, commission update height 90) and its block number 100; the Go test's epochs 5, 15
 * and 20 with first election epoch 10 and a 10-epoch promotion become mainnet epochs where the
 * same relations hold under mainnet's 100-epoch promotion. Cases the Go table has but a vector
 * cannot express are left out: missing state or chain arguments, a negative amount or rate (RLP
 * cannot carry one), and a validator flag set without a stored wrapper. Further cases state
 * rules of the Go code the table does not cover (eras of the commission floor, identities, the
 * sanity check through an edit). Every expected wrapper is written out from the Go rules here,
 * not computed by the verifier.
 *
 * @module
 */
import { bytesEqual, utf8ToBytes } from "../../../spec/encoding/bytes.ts";
import { type Dec, decFromMantissa, decFromString } from "../../../spec/numeric/decimal.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import {
  type CreateValidator,
  Directive,
  type EditValidator,
} from "../../../spec/staking/messages.ts";
import {
  descriptionFromText,
  Eligibility,
  registryEntryOf,
  type ValidatorWrapper,
} from "../../../spec/staking/validator.ts";
import { verifyAndCreateValidator, verifyAndEditValidator } from "../../../spec/staking/verify.ts";
import { blsPair, PROTOTYPE_DESCRIPTION } from "../../../test/staking/fixtures.ts";
import type { Case, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  account,
  accountKey,
  base,
  block,
  byteList,
  CREATOR,
  defaultValidator,
  defaultValidators,
  ONE,
  readTransaction,
  signedTx,
  uint,
  VALIDATOR,
  validators,
  wrapperField,
} from "./common.ts";

const d = decFromString;

function createHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "create_validator",
    covers: [
      "decodeStakingTransaction",
      "stakingTransactionSender",
      "decodeStakeMessage",
      "requireStakingSigner",
      "verifyAndCreateValidator",
    ],
    run(inputs) {
      const { msg, sender } = readTransaction(inputs, Directive.CreateValidator);
      const state = validators(inputs);
      const out = verifyAndCreateValidator(block(config, inputs), {
        message: msg.body as CreateValidator,
        balance: uint(inputs, "balance"),
        isValidator: state.some((w) => bytesEqual(w.validator.address, sender)),
        registry: state.map(registryEntryOf),
        harmonyKeys: byteList(inputs, "harmony_keys"),
      });
      return { wrapper: wrapperField(out.wrapper), balance_debit: out.balanceDebit };
    },
  };
}

/** Go's `defaultMsgCreateValidator`: key 11, rates 0.1 / 0.9 / 0.5, 20,000 ONE. */
function createMsg(edit: Partial<CreateValidator> = {}): CreateValidator {
  return {
    validatorAddress: CREATOR,
    description: PROTOTYPE_DESCRIPTION,
    commissionRates: { rate: d("0.1"), maxRate: d("0.9"), maxChangeRate: d("0.5") },
    minSelfDelegation: 10_000n * ONE,
    maxTotalDelegation: 100_000n * ONE,
    slotPubKeys: [blsPair(11).pub],
    slotKeySigs: [blsPair(11).sig],
    amount: 20_000n * ONE,
    ...edit,
  };
}

/** Go's `defaultExpWrapperCreateValidator`, with a chosen self-delegation. */
function expectedCreated(msg: CreateValidator, blockNumber: bigint): ValidatorWrapper {
  return {
    validator: {
      address: CREATOR,
      slotPubKeys: msg.slotPubKeys,
      lastEpochInCommittee: 0n,
      minSelfDelegation: msg.minSelfDelegation,
      maxTotalDelegation: msg.maxTotalDelegation,
      status: Eligibility.Active,
      commission: { rates: msg.commissionRates, updateHeight: blockNumber },
      description: msg.description,
      creationHeight: blockNumber,
    },
    delegations: [{ delegatorAddress: CREATOR, amount: msg.amount, reward: 0n, undelegations: [] }],
    counters: { numBlocksToSign: 0n, numBlocksSigned: 0n },
    blockReward: 0n,
  };
}

function createInputs(config: NetworkConfig, msg: CreateValidator, over: Fields = {}): Fields {
  return {
    tx: signedTx(config, accountKey(5), { directive: Directive.CreateValidator, body: msg }),
    epoch: 700n,
    block_number: 100n,
    balance: 100_000n * ONE,
    validators: defaultValidators().map(wrapperField),
    harmony_keys: [blsPair(99).pub],
    ...over,
  };
}

function createCases(config: NetworkConfig): Case[] {
  const ok = (
    name: string,
    description: string,
    msg: CreateValidator,
    over: Fields = {},
  ): Case => ({
    name,
    description,
    inputs: createInputs(config, msg, over),
    expect: {
      wrapper: wrapperField(expectedCreated(msg, 100n)),
      balance_debit: msg.amount,
    },
  });
  const bad = (
    name: string,
    description: string,
    msg: CreateValidator,
    error: Case["expect"],
    over: Fields = {},
  ): Case => ({
    name,
    description,
    inputs: createInputs(config, msg, over),
    expect: error,
  });
  const existing = defaultValidator(4);
  existing.validator.address = CREATOR;
  existing.validator.slotPubKeys = [blsPair(40).pub];
  existing.delegations[0].delegatorAddress = CREATOR;
  return [
    ok("go_0_valid", "Go case 0: a valid validator, self-delegating 20,000 ONE.", createMsg()),
    bad("go_6_already_validator", "Go case 6: the sender is already a validator.", createMsg(), {
      error: "staking/validator-exists",
    }, { validators: [...defaultValidators(), existing].map(wrapperField) }),
    bad(
      "go_7_bls_key_of_other_validator",
      "Go case 7: the key is validator 0's.",
      createMsg({
        slotPubKeys: [blsPair(0).pub],
      }),
      { error: "staking/duplicate-bls-key" },
    ),
    bad(
      "go_8_insufficient_balance",
      "Go case 8: balance one atto short of the amount.",
      createMsg(),
      {
        error: "staking/insufficient-balance",
      },
      { balance: 20_000n * ONE - 1n },
    ),
    bad(
      "go_9_wrong_key_signature",
      "Go case 9: the signature is another key's.",
      createMsg({
        slotKeySigs: [blsPair(12).sig],
      }),
      { error: "staking/bls-key-signature-mismatch" },
    ),
    bad(
      "go_10_self_delegation_below_minimum",
      "Go case 10: amount one atto below the minimum self-delegation.",
      createMsg({
        amount: 10_000n * ONE - 1n,
      }),
      { error: "staking/self-delegation-too-small" },
    ),
    ok(
      "go_11_self_delegation_at_minimum",
      "Go case 11: amount exactly the minimum self-delegation.",
      createMsg({
        amount: 10_000n * ONE,
      }),
    ),
    bad(
      "duplicate_identity",
      "The identity is validator 0's.",
      createMsg({
        description: { ...PROTOTYPE_DESCRIPTION, identity: utf8ToBytes("harmony-one-0") },
      }),
      { error: "staking/duplicate-identity" },
    ),
    ok(
      "empty_identity_never_collides",
      "An empty identity is not compared.",
      createMsg({
        description: { ...PROTOTYPE_DESCRIPTION, identity: new Uint8Array(0) },
      }),
      {
        validators: defaultValidators().map((w) => ({
          ...w,
          validator: {
            ...w.validator,
            description: { ...w.validator.description, identity: new Uint8Array(0) },
          },
        })).map(wrapperField),
      },
    ),
    bad("harmony_key", "The key is one of Harmony's own.", createMsg(), {
      error: "staking/slot-key-is-harmony-key",
    }, {
      harmony_keys: [blsPair(11).pub],
    }),
    bad(
      "min_self_delegation_below_10000",
      "Minimum self-delegation 9,999 ONE.",
      createMsg({
        minSelfDelegation: 9_999n * ONE,
      }),
      { error: "staking/min-self-delegation-too-small" },
    ),
    bad("no_keys", "No key and no signature.", createMsg({ slotPubKeys: [], slotKeySigs: [] }), {
      error: "staking/no-slot-keys",
    }),
    bad(
      "more_signatures_than_keys",
      "Two signatures for one key.",
      createMsg({
        slotKeySigs: [blsPair(11).sig, blsPair(11).sig],
      }),
      { error: "staking/bls-key-signature-mismatch" },
    ),
    bad(
      "same_key_twice",
      "The same key twice, both signed.",
      createMsg({
        slotPubKeys: [blsPair(11).pub, blsPair(11).pub],
        slotKeySigs: [blsPair(11).sig, blsPair(11).sig],
      }),
      { error: "staking/duplicate-slot-keys" },
    ),
    bad(
      "total_above_maximum",
      "Self-delegation 20,000 ONE above a 15,000 ONE maximum.",
      createMsg({
        maxTotalDelegation: 15_000n * ONE,
      }),
      { error: "staking/total-delegation-too-large" },
    ),
    bad(
      "rate_above_max_rate",
      "Rate 0.95 above max rate 0.9.",
      createMsg({
        commissionRates: { rate: d("0.95"), maxRate: d("0.9"), maxChangeRate: d("0.5") },
      }),
      { error: "staking/rate-above-max-rate" },
    ),
    bad(
      "max_rate_above_one",
      "Max rate 1.1.",
      createMsg({
        commissionRates: { rate: d("0.1"), maxRate: d("1.1"), maxChangeRate: d("0.5") },
      }),
      { error: "staking/commission-rate-out-of-range" },
    ),
    bad(
      "name_too_long",
      "A 141-byte name.",
      createMsg({
        description: { ...PROTOTYPE_DESCRIPTION, name: utf8ToBytes("n".repeat(141)) },
      }),
      { error: "staking/name-too-long" },
    ),
    ok(
      "zero_rate_after_hip30",
      "No commission floor at creation, even at epoch 1700 (HIP-30).",
      createMsg({
        commissionRates: { rate: d("0"), maxRate: d("0.1"), maxChangeRate: d("0.01") },
      }),
      { epoch: 1700n },
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// EditValidator

function editHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "edit_validator",
    covers: [
      "decodeStakingTransaction",
      "stakingTransactionSender",
      "decodeStakeMessage",
      "requireStakingSigner",
      "verifyAndEditValidator",
    ],
    run(inputs) {
      const { msg, sender } = readTransaction(inputs, Directive.EditValidator);
      const state = validators(inputs);
      const rate = inputs.snapshot_rate;
      const out = verifyAndEditValidator(block(config, inputs), {
        message: msg.body as EditValidator,
        wrapper: state.find((w) => bytesEqual(w.validator.address, sender)) ?? null,
        registry: state.map(registryEntryOf),
        harmonyKeys: byteList(inputs, "harmony_keys"),
        firstElectionEpoch: uint(inputs, "first_election_epoch"),
        snapshotRate: rate === null ? null : decFromMantissa(uint(inputs, "snapshot_rate")),
      });
      return { wrapper: wrapperField(out.wrapper) };
    },
  };
}

const EDIT_DESCRIPTION = descriptionFromText({
  name: "batman",
  identity: "batman",
  website: "",
  securityContact: "",
  details: "",
});

/** Go's `defaultMsgEditValidator`: rate 0.2, remove key 0, add key 12, status Inactive. */
function editMsg(edit: Partial<EditValidator> = {}): EditValidator {
  return {
    validatorAddress: VALIDATOR[0],
    description: EDIT_DESCRIPTION,
    commissionRate: d("0.2"),
    minSelfDelegation: null,
    maxTotalDelegation: null,
    slotKeyToRemove: blsPair(0).pub,
    slotKeyToAdd: blsPair(12).pub,
    slotKeyToAddSig: blsPair(12).sig,
    eposStatus: Eligibility.Inactive,
    ...edit,
  };
}

/** Go's `defaultExpWrapperEditValidator`, with a chosen rate and update height. */
function expectedEdited(rate: Dec, updateHeight: bigint): ValidatorWrapper {
  const w = defaultValidator(0);
  const v = w.validator;
  v.slotPubKeys = [blsPair(1).pub, blsPair(12).pub];
  v.description = {
    ...v.description,
    name: EDIT_DESCRIPTION.name,
    identity: EDIT_DESCRIPTION.identity,
  };
  v.commission = { rates: { ...v.commission.rates, rate }, updateHeight };
  v.status = Eligibility.Inactive;
  return w;
}

function editInputs(
  config: NetworkConfig,
  msg: EditValidator,
  over: Fields = {},
  signer = 0,
): Fields {
  return {
    tx: signedTx(config, accountKey(signer), { directive: Directive.EditValidator, body: msg }),
    epoch: 700n,
    block_number: 100n,
    validators: defaultValidators().map(wrapperField),
    harmony_keys: [blsPair(99).pub],
    first_election_epoch: 650n,
    snapshot_rate: d("0.4").mantissa,
    ...over,
  };
}

function editCases(config: NetworkConfig): Case[] {
  const ok = (
    name: string,
    description: string,
    msg: EditValidator,
    w: ValidatorWrapper,
    over: Fields = {},
  ): Case => ({
    name,
    description,
    inputs: editInputs(config, msg, over),
    expect: { wrapper: wrapperField(w) },
  });
  const bad = (
    name: string,
    description: string,
    msg: EditValidator,
    error: Case["expect"],
    over: Fields = {},
    signer = 0,
  ): Case => ({
    name,
    description,
    inputs: editInputs(config, msg, over, signer),
    expect: error,
  });
  const banned = defaultValidators();
  banned[0].validator.status = Eligibility.Banned;
  const inactive = defaultValidators();
  inactive[0].validator.status = Eligibility.Inactive;
  inactive[0].delegations[0].amount = 5_000n * ONE;
  const keep = {
    slotKeyToRemove: null,
    slotKeyToAdd: null,
    slotKeyToAddSig: null,
    description: descriptionFromText({
      name: "",
      identity: "",
      website: "",
      securityContact: "",
      details: "",
    }),
  };
  return [
    ok(
      "go_0_valid",
      "Go case 0: description, rate 0.4 → 0.2, key 0 replaced by key 12, Inactive.",
      editMsg(),
      expectedEdited(d("0.2"), 100n),
    ),
    ok(
      "go_1_rate_unchanged_keeps_update_height",
      "Go case 1: no rate: the update height stays 90.",
      editMsg({ commissionRate: null }),
      expectedEdited(d("0.4"), 90n),
    ),
    bad(
      "go_5_not_a_validator",
      "Go case 5: the sender is not a validator.",
      editMsg({ validatorAddress: account(8) }),
      {
        error: "staking/validator-not-found",
      },
      {},
      8,
    ),
    bad(
      "go_6_key_of_other_validator",
      "Go case 6: the added key is validator 1's.",
      editMsg({
        slotKeyToAdd: blsPair(3).pub,
        slotKeyToAddSig: blsPair(3).sig,
      }),
      { error: "staking/duplicate-bls-key" },
    ),
    bad(
      "go_8_wrong_key_signature",
      "Go case 8: the signature is key 13's.",
      editMsg({ slotKeyToAddSig: blsPair(13).sig }),
      {
        error: "staking/bls-key-signature-mismatch",
      },
    ),
    bad(
      "go_9_rate_above_max_rate",
      "Go case 9: rate 1 above max rate 0.9 (snapshot rate 0.7).",
      editMsg({ commissionRate: d("1") }),
      {
        error: "staking/commission-rate-too-high",
      },
      { snapshot_rate: d("0.7").mantissa },
    ),
    bad("go_10_no_snapshot", "Go case 10: the validator has no snapshot.", editMsg(), {
      error: "staking/validator-snapshot-not-found",
    }, { snapshot_rate: null }),
    bad(
      "go_11_change_above_max_change_rate",
      "Go case 11: 0.4 → 0.85 moves 0.45 > 0.4.",
      editMsg({ commissionRate: d("0.85") }),
      {
        error: "staking/commission-rate-change-too-fast",
      },
    ),
    bad("go_13_banned", "Go case 13: a banned validator cannot be edited.", editMsg(), {
      error: "staking/validator-banned",
    }, {
      validators: banned.map(wrapperField),
    }),
    bad(
      "go_14_below_floor_after_promotion",
      "Go case 14: rate 0.01 below the 5 % floor 100 epochs after the first election.",
      editMsg({
        commissionRate: d("0.01"),
      }),
      { error: "staking/commission-rate-too-low" },
      { epoch: 750n },
    ),
    ok(
      "go_15_below_floor_during_promotion",
      "Go case 15: rate 0.01 allowed 99 epochs after the first election.",
      editMsg({
        commissionRate: d("0.01"),
      }),
      expectedEdited(d("0.01"), 100n),
      { epoch: 749n },
    ),
    ok(
      "below_floor_never_elected",
      "A validator never elected may go below the floor.",
      editMsg({ commissionRate: d("0.01") }),
      expectedEdited(d("0.01"), 100n),
      {
        epoch: 900n,
        first_election_epoch: 0n,
      },
    ),
    ok(
      "no_floor_before_631",
      "Before MinCommissionRate (631) a rate of 0 is fine.",
      editMsg({ commissionRate: d("0") }),
      expectedEdited(d("0"), 100n),
      {
        epoch: 630n,
        first_election_epoch: 500n,
      },
    ),
    bad(
      "hip30_floor_7_percent",
      "From HIP-30 (1673) the floor is 7 %: 0.06 is refused.",
      editMsg({ commissionRate: d("0.06") }),
      {
        error: "staking/commission-rate-too-low",
      },
      { epoch: 1700n },
    ),
    ok(
      "hip30_floor_met",
      "7 % meets the HIP-30 floor.",
      editMsg({ commissionRate: d("0.07") }),
      expectedEdited(d("0.07"), 100n),
      {
        epoch: 1700n,
      },
    ),
    bad(
      "duplicate_identity",
      "The new identity is validator 1's.",
      editMsg({
        description: { ...EDIT_DESCRIPTION, identity: utf8ToBytes("harmony-one-1") },
      }),
      { error: "staking/duplicate-identity" },
    ),
    bad(
      "remove_unknown_key",
      "The key to remove is not the validator's.",
      editMsg({ slotKeyToRemove: blsPair(15).pub }),
      {
        error: "staking/slot-key-to-remove-not-found",
      },
    ),
    bad(
      "add_own_key",
      "The key to add is already the validator's.",
      editMsg({
        slotKeyToRemove: null,
        slotKeyToAdd: blsPair(1).pub,
        slotKeyToAddSig: blsPair(1).sig,
      }),
      { error: "staking/slot-key-to-add-exists" },
    ),
    bad("add_harmony_key", "The key to add is Harmony's.", editMsg(), {
      error: "staking/slot-key-is-harmony-key",
    }, {
      harmony_keys: [blsPair(12).pub],
    }),
    bad(
      "add_key_without_signature",
      "A key to add without its signature (Go panics here; see deviations).",
      editMsg({
        slotKeyToAddSig: null,
      }),
      { error: "staking/bls-signature-missing" },
    ),
    bad(
      "raise_minimum_above_self_delegation",
      "Minimum self-delegation 30,000 ONE while Active with 20,000.",
      editMsg({
        ...keep,
        commissionRate: null,
        minSelfDelegation: 30_000n * ONE,
        eposStatus: Eligibility.Nil,
      }),
      { error: "staking/self-delegation-too-small" },
    ),
    bad(
      "reactivate_below_minimum",
      "An Inactive validator with 5,000 ONE cannot become Active.",
      editMsg({
        ...keep,
        commissionRate: null,
        eposStatus: Eligibility.Active,
      }),
      { error: "staking/self-delegation-too-small" },
      { validators: inactive.map(wrapperField) },
    ),
  ];
}

/** The `create_validator` and `edit_validator` suites (mainnet, plus one localnet case each). */
export const VALIDATOR_SUITES: Suite[] = [
  suite(createHandler(MAINNET), createCases(MAINNET)),
  suite(createHandler(LOCALNET), [{
    name: "valid",
    description: "A valid validator on localnet, epoch 1.",
    inputs: createInputs(LOCALNET, createMsg(), { epoch: 1n }),
    expect: {
      wrapper: wrapperField(expectedCreated(createMsg(), 100n)),
      balance_debit: 20_000n * ONE,
    },
  }]),
  suite(editHandler(MAINNET), editCases(MAINNET)),
  suite(editHandler(LOCALNET), [{
    name: "below_floor_after_promotion",
    description:
      "Localnet: 5 % floor from epoch 0, 10-epoch promotion: rate 0.01 at epoch 20 after a first election at 10.",
    inputs: editInputs(LOCALNET, editMsg({ commissionRate: d("0.01") }), {
      epoch: 20n,
      first_election_epoch: 10n,
    }),
    expect: { error: "staking/commission-rate-too-low" },
  }]),
];
