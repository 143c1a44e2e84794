/**
 * Conformance cases for `delegate`, `undelegate` and `collect_rewards`.
 *
 * The mainnet cases restate Harmony's `core/staking_verifier_test.go` (`TestVerifyAndDelegateFromMsg`,
 * `TestVerifyAndUndelegateFromMsg`, `TestVerifyAndCollectRewardsFromDelegation`), numbered as
 * there, on the Go test's default state. The Go test switches redelegation on and off through its
 * configuration; on mainnet the same happens by era: epochs before 290 have no redelegation and a
 * 1,000 ONE minimum, 290–630 redelegation with the 1,000 ONE minimum, 631 on the 100 ONE minimum.
 * The Go epochs 5, 6, 7 of the redelegation cases become 305, 306, 307. Cases the Go table has
 * but a vector cannot express (missing state, negative amounts, a validator flag without a
 * stored wrapper) are left out. Expected wrappers are written out from the Go rules here.
 *
 * @module
 */
import {
  bigintToBytes,
  bytesEqual,
  compareBytes,
  concatBytes,
  utf8ToBytes,
} from "../../../spec/encoding/bytes.ts";
import { keccak256 } from "../../../spec/encoding/hash.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import type { Undelegation } from "../../../spec/staking/delegation.ts";
import {
  type CollectRewards,
  type Delegate,
  Directive,
  type Undelegate,
} from "../../../spec/staking/messages.ts";
import { Eligibility, type ValidatorWrapper } from "../../../spec/staking/validator.ts";
import {
  verifyAndCollectRewards,
  verifyAndDelegate,
  verifyAndUndelegate,
} from "../../../spec/staking/verify.ts";
import type { Case, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  account,
  accountKey,
  base,
  block,
  defaultValidators,
  delegationIndexes,
  DELEGATOR,
  indexesField,
  logsField,
  ONE,
  readTransaction,
  signedTx,
  uint,
  VALIDATOR,
  validators,
  wrapperField,
} from "./common.ts";

const K = 1_000n * ONE;
const DELEGATE_TOPIC = keccak256(utf8ToBytes("Harmony/Delegate"));
const COLLECT_TOPIC = keccak256(utf8ToBytes("Harmony/CollectRewards"));

function delegateHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "delegate",
    covers: [
      "decodeStakingTransaction",
      "stakingTransactionSender",
      "decodeStakeMessage",
      "verifyAndDelegate",
    ],
    run(inputs) {
      const { msg } = readTransaction(inputs, Directive.Delegate);
      const out = verifyAndDelegate(block(config, inputs), {
        message: msg.body as Delegate,
        balance: uint(inputs, "balance"),
        wrappers: validators(inputs),
        delegationIndexes: delegationIndexes(inputs),
      });
      return {
        wrappers: out.wrappers.map(wrapperField),
        balance_debit: out.balanceDebit,
        redelegated: out.redelegated.map((r) => ({
          validator: r.validatorAddress,
          amount: r.amount,
        })),
        logs: logsField(out.logs),
      };
    },
  };
}

/** Validator `i` of the default state with one more delegation from the delegator. */
function withDelegator(
  i: number,
  amount: bigint,
  undelegations: Undelegation[] = [],
  reward = 0n,
): ValidatorWrapper {
  const w = defaultValidators()[i];
  w.delegations.push({ delegatorAddress: DELEGATOR, amount, reward, undelegations });
  return w;
}

/** Go's `makeStateForRedelegate`, at mainnet epochs: 5,000 ONE locked since `e0` with v0, `e1` with v1. */
function redelegateState(e0: bigint, e1: bigint): ValidatorWrapper[] {
  const ws = defaultValidators();
  ws[0] = withDelegator(0, 20n * K, [{ amount: 5n * K, epoch: e0 }]);
  ws[1] = withDelegator(1, 20n * K, [{ amount: 5n * K, epoch: e1 }]);
  return ws;
}

const DS: [Uint8Array, bigint][] = [[VALIDATOR[0], 1n], [VALIDATOR[1], 1n]];

