import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { isSpecError } from "../../spec/errors.ts";
import {
  acceptsCrossTx,
  EPOCH_TBD,
  FEATURE_NAMES,
  featureByName,
  type FeatureName,
  FEATURES,
  type HasFeatures,
  isActive,
  isOneEpochBeforeHIP30,
  LOCALNET,
  MAINNET,
  TESTNET,
} from "../../spec/params/mod.ts";

/** Every activation-epoch field of the Go `ChainConfig` struct, in declaration order. */
const GO_EPOCH_FIELDS = [
  "EthCompatibleEpoch",
  "CrossTxEpoch",
  "CrossLinkEpoch",
  "AggregatedRewardEpoch",
  "StakingEpoch",
  "PreStakingEpoch",
  "QuickUnlockEpoch",
  "FiveSecondsEpoch",
  "TwoSecondsEpoch",
  "SixtyPercentEpoch",
  "RedelegationEpoch",
  "NoEarlyUnlockEpoch",
  "VRFEpoch",
  "PrevVRFEpoch",
  "MinDelegation100Epoch",
  "MinCommissionRateEpoch",
  "EPoSBound35Epoch",
  "EIP155Epoch",
  "S3Epoch",
  "DataCopyFixEpoch",
  "IstanbulEpoch",
  "ReceiptLogEpoch",
  "SHA3Epoch",
  "HIP6And8Epoch",
  "StakingPrecompileEpoch",
  "ChainIdFixEpoch",
  "SlotsLimitedEpoch",
  "CrossShardXferPrecompileEpoch",
  "AllowlistEpoch",
  "LeaderRotationInternalValidatorsEpoch",
  "LeaderRotationExternalValidatorsEpoch",
  "LeaderRotationV2Epoch",
  "FeeCollectEpoch",
  "ValidatorCodeFixEpoch",
  "HIP30Epoch",
  "DevnetExternalEpoch",
  "TestnetExternalEpoch",
  "BlockGas30MEpoch",
  "MaxRateEpoch",
  "TopMaxRateEpoch",
  "HIP32Epoch",
  "IsOneSecondEpoch",
];

test("one feature per Go ChainConfig epoch field, plus DRG and RandomResharding", () => {
  assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
  assert.deepEqual(Object.keys(FEATURES), [...FEATURE_NAMES]);
  const goFields = FEATURE_NAMES.map((f) => FEATURES[f].goField).filter((g) => g !== null);
  assert.deepEqual([...goFields].sort(), [...GO_EPOCH_FIELDS].sort());
  const specOnly = FEATURE_NAMES.filter((f) => FEATURES[f].goField === null);
  assert.deepEqual(specOnly, ["DRG", "RandomResharding"]);
  for (const f of FEATURE_NAMES) {
    assert.match(f, /^[A-Z][A-Za-z0-9]*$/, "PascalCase");
    assert.ok(FEATURES[f].description.length > 0);
    const field = FEATURES[f].goField;
    // The name is the Go field without its Epoch suffix (and `Is` prefix for IsOneSecondEpoch).
    if (field !== null) assert.equal(field.replace(/^Is(?=[A-Z])/, "").replace(/Epoch$/, ""), f);
  }
});

test("every preset schedules every feature, and nothing else", () => {
  for (const config of [MAINNET, TESTNET, LOCALNET]) {
    assert.deepEqual(Object.keys(config.features).sort(), [...FEATURE_NAMES].sort());
  }
});

test("mainnet fork epochs: the reference table of internal/params/config.go", () => {
  const table: [FeatureName, bigint][] = [
    ["CrossTx", 28n],
    ["PreStaking", 185n],
    ["Staking", 186n],
    ["CrossLink", 186n],
    ["FiveSeconds", 230n],
    ["TwoSeconds", 366n],
    ["SixtyPercent", 530n],
    ["VRF", 631n],
    ["EPoSBound35", 631n],
    ["PrevVRF", 689n],
    ["AggregatedReward", 689n],
    ["HIP6And8", 725n],
    ["SlotsLimited", 999n],
    ["FeeCollect", 1535n],
    ["HIP30", 1673n],
    ["LeaderRotationInternalValidators", 2152n],
    ["LeaderRotationExternalValidators", 2152n],
    ["HIP32", 2152n],
    ["LeaderRotationV2", 10000000n],
    ["OneSecond", 10000000n],
    ["Allowlist", 10000000n],
  ];
  for (const [feature, epoch] of table) assert.equal(MAINNET.features[feature], epoch, feature);
});

