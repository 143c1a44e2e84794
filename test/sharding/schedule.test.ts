import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { isSpecError } from "../../spec/errors.ts";
import {
  type EpochEra,
  type Instance,
  isActive,
  LOCALNET,
  MAINNET,
  type NetworkConfig,
  TESTNET,
  validateConfig,
} from "../../spec/params/mod.ts";
import {
  blocksInEpoch,
  epochOfBlock,
  externalSlotsAvailable,
  externalVotePercent,
  firstBlockOfEpoch,
  instanceForEpoch,
  isLastBlockOfEpoch,
  isSkippedEpoch,
  lastBlockOfEpoch,
  MAX_BLOCK_NUMBER,
} from "../../spec/sharding/schedule.ts";
import { GO_LOCALNET, GO_MAINNET, GO_TESTNET, type GoEpochs, goLocalnet } from "./go_schedule.ts";

const NETWORKS: [NetworkConfig, GoEpochs][] = [
  [MAINNET, GO_MAINNET],
  [TESTNET, GO_TESTNET],
  [LOCALNET, GO_LOCALNET],
];

// ---------------------------------------------------------------------------------------------
// Go's own test tables (internal/configs/sharding/shardingconfig_test.go), restated.
// ---------------------------------------------------------------------------------------------

test("mainnet CalcEpochNumber: Go TestCalcEpochNumber", () => {
  const table: [bigint, bigint][] = [
    [0n, 0n],
    [1n, 0n],
    [327679n, 0n],
    [327680n, 0n],
    [344064n, 1n],
    [344063n, 0n],
    [344065n, 1n],
    [360448n, 2n],
    [6207973n, 358n],
    [6324223n, 365n],
    [6324224n, 366n],
    [6389759n, 367n],
    [6389777n, 368n],
  ];
  for (const [block, epoch] of table) assert.equal(epochOfBlock(MAINNET, block), epoch, `${block}`);
});

test("mainnet IsLastBlock: Go TestIsLastBlock", () => {
  const table: [bigint, boolean][] = [
    [0n, false],
    [1n, false],
    [327679n, false],
    [344063n, true],
    [344064n, false],
    [360447n, true],
    [360448n, false],
    [6207973n, false],
    [6324223n, true],
    [6324224n, false],
    [6356991n, true],
    [6356992n, false],
    [6389759n, true],
  ];
  for (const [block, last] of table) {
    assert.equal(isLastBlockOfEpoch(MAINNET, block), last, `${block}`);
  }
});

test("mainnet EpochLastBlock: Go TestEpochLastBlock", () => {
  const table: [bigint, bigint][] = [
    [0n, 344063n],
    [1n, 360447n],
    [2n, 376831n],
    [3n, 393215n],
    [358n, 6209535n],
    [365n, 6324223n],
    [366n, 6356991n],
    [367n, 6389759n],
  ];
  for (const [epoch, last] of table) assert.equal(lastBlockOfEpoch(MAINNET, epoch), last);
});

test("mainnet first 2-second block: Go TestTwoSecondsFirstBlock (6324224)", () => {
  assert.equal(firstBlockOfEpoch(MAINNET, 366n), 6324224n);
  assert.equal(MAINNET.features.TwoSeconds, 366n);
  assert.equal(blocksInEpoch(MAINNET, 365n), 16384n);
  assert.equal(blocksInEpoch(MAINNET, 366n), 32768n);
  assert.equal(blocksInEpoch(MAINNET, 0n), 344064n);
});

test("mainnet InstanceForEpoch: Go TestMainnetInstanceForEpoch (shards, slots)", () => {
  // [epoch, shards, nodes per shard] of the Go test's expected instances.
  const table: [bigint, bigint, bigint][] = [
    [0n, 4n, 150n],
    [12n, 4n, 250n],
    [19n, 4n, 250n],
    [25n, 4n, 250n],
    [36n, 4n, 250n],
    [46n, 4n, 250n],
    [54n, 4n, 250n],
    [365n, 4n, 250n],
    [366n, 4n, 250n],
  ];
  for (const [epoch, shards, nodes] of table) {
    const instance = instanceForEpoch(MAINNET, epoch);
    assert.equal(instance.numShards, shards);
    assert.equal(instance.numNodesPerShard, nodes);
  }
});

