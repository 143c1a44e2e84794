import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  decodeFunctionResult,
  encodeFunctionData,
  getContractAddress,
  keccak256 as viemKeccak,
  toHex as viemHex,
} from "viem";
import { bytesToBigint, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import { ethChainId, MAINNET } from "../../spec/params/mod.ts";
import { type AppliedTransaction, applyTransaction } from "../../spec/execution/apply.ts";
import {
  addressKey,
  balanceOf,
  childState,
  codeOf,
  nonceOf,
  slotKey,
  stateFromAccounts,
  storageOf,
  type WorldState,
} from "../../spec/execution/state.ts";
import type { Transaction } from "../../spec/execution/transaction.ts";
import {
  compileSolidity,
  COUNTER_SOURCE,
  envAt,
  signFor,
  testAddress,
  testKey,
} from "./support.ts";
import { ONE } from "../../spec/staking/validator.ts";

const counter = compileSolidity(COUNTER_SOURCE).Counter;
const abi = counter.abi as never;

/** A little chain of transactions by test account 1 on mainnet at an epoch. */
function chainAt(epoch: bigint) {
  const env = envAt(epoch);
  const state: WorldState = childState(
    stateFromAccounts([{ address: testAddress(1), balance: 10n * ONE }]),
  );
  const pool = { remaining: 80_000_000n };
  let cumulative = 0n;
  const send = async (fields: Partial<Transaction>): Promise<AppliedTransaction> => {
    const nonce = nonceOf(state, addressKey(testAddress(1)));
    const tx = signFor(MAINNET, env, 1, { gasLimit: 1_000_000n, value: 0n, ...fields, nonce });
    const r = await applyTransaction(MAINNET, env, state, pool, tx, undefined, cumulative);
    cumulative = r.receipt.cumulativeGasUsed;
    return r;
  };
  const call = (address: Uint8Array, functionName: string, args: unknown[] = [], gas = 200_000n) =>
    send({
      to: address,
      data: fromHex(encodeFunctionData({ abi, functionName, args } as never)),
      gasLimit: gas,
    });
  return { env, state, send, call };
}

async function deployed(epoch: bigint) {
  const c = chainAt(epoch);
  const r = await c.send({ to: null, data: counter.bytecode });
  assert.equal(r.receipt.status, 1);
  return { ...c, address: r.receipt.contractAddress!, deployment: r };
}

test("a solc-compiled contract deploys at viem's CREATE address, with its runtime code", async () => {
  const { state, address, deployment } = await deployed(1600n);
  const expected = getContractAddress({
    from: `0x${toHex(testAddress(1))}`,
    nonce: 0n,
  });
  assert.equal(`0x${toHex(address)}`, expected.toLowerCase());
  assert.ok(codeOf(state, addressKey(address)).length > 0);
  assert.equal(nonceOf(state, addressKey(address)), 1n, "EIP-161: a new contract starts at 1");
  assert.ok(deployment.receipt.gasUsed > 53_000n);
});

test("a call writes storage and emits a log whose topics the bloom contains", async () => {
  const { state, address, call } = await deployed(1600n);
  const r = await call(address, "increment");
  assert.equal(r.receipt.status, 1);
  assert.equal(storageOf(state, addressKey(address), slotKey(0n)), 1n);
  assert.equal(r.receipt.logs.length, 1);
  const topic = viemKeccak(new TextEncoder().encode("Incremented(address,uint256)"));
  assert.equal(`0x${toHex(r.receipt.logs[0].topics[0])}`, topic);
  assert.deepEqual(r.receipt.logs[0].topics[1].slice(12), testAddress(1));
  assert.equal(bytesToBigint(r.receipt.logs[0].data), 1n);
  assert.ok(r.receipt.bloom.some((b) => b !== 0));
});

test("a revert fails the receipt, keeps the nonce and fee, undoes the rest", async () => {
  const { state, address, call } = await deployed(1600n);
  const before = balanceOf(state, addressKey(testAddress(1)));
  const r = await call(address, "fail");
  assert.equal(r.receipt.status, 0);
  assert.ok(r.receipt.gasUsed < 200_000n, "a revert returns the unused gas");
  assert.equal(
    balanceOf(state, addressKey(testAddress(1))),
    before - r.receipt.gasUsed * 100_000_000_000n,
  );
  assert.equal(r.receipt.logs.length, 0);
});

test("out of gas consumes the whole gas limit", async () => {
  const { address, call } = await deployed(1600n);
  const r = await call(address, "burn", [], 100_000n);
  assert.equal(r.receipt.status, 0);
  assert.equal(r.receipt.gasUsed, 100_000n);
});

test("the storage refund is capped at half the gas used", async () => {
  const { address, call } = await deployed(1600n);
  await call(address, "increment");
  const r = await call(address, "clear");
  // Istanbul SSTORE to zero from a non-zero committed value: 5000 gas, 15000 refund; the call
  // costs about 26k, so the refund is capped at half of it.
  assert.equal(r.receipt.status, 1);
  const uncapped = r.receipt.gasUsed;
  assert.ok(uncapped > 10_000n && uncapped < 20_000n, `${uncapped}`);
});

test("CHAINID is Harmony's chain ID before ChainIdFix, the Ethereum-compatible one from it", async () => {
  for (const [epoch, expected] of [[1322n, 1n], [1323n, ethChainId(MAINNET, 0n)]] as const) {
    const { address, state, env } = await deployed(epoch);
    assert.equal(await chainIdCall(epoch, address, env, state), expected);
  }
});

/** Calls `chainId()` and decodes the result from the EVM directly. */
async function chainIdCall(
  epoch: bigint,
  address: Uint8Array,
  env: ReturnType<typeof envAt>,
  state: WorldState,
): Promise<bigint> {
  const { runEvmMessage } = await import("../../spec/execution/evm.ts");
  const out = await runEvmMessage(MAINNET, epoch, state, env, {
    caller: testAddress(1),
    to: address,
    value: 0n,
    data: fromHex(encodeFunctionData({ abi, functionName: "chainId" } as never)),
    gas: 100_000n,
    gasPrice: 0n,
    subtractionOnly: false,
  });
  return decodeFunctionResult(
    { abi, functionName: "chainId", data: viemHex(out.returnData) } as never,
  ) as bigint;
}

test("the SHA3-FIPS precompile (0xfd) returns FIPS-202 SHA3-256, checked by node:crypto", async () => {
  const { address, state, env } = await deployed(1600n);
  const { runEvmMessage } = await import("../../spec/execution/evm.ts");
  const input = new TextEncoder().encode("harmony");
  const out = await runEvmMessage(MAINNET, 1600n, state, env, {
    caller: testAddress(1),
    to: address,
    value: 0n,
    data: fromHex(
      encodeFunctionData({ abi, functionName: "sha3fips", args: [viemHex(input)] } as never),
    ),
    gas: 100_000n,
    gasPrice: 0n,
    subtractionOnly: false,
  });
  const result = decodeFunctionResult(
    { abi, functionName: "sha3fips", data: viemHex(out.returnData) } as never,
  );
  const oracle = createHash("sha3-256").update(input).digest("hex");
  assert.equal(result, `0x${oracle}`);
});

test("a call reaching the staking precompile is refused as not specified, state untouched", async () => {
  const { state, send } = await deployed(1600n);
  const before = balanceOf(state, addressKey(testAddress(1)));
  const staking = fromHex("00000000000000000000000000000000000000fc");
  await assert.rejects(
    send({ to: staking, data: Uint8Array.of(1, 2, 3), gasLimit: 100_000n }),
    (e) => isSpecError(e, "execution/precompile-not-specified"),
  );
  assert.equal(balanceOf(state, addressKey(testAddress(1))), before);
});

test("value sent to a contract's receive() lands in its balance", async () => {
  const { state, address, send } = await deployed(1600n);
  const r = await send({ to: address, value: 12345n, gasLimit: 100_000n });
  assert.equal(r.receipt.status, 1);
  assert.equal(balanceOf(state, addressKey(address)), 12345n);
});

test("gas used by a deployment and calls equals @ethereumjs/vm runTx at Istanbul", async () => {
  const { createCustomCommon, Hardfork, Mainnet } = await import("@ethereumjs/common");
  const { createLegacyTx } = await import("@ethereumjs/tx");
  const { createVM, runTx } = await import("@ethereumjs/vm");
  const { Account, Address } = await import("@ethereumjs/util");
  const common = createCustomCommon({ chainId: 1 }, Mainnet, { hardfork: Hardfork.Istanbul });
  const vm = await createVM({ common });
  await vm.stateManager.putAccount(new Address(testAddress(1)), new Account(0n, 10n * ONE));
  const { call, address, deployment } = await deployed(1600n);
  const oracleGas: bigint[] = [];
  const steps: [Uint8Array | null, Uint8Array][] = [
    [null, counter.bytecode],
    [address, fromHex(encodeFunctionData({ abi, functionName: "increment" } as never))],
    [address, fromHex(encodeFunctionData({ abi, functionName: "increment" } as never))],
    [address, fromHex(encodeFunctionData({ abi, functionName: "clear" } as never))],
  ];
  for (const [i, [to, data]] of steps.entries()) {
    const tx = createLegacyTx({
      nonce: BigInt(i),
      gasPrice: 100_000_000_000n,
      gasLimit: 1_000_000n,
      to: to ?? undefined,
      data,
    }, { common }).sign(testKey(1));
    const r = await runTx(vm, {
      tx,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
    });
    oracleGas.push(r.totalGasSpent);
  }
  const spec = [deployment.receipt.gasUsed];
  for (const name of ["increment", "increment", "clear"]) {
    spec.push((await call(address, name, [], 1_000_000n)).receipt.gasUsed);
  }
  assert.deepEqual(spec, oracleGas);
});
