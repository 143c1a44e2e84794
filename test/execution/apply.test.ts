import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { holdsAsync, params } from "../support/property.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../spec/params/mod.ts";
import { instanceForEpoch } from "../../spec/sharding/schedule.ts";
import {
  type AppliedTransaction,
  applyPlainTransaction,
  applyTransaction,
  type BlockEnv,
  type GasPool,
} from "../../spec/execution/apply.ts";
import { feeShares } from "../../spec/execution/fees.ts";
import { intrinsicGas } from "../../spec/execution/gas.ts";
import {
  addBalance,
  addressKey,
  allAccounts,
  balanceOf,
  childState,
  nonceOf,
  stateFromAccounts,
  subBalance,
  totalBalance,
  type WorldState,
} from "../../spec/execution/state.ts";
import {
  blockSigner,
  signTransaction,
  type Transaction,
} from "../../spec/execution/transaction.ts";
import { validatePoolTransaction } from "../../spec/execution/pool.ts";
import { encodeReceipt } from "../../spec/execution/receipt.ts";
import { envAt, GWEI_100, signFor, testAddress, testKey } from "./support.ts";
import { ONE } from "../../spec/staking/validator.ts";
import { supplyMatches } from "../../spec/invariants.ts";

/** Asserts that an async property finds a counterexample (for a deliberately broken rule). */
async function catchesAsync<T>(property: fc.IAsyncProperty<T>, runs = 100): Promise<void> {
  const details = await fc.check(property, params(runs) as fc.Parameters<T>);
  assert.ok(
    details.failed,
    `the property should have caught the broken rule (seed ${details.seed})`,
  );
}

const SENDERS = [1, 2, 3, 4];

/** A state with the test senders funded. */
function funded(balance = 5n * ONE): WorldState {
  return childState(stateFromAccounts(SENDERS.map((i) => ({ address: testAddress(i), balance }))));
}

/** A comparable picture of a state: every account's fields. */
function picture(state: WorldState): string {
  const rows: string[] = [];
  for (const [key, r] of [...allAccounts(state)].sort(([a], [b]) => a < b ? -1 : 1)) {
    rows.push(`${key}:${r.nonce}:${r.balance}:${r.code.length}`);
  }
  return rows.join("\n");
}

const expectCode = (code: SpecErrorCode) => (e: unknown) => isSpecError(e, code);

test("Go TestCollectGas restated: localnet FeeCollect epoch, 50/50 collectors", async () => {
  const env = envAt(LOCALNET.features.FeeCollect!);
  const state = funded(2n * ONE);
  const to = new Uint8Array(20).fill(0x74);
  const tx = signFor(LOCALNET, env, 1, { to, value: ONE, gasLimit: 50_000n });
  await applyTransaction(LOCALNET, env, state, { remaining: 1n << 63n }, tx, undefined, 0n);
  const fee = 21_000n * GWEI_100;
  assert.equal(balanceOf(state, addressKey(testAddress(1))), 2n * ONE - fee - ONE);
  for (const c of instanceForEpoch(LOCALNET, env.epoch).feeCollectors) {
    assert.equal(balanceOf(state, addressKey(c.address)), GWEI_100 * (21_000n / 2n));
  }
  assert.equal(balanceOf(state, addressKey(to)), ONE);
});

test("Go TestCollectGasRounding restated: a fee of 5 gives each collector 2, burns 1", () => {
  const split = feeShares(LOCALNET, LOCALNET.features.FeeCollect!, new Uint8Array(20), 5n);
  assert.deepEqual(split.credits.map((c) => c.amount), [2n, 2n]);
  assert.equal(split.burnt, 1n);
});

test("fees by era: coinbase before Staking, burnt from Staking, collectors from FeeCollect", () => {
  const coinbase = new Uint8Array(20).fill(9);
  const before = feeShares(MAINNET, 185n, coinbase, 1000n);
  assert.deepEqual(before, { credits: [{ address: coinbase, amount: 1000n }], burnt: 0n });
  assert.deepEqual(feeShares(MAINNET, 186n, coinbase, 1000n), { credits: [], burnt: 1000n });
  const collect = feeShares(MAINNET, 1535n, coinbase, 1001n);
  assert.deepEqual(collect.credits.map((c) => c.amount), [500n, 500n]);
  assert.equal(collect.burnt, 1n);
});