// internal/configs/sharding/localnet_test.go: TestLocalnetEpochCalculation with 16/16 blocks.
function localnetEras(twoSeconds: bigint, old: bigint, v2: bigint): EpochEra[] {
  const eras: EpochEra[] = [{ fromEpoch: 0n, firstBlock: 0n, blocksPerEpoch: 5n }];
  if (twoSeconds <= 1n) return [...eras, { fromEpoch: 1n, firstBlock: 5n, blocksPerEpoch: v2 }];
  eras.push({ fromEpoch: 1n, firstBlock: 5n, blocksPerEpoch: old });
  const first2s = 5n + (twoSeconds - 1n) * old;
  return [...eras, { fromEpoch: twoSeconds, firstBlock: first2s, blocksPerEpoch: v2 }];
}

function withEras(config: NetworkConfig, epochs: EpochEra[]): NetworkConfig {
  return { ...config, sharding: { ...config.sharding, epochs } };
}

test("localnet epochs: Go TestLocalnetEpochCalculation, TwoSecondsEpoch 0, 1 and 2", () => {
  const blocks = 16n;
  const cases: [bigint, [bigint, bigint][]][] = [
    [0n, [[0n, 4n], [1n, 5n + blocks - 1n], [2n, 5n + 2n * blocks - 1n]]],
    [1n, [[0n, 4n], [1n, 5n + blocks - 1n], [2n, 5n + 2n * blocks - 1n]]],
    [2n, [[0n, 4n], [1n, 5n + blocks - 1n], [2n, 5n + 2n * blocks - 1n], [
      3n,
      5n + 3n * blocks - 1n,
    ]]],
  ];
  for (const [twoSeconds, checks] of cases) {
    const config = withEras(LOCALNET, localnetEras(twoSeconds, blocks, blocks));
    validateConfig(config);
    for (const [epoch, expected] of checks) {
      assert.equal(lastBlockOfEpoch(config, epoch), expected);
      assert.ok(isLastBlockOfEpoch(config, expected));
      const start = epoch === 0n ? 0n : lastBlockOfEpoch(config, epoch - 1n) + 1n;
      for (let b = start; b <= expected; b++) {
        assert.equal(isLastBlockOfEpoch(config, b), b === expected, `block ${b}`);
        assert.equal(epochOfBlock(config, b), epoch, `block ${b}`);
      }
    }
  }
  // The shipped localnet preset is the TwoSecondsEpoch = 0 case.
  assert.deepEqual(LOCALNET.sharding.epochs, localnetEras(0n, 16n, 16n));
});

test("localnet eras agree with Go's localnet formulas for unequal epoch lengths", () => {
  for (const twoSeconds of [0n, 1n, 2n, 3n, 7n]) {
    const config = withEras(LOCALNET, localnetEras(twoSeconds, 10n, 24n));
    validateConfig(config);
    const go = goLocalnet(twoSeconds, 10n, 24n);
    for (let b = 0n; b < 400n; b++) {
      assert.equal(epochOfBlock(config, b), go.calcEpochNumber(b), `T=${twoSeconds} block ${b}`);
      assert.equal(isLastBlockOfEpoch(config, b), go.isLastBlock(b), `T=${twoSeconds} ${b}`);
    }
    for (let e = 0n; e < 30n; e++) assert.equal(lastBlockOfEpoch(config, e), go.epochLastBlock(e));
  }
});

// ---------------------------------------------------------------------------------------------
// Values read in the Go configurations and the reference notes (not computed by the spec).
// ---------------------------------------------------------------------------------------------

