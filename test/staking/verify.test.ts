/**
 * Properties of the staking verifier over random sequences of Delegate, Undelegate and
 * CollectRewards messages on mainnet (the Go tables themselves are the `staking` conformance
 * cases, which run as tests too):
 *
 * - tokens are conserved: the delegator's balance plus its stake plus its locked undelegations
 *   never change through these messages;
 * - a validator's stake (`totalDelegation`) is the sum of its delegations' amounts;
 * - the verifiers are pure: accepted or rejected, they leave their inputs exactly as they were.
 *
 * Each property is shown to catch a deliberately broken verifier.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isSpecError } from "../../spec/errors.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import {
  type DelegationIndex,
  findDelegation,
  payoutUndelegations,
  totalInUndelegation,
} from "../../spec/staking/delegation.ts";
import { totalDelegation, type ValidatorWrapper } from "../../spec/staking/validator.ts";
import {
  type StakingBlock,
  verifyAndCollectRewards,
  verifyAndDelegate,
  verifyAndUndelegate,
} from "../../spec/staking/verify.ts";
import type { SupplyAccounting } from "../../spec/chain/state.ts";
import { stakeIsSumOfDelegations, supplyMatches } from "../../spec/invariants.ts";
import { catches, holds } from "../support/property.ts";
import { makeTestAddr, ones, prototypeWrapper } from "./fixtures.ts";

const V = makeTestAddr("validator");
const D = makeTestAddr("delegator");

/** One step of a random history. */
interface Op {
  kind: "delegate" | "undelegate" | "collect";
  amount: bigint;
  epochs: bigint;
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom("delegate", "undelegate", "collect"),
  amount: fc.oneof(
    fc.bigInt({ min: 0n, max: ones(3_000n) }),
    fc.constant(ones(100n)),
    fc.constant(ones(1_000n)),
  ),
  epochs: fc.bigInt({ min: 0n, max: 9n }),
}, { noNullPrototype: true }) as fc.Arbitrary<Op>;

/** The verifiers a history runs through (replaced by broken ones to show the properties fail). */
interface Verifiers {
  delegate: typeof verifyAndDelegate;
  undelegate: typeof verifyAndUndelegate;
  collect: typeof verifyAndCollectRewards;
  stake: typeof totalDelegation;
}

const SPEC: Verifiers = {
  delegate: verifyAndDelegate,
  undelegate: verifyAndUndelegate,
  collect: verifyAndCollectRewards,
  stake: totalDelegation,
};

/** A closed model's accounting: nothing issued, burnt or moved across shards. */
function closed(genesis: bigint): SupplyAccounting {
  return { genesis, issued: 0n, burnt: 0n, sent: 0n, received: 0n };
}

/** The delegator's tokens: balance, stake and locked undelegations. */
function tokens(w: ValidatorWrapper, balance: bigint): bigint {
  const i = findDelegation(w.delegations, D);
  return balance + (i < 0 ? 0n : w.delegations[i].amount + totalInUndelegation(w.delegations[i]));
}

/** Calls `f` on `input` and asserts that `input` is unchanged afterwards, whatever happens. */
function pure<I, O>(f: (input: I) => O, input: I): O | null {
  const before = structuredClone(input);
  try {
    return f(input);
  } catch (e) {
    if (!isSpecError(e)) throw e;
    return null;
  } finally {
    assert.deepEqual(input, before, "a verifier changed its input");
  }
}