test("isActive is Go's isForked: active from the activation epoch on", () => {
  assert.ok(!isActive(MAINNET, "Staking", 185n));
  assert.ok(isActive(MAINNET, "Staking", 186n));
  assert.ok(isActive(MAINNET, "Staking", 10n ** 30n));
  assert.ok(isActive(TESTNET, "EIP155", 0n));
  // EpochTBD is an epoch, not "never".
  assert.equal(EPOCH_TBD, 10_000_000n);
  assert.ok(!isActive(MAINNET, "OneSecond", 9_999_999n));
  assert.ok(isActive(MAINNET, "OneSecond", 10_000_000n));
  // A field missing from the Go literal (nil) is never active: testnet and localnet HIP32.
  assert.equal(TESTNET.features.HIP32, null);
  assert.ok(!isActive(TESTNET, "HIP32", 10n ** 30n));
  assert.ok(!isActive(LOCALNET, "HIP32", 10n ** 30n));
});

test("DRG and RandomResharding: off on mainnet and testnet, on early on localnet", () => {
  for (const config of [MAINNET, TESTNET]) {
    assert.equal(config.features.DRG, null);
    assert.equal(config.features.RandomResharding, null);
  }
  assert.ok(!isActive(LOCALNET, "DRG", 0n));
  assert.ok(isActive(LOCALNET, "DRG", 1n));
  assert.ok(!isActive(LOCALNET, "RandomResharding", 1n));
  assert.ok(isActive(LOCALNET, "RandomResharding", 2n));
});

test("acceptsCrossTx: mainnet takes cross-shard transfers from CrossTx + 1 = 29", () => {
  assert.ok(!acceptsCrossTx(MAINNET, 28n));
  assert.ok(acceptsCrossTx(MAINNET, 29n));
  assert.ok(acceptsCrossTx(TESTNET, 1n));
  assert.ok(!acceptsCrossTx(TESTNET, 0n));
});

test("isOneEpochBeforeHIP30: Go TestIsOneEpochBeforeHIP30 (HIP30 at 3)", () => {
  const config = { features: { ...MAINNET.features, HIP30: 3n } };
  assert.ok(isOneEpochBeforeHIP30(config, 2n));
  assert.ok(!isOneEpochBeforeHIP30(config, 3n));
  assert.ok(isOneEpochBeforeHIP30(MAINNET, 1672n));
});

test("featureByName reads the closed list and rejects anything else", () => {
  assert.equal(featureByName("HIP30"), "HIP30");
  for (const bad of ["hip30", "HIP30Epoch", "", "Bogus"]) {
    assert.throws(() => featureByName(bad), (e) => isSpecError(e, "params/unknown-feature"));
  }
});

/** A schedule with one feature set to `activation`, for the properties below. */
function scheduleWith(feature: FeatureName, activation: bigint | null): HasFeatures {
  return { features: { ...MAINNET.features, [feature]: activation } };
}

const featureArb = fc.constantFrom(...FEATURE_NAMES);
const epochArb = fc.bigInt({ min: 0n, max: 20_000_000n });
const activationArb = fc.option(fc.bigInt({ min: 0n, max: 20_000_000n }), { nil: null });

/** An activation epoch and an epoch that is often at or next to it. */
const activationAndEpoch = activationArb.chain((s) =>
  fc.tuple(
    fc.constant(s),
    s === null ? epochArb : fc.oneof(fc.constant(s), fc.bigInt({ min: s, max: s + 2n }), epochArb),
  )
);

/** Once active, a feature stays active: active(e) implies active(e + d). */
const staysActive = (active: typeof isActive) =>
  fc.property(featureArb, activationAndEpoch, epochArb, (f, [s, e], d) => {
    const config = scheduleWith(f, s);
    return !active(config, f, e) || active(config, f, e + d);
  });

/** Active exactly from the activation epoch: not before it, and at it. */
const switchesAtActivation = (active: typeof isActive) =>
  fc.property(featureArb, fc.bigInt({ min: 1n, max: 20_000_000n }), (f, s) => {
    const config = scheduleWith(f, s);
    return !active(config, f, s - 1n) && active(config, f, s);
  });

test("property: a feature, once active, stays active", () => {
  holds(staysActive(isActive));
  // Mutation: active only at its activation epoch.
  catches(staysActive((c, f, e) => c.features[f] === e), 1000);
});

test("property: a feature switches on exactly at its activation epoch", () => {
  holds(switchesAtActivation(isActive));
  // Mutation: strict comparison, one epoch late.
  catches(switchesAtActivation((c, f, e) => c.features[f] !== null && c.features[f]! < e));
});