test("testnet and localnet epoch boundaries", () => {
  // testnet: 38-block epochs 0 and 1, then 8192 from block 2 · 38 = 76.
  assert.equal(lastBlockOfEpoch(TESTNET, 0n), 37n);
  assert.equal(lastBlockOfEpoch(TESTNET, 1n), 75n);
  assert.equal(firstBlockOfEpoch(TESTNET, 2n), 76n);
  assert.equal(lastBlockOfEpoch(TESTNET, 2n), 76n + 8192n - 1n);
  assert.equal(epochOfBlock(TESTNET, 8268n), 3n);
  // localnet: epoch 0 is blocks 0..4, then 16 blocks each.
  assert.equal(lastBlockOfEpoch(LOCALNET, 0n), 4n);
  assert.equal(firstBlockOfEpoch(LOCALNET, 1n), 5n);
  assert.equal(lastBlockOfEpoch(LOCALNET, 4n), 68n);
  assert.equal(epochOfBlock(LOCALNET, 69n), 5n);
});

/** Go's `int(float32(n) * float32(pct))`, the HIP-16 slot limit of `MustNewInstance`. */
function goSlotsLimit(nodes: number, harmony: number, pct: number): bigint {
  return BigInt(Math.trunc(Math.fround(Math.fround(nodes - harmony) * Math.fround(pct))));
}

test("slots limits equal Go's float32 computation from the slotsLimitPercent literals", () => {
  // [network, instance name, nodes, harmony nodes, percent literal in the Go file]
  const table: [NetworkConfig, string, number, number, number][] = [
    [MAINNET, "mainnetV3_2", 250, 25, 0],
    [MAINNET, "mainnetV3_3", 250, 25, 0.06],
    [MAINNET, "mainnetV3_4", 250, 25, 0.06],
    [MAINNET, "mainnetV4", 200, 20, 0.06],
    [MAINNET, "mainnetV5", 200, 2, 0.06],
    [TESTNET, "testnetV0", 8, 8, 0],
    [TESTNET, "testnetV1", 30, 8, 0.15],
    [TESTNET, "testnetV5", 30, 8, 0.15],
    [TESTNET, "testnetV6", 30, 0, 0],
    [TESTNET, "testnetV6_2", 30, 8, 0],
    [LOCALNET, "localnetV4", 9, 6, 0],
  ];
  for (const [config, name, nodes, harmony, pct] of table) {
    const entry = config.sharding.instances.find((e) => e.instance.name === name);
    assert.ok(entry, name);
    assert.equal(entry.instance.slotsLimit, goSlotsLimit(nodes, harmony, pct), name);
  }
  // The reference notes' worked examples: 225·0.06 → 13, 180·0.06 → 10, 198·0.06 → 11.
  assert.deepEqual(
    [999n, 1673n, 2152n].map((e) => instanceForEpoch(MAINNET, e).slotsLimit),
    [13n, 10n, 11n],
  );
});

test("mainnet instances: the reference table (shards, slots, Harmony slots, vote, epoch length)", () => {
  // [from epoch, shards, nodes/shard, Harmony nodes/shard, Harmony vote (percent), blocks/epoch]
  const table: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
    [0n, 4n, 150n, 112n, 100n, 16384n],
    [1n, 4n, 152n, 112n, 100n, 16384n],
    [5n, 4n, 200n, 148n, 100n, 16384n],
    [8n, 4n, 210n, 148n, 100n, 16384n],
    [10n, 4n, 216n, 148n, 100n, 16384n],
    [12n, 4n, 250n, 170n, 100n, 16384n],
    [54n, 4n, 250n, 170n, 100n, 16384n],
    [185n, 4n, 250n, 170n, 68n, 16384n],
    [208n, 4n, 250n, 130n, 68n, 16384n],
    [231n, 4n, 250n, 90n, 68n, 16384n],
    [366n, 4n, 250n, 90n, 68n, 32768n],
    [530n, 4n, 250n, 50n, 60n, 32768n],
    [725n, 4n, 250n, 25n, 49n, 32768n],
    [999n, 4n, 250n, 25n, 49n, 32768n],
    [1535n, 4n, 250n, 25n, 49n, 32768n],
    [1673n, 2n, 200n, 20n, 49n, 32768n],
    [2152n, 2n, 200n, 2n, 1n, 32768n],
  ];
  for (const [epoch, shards, nodes, harmony, vote, blocks] of table) {
    const i = instanceForEpoch(MAINNET, epoch);
    assert.deepEqual(
      [i.numShards, i.numNodesPerShard, i.numHarmonyOperatedNodesPerShard, i.blocksPerEpoch],
      [shards, nodes, harmony, blocks],
      `epoch ${epoch}`,
    );
    assert.equal(i.harmonyVotePercent, vote * 10n ** 16n, `epoch ${epoch}`);
  }
});