/** Runs a history from epoch 300 (Redelegation on, 1,000 ONE minimum), checking both properties. */
function runHistory(ops: Op[], v: Verifiers): void {
  let wrapper = prototypeWrapper(V, [new Uint8Array(48).fill(1)]);
  wrapper.validator.maxTotalDelegation = ones(10n ** 9n);
  let balance = ones(10_000n);
  let epoch = 300n;
  const conserved = tokens(wrapper, balance);
  for (const o of ops) {
    epoch += o.epochs;
    const block: StakingBlock = { config: MAINNET, epoch, blockNumber: 1n };
    const i = findDelegation(wrapper.delegations, D);
    const indexes: DelegationIndex[] = i < 0 ? [] : [{ validatorAddress: V, index: BigInt(i) }];
    if (o.kind === "delegate") {
      const message = { delegatorAddress: D, validatorAddress: V, amount: o.amount };
      const out = pure((input) => v.delegate(block, input), {
        message,
        balance,
        wrappers: [wrapper],
        delegationIndexes: indexes,
      });
      if (out !== null) {
        wrapper = out.wrappers[out.wrappers.length - 1];
        balance -= out.balanceDebit;
      }
    } else if (o.kind === "undelegate") {
      const message = { delegatorAddress: D, validatorAddress: V, amount: o.amount };
      const out = pure((input) => v.undelegate(block, input), { message, wrapper });
      if (out !== null) wrapper = out.wrapper;
    } else {
      pure((input) => v.collect(input), {
        message: { delegatorAddress: D },
        wrappers: [wrapper],
        delegationIndexes: indexes,
      });
    }
    assert.equal(supplyMatches(tokens(wrapper, balance), closed(conserved)), true);
    assert.equal(stakeIsSumOfDelegations(wrapper, v.stake(wrapper)), true);
  }
}

test("Delegate/Undelegate/CollectRewards conserve tokens and leave their inputs untouched", () => {
  holds(fc.property(fc.array(op, { maxLength: 12 }), (ops) => runHistory(ops, SPEC)), 150);
});

test("the conservation property catches a Delegate that charges the balance for redelegated tokens", () => {
  const broken: Verifiers = {
    ...SPEC,
    delegate: (block, input) => ({
      ...verifyAndDelegate(block, input),
      balanceDebit: input.message.amount,
    }),
  };
  catches(fc.property(fc.array(op, { maxLength: 12 }), (ops) => runHistory(ops, broken)), 300);
});

test("the stake check catches a total delegation that counts the undelegations", () => {
  const broken: Verifiers = {
    ...SPEC,
    stake: (w) => {
      let total = totalDelegation(w);
      for (const d of w.delegations) total += totalInUndelegation(d);
      return total;
    },
  };
  catches(fc.property(fc.array(op, { maxLength: 12 }), (ops) => runHistory(ops, broken)), 300);
});

test("the purity property catches an Undelegate that edits the stored wrapper before rejecting", () => {
  const broken: Verifiers = {
    ...SPEC,
    undelegate: (block, input) => {
      const i = findDelegation(input.wrapper!.delegations, input.message.delegatorAddress);
      if (i >= 0 && input.message.amount > input.wrapper!.delegations[i].amount) {
        input.wrapper!.delegations[i].amount = 0n; // the bug: touches the input, then rejects
      }
      return verifyAndUndelegate(block, input);
    },
  };
  catches(fc.property(fc.array(op, { maxLength: 12 }), (ops) => runHistory(ops, broken)), 300);
});

test("payoutUndelegations pays out exactly what it removes before MaxRate", () => {
  const entries = fc.array(
    fc.record({
      amount: fc.bigInt({ min: 1n, max: 1000n }),
      epoch: fc.bigInt({ min: 280n, max: 700n }),
    }, { noNullPrototype: true }),
    { maxLength: 5 },
  );
  const property = (payout: typeof payoutUndelegations) =>
    fc.property(entries, fc.bigInt({ min: 290n, max: 1700n }), (us, epoch) => {
      const w = prototypeWrapper(V, [new Uint8Array(48)]);
      const sorted = us.slice().sort((
        a,
        b,
      ) => (a.epoch < b.epoch ? -1 : a.epoch > b.epoch ? 1 : 0));
      w.delegations.push({ delegatorAddress: D, amount: 0n, reward: 0n, undelegations: sorted });
      const out = payout(MAINNET, epoch, [w]);
      let paid = 0n;
      for (const c of out.credits) paid += c.amount;
      const left = totalInUndelegation(out.wrappers[0].delegations[1]);
      assert.equal(supplyMatches(paid + left, closed(totalInUndelegation(w.delegations[1]))), true);
    });
  holds(property(payoutUndelegations));
  // A payout that forgets to remove what it pays is caught.
  catches(
    property((config, epoch, ws) => ({ ...payoutUndelegations(config, epoch, ws), wrappers: ws })),
  );
});
