import { test } from "node:test";
import assert from "node:assert/strict";
import { isSpecError } from "../../spec/errors.ts";
import { fromHex } from "../../spec/encoding/bytes.ts";
import {
  blockPeriodSeconds,
  ethChainId,
  type FeatureSchedule,
  type Instance,
  LOCALNET,
  MAINNET,
  type NetworkConfig,
  presetByName,
  PRESETS,
  TESTNET,
  validateConfig,
} from "../../spec/params/mod.ts";
import { DEC_SCALE } from "../../spec/numeric/decimal.ts";
import { blocksInEpoch, instanceForEpoch } from "../../spec/sharding/schedule.ts";

const invalid = (e: unknown) => isSpecError(e, "params/invalid-config");

function withFeatures(config: NetworkConfig, changes: Partial<FeatureSchedule>): NetworkConfig {
  return { ...config, features: { ...config.features, ...changes } };
}

function withInstance(config: NetworkConfig, changes: Partial<Instance>): NetworkConfig {
  const [first, ...rest] = config.sharding.instances;
  const instances = [{ ...first, instance: { ...first.instance, ...changes } }, ...rest];
  return { ...config, sharding: { ...config.sharding, instances } };
}

test("the shipped presets are well formed", () => {
  for (const config of Object.values(PRESETS)) validateConfig(config);
  assert.equal(presetByName("mainnet"), MAINNET);
  assert.equal(presetByName("testnet"), TESTNET);
  assert.equal(presetByName("localnet"), LOCALNET);
  assert.throws(() => presetByName("devnet"), (e) => isSpecError(e, "params/unknown-network"));
  assert.throws(() => presetByName("toString"), (e) => isSpecError(e, "params/unknown-network"));
});

test("validateConfig refuses each ordering Go's mustValid refuses, one rule at a time", () => {
  const m = MAINNET.features;
  const broken: [Partial<FeatureSchedule>, string][] = [
    [{ AggregatedReward: 0n }, "AggregatedReward must be after 0"],
    [{ FeeCollect: m.Staking! - 1n }, "FeeCollect >= Staking"],
    [{ PreStaking: m.Staking }, "PreStaking < Staking"],
    [{ StakingPrecompile: m.PreStaking! - 1n }, "StakingPrecompile"],
    [{ CrossShardXferPrecompile: m.CrossTx }, "XferPrecompile"],
    [{ ValidatorCodeFix: m.EthCompatible! - 1n }, "ValidatorCodeFix"],
    [{ ValidatorCodeFix: m.PreStaking! - 1n, EthCompatible: 0n }, "ValidatorCodeFix"],
    [{ HIP30: m.Staking }, "HIP30 > Staking"],
    [{ HIP30: m.MinCommissionRate! - 1n }, "HIP30 >= MinCommission"],
    [{ HIP30: m.AggregatedReward! - 1n }, "HIP30 >= Aggregated"],
    [{ S3: m.HIP30! + 1n }, "HIP30 >= S3"],
    [{ CrossTx: m.HIP30, CrossShardXferPrecompile: m.HIP30! + 1n }, "HIP30 > CrossTx"],
    [{ MaxRate: m.HIP30! - 1n }, "MaxRate >= HIP30"],
  ];
  for (const [changes, rule] of broken) {
    assert.throws(
      () => validateConfig(withFeatures(MAINNET, changes)),
      (e) => invalid(e) && (e as Error).message.endsWith(rule),
      rule,
    );
  }
});

test("validateConfig: the DRG needs the VRF, random resharding needs a finished DRG epoch", () => {
  validateConfig(withFeatures(MAINNET, { DRG: 631n, RandomResharding: 632n }));
  assert.throws(() => validateConfig(withFeatures(MAINNET, { DRG: 630n })), invalid);
  assert.throws(() => validateConfig(withFeatures(LOCALNET, { RandomResharding: 1n })), invalid);
  assert.throws(() => validateConfig(withFeatures(LOCALNET, { DRG: null })), invalid);
});

test("validateConfig refuses instances Go's NewInstance refuses", () => {
  const address = fromHex("00000000000000000000000000000000000000aa");
  const broken: Partial<Instance>[] = [
    { numShards: 0n },
    { numNodesPerShard: 0n },
    { numHarmonyOperatedNodesPerShard: 151n },
    { slotsLimit: -1n },
    { harmonyVotePercent: DEC_SCALE + 1n },
    { feeCollectors: [{ address, share: DEC_SCALE / 2n }] },
    { hip30EmissionFraction: 1n },
    { hip30RecoveryAddress: address },
    { hip30EmissionFraction: DEC_SCALE + 1n, hip30RecoveryAddress: address },
  ];
  for (const changes of broken) {
    assert.throws(
      () => validateConfig(withInstance(MAINNET, changes)),
      invalid,
      `${Object.keys(changes)}`,
    );
  }
  validateConfig(withInstance(MAINNET, { feeCollectors: [{ address, share: DEC_SCALE }] }));
});