test("external slots match the Go comments: 320 → 480 → 640 open slots, HIP-8 800 → 900", () => {
  const slots = (e: bigint) => externalSlotsAvailable(instanceForEpoch(MAINNET, e));
  assert.deepEqual([185n, 208n, 231n].map(slots), [320n, 480n, 640n]);
  assert.deepEqual([530n, 725n].map(slots), [800n, 900n]);
  // HIP-30: "internal slots are 10% of total slots" of 2 · 200.
  assert.equal(slots(1673n), 360n);
});

test("vote shares: Go roster test reads mainnet epoch 3 (Harmony 100 %, external 0)", () => {
  const instance = instanceForEpoch(MAINNET, 3n);
  assert.equal(instance.harmonyVotePercent, 10n ** 18n);
  assert.equal(externalVotePercent(instance), 0n);
  assert.equal(externalVotePercent(instanceForEpoch(MAINNET, 2152n)), 99n * 10n ** 16n);
});

test("fee collectors and HIP-30 split appear at FeeCollect and HIP30", () => {
  assert.equal(instanceForEpoch(MAINNET, 1534n).feeCollectors.length, 0);
  assert.equal(instanceForEpoch(MAINNET, 1535n).feeCollectors.length, 2);
  assert.equal(instanceForEpoch(MAINNET, 1672n).hip30EmissionFraction, 0n);
  assert.equal(instanceForEpoch(MAINNET, 1673n).hip30EmissionFraction, 25n * 10n ** 16n);
  assert.equal(instanceForEpoch(TESTNET, 2176n).hip30EmissionFraction, 25n * 10n ** 16n);
  // localnet: Go's switch picks the split-emission instance from OneSecond (4) on.
  assert.equal(instanceForEpoch(LOCALNET, 3n).hip30EmissionFraction, 0n);
  assert.equal(instanceForEpoch(LOCALNET, 4n).hip30EmissionFraction, 25n * 10n ** 16n);
});

test("mainnet skipped epochs around the staking launch", () => {
  assert.ok(isSkippedEpoch(MAINNET, 1n, 181n));
  assert.ok(!isSkippedEpoch(MAINNET, 2n, 183n));
  assert.ok(isSkippedEpoch(MAINNET, 3n, 183n));
  assert.ok(!isSkippedEpoch(MAINNET, 0n, 185n));
  assert.ok(!isSkippedEpoch(MAINNET, 1n, 186n));
  assert.ok(!isSkippedEpoch(TESTNET, 1n, 181n));
});

test("out-of-range blocks and epochs are rejected with their codes", () => {
  const rejects = (
    f: () => unknown,
    code: "sharding/block-number-out-of-range" | "sharding/epoch-out-of-range",
  ) => assert.throws(f, (e) => isSpecError(e, code));
  rejects(() => epochOfBlock(MAINNET, -1n), "sharding/block-number-out-of-range");
  rejects(() => epochOfBlock(MAINNET, MAX_BLOCK_NUMBER + 1n), "sharding/block-number-out-of-range");
  rejects(() => isLastBlockOfEpoch(MAINNET, -1n), "sharding/block-number-out-of-range");
  rejects(() => lastBlockOfEpoch(MAINNET, -1n), "sharding/epoch-out-of-range");
  rejects(() => instanceForEpoch(MAINNET, -1n), "sharding/epoch-out-of-range");
  // On mainnet the largest block number happens to close an epoch (Go agrees); the next epoch
  // would end beyond the 64-bit range.
  const lastEpoch = epochOfBlock(MAINNET, MAX_BLOCK_NUMBER);
  assert.ok(GO_MAINNET.isLastBlock(MAX_BLOCK_NUMBER));
  assert.equal(lastBlockOfEpoch(MAINNET, lastEpoch), MAX_BLOCK_NUMBER);
  rejects(() => lastBlockOfEpoch(MAINNET, lastEpoch + 1n), "sharding/epoch-out-of-range");
  rejects(() => firstBlockOfEpoch(MAINNET, lastEpoch + 1n), "sharding/epoch-out-of-range");
  // On localnet it does not: the epoch holding it is cut off and refused.
  const cut = epochOfBlock(LOCALNET, MAX_BLOCK_NUMBER);
  assert.ok(!isLastBlockOfEpoch(LOCALNET, MAX_BLOCK_NUMBER));
  rejects(() => lastBlockOfEpoch(LOCALNET, cut), "sharding/epoch-out-of-range");
  assert.equal(lastBlockOfEpoch(LOCALNET, cut - 1n), GO_LOCALNET.epochLastBlock(cut - 1n));
  assert.equal(
    epochOfBlock(MAINNET, MAX_BLOCK_NUMBER),
    GO_MAINNET.calcEpochNumber(MAX_BLOCK_NUMBER),
  );
});

