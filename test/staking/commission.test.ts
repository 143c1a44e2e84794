/**
 * Commission rules: the floor by mainnet era, Go's `TestUpdateMaxCommissionFee`
 * (`staking/availability/measure_test.go`), the minimum-fee update, and the election maintenance
 * of `setElectionEpochAndMinFee` in each era.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decFromString, decToString } from "../../spec/numeric/decimal.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import {
  checkCommissionRates,
  maintainCommissionAtElection,
  minCommissionRate,
  updateMaxCommissionFee,
  updateMinimumCommissionFee,
} from "../../spec/staking/commission.ts";
import type { ValidatorWrapper } from "../../spec/staking/validator.ts";
import { makeTestAddr, prototypeWrapper } from "./fixtures.ts";
import { expectCode } from "./fixtures.ts";

const d = decFromString;

function withRates(rate: string, maxRate: string, maxChangeRate: string): ValidatorWrapper {
  const w = prototypeWrapper(makeTestAddr(0), []);
  w.validator.commission.rates = {
    rate: d(rate),
    maxRate: d(maxRate),
    maxChangeRate: d(maxChangeRate),
  };
  return w;
}

const rates = (w: ValidatorWrapper) => {
  const r = w.validator.commission.rates;
  return [decToString(r.rate), decToString(r.maxRate), decToString(r.maxChangeRate)];
};

test("the commission floor on mainnet: 0, 5 % from epoch 631, 7 % from 1673", () => {
  assert.equal(decToString(minCommissionRate(MAINNET, 630n)), "0");
  assert.equal(decToString(minCommissionRate(MAINNET, 631n)), "0.05");
  assert.equal(decToString(minCommissionRate(MAINNET, 1672n)), "0.05");
  assert.equal(decToString(minCommissionRate(MAINNET, 1673n)), "0.07");
});

test("TestUpdateMaxCommissionFee (measure_test.go)", () => {
  // 0.6 + 0.6 capped at 1; 0.07 + 0.5 = 0.57.
  assert.equal(
    rates(updateMaxCommissionFee(withRates("0", "0.95", "0.6"), true, d("0.6")))[1],
    "1",
  );
  assert.equal(
    rates(updateMaxCommissionFee(withRates("0", "0", "0.5"), true, d("0.07")))[1],
    "0.57",
  );
  // Without TopMaxRate there is no cap (the sum may exceed 1); a higher max rate is kept.
  assert.equal(
    rates(updateMaxCommissionFee(withRates("0", "0.95", "0.6"), false, d("0.6")))[1],
    "1.2",
  );
  assert.equal(
    rates(updateMaxCommissionFee(withRates("0", "0.9", "0.1"), true, d("0.07")))[1],
    "0.9",
  );
});

test("UpdateMinimumCommissionFee applies only after the promotion period", () => {
  const w = withRates("0.01", "0.5", "0.1");
  const up = (election: bigint, first: bigint) =>
    rates(updateMinimumCommissionFee(w, election, first, d("0.05"), 100n))[0];
  assert.equal(up(800n, 700n), "0.05");
  assert.equal(up(799n, 700n), "0.01"); // 99 epochs: still in the promotion
  assert.equal(up(800n, 0n), "0.01"); // never elected
  assert.equal(up(600n, 700n), "0.01"); // first election after this one
  assert.equal(
    rates(
      updateMinimumCommissionFee(withRates("0.2", "0.5", "0.1"), 800n, 700n, d("0.05"), 100n),
    )[0],
    "0.2",
  );
});

test("checkCommissionRates bounds", () => {
  expectCode(
    () => checkCommissionRates({ rate: d("0"), maxRate: d("1"), maxChangeRate: d("1") }),
    null,
  );
  expectCode(
    () =>
      checkCommissionRates({
        rate: d("1.000000000000000001"),
        maxRate: d("1"),
        maxChangeRate: d("0"),
      }),
    "staking/commission-rate-out-of-range",
  );
});

test("election maintenance on mainnet, era by era", () => {
  const entry = (w: ValidatorWrapper, first: bigint, elected: boolean) => ({
    wrapper: w,
    firstElectionEpoch: first,
    elected,
  });
  // Epoch 600 (no floor yet): only the last epoch in committee changes.
  let out = maintainCommissionAtElection(
    MAINNET,
    600n,
    entry(withRates("0", "0.1", "0.1"), 0n, true),
  );
  assert.equal(out.wrapper.validator.lastEpochInCommittee, 600n);
  assert.equal(out.firstElectionEpoch, 0n);
  assert.deepEqual(rates(out.wrapper), ["0", "0.1", "0.1"]);
  // Epoch 700: first election with a floor starts the promotion period.
  out = maintainCommissionAtElection(MAINNET, 700n, entry(withRates("0", "0.1", "0.1"), 0n, true));
  assert.equal(out.firstElectionEpoch, 700n);
  assert.deepEqual(rates(out.wrapper), ["0", "0.1", "0.1"]);
  // Epoch 800: the promotion is over, the rate is raised to 5 %.
  out = maintainCommissionAtElection(
    MAINNET,
    800n,
    entry(withRates("0", "0.1", "0.1"), 700n, true),
  );
  assert.deepEqual(rates(out.wrapper), ["0.05", "0.1", "0.1"]);
  // Before HIP30 an unelected validator is not raised (the Go bug HIP30 fixed).
  out = maintainCommissionAtElection(
    MAINNET,
    800n,
    entry(withRates("0", "0.1", "0.1"), 700n, false),
  );
  assert.deepEqual(rates(out.wrapper), ["0", "0.1", "0.1"]);
  assert.equal(out.wrapper.validator.lastEpochInCommittee, 0n);
  // From HIP30 (1673) it is, to 7 %.
  out = maintainCommissionAtElection(
    MAINNET,
    1700n,
    entry(withRates("0", "0.1", "0.1"), 700n, false),
  );
  assert.deepEqual(rates(out.wrapper), ["0.07", "0.1", "0.1"]);
  // From MaxRate (1733) the max rate rises to floor + max change: 0.07 + 0.05 = 0.12.
  out = maintainCommissionAtElection(
    MAINNET,
    1733n,
    entry(withRates("0.07", "0.07", "0.05"), 700n, true),
  );
  assert.deepEqual(rates(out.wrapper), ["0.07", "0.12", "0.05"]);
  // Before TopMaxRate (1976) nothing caps it; from it, 1 does.
  out = maintainCommissionAtElection(
    MAINNET,
    1975n,
    entry(withRates("0.5", "0.9", "1"), 700n, true),
  );
  assert.deepEqual(rates(out.wrapper), ["0.5", "1.07", "1"]);
  out = maintainCommissionAtElection(
    MAINNET,
    1976n,
    entry(withRates("0.5", "0.9", "1"), 700n, true),
  );
  assert.deepEqual(rates(out.wrapper), ["0.5", "1", "1"]);
});
