/**
 * Delegations and the release of undelegations: Go's `staking/types/delegation_test.go` restated
 * (its tests share one delegation and run in order, so they are one sequence here), the lock
 * period of each mainnet era, and the epoch-end payout.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseBech32Address } from "../../spec/encoding/address.ts";
import { LOCALNET, MAINNET } from "../../spec/params/mod.ts";
import {
  type Delegation,
  lockPeriodInEpochs,
  newDelegation,
  payoutUndelegations,
  removeUnlockedUndelegations,
  totalInUndelegation,
  undelegate,
  type UnlockRule,
} from "../../spec/staking/delegation.ts";
import { makeTestAddr, ones, prototypeWrapper } from "./fixtures.ts";
import { expectCode } from "./fixtures.ts";

const delegator = parseBech32Address("one129r9pj3sk0re76f7zs3qz92rggmdgjhtwge62k");

const rule = (
  currentEpoch: bigint,
  lockPeriod: bigint,
  noEarlyUnlock: boolean,
  isMaxRate: boolean,
): UnlockRule => ({
  currentEpoch,
  lockPeriod,
  noEarlyUnlock,
  isMaxRate,
});

/** Go's RemoveUnlockedUndelegations on a delegation held in a variable, as the Go tests do. */
function release(
  d: Delegation,
  last: bigint,
  r: UnlockRule,
): { next: Delegation; withdrawn: bigint } {
  const out = removeUnlockedUndelegations(d, last, r);
  return { next: out.delegation, withdrawn: out.withdrawn };
}

test("delegation_test.go, in order on one shared delegation", () => {
  let d = newDelegation(delegator, 100_000n);
  // TestUndelegate
  d = undelegate(d, 10n, 1000n);
  assert.deepEqual(d.undelegations[0], { amount: 1000n, epoch: 10n });
  d = undelegate(d, 12n, 2000n);
  assert.equal(d.undelegations.length, 2);
  // TestTotalInUndelegation
  assert.equal(totalInUndelegation(d), 3000n);
  // TestDeleteEntry: undelegate 3000 at 15, then the test deletes the entry of epoch 12
  // (DeleteEntry is a test helper, not a protocol rule; the deletion is restated directly).
  d = undelegate(d, 15n, 3000n);
  d = { ...d, undelegations: d.undelegations.filter((u) => u.epoch !== 12n) };
  assert.equal(d.undelegations[1].amount, 3000n);
  // TestUnlockedLastEpochInCommittee: 10 and 15 are 7+ epochs old; 21 is released early because
  // the validator left the committee 7 epochs ago.
  d = undelegate(d, 21n, 4000n);
  let r = release(d, 17n, rule(24n, 7n, false, false));
  assert.equal(r.withdrawn, 8000n);
  d = r.next;
  // TestUnlockedFullPeriod
  d = undelegate(d, 27n, 4000n);
  r = release(d, 34n, rule(34n, 7n, false, false));
  assert.equal(r.withdrawn, 4000n);
  d = r.next;
  // TestQuickUnlock
  d = undelegate(d, 44n, 4000n);
  r = release(d, 44n, rule(44n, 0n, false, false));
  assert.equal(r.withdrawn, 4000n);
  d = r.next;
  // TestUnlockedPremature
  d = undelegate(d, 42n, 4000n);
  r = release(d, 44n, rule(44n, 7n, false, false));
  assert.equal(r.withdrawn, 0n);
  d = r.next;
  // TestNoEarlyUnlock
  d = undelegate(d, 21n, 4000n);
  r = release(d, 17n, rule(24n, 7n, true, false));
  assert.equal(r.withdrawn, 0n);
  // Undelegations stay sorted by epoch whatever the order they were made in.
  assert.deepEqual(r.next.undelegations.map((u) => u.epoch), [21n, 42n]);
});

test("delegation_test.go: fresh delegations", () => {
  const fresh = (epoch: bigint) => undelegate(newDelegation(delegator, 100_000n), epoch, 4000n);
  // TestUnlockedLastEpochInCommitteeFail
  assert.equal(release(fresh(21n), 18n, rule(24n, 7n, false, false)).withdrawn, 0n);
  // TestUnlockedFullPeriodFail
  assert.equal(release(fresh(28n), 34n, rule(34n, 7n, false, false)).withdrawn, 0n);
  // TestMaxRateAtLess / AtEqual / AtExcess and the NoMaxRate variants (undelegated at 21)
  const cases: [bigint, boolean, bigint, number][] = [
    [27n, true, 0n, 1],
    [28n, true, 4000n, 0],
    [29n, true, 0n, 0], // removed without payment
    [27n, false, 0n, 1],
    [28n, false, 4000n, 0],
    [29n, false, 4000n, 0],
  ];
  for (const [cur, maxRate, paid, left] of cases) {
    const out = release(fresh(21n), 1n, rule(cur, 7n, true, maxRate));
    assert.equal(out.withdrawn, paid, `epoch ${cur} maxRate ${maxRate}`);
    assert.equal(out.next.undelegations.length, left);
  }
});