test("intrinsic gas: 21000 + 4/zero byte + 68 or 16/non-zero byte; 53000 to create from S3", () => {
  const data = Uint8Array.of(0, 1, 0, 2);
  assert.equal(intrinsicGas(MAINNET, 313n, data, "call"), 21_000n + 8n + 136n);
  assert.equal(intrinsicGas(MAINNET, 314n, data, "call"), 21_000n + 8n + 32n);
  assert.equal(intrinsicGas(MAINNET, 27n, new Uint8Array(0), "create"), 21_000n);
  assert.equal(intrinsicGas(MAINNET, 28n, new Uint8Array(0), "create"), 53_000n);
  assert.equal(intrinsicGas(MAINNET, 28n, new Uint8Array(0), "create-validator"), 5_300_000n);
});

/** One rejection scenario: a state, a transaction and the expected code. */
interface Rejection {
  code: SpecErrorCode;
  config: NetworkConfig;
  env: BlockEnv;
  tx: Transaction;
  pool?: GasPool;
}

function rejections(): Rejection[] {
  const env = envAt(3n);
  const sign = (fields: Partial<Transaction>, key = 1) => signFor(LOCALNET, env, key, fields);
  const ethSigner = blockSigner(MAINNET, 0n, 500n, { v: 35n + 2n * 1666600000n });
  const ethTx = signTransaction(ethSigner, { ...sign({}), shardId: 0n, toShardId: 0n }, testKey(1));
  const bad = sign({});
  return [
    { code: "execution/wrong-shard", config: LOCALNET, env, tx: sign({ shardId: 1n }) },
    {
      code: "execution/to-shard-out-of-range",
      config: LOCALNET,
      env,
      tx: sign({ toShardId: 5n }),
    },
    {
      code: "execution/eth-compatible-not-active",
      config: MAINNET,
      env: envAt(441n),
      tx: ethTx,
    },
    {
      code: "execution/invalid-chain-id",
      config: LOCALNET,
      env,
      tx: signTransaction(
        { kind: "eip155", chainId: 7n, nodeEthChainId: 7n },
        { ...bad },
        testKey(1),
      ),
    },
    { code: "execution/invalid-signature", config: LOCALNET, env, tx: { ...bad, r: 0n } },
    { code: "execution/nonce-too-high", config: LOCALNET, env, tx: sign({ nonce: 1n }) },
    {
      code: "execution/insufficient-balance-for-gas",
      config: LOCALNET,
      env,
      tx: sign({ gasLimit: 10n ** 8n, gasPrice: 10n ** 11n }),
    },
    {
      code: "execution/block-gas-exhausted",
      config: LOCALNET,
      env,
      tx: sign({}),
      pool: { remaining: 20_999n },
    },
    {
      code: "execution/intrinsic-gas-too-low",
      config: LOCALNET,
      env,
      tx: sign({ gasLimit: 20_999n }),
    },
    {
      code: "execution/insufficient-balance-for-value",
      config: LOCALNET,
      env,
      tx: sign({ value: 5n * ONE }),
    },
  ];
}

test("every rejection of applyTransaction has its code and leaves state and pool untouched", async () => {
  for (const r of rejections()) {
    const state = funded();
    const before = picture(state);
    const pool = r.pool ?? { remaining: 30_000_000n };
    const remaining = pool.remaining;
    await assert.rejects(
      applyTransaction(r.config, r.env, state, pool, r.tx, undefined, 0n),
      expectCode(r.code),
      r.code,
    );
    assert.equal(picture(state), before, r.code);
    assert.equal(pool.remaining, remaining, r.code);
  }
});

test("nonce too low: the second use of a nonce is refused", async () => {
  const env = envAt(3n);
  const state = funded();
  const tx = signFor(LOCALNET, env, 1, {});
  const pool = { remaining: 1_000_000n };
  await applyTransaction(LOCALNET, env, state, pool, tx, undefined, 0n);
  await assert.rejects(
    applyTransaction(LOCALNET, env, state, pool, tx, undefined, 0n),
    expectCode("execution/nonce-too-low"),
  );
});

test("pool admission: each check has its code, in Go's order", () => {
  const env = envAt(3n);
  const state = funded();
  const view = {
    shardId: 0n,
    epoch: 3n,
    blockGasLimit: 30_000_000n,
    minGasPrice: GWEI_100,
    local: false,
    state,
  };
  const sign = (fields: Partial<Transaction>) => signFor(LOCALNET, env, 1, fields);
  const cases: [SpecErrorCode, Transaction][] = [
    ["execution/wrong-shard", sign({ shardId: 1n })],
    ["execution/oversized-data", sign({ data: new Uint8Array(128 * 1024) })],
    ["execution/negative-value", { ...sign({}), value: -1n }],
    ["execution/gas-limit-exceeds-block", sign({ gasLimit: 30_000_001n })],
    ["execution/invalid-signature", { ...sign({}), s: 0n }],
    ["execution/gas-price-too-low", sign({ gasPrice: GWEI_100 - 1n })],
    ["execution/insufficient-funds", sign({ value: 5n * ONE })],
    ["execution/intrinsic-gas-too-low", sign({ gasLimit: 20_000n })],
  ];
  for (const [code, tx] of cases) {
    assert.throws(() => validatePoolTransaction(LOCALNET, view, tx), expectCode(code), code);
  }
  assert.deepEqual(validatePoolTransaction(LOCALNET, view, sign({})), testAddress(1));
  setNonceTo(state, 1, 2n);
  assert.throws(
    () => validatePoolTransaction(LOCALNET, view, sign({ nonce: 1n })),
    expectCode("execution/nonce-too-low"),
  );
});