test("validateConfig refuses inconsistent schedules and incomplete feature lists", () => {
  const eras = MAINNET.sharding.epochs;
  const withEras = (epochs: typeof eras) => ({
    ...MAINNET,
    sharding: { ...MAINNET.sharding, epochs },
  });
  assert.throws(() => validateConfig(withEras([])), invalid);
  assert.throws(() => validateConfig(withEras([eras[1]])), invalid);
  assert.throws(() => validateConfig(withEras([eras[0], eras[2], eras[1]])), invalid);
  assert.throws(
    () => validateConfig(withEras([eras[0], { ...eras[1], blocksPerEpoch: 0n }])),
    invalid,
  );
  const instances = MAINNET.sharding.instances;
  const withInstances = (list: typeof instances) => ({
    ...MAINNET,
    sharding: { ...MAINNET.sharding, instances: list },
  });
  assert.throws(() => validateConfig(withInstances(instances.slice(1))), invalid);
  assert.throws(
    () => validateConfig(withInstances([instances[0], instances[2], instances[1]])),
    invalid,
  );
  const { HIP32: _dropped, ...missing } = MAINNET.features;
  assert.throws(
    () => validateConfig({ ...MAINNET, features: missing as FeatureSchedule }),
    invalid,
  );
});

test("chain IDs: Harmony's well-known IDs, shard s signs with shard 0's ID plus s", () => {
  assert.deepEqual([MAINNET.chainId, TESTNET.chainId, LOCALNET.chainId], [1n, 2n, 2n]);
  assert.equal(ethChainId(MAINNET, 0n), 1666600000n);
  assert.equal(ethChainId(MAINNET, 1n), 1666600001n);
  assert.equal(ethChainId(TESTNET, 0n), 1666700000n);
  // Go's localnet reuses the testnet IDs.
  assert.equal(ethChainId(LOCALNET, 1n), 1666700001n);
  const range = (e: unknown) => isSpecError(e, "params/shard-id-out-of-range");
  assert.throws(() => ethChainId(MAINNET, -1n), range);
  assert.throws(() => ethChainId(MAINNET, 1n << 32n), range);
});

test("block period: 5 s, 2 s from TwoSeconds, 1 s from OneSecond", () => {
  assert.equal(blockPeriodSeconds(MAINNET, 365n), 5n);
  assert.equal(blockPeriodSeconds(MAINNET, 366n), 2n);
  assert.equal(blockPeriodSeconds(MAINNET, 10_000_000n), 1n);
  assert.equal(blockPeriodSeconds(TESTNET, 1n), 5n);
  assert.equal(blockPeriodSeconds(TESTNET, 2n), 2n);
  assert.deepEqual([0n, 3n, 4n].map((e) => blockPeriodSeconds(LOCALNET, e)), [2n, 2n, 1n]);
});

test("a live localnet node crosses several epochs within minutes", () => {
  // Seconds until the start of each epoch, at the target block period.
  let seconds = 0n;
  const starts: bigint[] = [];
  for (let e = 0n; e <= 6n; e++) {
    starts.push(seconds);
    seconds += blocksInEpoch(LOCALNET, e) * blockPeriodSeconds(LOCALNET, e);
  }
  // Epoch lengths 5, 16, 16, ... blocks at 2 s (epochs 0-3), then 1 s.
  assert.deepEqual(starts, [0n, 10n, 42n, 74n, 106n, 122n, 138n]);
  assert.ok(starts[6] < 180n, "six epoch changes in under three minutes");
});

test("Dec mantissas: vote shares as 18-decimal fixed point", () => {
  assert.equal(DEC_SCALE, 10n ** 18n);
  assert.equal(instanceForEpoch(MAINNET, 185n).harmonyVotePercent, 680000000000000000n);
  assert.equal(instanceForEpoch(TESTNET, 3044n).harmonyVotePercent, 0n);
  assert.equal(instanceForEpoch(LOCALNET, 0n).harmonyVotePercent, 680000000000000000n);
  for (const config of Object.values(PRESETS)) {
    for (const { instance } of config.sharding.instances) {
      let total = 0n;
      for (const c of instance.feeCollectors) total += c.share;
      assert.ok(instance.feeCollectors.length === 0 || total === DEC_SCALE, instance.name);
    }
  }
});