// ---------------------------------------------------------------------------------------------
// Go's InstanceForEpoch switches, restated as an oracle over the feature schedules.
// ---------------------------------------------------------------------------------------------

function goMainnetInstance(e: bigint): string {
  const on = (f: Parameters<typeof isActive>[1]) => isActive(MAINNET, f, e);
  if (on("HIP32")) return "mainnetV5";
  if (on("HIP30")) return "mainnetV4";
  if (on("FeeCollect")) return "mainnetV3_4";
  if (on("SlotsLimited")) return "mainnetV3_3";
  if (on("HIP6And8")) return "mainnetV3_2";
  if (on("SixtyPercent")) return "mainnetV3_1";
  if (on("TwoSeconds")) return "mainnetV3";
  const plain: [bigint, string][] = [
    [231n, "V2_2"],
    [208n, "V2_1"],
    [185n, "V2_0"],
    [54n, "V1_5"],
    [46n, "V1_4"],
    [36n, "V1_3"],
    [25n, "V1_2"],
    [19n, "V1_1"],
    [12n, "V1"],
    [10n, "V0_4"],
    [8n, "V0_3"],
    [5n, "V0_2"],
    [1n, "V0_1"],
  ];
  for (const [from, name] of plain) if (e >= from) return `mainnet${name}`;
  return "mainnetV0";
}

function goTestnetInstance(e: bigint): string {
  const on = (f: Parameters<typeof isActive>[1]) => isActive(TESTNET, f, e);
  if (e >= 3392n) return "testnetV6_2";
  if (e >= 3388n) return "testnetV6_1";
  if (on("TestnetExternal")) return "testnetV6";
  if (on("HIP30")) return "testnetV5";
  if (on("FeeCollect")) return "testnetV4";
  if (e >= 486n) return "testnetV3";
  if (e >= 399n) return "testnetV2";
  if (on("Staking")) return "testnetV1";
  return "testnetV0";
}

function goLocalnetInstance(e: bigint): string {
  const on = (f: Parameters<typeof isActive>[1]) => isActive(LOCALNET, f, e);
  if (on("OneSecond") || on("HIP30")) return "localnetV4";
  if (on("FeeCollect")) return "localnetV3_2";
  if (on("SixtyPercent")) return "localnetV3_1";
  if (on("TwoSeconds")) return "localnetV3";
  if (on("Staking")) return "localnetV2";
  if (e >= 1n) return "localnetV1";
  return "localnetV0";
}

const GO_INSTANCE: [NetworkConfig, (e: bigint) => string][] = [
  [MAINNET, goMainnetInstance],
  [TESTNET, goTestnetInstance],
  [LOCALNET, goLocalnetInstance],
];

test("instance data agrees with Go's InstanceForEpoch switch at every epoch up to 4000", () => {
  for (const [config, go] of GO_INSTANCE) {
    for (let e = 0n; e <= 4000n; e++) {
      assert.equal(instanceForEpoch(config, e).name, go(e), `${config.network} epoch ${e}`);
    }
    assert.equal(instanceForEpoch(config, 10n ** 12n).name, go(10n ** 12n));
  }
});