function setNonceTo(state: WorldState, index: number, nonce: bigint): void {
  const key = addressKey(testAddress(index));
  while (nonceOf(state, key) < nonce) {
    addBalance(state, key, 0n);
    state.accounts.get(key)!.nonce += 1n;
  }
}

/** A random plain transfer between the test accounts (sometimes invalid). */
const arbTransfer = fc.record({
  from: fc.constantFrom(...SENDERS),
  to: fc.constantFrom(1, 2, 3, 5, 6),
  value: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2n * ONE })),
  gasLimit: fc.constantFrom(21_000n, 25_000n, 20_000n),
  gasPrice: fc.constantFrom(0n, 1n, GWEI_100, 3n * GWEI_100),
  nonceOffset: fc.constantFrom(0n, 0n, 0n, 1n, -1n),
  data: fc.uint8Array({ maxLength: 4 }),
  toShard: fc.constantFrom(0n, 0n, 0n, 1n),
});

type Transfer = typeof arbTransfer extends fc.Arbitrary<infer T> ? T : never;

/** Signs a random transfer against the current nonces. */
function signTransfer(config: NetworkConfig, env: BlockEnv, state: WorldState, t: Transfer) {
  const nonce = nonceOf(state, addressKey(testAddress(t.from))) + t.nonceOffset;
  return signFor(config, env, t.from, {
    nonce: nonce < 0n ? 0n : nonce,
    to: testAddress(t.to),
    value: t.value,
    gasLimit: t.gasLimit,
    gasPrice: t.gasPrice,
    data: t.data,
    toShardId: t.toShard,
  });
}

type Apply = (
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  pool: GasPool,
  tx: Transaction,
  sender?: Uint8Array,
) => Promise<AppliedTransaction>;

const apply: Apply = (config, env, state, pool, tx, sender) =>
  applyTransaction(config, env, state, pool, tx, sender, 0n);

/** Runs a block of random transfers; returns the included results. */
async function runBlock(
  run: Apply,
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  transfers: Transfer[],
) {
  const pool = { remaining: 30_000_000n };
  const included: AppliedTransaction[] = [];
  for (const t of transfers) {
    const tx = signTransfer(config, env, state, t);
    try {
      included.push(await run(config, env, state, pool, tx, testAddress(t.from)));
    } catch (e) {
      if (!isSpecError(e)) throw e;
    }
  }
  return included;
}

const ERAS: [string, NetworkConfig, bigint][] = [
  ["coinbase era (mainnet 100)", MAINNET, 100n],
  ["burn era (mainnet 200)", MAINNET, 200n],
  ["collector era (localnet 3)", LOCALNET, 3n],
];

/** Supply conservation: the sum of balances changes by −burnt − cross-shard value sent. */
const supplyProperty = (run: Apply, config: NetworkConfig, epoch: bigint) =>
  fc.asyncProperty(fc.array(arbTransfer, { maxLength: 12 }), async (transfers) => {
    const env = envAt(epoch);
    const state = funded();
    const supply = { genesis: totalBalance(state), issued: 0n, burnt: 0n, sent: 0n, received: 0n };
    for (const r of await runBlock(run, config, env, state, transfers)) {
      supply.burnt += r.fee.burnt;
      supply.sent += r.cxReceipt?.amount ?? 0n;
    }
    assert.equal(supplyMatches(totalBalance(state), supply), true);
  });

test("property: supply changes exactly by the burnt fees and outgoing cross-shard value", async () => {
  for (const [, config, epoch] of ERAS) await holdsAsync(supplyProperty(apply, config, epoch), 25);
  // Broken rule: one atto too many is credited to the coinbase with each fee.
  const inflating: Apply = async (config, env, state, pool, tx, sender) => {
    const r = await apply(config, env, state, pool, tx, sender);
    addBalance(state, addressKey(env.coinbase), 1n);
    return r;
  };
  await catchesAsync(supplyProperty(inflating, LOCALNET, 3n), 25);
});