function delegateInputs(
  config: NetworkConfig,
  msg: Delegate,
  epoch: bigint,
  state: ValidatorWrapper[],
  over: Fields = {},
  signer = 6,
): Fields {
  return {
    tx: signedTx(config, accountKey(signer), { directive: Directive.Delegate, body: msg }),
    epoch,
    block_number: 100n,
    balance: 100n * K,
    validators: state.map(wrapperField),
    delegation_indexes: indexesField(DS),
    ...over,
  };
}

/** The expected outputs of a delegation. */
function delegated(
  ws: ValidatorWrapper[],
  debit: bigint,
  redelegated: [Uint8Array, bigint][] = [],
): Fields {
  const sorted = redelegated.slice().sort((a, b) => compareBytes(a[0], b[0]));
  return {
    wrappers: ws.map(wrapperField),
    balance_debit: debit,
    redelegated: sorted.map(([validator, amount]) => ({ validator, amount })),
    logs: sorted.map(([validator, amount]) => ({
      address: DELEGATOR,
      topics: [DELEGATE_TOPIC],
      data: concatBytes(validator, bigintToBytes(amount)),
    })),
  };
}

function delegateCases(config: NetworkConfig): Case[] {
  const to0 = (amount: bigint, delegator = DELEGATOR): Delegate => ({
    delegatorAddress: delegator,
    validatorAddress: VALIDATOR[0],
    amount,
  });
  const self = (amount: bigint) => to0(amount, VALIDATOR[0]);
  const selfState = () => {
    const ws = defaultValidators();
    ws[0].delegations[0].amount = 30n * K;
    return ws;
  };
  const banned = defaultValidators();
  banned[0].validator.status = Eligibility.Banned;
  return [
    {
      name: "go_0_new_delegation",
      description: "Go case 0: a new delegation of 10,000 ONE (epoch 200: no redelegation yet).",
      inputs: delegateInputs(config, to0(10n * K), 200n, defaultValidators()),
      expect: delegated([withDelegator(0, 10n * K)], 10n * K),
    },
    {
      name: "go_1_add_to_self_delegation",
      description: "Go case 1: the validator adds 10,000 ONE to its self-delegation.",
      inputs: delegateInputs(config, self(10n * K), 200n, defaultValidators(), {}, 0),
      expect: delegated([selfState()[0]], 10n * K),
    },
    {
      name: "go_3_not_a_validator",
      description: "Go case 3: the target is not a validator.",
      inputs: delegateInputs(
        config,
        { ...to0(10n * K), validatorAddress: account(9) },
        200n,
        defaultValidators(),
      ),
      expect: { error: "staking/validator-not-found" },
    },
    {
      name: "go_5_below_1000_one",
      description: "Go case 5: 100 atto, below the 1,000 ONE minimum.",
      inputs: delegateInputs(config, to0(100n), 200n, defaultValidators()),
      expect: { error: "staking/delegation-too-small" },
    },
    {
      name: "go_7_insufficient_balance",
      description: "Go case 7: a balance of 100 atto.",
      inputs: delegateInputs(config, to0(10n * K), 200n, defaultValidators(), { balance: 100n }),
      expect: { error: "staking/insufficient-balance" },
    },
    {
      name: "go_8_self_above_max_total",
      description: "Go case 8: self-delegating 100,000 ONE more passes the 100,000 ONE maximum.",
      inputs: delegateInputs(config, self(100n * K), 200n, defaultValidators(), {
        balance: 200n * K,
      }, 0),
      expect: { error: "staking/total-delegation-too-large" },
    },
    {
      name: "go_9_delegation_above_max_total",
      description: "Go case 9: delegating 100,000 ONE passes the maximum.",
      inputs: delegateInputs(config, to0(100n * K), 200n, defaultValidators()),
      expect: { error: "staking/total-delegation-too-large" },
    },
    {
      name: "go_10_full_redelegation",
      description:
        "Go case 10: 10,000 ONE entirely from two locked undelegations (epochs 305, 306) at 307.",
      inputs: delegateInputs(config, to0(10n * K), 307n, redelegateState(305n, 306n)),
      expect: delegated([withDelegator(0, 30n * K), withDelegator(1, 20n * K)], 0n, [
        [VALIDATOR[0], 5n * K],
        [VALIDATOR[1], 5n * K],
      ]),
    },
    {
      name: "go_11_redelegation_too_recent",
      description:
        "Go case 11: at 306 only the undelegation of 305 is usable; 5,000 ONE from the balance.",
      inputs: delegateInputs(config, to0(10n * K), 306n, redelegateState(305n, 306n)),
      expect: delegated([withDelegator(0, 30n * K)], 5n * K, [[VALIDATOR[0], 5n * K]]),
    },
    {
      name: "go_12_redelegation_not_enough",
      description: "Go case 12: 20,000 ONE: 10,000 locked, 10,000 from the balance.",
      inputs: delegateInputs(config, to0(20n * K), 307n, redelegateState(305n, 306n)),
      expect: delegated([withDelegator(0, 40n * K), withDelegator(1, 20n * K)], 10n * K, [
        [VALIDATOR[0], 5n * K],
        [VALIDATOR[1], 5n * K],
      ]),
    },
    {
      name: "go_13_nothing_unlocked_yet",
      description:
        "Go case 13: at 305 no undelegation is from an earlier epoch; all from the balance.",
      inputs: delegateInputs(config, to0(10n * K), 305n, redelegateState(305n, 306n)),
      expect: delegated([withDelegator(0, 30n * K, [{ amount: 5n * K, epoch: 305n }])], 10n * K),
    },
    {
      name: "go_14_index_out_of_range",
      description: "Go case 14: the second delegation index points past validator 1's delegations.",
      inputs: delegateInputs(config, self(10n * K), 300n, redelegateState(305n, 306n), {
        delegation_indexes: indexesField([[VALIDATOR[0], 1n], [VALIDATOR[1], 2n]]),
      }, 0),
      expect: { error: "staking/delegation-index-out-of-range" },
    },
    {
      name: "go_16_self_delegation_with_locked_tokens_elsewhere",
      description:
        "Go case 16: the validator self-delegates at 305; nothing usable, the delegator's entries stay.",
      inputs: delegateInputs(config, self(10n * K), 305n, redelegateState(305n, 306n), {}, 0),
      expect: delegated([(() => {
        const w = withDelegator(0, 20n * K, [{ amount: 5n * K, epoch: 305n }]);
        w.delegations[0].amount = 30n * K;
        return w;
      })()], 10n * K),
    },
    {
      name: "go_17_below_100_one",
      description:
        "Go case 17: 90 ONE at epoch 700, below the 100 ONE minimum of MinDelegation100 (631).",
      inputs: delegateInputs(config, to0(90n * ONE), 700n, defaultValidators(), {
        delegation_indexes: [],
      }),
      expect: { error: "staking/delegation-too-small" },
    },
    {
      name: "go_18_500_one_after_631",
      description: "Go case 18: 500 ONE at epoch 700.",
      inputs: delegateInputs(config, to0(500n * ONE), 700n, defaultValidators(), {
        delegation_indexes: [],
      }),
      expect: delegated([withDelegator(0, 500n * ONE)], 500n * ONE),
    },
    {
      name: "999_one_before_631",
      description: "999 ONE at epoch 630 is below the 1,000 ONE minimum.",
      inputs: delegateInputs(config, to0(999n * ONE), 630n, defaultValidators(), {
        delegation_indexes: [],
      }),
      expect: { error: "staking/delegation-too-small" },
    },
    {
      name: "100_one_at_631",
      description: "100 ONE at epoch 631, the first epoch of MinDelegation100.",
      inputs: delegateInputs(config, to0(100n * ONE), 631n, defaultValidators(), {
        delegation_indexes: [],
      }),
      expect: delegated([withDelegator(0, 100n * ONE)], 100n * ONE),
    },
    {
      name: "no_redelegation_before_290",
      description: "At 289 (before Redelegation) locked tokens from 280 and 281 are not used.",
      inputs: delegateInputs(config, to0(10n * K), 289n, redelegateState(280n, 281n)),
      expect: delegated([withDelegator(0, 30n * K, [{ amount: 5n * K, epoch: 280n }])], 10n * K),
    },
    {
      name: "redelegation_at_290",
      description: "At 290 the same locked tokens are used.",
      inputs: delegateInputs(config, to0(10n * K), 290n, redelegateState(280n, 281n)),
      expect: delegated([withDelegator(0, 30n * K), withDelegator(1, 20n * K)], 0n, [
        [VALIDATOR[0], 5n * K],
        [VALIDATOR[1], 5n * K],
      ]),
    },
    {
      name: "partial_use_of_a_locked_entry",
      description:
        "3,000 ONE at 307: taken from the 5,000 locked with validator 0, which keeps 2,000.",
      inputs: delegateInputs(config, to0(3n * K), 307n, redelegateState(305n, 306n)),
      expect: delegated([withDelegator(0, 23n * K, [{ amount: 2n * K, epoch: 305n }])], 0n, [[
        VALIDATOR[0],
        3n * K,
      ]]),
    },
    {
      name: "delegate_to_banned_validator",
      description: "The status is not checked: delegating to a banned validator is accepted.",
      inputs: delegateInputs(config, to0(10n * K), 200n, banned),
      expect: delegated([(() => {
        const w = withDelegator(0, 10n * K);
        w.validator.status = Eligibility.Banned;
        return w;
      })()], 10n * K),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Undelegate

function undelegateHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "undelegate",
    covers: [
      "decodeStakingTransaction",
      "stakingTransactionSender",
      "decodeStakeMessage",
      "verifyAndUndelegate",
    ],
    run(inputs) {
      const { msg } = readTransaction(inputs, Directive.Undelegate);
      const body = msg.body as Undelegate;
      const wrapper = validators(inputs).find((w) =>
        bytesEqual(w.validator.address, body.validatorAddress)
      );
      const out = verifyAndUndelegate(block(config, inputs), {
        message: body,
        wrapper: wrapper ?? null,
      });
      return { wrapper: wrapperField(out.wrapper) };
    },
  };
}

/** Go's `makeDefaultSnapVWrapperForUndelegate` at epoch 700: the delegator has 15,000 ONE and 5,000 locked. */
function undelegateState(): ValidatorWrapper[] {
  const ws = defaultValidators();
  ws[0] = withDelegator(0, 15n * K, [{ amount: 5n * K, epoch: 700n }]);
  return ws;
}

function undelegateInputs(
  config: NetworkConfig,
  msg: Undelegate,
  epoch: bigint,
  state: ValidatorWrapper[],
  signer = 6,
): Fields {
  return {
    tx: signedTx(config, accountKey(signer), { directive: Directive.Undelegate, body: msg }),
    epoch,
    block_number: 100n,
    validators: state.map(wrapperField),
  };
}

function undelegateCases(config: NetworkConfig): Case[] {
  const from0 = (amount: bigint, delegator = DELEGATOR): Undelegate => ({
    delegatorAddress: delegator,
    validatorAddress: VALIDATOR[0],
    amount,
  });
  const selfOut = (amount: bigint, status: number, state = undelegateState()) => {
    const w = state[0];
    w.delegations[0] = {
      ...w.delegations[0],
      amount: 20n * K - amount,
      undelegations: [{ amount, epoch: 700n }],
    };
    w.validator.status = status;
    return { wrapper: wrapperField(w) };
  };
  const bannedState = () => {
    const ws = undelegateState();
    ws[0].validator.status = Eligibility.Banned;
    return ws;
  };
  return [
    {
      name: "go_0_same_epoch_merges",
      description: "Go case 0: undelegating again in epoch 700 adds to the entry of 700.",
      inputs: undelegateInputs(config, from0(5n * K), 700n, undelegateState()),
      expect: {
        wrapper: wrapperField(withDelegator(0, 10n * K, [{ amount: 10n * K, epoch: 700n }])),
      },
    },
    {
      name: "go_1_next_epoch_appends",
      description: "Go case 1: undelegating in epoch 701 adds an entry.",
      inputs: undelegateInputs(config, from0(5n * K), 701n, undelegateState()),
      expect: {
        wrapper: wrapperField(
          withDelegator(0, 10n * K, [{ amount: 5n * K, epoch: 700n }, {
            amount: 5n * K,
            epoch: 701n,
          }]),
        ),
      },
    },
    {
      name: "go_2_self_undelegation",
      description: "Go case 2: the validator undelegates 5,000 of its 20,000 ONE.",
      inputs: undelegateInputs(config, from0(5n * K, VALIDATOR[0]), 700n, undelegateState(), 0),
      expect: selfOut(5n * K, Eligibility.Active),
    },
    {
      name: "go_3_below_minimum_becomes_inactive",
      description:
        "Go case 3: 15,000 ONE leaves 5,000, below the minimum: accepted, the validator becomes Inactive.",
      inputs: undelegateInputs(config, from0(15n * K, VALIDATOR[0]), 700n, undelegateState(), 0),
      expect: selfOut(15n * K, Eligibility.Inactive),
    },
    {
      name: "go_4_banned_stays_banned",
      description: "Go case 4: a banned validator takes its tokens out and stays Banned.",
      inputs: undelegateInputs(config, from0(15n * K, VALIDATOR[0]), 700n, bannedState(), 0),
      expect: selfOut(15n * K, Eligibility.Banned, bannedState()),
    },
    {
      name: "go_8_not_a_validator",
      description: "Go case 8: the target is not a validator.",
      inputs: undelegateInputs(
        config,
        { ...from0(5n * K), validatorAddress: account(9) },
        700n,
        undelegateState(),
      ),
      expect: { error: "staking/validator-not-found" },
    },
    {
      name: "go_10_more_than_delegated",
      description: "Go case 10: 100,000 ONE from a 15,000 ONE delegation.",
      inputs: undelegateInputs(config, from0(100n * K), 700n, undelegateState()),
      expect: { error: "staking/insufficient-delegation" },
    },
    {
      name: "go_11_no_delegation",
      description: "Go case 11: the sender has no delegation with the validator.",
      inputs: undelegateInputs(config, from0(5n * K, account(9)), 700n, undelegateState(), 9),
      expect: { error: "staking/no-delegation-to-undelegate" },
    },
    {
      name: "zero_amount",
      description: "An amount of 0 is refused.",
      inputs: undelegateInputs(config, from0(0n), 700n, undelegateState()),
      expect: { error: "staking/undelegate-amount-not-positive" },
    },
    {
      name: "everything",
      description: "No minimum remains: the whole 15,000 ONE may go.",
      inputs: undelegateInputs(config, from0(15n * K), 700n, undelegateState()),
      expect: { wrapper: wrapperField(withDelegator(0, 0n, [{ amount: 20n * K, epoch: 700n }])) },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// CollectRewards

function collectHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "collect_rewards",
    covers: [
      "decodeStakingTransaction",
      "stakingTransactionSender",
      "decodeStakeMessage",
      "verifyAndCollectRewards",
    ],
    run(inputs) {
      const { msg } = readTransaction(inputs, Directive.CollectRewards);
      const out = verifyAndCollectRewards({
        message: msg.body as CollectRewards,
        wrappers: validators(inputs),
        delegationIndexes: delegationIndexes(inputs),
      });
      return {
        wrappers: out.wrappers.map(wrapperField),
        balance_credit: out.balanceCredit,
        logs: logsField(out.logs),
      };
    },
  };
}

/** Go's `makeStateForReward`: rewards 20,000 / 10,000 ONE with v0, 30,000 / 25,000 with v1. */
function rewardState(r01 = 10n * K, r11 = 25n * K): ValidatorWrapper[] {
  const ws = defaultValidators();
  ws[0] = withDelegator(0, 20n * K, [], r01);
  ws[0].delegations[0].reward = 20n * K;
  ws[1] = withDelegator(1, 20n * K, [], r11);
  ws[1].delegations[0].reward = 30n * K;
  return ws;
}

function collectInputs(
  config: NetworkConfig,
  state: ValidatorWrapper[],
  ds: [Uint8Array, bigint][],
): Fields {
  return {
    tx: signedTx(config, accountKey(6), {
      directive: Directive.CollectRewards,
      body: { delegatorAddress: DELEGATOR },
    }),
    validators: state.map(wrapperField),
    delegation_indexes: indexesField(ds),
  };
}

function collected(total: bigint, r01: bigint, r11: bigint): Fields {
  const ws = rewardState(r01, r11);
  ws[0].delegations[1].reward = 0n;
  ws[1].delegations[1].reward = 0n;
  return {
    wrappers: [ws[0], ws[1]].map(wrapperField),
    balance_credit: total,
    logs: [{ address: DELEGATOR, topics: [COLLECT_TOPIC], data: bigintToBytes(total) }],
  };
}

function collectCases(config: NetworkConfig): Case[] {
  return [
    {
      name: "go_0_collect",
      description: "Go case 0: 10,000 + 25,000 ONE collected; the validators' own rewards stay.",
      inputs: collectInputs(config, rewardState(), DS),
      expect: collected(35n * K, 10n * K, 25n * K),
    },
    {
      name: "go_1_no_rewards",
      description: "Go case 1: the delegation at the index has no reward.",
      inputs: collectInputs(config, defaultValidators(), [[VALIDATOR[1], 0n]]),
      expect: { error: "staking/no-rewards-to-collect" },
    },
    {
      name: "go_3_validator_missing",
      description: "Go case 3: an index names an address with no validator in the state.",
      inputs: collectInputs(config, rewardState(), [[VALIDATOR[0], 1n], [account(9), 1n]]),
      expect: { error: "staking/validator-not-in-state" },
    },
    {
      name: "go_4_index_out_of_range",
      description: "Go case 4: index 2 of a validator with two delegations.",
      inputs: collectInputs(config, rewardState(), [[VALIDATOR[0], 1n], [VALIDATOR[1], 2n]]),
      expect: { error: "staking/delegation-index-out-of-range" },
    },
    {
      name: "total_multiple_of_2_64_is_no_reward",
      description:
        "Quirk: Go tests the total's low 64 bits (Int64() == 0); a total of exactly 2^64 atto is refused.",
      inputs: collectInputs(config, rewardState(1n << 63n, 1n << 63n), DS),
      expect: { error: "staking/no-rewards-to-collect" },
    },
    {
      name: "total_2_64_plus_1",
      description: "A total of 2^64 + 1 atto is collected.",
      inputs: collectInputs(config, rewardState(1n << 63n, (1n << 63n) + 1n), DS),
      expect: collected((1n << 64n) + 1n, 1n << 63n, (1n << 63n) + 1n),
    },
  ];
}

/** The `delegate`, `undelegate` and `collect_rewards` suites. */
export const DELEGATION_SUITES: Suite[] = [
  suite(delegateHandler(MAINNET), delegateCases(MAINNET)),
  suite(delegateHandler(LOCALNET), [{
    name: "100_one_with_redelegation",
    description:
      "Localnet has MinDelegation100 and Redelegation from epoch 0: 100 ONE partly from a lock of epoch 0, at epoch 1.",
    inputs: delegateInputs(
      LOCALNET,
      { delegatorAddress: DELEGATOR, validatorAddress: VALIDATOR[0], amount: 100n * ONE },
      1n,
      (() => {
        const ws = defaultValidators();
        ws[0] = withDelegator(0, 20n * K, [{ amount: 40n * ONE, epoch: 0n }]);
        return ws;
      })(),
      { delegation_indexes: indexesField([[VALIDATOR[0], 1n]]) },
    ),
    expect: delegated([withDelegator(0, 20n * K + 100n * ONE)], 60n * ONE, [[
      VALIDATOR[0],
      40n * ONE,
    ]]),
  }]),
  suite(undelegateHandler(MAINNET), undelegateCases(MAINNET)),
  suite(collectHandler(MAINNET), collectCases(MAINNET)),
];