// ---------------------------------------------------------------------------------------------
// Properties of the epoch arithmetic, each shown to catch a deliberately broken rule.
// ---------------------------------------------------------------------------------------------

/** The four epoch functions, so a property can run on the spec or on a mutated copy. */
interface Epochs {
  epochOf(config: NetworkConfig, block: bigint): bigint;
  firstBlock(config: NetworkConfig, epoch: bigint): bigint;
  lastBlock(config: NetworkConfig, epoch: bigint): bigint;
  isLast(config: NetworkConfig, block: bigint): boolean;
}

const SPEC: Epochs = {
  epochOf: epochOfBlock,
  firstBlock: firstBlockOfEpoch,
  lastBlock: lastBlockOfEpoch,
  isLast: isLastBlockOfEpoch,
};

/** Mutation: the block-to-epoch rule takes the first era that started, not the last. */
const FIRST_ERA_ONLY: Epochs = {
  ...SPEC,
  epochOf(config, block) {
    const era = config.sharding.epochs.find((r) => r.firstBlock <= block)!;
    return era.fromEpoch + (block - era.firstBlock) / era.blocksPerEpoch;
  },
};

/** Mutation: an era's first epoch is counted in the era before it (`<` for `<=`). */
function eraBefore(config: NetworkConfig, epoch: bigint): EpochEra {
  let era = config.sharding.epochs[0];
  for (const r of config.sharding.epochs) if (r.fromEpoch < epoch) era = r;
  return era;
}
const EPOCH_ERA_OFF_BY_ONE: Epochs = {
  ...SPEC,
  lastBlock(config, epoch) {
    const era = eraBefore(config, epoch);
    return era.firstBlock + (epoch - era.fromEpoch + 1n) * era.blocksPerEpoch - 1n;
  },
  firstBlock(config, epoch) {
    const era = eraBefore(config, epoch);
    return era.firstBlock + (epoch - era.fromEpoch) * era.blocksPerEpoch;
  },
};

/** Mutation: the last block of an epoch is one too far. */
const LAST_BLOCK_OFF_BY_ONE: Epochs = {
  ...SPEC,
  lastBlock: (config, epoch) => lastBlockOfEpoch(config, epoch) + 1n,
};

/** Mutation: the first block of an epoch counts as its last. */
const IS_LAST_AT_START: Epochs = {
  ...SPEC,
  isLast(config, block) {
    return block === 0n || epochOfBlock(config, block) !== epochOfBlock(config, block - 1n);
  },
};

/** Mutation (of the data): mainnet's 2-second era placed 675776 blocks late. */
const MAINNET_LATE_FORK = withEras(MAINNET, [
  MAINNET.sharding.epochs[0],
  MAINNET.sharding.epochs[1],
  { fromEpoch: 366n, firstBlock: 7000000n, blocksPerEpoch: 32768n },
]);

const PRESETS = [MAINNET, TESTNET, LOCALNET];

/**
 * Runs for the `catches` checks. Several mutations are wrong only at an era boundary (mainnet
 * epoch 1, say), which a sample hits a few times in a hundred; a thousand runs (a few
 * milliseconds) make a miss practically impossible.
 */
const CATCH_RUNS = 1000;

/** Epochs around every era boundary (most often) and instance boundary, small and huge ones. */
function epochArb(config: NetworkConfig): fc.Arbitrary<bigint> {
  const eraEdges: bigint[] = [0n];
  for (const era of config.sharding.epochs) eraEdges.push(era.fromEpoch - 1n, era.fromEpoch);
  const instanceEdges: bigint[] = [0n];
  for (const entry of config.sharding.instances) {
    instanceEdges.push(entry.fromEpoch - 1n, entry.fromEpoch);
  }
  const max = epochOfBlock(config, MAX_BLOCK_NUMBER) - 2n;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...eraEdges.filter((e) => e >= 0n)), weight: 3 },
    { arbitrary: fc.constantFrom(...instanceEdges.filter((e) => e >= 0n)), weight: 2 },
    { arbitrary: fc.bigInt({ min: 0n, max: 5000n }), weight: 1 },
    { arbitrary: fc.bigInt({ min: 0n, max }), weight: 1 },
  );
}