test("Undelegate merges into the entry of the same epoch and rejects bad amounts", () => {
  let d = newDelegation(delegator, 100n);
  d = undelegate(d, 5n, 10n);
  d = undelegate(d, 5n, 20n);
  assert.deepEqual(d.undelegations, [{ amount: 30n, epoch: 5n }]);
  assert.equal(d.amount, 70n);
  expectCode(() => undelegate(d, 5n, 0n), "staking/undelegate-amount-not-positive");
  expectCode(() => undelegate(d, 5n, 71n), "staking/insufficient-delegation");
  expectCode(() => undelegate(d, 5n, 70n), null);
});

test("lock period by mainnet era: 7, then 0 from QuickUnlock (191), 7 again from Redelegation (290)", () => {
  // Reference timeline (harmony-staking.md §2.2): 7 before 191, 0 for 191–289, 7 from 290.
  assert.equal(lockPeriodInEpochs(MAINNET, 190n), 7n);
  assert.equal(lockPeriodInEpochs(MAINNET, 191n), 0n);
  assert.equal(lockPeriodInEpochs(MAINNET, 289n), 0n);
  assert.equal(lockPeriodInEpochs(MAINNET, 290n), 7n);
  assert.equal(lockPeriodInEpochs(LOCALNET, 0n), 7n);
});

test("payoutUndelegations on mainnet: released at the end of epoch E+7, none early after 530", () => {
  const v = makeTestAddr(0);
  const a = makeTestAddr("a");
  const b = makeTestAddr("b");
  const w = prototypeWrapper(v, []);
  w.validator.lastEpochInCommittee = 100n; // long out of the committee: early unlock before 530
  w.delegations.push({
    delegatorAddress: a,
    amount: ones(1n),
    reward: 0n,
    undelegations: [{ amount: 5n, epoch: 593n }, { amount: 6n, epoch: 594n }],
  });
  w.delegations.push({
    delegatorAddress: b,
    amount: 0n,
    reward: 0n,
    undelegations: [{ amount: 7n, epoch: 600n }],
  });
  const out = payoutUndelegations(MAINNET, 600n, [w]);
  assert.deepEqual(out.credits, [{ address: a, amount: 5n }]);
  assert.deepEqual(out.wrappers[0].delegations[1].undelegations, [{ amount: 6n, epoch: 594n }]);
  assert.deepEqual(out.wrappers[0].delegations[2].undelegations, [{ amount: 7n, epoch: 600n }]);
  // The input is untouched.
  assert.equal(w.delegations[1].undelegations.length, 2);
  // Before NoEarlyUnlock (530), being out of the committee for 7 epochs releases everything.
  const early = payoutUndelegations(MAINNET, 400n, [{
    ...w,
    delegations: [w.delegations[0], {
      ...w.delegations[1],
      undelegations: [{ amount: 9n, epoch: 400n }],
    }],
  }]);
  assert.deepEqual(early.credits, [{ address: a, amount: 9n }]);
});

test("payoutUndelegations: MaxRate, judged at the next epoch, drops over-age entries unpaid", () => {
  const a = makeTestAddr("a");
  const w = prototypeWrapper(makeTestAddr(0), []);
  w.validator.lastEpochInCommittee = 1732n;
  w.delegations.push({
    delegatorAddress: a,
    amount: 0n,
    reward: 0n,
    undelegations: [{ amount: 3n, epoch: 1724n }, { amount: 4n, epoch: 1725n }],
  });
  // Epoch 1732 ends; MaxRate (1733) is active at the next epoch: 1724 is 8 epochs old → dropped.
  const out = payoutUndelegations(MAINNET, 1732n, [w]);
  assert.deepEqual(out.credits, [{ address: a, amount: 4n }]);
  assert.deepEqual(out.wrappers[0].delegations[1].undelegations, []);
  // One epoch earlier MaxRate is not active at the next epoch (1732): both would be paid.
  const before = payoutUndelegations(MAINNET, 1731n, [w]);
  assert.deepEqual(before.credits, [{ address: a, amount: 3n }]);
});
