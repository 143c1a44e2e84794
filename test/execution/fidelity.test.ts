/**
 * Harmony's EVM rules that the Ethereum package does not have, restated from Go's code (Go has
 * no tests for them): which kinds of call see a validator's code (`core/vm/evm.go` `Call` asks
 * `IsValidator`, `CallCode`, `DelegateCall` and `StaticCall` do not), and what a cross-shard
 * transaction does with value (`core/evm.go` `Transfer` with `SubtractionOnly`). The vectors of
 * `apply_transaction` cover `EXTCODE*` before and after `ValidatorCodeFix` on both shards.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bytesToBigint, concatBytes, fromHex, utf8ToBytes } from "../../spec/encoding/bytes.ts";
import { keccak256 } from "../../spec/encoding/hash.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import { applyTransaction } from "../../spec/execution/apply.ts";
import { runEvmMessage } from "../../spec/execution/evm.ts";
import { contractAddress } from "../../spec/execution/receipt.ts";
import {
  addressKey,
  balanceOf,
  childState,
  IS_VALIDATOR_KEY,
  stateFromAccounts,
  type WorldState,
} from "../../spec/execution/state.ts";
import { envAt, signFor, testAddress } from "./support.ts";
import { ONE } from "../../spec/staking/validator.ts";

const VALIDATOR = fromHex("0000000000000000000000000000000000007a1d");
const CALLER = fromHex("000000000000000000000000000000000000ca11");
const FLAG: [bigint, bigint] = [
  BigInt("0x" + IS_VALIDATOR_KEY),
  bytesToBigint(keccak256(utf8ToBytes("true"))),
];

/** Code that returns the word 42 when it runs. */
const RETURNS_42 = fromHex("602a60005260206000f3");

/**
 * Code that calls `VALIDATOR` with the given call opcode (value 0, no input, 32 bytes of output
 * at memory 0) and returns those 32 bytes: 42 if the validator's code ran, 0 if not.
 */
function caller(opcode: number): Uint8Array {
  const withValue = opcode === 0xf1 || opcode === 0xf2;
  return concatBytes(
    fromHex("6020600060006000"), // retSize 32, retOffset 0, inSize 0, inOffset 0
    withValue ? fromHex("6000") : new Uint8Array(0), // value 0
    Uint8Array.of(0x73),
    VALIDATOR, // the address
    Uint8Array.of(0x5a, opcode, 0x50), // GAS, the call, POP its flag
    fromHex("60206000f3"), // RETURN 32 bytes from 0
  );
}

function stateWith(validatorCode: Uint8Array, callerCode: Uint8Array): WorldState {
  return childState(stateFromAccounts([
    { address: testAddress(1), balance: 10n * ONE },
    { address: VALIDATOR, balance: ONE, code: validatorCode, storage: [FLAG] },
    { address: CALLER, balance: 0n, nonce: 1n, code: callerCode },
  ]));
}

async function returned(opcode: number): Promise<bigint> {
  const env = envAt(1600n);
  const out = await runEvmMessage(MAINNET, 1600n, stateWith(RETURNS_42, caller(opcode)), env, {
    caller: testAddress(1),
    to: CALLER,
    value: 0n,
    data: new Uint8Array(0),
    gas: 200_000n,
    gasPrice: 0n,
    subtractionOnly: false,
  });
  assert.equal(out.failed, false);
  return bytesToBigint(out.returnData);
}

test("CALL runs no code at a validator's address; CALLCODE, DELEGATECALL, STATICCALL run it", async () => {
  assert.equal(await returned(0xf1), 0n, "CALL (Go Call hides the code)");
  assert.equal(await returned(0xf2), 42n, "CALLCODE");
  assert.equal(await returned(0xf4), 42n, "DELEGATECALL");
  assert.equal(await returned(0xfa), 42n, "STATICCALL");
  // The same contract not flagged as a validator: CALL runs it.
  const plain = childState(stateFromAccounts([
    { address: VALIDATOR, balance: ONE, code: RETURNS_42 },
    { address: CALLER, balance: 0n, nonce: 1n, code: caller(0xf1) },
  ]));
  const out = await runEvmMessage(MAINNET, 1600n, plain, envAt(1600n), {
    caller: testAddress(1),
    to: CALLER,
    value: 0n,
    data: new Uint8Array(0),
    gas: 200_000n,
    gasPrice: 0n,
    subtractionOnly: false,
  });
  assert.equal(bytesToBigint(out.returnData), 42n);
});

test("a transaction to a validator runs none of its code, on the plain path and on the EVM", async () => {
  const reverts = fromHex("60006000fd");
  for (const forceEvm of [false, true]) {
    const state = stateWith(reverts, new Uint8Array(0));
    const env = envAt(1600n);
    const tx = signFor(MAINNET, env, 1, { to: VALIDATOR, value: 5n, gasLimit: 50_000n });
    const pool = { remaining: 80_000_000n };
    const r = await applyTransaction(MAINNET, env, state, pool, tx, undefined, 0n, { forceEvm });
    assert.equal(r.receipt.status, 1);
    assert.equal(r.receipt.gasUsed, 21_000n);
    assert.equal(balanceOf(state, addressKey(VALIDATOR)), ONE + 5n);
  }
});

test("a cross-shard contract creation credits the new contract (Go Create always transfers)", async () => {
  const env = envAt(1600n);
  const state = childState(stateFromAccounts([{ address: testAddress(1), balance: 10n * ONE }]));
  // Init code returning an empty runtime.
  const tx = signFor(MAINNET, env, 1, {
    to: null,
    value: 100n,
    toShardId: 1n,
    data: fromHex("60006000f3"),
    gasLimit: 100_000n,
  });
  const r = await applyTransaction(
    MAINNET,
    env,
    state,
    { remaining: 80_000_000n },
    tx,
    undefined,
    0n,
  );
  assert.equal(r.receipt.status, 1);
  const created = contractAddress(testAddress(1), 0n);
  assert.equal(balanceOf(state, addressKey(created)), 100n);
  assert.equal(r.cxReceipt?.to, null);
  assert.equal(r.cxReceipt?.amount, 100n);
});

test("in a cross-shard transaction, a nested CALL with value credits nobody", async () => {
  // The caller contract sends 7 atto to an absent payee with CALL, then stops.
  const payee = fromHex("000000000000000000000000000000000000fa11");
  const code = concatBytes(
    fromHex("6000600060006000"), // retSize, retOffset, inSize, inOffset: 0
    fromHex("6007"), // value 7
    Uint8Array.of(0x73),
    payee,
    Uint8Array.of(0x5a, 0xf1, 0x00), // GAS, CALL, STOP
  );
  for (const [toShardId, credited] of [[0n, 7n], [1n, 0n]] as const) {
    const env = envAt(1600n);
    const state = childState(stateFromAccounts([
      { address: testAddress(1), balance: 10n * ONE },
      { address: CALLER, balance: 50n, nonce: 1n, code },
    ]));
    const tx = signFor(MAINNET, env, 1, { to: CALLER, value: 0n, toShardId, gasLimit: 100_000n });
    const r = await applyTransaction(
      MAINNET,
      env,
      state,
      { remaining: 80_000_000n },
      tx,
      undefined,
      0n,
    );
    assert.equal(r.receipt.status, 1);
    assert.equal(balanceOf(state, addressKey(CALLER)), 43n);
    assert.equal(balanceOf(state, addressKey(payee)), credited);
    assert.equal(state.accounts.has(addressKey(payee)), toShardId === 0n, "absent stays absent");
  }
});