/** Blocks around every era boundary, plus small and huge ones. */
function blockArb(config: NetworkConfig): fc.Arbitrary<bigint> {
  const edges: bigint[] = [0n];
  for (const era of config.sharding.epochs) edges.push(era.firstBlock - 1n, era.firstBlock);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...edges.filter((b) => b >= 0n)), weight: 3 },
    { arbitrary: fc.bigInt({ min: 0n, max: 10_000_000n }), weight: 2 },
    { arbitrary: fc.bigInt({ min: 0n, max: MAX_BLOCK_NUMBER - 1n }), weight: 1 },
  );
}

function configAndEpoch(configs: NetworkConfig[]) {
  return fc.constantFrom(...configs).chain((c) => fc.tuple(fc.constant(c), epochArb(c)));
}

function configAndBlock(configs: NetworkConfig[]) {
  return fc.constantFrom(...configs).chain((c) => fc.tuple(fc.constant(c), blockArb(c)));
}

const boundsContainEpoch = (impl: Epochs, configs: NetworkConfig[]) =>
  fc.property(configAndEpoch(configs), ([config, e]) => {
    const first = impl.firstBlock(config, e);
    const last = impl.lastBlock(config, e);
    return first <= last && impl.epochOf(config, first) === e && impl.epochOf(config, last) === e;
  });

const epochsTile = (impl: Epochs, configs: NetworkConfig[]) =>
  fc.property(configAndEpoch(configs), ([config, e]) => {
    return impl.lastBlock(config, e) + 1n === impl.firstBlock(config, e + 1n);
  });

const epochStepsByAtMostOne = (impl: Epochs, configs: NetworkConfig[]) =>
  fc.property(configAndBlock(configs), ([config, b]) => {
    const step = impl.epochOf(config, b + 1n) - impl.epochOf(config, b);
    return step === 0n || step === 1n;
  });

/** A distance between two blocks: often within a few epochs, sometimes far. */
const distanceArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 1n << 16n }),
  fc.bigInt({ min: 0n, max: 1n << 40n }),
);

const epochMonotone = (impl: Epochs, configs: NetworkConfig[]) =>
  fc.property(configAndBlock(configs), distanceArb, ([c, b], d) => {
    const later = b + d > MAX_BLOCK_NUMBER ? MAX_BLOCK_NUMBER : b + d;
    return impl.epochOf(c, b) <= impl.epochOf(c, later);
  });

const lastBlockIsWhereEpochChanges = (impl: Epochs, configs: NetworkConfig[]) =>
  fc.property(configAndBlock(configs), ([config, b]) => {
    const changes = impl.epochOf(config, b + 1n) === impl.epochOf(config, b) + 1n;
    return impl.isLast(config, b) === changes;
  });

const lastBlockOfEpochIsLast = (impl: Epochs, configs: NetworkConfig[]) =>
  fc.property(configAndEpoch(configs), ([config, e]) => {
    const first = impl.firstBlock(config, e);
    const last = impl.lastBlock(config, e);
    if (!impl.isLast(config, last)) return false;
    // Epoch 0 of localnet is the shortest (5 blocks): its first and second-to-last differ.
    return first === last || (!impl.isLast(config, first) && !impl.isLast(config, last - 1n));
  });

test("property: epochOf(firstBlock(e)) = e = epochOf(lastBlock(e))", () => {
  holds(boundsContainEpoch(SPEC, PRESETS));
  catches(boundsContainEpoch(FIRST_ERA_ONLY, PRESETS), CATCH_RUNS);
  catches(boundsContainEpoch(EPOCH_ERA_OFF_BY_ONE, PRESETS), CATCH_RUNS);
  catches(boundsContainEpoch(LAST_BLOCK_OFF_BY_ONE, PRESETS), CATCH_RUNS);
});

test("property: lastBlock(e) + 1 = firstBlock(e + 1)", () => {
  holds(epochsTile(SPEC, PRESETS));
  catches(epochsTile(LAST_BLOCK_OFF_BY_ONE, PRESETS), CATCH_RUNS);
  catches(epochsTile(EPOCH_ERA_OFF_BY_ONE, PRESETS), CATCH_RUNS);
});