/** A rejected transaction leaves the state and the pool as they were. */
const untouchedProperty = (run: Apply) =>
  fc.asyncProperty(fc.array(arbTransfer, { minLength: 1, maxLength: 8 }), async (transfers) => {
    const env = envAt(3n);
    const state = funded(ONE / 1000n);
    for (const t of transfers) {
      const tx = signTransfer(LOCALNET, env, state, t);
      const pool = { remaining: 1_000_000n };
      const before = picture(state);
      try {
        await run(LOCALNET, env, state, pool, tx, testAddress(t.from));
      } catch (e) {
        assert.ok(isSpecError(e));
        assert.equal(picture(state), before);
        assert.equal(pool.remaining, 1_000_000n);
      }
    }
  });

test("property: a rejected transaction leaves the state untouched", async () => {
  await holdsAsync(untouchedProperty(apply), 60);
  // Broken rule: the gas is bought before the checks and not given back on rejection.
  const leaky: Apply = (config, env, state, pool, tx, sender) => {
    const key = addressKey(testAddress(1));
    if (balanceOf(state, key) > 0n) subBalance(state, key, 1n);
    return apply(config, env, state, pool, tx, sender);
  };
  await catchesAsync(untouchedProperty(leaky), 60);
});

/** Each included transaction advances its sender's nonce by exactly one. */
const nonceProperty = (run: Apply) =>
  fc.asyncProperty(fc.array(arbTransfer, { maxLength: 12 }), async (transfers) => {
    const env = envAt(3n);
    const state = funded();
    const start = SENDERS.map((i) => nonceOf(state, addressKey(testAddress(i))));
    const included = await runBlock(run, LOCALNET, env, state, transfers);
    SENDERS.forEach((i, j) => {
      const count = included.filter((r) => addressKey(r.sender) === addressKey(testAddress(i)))
        .length;
      assert.equal(nonceOf(state, addressKey(testAddress(i))), start[j] + BigInt(count));
    });
  });

test("property: nonces advance by one per included transaction", async () => {
  await holdsAsync(nonceProperty(apply), 40);
  const doubleNonce: Apply = async (config, env, state, pool, tx, sender) => {
    const r = await apply(config, env, state, pool, tx, sender);
    state.accounts.get(addressKey(r.sender))!.nonce += 1n;
    return r;
  };
  await catchesAsync(nonceProperty(doubleNonce), 40);
});

/** The plain-transfer path and the EVM path give the same state, receipts and fees. */
const fastPathProperty = (fast: Apply, config: NetworkConfig, epoch: bigint) =>
  fc.asyncProperty(fc.array(arbTransfer, { maxLength: 10 }), async (transfers) => {
    const env = envAt(epoch);
    const a = funded();
    const b = funded();
    const viaEvm: Apply = (c, e, s, p, tx, sender) =>
      applyTransaction(c, e, s, p, tx, sender, 0n, { forceEvm: true });
    const ra = await runBlock(fast, config, env, a, transfers);
    const rb = await runBlock(viaEvm, config, env, b, transfers);
    assert.equal(picture(a), picture(b));
    assert.deepEqual(
      ra.map((r) => encodeReceipt(r.receipt)),
      rb.map((r) => encodeReceipt(r.receipt)),
    );
    assert.deepEqual(ra.map((r) => r.fee.burnt), rb.map((r) => r.fee.burnt));
    assert.deepEqual(ra.map((r) => r.cxReceipt?.amount), rb.map((r) => r.cxReceipt?.amount));
  });

test("property: a plain transfer without the EVM equals the same transfer on the EVM", async () => {
  const plain: Apply = (config, env, state, pool, tx, sender) =>
    Promise.resolve(applyPlainTransaction(config, env, state, pool, tx, sender, 0n));
  for (const [, config, epoch] of ERAS) {
    await holdsAsync(fastPathProperty(plain, config, epoch), 10);
  }
  // Broken fast path: a zero-value transfer to an absent account creates it (pre-EIP-158).
  const broken: Apply = async (config, env, state, pool, tx, sender) => {
    const r = await plain(config, env, state, pool, tx, sender);
    if (tx.value === 0n) {
      const key = addressKey(tx.to!);
      state.accounts.set(key, { ...(state.accounts.get(key) ?? emptyRecord()), nonce: 1n });
    }
    return r;
  };
  await catchesAsync(fastPathProperty(broken, LOCALNET, 3n), 20);
});

function emptyRecord() {
  return stateFromAccounts([{ address: new Uint8Array(20), balance: 0n }]).accounts.values()
    .next().value!;
}