test("property: the epoch never decreases along the chain", () => {
  holds(epochMonotone(SPEC, PRESETS));
  catches(epochMonotone(SPEC, [MAINNET_LATE_FORK]), CATCH_RUNS);
});

test("property: consecutive blocks differ by at most one epoch", () => {
  holds(epochStepsByAtMostOne(SPEC, PRESETS));
  catches(epochStepsByAtMostOne(SPEC, [MAINNET_LATE_FORK]), CATCH_RUNS);
});

test("property: a block is last in its epoch iff the next block starts a new epoch", () => {
  holds(lastBlockIsWhereEpochChanges(SPEC, PRESETS));
  catches(lastBlockIsWhereEpochChanges(IS_LAST_AT_START, PRESETS), CATCH_RUNS);
});

test("property: an epoch's last block is last; its first and second-to-last are not", () => {
  holds(lastBlockOfEpochIsLast(SPEC, PRESETS));
  catches(lastBlockOfEpochIsLast(IS_LAST_AT_START, PRESETS), CATCH_RUNS);
  catches(lastBlockOfEpochIsLast(LAST_BLOCK_OFF_BY_ONE, PRESETS), CATCH_RUNS);
});

/** The Go formulas on the spec's function shape, for the differential property. */
function goAsEpochs(go: GoEpochs): Epochs {
  return {
    epochOf: (_c, b) => go.calcEpochNumber(b),
    firstBlock: (_c, e) => (e === 0n ? 0n : go.epochLastBlock(e - 1n) + 1n),
    lastBlock: (_c, e) => go.epochLastBlock(e),
    isLast: (_c, b) => go.isLastBlock(b),
  };
}

const agreesWithGo = (impl: Epochs) =>
  fc.property(
    fc.constantFrom(...NETWORKS).chain(([c, go]) =>
      fc.tuple(fc.constant(c), fc.constant(goAsEpochs(go)), blockArb(c), epochArb(c))
    ),
    ([config, go, b, e]) =>
      impl.epochOf(config, b) === go.epochOf(config, b) &&
      impl.isLast(config, b) === go.isLast(config, b) &&
      impl.lastBlock(config, e) === go.lastBlock(config, e) &&
      impl.firstBlock(config, e) === go.firstBlock(config, e),
  );

test("property: the spec agrees with Go's per-network formulas", () => {
  holds(agreesWithGo(SPEC), 300);
  catches(agreesWithGo(FIRST_ERA_ONLY), CATCH_RUNS);
  catches(agreesWithGo(EPOCH_ERA_OFF_BY_ONE), CATCH_RUNS);
  catches(agreesWithGo(IS_LAST_AT_START), CATCH_RUNS);
});

/** The instance rule as a property: the chosen entry starts at or before e, the next after e. */
const instanceIsInItsRange = (pick: (c: NetworkConfig, e: bigint) => Instance) =>
  fc.property(configAndEpoch(PRESETS), ([config, e]) => {
    const entries = config.sharding.instances;
    const i = entries.findIndex((entry) => entry.instance === pick(config, e));
    const next = entries[i + 1];
    return i >= 0 && entries[i].fromEpoch <= e && (next === undefined || e < next.fromEpoch);
  });

test("property: the instance for an epoch is the last one starting at or before it", () => {
  holds(instanceIsInItsRange(instanceForEpoch));
  // Mutation: the first instance starting at or after the epoch.
  const broken = (config: NetworkConfig, e: bigint) => {
    const entries = config.sharding.instances;
    const after = entries.find((entry) => entry.fromEpoch >= e);
    return (after ?? entries[entries.length - 1]).instance;
  };
  catches(instanceIsInItsRange(broken), CATCH_RUNS);
});

test("the late-fork mutation is also refused by validateConfig", () => {
  assert.throws(
    () => validateConfig(MAINNET_LATE_FORK),
    (e) => isSpecError(e, "params/invalid-config"),
  );
  for (const [config] of NETWORKS) validateConfig(config);
});
