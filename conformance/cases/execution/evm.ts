/**
 * Conformance cases for `execution/apply_transaction`: transactions that run on the EVM —
 * contract creation, calls with storage and logs, revert, out of gas, the storage refund, value
 * sent to a contract — in the Istanbul and the pre-Istanbul (Petersburg) eras, and Harmony's own
 * rules: what the EVM shows of a validator's account before and after `ValidatorCodeFix` and off
 * the beacon chain, and a cross-shard transaction to a contract.
 *
 * The contracts are compiled from the Solidity sources in `contracts/` (the committed
 * `contracts/compiled.json`, checked against solc by a test), so the vectors do not depend on
 * the compiler.
 *
 * Expectations: for the plain-EVM cases, `@ethereumjs/vm` runs the same transaction from the same
 * accounts (`oracle.ts`) and its gas used, status, logs and state root (with the fee moved where
 * Harmony's era sends it) must be the spec's. For Harmony's own rules, the logs the probe
 * contract emits are decoded with viem and compared with values stated by hand from Go's code
 * (`core/vm/evm.go` `Call`, `core/vm/instructions.go` `opExtCodeSize`, `opExtCodeCopy`,
 * `opExtCodeHash`, `core/evm.go` `Transfer`).
 *
 * @module
 */
import { Hardfork } from "@ethereumjs/common";
import {
  decodeEventLog,
  encodeFunctionData,
  keccak256 as viemKeccak,
  toHex as viemHex,
} from "viem";
import {
  bigintToFixedBytes,
  bytesToBigint,
  concatBytes,
  fromHex,
  toHex,
  utf8ToBytes,
} from "../../../spec/encoding/bytes.ts";
import { keccak256 } from "../../../spec/encoding/hash.ts";
import { ethChainId, LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import {
  type AccountInit,
  childState,
  EMPTY_CODE_HASH,
  IS_VALIDATOR_KEY,
  stateFromAccounts,
} from "../../../spec/execution/state.ts";
import { applyTransaction } from "../../../spec/execution/apply.ts";
import { stateRoot } from "../../../spec/execution/state-root.ts";
import { contractAddress, decodeReceipt, encodeReceipt } from "../../../spec/execution/receipt.ts";
import { encodeCxReceipt } from "../../../spec/execution/cx-receipt.ts";
import {
  decodeTransaction,
  transactionHash,
  type UnsignedTransaction,
} from "../../../spec/execution/transaction.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  address,
  all,
  big,
  bytes,
  ENV_FIELDS,
  GWEI_100,
  key,
  nativeSigned,
  ONE,
  postHas,
  readAccounts,
  readEnv,
  readTx,
  writeAccounts,
} from "./common.ts";
import { type FeeRule, oracleRun } from "./oracle.ts";
import compiled from "./contracts/compiled.json" with { type: "json" };

// --- the handler ---------------------------------------------------------------------------------

function applyTransactionHandler(config: NetworkConfig): Handler {
  return {
    runner: "execution",
    handler: "apply_transaction",
    preset: config.network,
    config: {},
    covers: ["applyTransaction", "runEvmMessage", "stateRoot", "encodeReceipt"],
    run: async (inputs) => {
      const state = childState(stateFromAccounts(readAccounts(inputs.pre)));
      const env = readEnv(inputs.env as DecodedFields);
      const pool = { remaining: big(inputs.gas_pool) };
      const tx = readTx(config, inputs.tx as DecodedFields);
      const r = await applyTransaction(config, env, state, pool, tx, undefined, 0n);
      return {
        root: stateRoot(state),
        post: writeAccounts(state),
        receipt: encodeReceipt(r.receipt),
        gas_used: r.receipt.gasUsed,
        burnt: r.fee.burnt,
        gas_pool: pool.remaining,
        cx_receipt: r.cxReceipt === null ? new Uint8Array(0) : encodeCxReceipt(r.cxReceipt),
      };
    },
  };
}

// --- contracts and accounts ----------------------------------------------------------------------

const COUNTER = compiled.contracts.Counter;
const PROBE = compiled.contracts.Probe;
const counterAbi = COUNTER.abi as never;
const probeAbi = PROBE.abi as never;

/** Call data of a contract function. */
const callData = (abi: never, functionName: string, args: unknown[] = []) =>
  fromHex(encodeFunctionData({ abi, functionName, args } as never));

const COUNTER_AT = fromHex("000000000000000000000000000000000000c047");
const PROBE_AT = fromHex("0000000000000000000000000000000000009be0");
const VALIDATOR_AT = fromHex("0000000000000000000000000000000000007a1d");
const PAYEE = fromHex("000000000000000000000000000000000000fa11");

/**
 * A validator's account: the flag slot `keccak256("Harmony/IsValidator/Key/v1")` holds a non-zero
 * word (here `keccak256("true")`; any non-zero value sets the flag). Its
 * "code" stands for the staking record; here it is code that returns the word 42 when run, so
 * that a vector shows whether the EVM ran it.
 */
const VALIDATOR_CODE = fromHex("602a60005260206000f3");
const validator: AccountInit = {
  address: VALIDATOR_AT,
  balance: ONE,
  code: VALIDATOR_CODE,
  storage: [[BigInt("0x" + IS_VALIDATOR_KEY), bytesToBigint(keccak256(utf8ToBytes("true")))]],
};

const sender = (balance = 10n * ONE): AccountInit => ({ address: address(1), balance });
const counter = (count = 0n): AccountInit => ({
  address: COUNTER_AT,
  balance: 0n,
  nonce: 1n,
  code: fromHex(COUNTER.deployedBytecode),
  storage: count === 0n ? [] : [[0n, count]],
});
const probe = (balance = 0n): AccountInit => ({
  address: PROBE_AT,
  balance,
  nonce: 1n,
  code: fromHex(PROBE.deployedBytecode),
});

/** An account's vector fields. */
const accountFields = (a: AccountInit): Fields => ({
  address: a.address,
  balance: a.balance,
  nonce: a.nonce ?? 0n,
  code: a.code ?? new Uint8Array(0),
  storage: (a.storage ?? []).map(([k, v]) => [k, v]),
});

// --- eras ----------------------------------------------------------------------------------------

/** An era of a network: epoch, package hardfork, `CHAINID`, and where fees go. */
interface Era {
  config: NetworkConfig;
  epoch: bigint;
  hardfork: string;
  chainId: bigint;
  feeTo: FeeRule;
}

const halves = (collectors: { address: Uint8Array }[]): FeeRule => (fee) =>
  collectors.map((c) => [c.address, fee / 2n]);

const MAINNET_ISTANBUL: Era = {
  config: MAINNET,
  epoch: 1600n,
  hardfork: Hardfork.Istanbul,
  chainId: ethChainId(MAINNET, 0n),
  // From FeeCollect (1535) two collectors get half each (Go TestCollectGas).
  feeTo: halves(MAINNET.sharding.instances.at(-1)!.instance.feeCollectors),
};
const MAINNET_PETERSBURG: Era = {
  config: MAINNET,
  epoch: 200n,
  hardfork: Hardfork.Petersburg,
  chainId: MAINNET.chainId,
  // From Staking (186) until FeeCollect the fee is burnt.
  feeTo: () => [],
};
const LOCALNET_ISTANBUL: Era = {
  config: LOCALNET,
  epoch: 3n,
  hardfork: Hardfork.Istanbul,
  chainId: ethChainId(LOCALNET, 0n),
  feeTo: halves(LOCALNET.sharding.instances[1].instance.feeCollectors),
};

// --- cases checked against @ethereumjs/vm --------------------------------------------------------

/** A case of one transaction by test account 1, checked against the oracle. */
interface OracleCase {
  name: string;
  description: string;
  pre: AccountInit[];
  tx: Partial<UnsignedTransaction>;
  /** Further hand-stated expectations. */
  check?: (out: DecodedFields) => void;
}

/** Builds a case whose outcome must match @ethereumjs/vm's for the same transaction. */
async function oracleCase(era: Era, c: OracleCase): Promise<Case> {
  const fields = { gasPrice: GWEI_100, gasLimit: 1_000_000n, value: 0n, ...c.tx };
  const txBytes = nativeSigned(era.config, era.epoch, 1, fields);
  const tx = decodeTransaction(txBytes);
  const oracle = await oracleRun(
    era.hardfork,
    era.chainId,
    c.pre,
    [{ ...tx, key: key(1) }],
    era.feeTo,
  );
  const want = oracle.outcomes[0];
  return {
    name: c.name,
    description: c.description,
    inputs: {
      pre: c.pre.map(accountFields),
      env: ENV_FIELDS(era.epoch),
      gas_pool: 30_000_000n,
      tx: { format: "harmony", bytes: txBytes },
    },
    check: all((out) => {
      const receipt = decodeReceipt(bytes(out.receipt));
      if (big(out.gas_used) !== want.gasUsed) {
        throw new Error(`gas used ${big(out.gas_used)}, oracle ${want.gasUsed}`);
      }
      if (receipt.status !== want.status) throw new Error(`status ${receipt.status}`);
      const logs = receipt.logs.map((l) => [l.address, l.topics, l.data]);
      if (JSON.stringify(logs.map(hexLog)) !== JSON.stringify(want.logs.map(hexLog))) {
        throw new Error("logs differ from the oracle's");
      }
      if (toHex(bytes(out.root)) !== toHex(oracle.root)) throw new Error("state root");
    }, c.check ?? (() => {})),
  };
}

const hexLog = (
  [a, topics, data]: [Uint8Array, Uint8Array[], Uint8Array] | unknown[],
) => [toHex(a as Uint8Array), (topics as Uint8Array[]).map(toHex), toHex(data as Uint8Array)];

/** The storage slot of `byCaller[who]` in Counter (mapping at slot 1). */
const byCallerSlot = (who: Uint8Array) =>
  bytesToBigint(
    keccak256(concatBytes(bigintToFixedBytes(bytesToBigint(who), 32), bigintToFixedBytes(1n, 32))),
  );

/** Expects an account's code and storage in the post state. */
function postContract(at: Uint8Array, code: Uint8Array, storage: [bigint, bigint][]) {
  return (out: DecodedFields) => {
    const row = (out.post as DecodedFields[]).find((a) => toHex(bytes(a.address)) === toHex(at));
    if (row === undefined) throw new Error(`no account ${toHex(at)}`);
    if (toHex(bytes(row.code)) !== toHex(code)) throw new Error("code");
    if (toHex(bytes(row.code_hash)) !== toHex(keccak256(code))) throw new Error("code hash");
    const got = (row.storage as Uint8Array[][]).map(([k, v]) => `${big(k)}=${big(v)}`);
    const want = storage.map(([k, v]) => `${k}=${v}`);
    if (JSON.stringify(got.sort()) !== JSON.stringify(want.sort())) {
      throw new Error(`storage ${got} != ${want}`);
    }
  };
}

function counterCases(era: Era, tag: string): Promise<Case[]> {
  const increment = callData(counterAbi, "increment");
  const list: OracleCase[] = [
    {
      name: `${tag}_create_counter`,
      description: "Deploying Counter: the runtime code solc produced lands at the CREATE " +
        "address of the sender and nonce 0, with nonce 1.",
      pre: [sender()],
      tx: { to: null, data: fromHex(COUNTER.bytecode) },
      check: postContract(contractAddress(address(1), 0n), fromHex(COUNTER.deployedBytecode), []),
    },
    {
      name: `${tag}_call_increment`,
      description: "Counter.increment(): two storage writes and the log Incremented(sender, 1).",
      pre: [sender(), counter()],
      tx: { to: COUNTER_AT, data: increment },
      check: postContract(COUNTER_AT, fromHex(COUNTER.deployedBytecode), [
        [0n, 1n],
        [byCallerSlot(address(1)), 1n],
      ]),
    },
    {
      name: `${tag}_call_revert`,
      description: "Counter.fail() reverts: status 0, no log, the unused gas returned.",
      pre: [sender(), counter(7n)],
      tx: { to: COUNTER_AT, data: callData(counterAbi, "fail") },
    },
    {
      name: `${tag}_call_out_of_gas`,
      description: "Counter.burn() loops until gas runs out: status 0, the whole limit used.",
      pre: [sender(), counter()],
      tx: { to: COUNTER_AT, data: callData(counterAbi, "burn"), gasLimit: 100_000n },
      check: (out) => {
        if (big(out.gas_used) !== 100_000n) throw new Error("all gas is used");
      },
    },
    {
      name: `${tag}_call_refund`,
      description: "Counter.clear() resets a non-zero slot: the SSTORE refund, capped at half " +
        "the gas used, is returned.",
      pre: [sender(), counter(5n)],
      tx: { to: COUNTER_AT, data: callData(counterAbi, "clear") },
      check: postContract(COUNTER_AT, fromHex(COUNTER.deployedBytecode), []),
    },
    {
      name: `${tag}_value_to_contract`,
      description: "12345 atto sent to Counter's receive() land in its balance.",
      pre: [sender(), counter()],
      tx: { to: COUNTER_AT, value: 12345n, gasLimit: 100_000n },
      check: postHas(COUNTER_AT, 12345n),
    },
  ];
  return Promise.all(list.map((c) => oracleCase(era, c)));
}

const chainIdBeforeIstanbul = await oracleCase(MAINNET_PETERSBURG, {
  name: "petersburg_chain_id_is_invalid",
  description: "Before Istanbul (mainnet epoch 314) CHAINID is not an instruction: " +
    "Counter.chainId() fails and uses all its gas.",
  pre: [sender(), counter()],
  tx: { to: COUNTER_AT, data: callData(counterAbi, "chainId"), gasLimit: 100_000n },
  check: (out) => {
    if (big(out.gas_used) !== 100_000n) throw new Error("all gas is used");
  },
});

// --- Harmony's rules: validator code, cross-shard value -------------------------------------------

/** The fields of the probe's `Observed` log. */
interface Observed {
  size: bigint;
  hash: string;
  code: string;
  callOk: boolean;
  callReturn: string;
  staticOk: boolean;
  staticReturn: string;
}

/** Decodes the probe's logs of a vector's receipt with viem. */
function probeLogs(out: DecodedFields): { eventName: string; args: Record<string, unknown> }[] {
  return decodeReceipt(bytes(out.receipt)).logs.map((l) =>
    decodeEventLog({
      abi: probeAbi,
      topics: l.topics.map((t) => viemHex(t)) as never,
      data: viemHex(l.data),
    }) as unknown as { eventName: string; args: Record<string, unknown> }
  );
}

/** Expects one `Observed` log with these fields. */
function observed(want: Observed) {
  return (out: DecodedFields) => {
    const logs = probeLogs(out);
    if (logs.length !== 1 || logs[0].eventName !== "Observed") throw new Error("one Observed log");
    const got = logs[0].args;
    for (const [k, v] of Object.entries(want)) {
      if (got[k] !== v) throw new Error(`${k}: ${got[k]} != ${v}`);
    }
  };
}

const word42 = viemHex(bigintToFixedBytes(42n, 32));
/** A validator's code as the EVM shows it before the fix or off the beacon chain. */
const VISIBLE: Observed = {
  size: BigInt(VALIDATOR_CODE.length),
  hash: viemKeccak(VALIDATOR_CODE),
  code: viemHex(VALIDATOR_CODE),
  callOk: true,
  callReturn: "0x",
  staticOk: true,
  staticReturn: word42,
};
/** As the EVM shows it on shard 0 from ValidatorCodeFix. */
const HIDDEN: Observed = {
  ...VISIBLE,
  size: 0n,
  hash: viemHex(EMPTY_CODE_HASH),
  code: "0x",
};

/** A probe transaction at an epoch and shard, by test account 1. */
function probeCase(
  config: NetworkConfig,
  epoch: bigint,
  shard: bigint,
  c: { name: string; description: string; pre: AccountInit[]; tx: Partial<UnsignedTransaction> },
  check: (out: DecodedFields) => void,
): Case {
  const fields = { gasLimit: 300_000n, value: 0n, shardId: shard, toShardId: shard, ...c.tx };
  return {
    name: c.name,
    description: c.description,
    inputs: {
      pre: c.pre.map(accountFields),
      env: ENV_FIELDS(epoch, shard),
      gas_pool: 30_000_000n,
      tx: { format: "harmony", bytes: nativeSigned(config, epoch, 1, fields) },
    },
    check,
  };
}

const observeValidator = {
  to: PROBE_AT,
  data: callData(probeAbi, "observe", [viemHex(VALIDATOR_AT)]),
};

function validatorCases(config: NetworkConfig, before: bigint, after: bigint): Case[] {
  const pre = [sender(), probe(), validator];
  const calls = "A CALL to the validator runs no code (Go Call asks IsValidator) and returns " +
    "nothing; a STATICCALL runs the account's code (Go StaticCall does not ask) and returns 42.";
  return [
    probeCase(config, after, 0n, {
      name: "validator_code_hidden_on_shard_0_from_fix",
      description: `From ValidatorCodeFix (epoch ${after}) on shard 0, EXTCODESIZE is 0, ` +
        `EXTCODEHASH the empty code's hash and EXTCODECOPY copies nothing for a validator. ${calls}`,
      pre,
      tx: observeValidator,
    }, observed(HIDDEN)),
    probeCase(config, before, 0n, {
      name: "validator_code_visible_before_fix",
      description: `Before ValidatorCodeFix (epoch ${before}), EXTCODESIZE, EXTCODEHASH and ` +
        `EXTCODECOPY see the validator's code. ${calls}`,
      pre,
      tx: observeValidator,
    }, observed(VISIBLE)),
    probeCase(config, after, 1n, {
      name: "validator_code_visible_on_shard_1",
      description: "Off the beacon chain the fix does not apply: EXTCODESIZE, EXTCODEHASH and " +
        `EXTCODECOPY see the validator's code at epoch ${after} on shard 1. ${calls}`,
      pre,
      tx: observeValidator,
    }, observed(VISIBLE)),
  ];
}

function crossShardCases(config: NetworkConfig, epoch: bigint): Case[] {
  const value = 1000n;
  const txFields = { to: PROBE_AT, value, toShardId: 1n, gasLimit: 100_000n };
  const tx = decodeTransaction(nativeSigned(config, epoch, 1, { shardId: 0n, ...txFields }));
  const give = callData(probeAbi, "give", [viemHex(PAYEE), 100n]);
  return [
    probeCase(
      config,
      epoch,
      0n,
      {
        name: "cross_shard_to_contract",
        description: "A cross-shard transfer of 1000 atto to a contract on the source shard runs " +
          "its code with CALLVALUE 1000 while its balance stays 0 (Go Call with SubtractionOnly): " +
          "the log is Received(1000, 0); the CXReceipt carries the value.",
        pre: [sender(), probe()],
        tx: txFields,
      },
      all(postHas(PROBE_AT, 0n), (out) => {
        const logs = probeLogs(out);
        const args = logs[0]?.args ?? {};
        if (logs.length !== 1 || args.value !== value || args.balance !== 0n) {
          throw new Error(`Received(${args.value}, ${args.balance})`);
        }
        const cx = {
          txHash: transactionHash(tx),
          from: address(1),
          to: PROBE_AT,
          shardId: 0n,
          toShardId: 1n,
          amount: value,
        };
        if (toHex(bytes(out.cx_receipt)) !== toHex(encodeCxReceipt(cx))) throw new Error("cx");
      }),
    ),
    probeCase(config, epoch, 0n, {
      name: "cross_shard_call_sends_value_to_nobody",
      description: "In a cross-shard transaction, value a contract sends with CALL is debited " +
        "and credited to nobody, and the absent payee is not created (Go Transfer with " +
        "SubtractionOnly): the probe goes from 500 to 400, the payee stays absent.",
      pre: [sender(), probe(500n)],
      tx: { to: PROBE_AT, data: give, toShardId: 1n, value: 0n },
    }, (out) => {
      postHas(PROBE_AT, 400n)(out);
      const rows = out.post as DecodedFields[];
      if (rows.some((a) => toHex(bytes(a.address)) === toHex(PAYEE))) throw new Error("payee");
    }),
    probeCase(config, epoch, 0n, {
      name: "same_shard_call_sends_value",
      description: "The same call in a same-shard transaction credits the payee with 100.",
      pre: [sender(), probe(500n)],
      tx: { to: PROBE_AT, data: give, value: 0n },
    }, all(postHas(PROBE_AT, 400n), postHas(PAYEE, 100n))),
  ];
}

/** Every suite of `apply_transaction`. */
export const EVM_SUITES: Suite[] = [
  suite(applyTransactionHandler(MAINNET), [
    ...await counterCases(MAINNET_ISTANBUL, "istanbul"),
    ...await counterCases(MAINNET_PETERSBURG, "petersburg"),
    chainIdBeforeIstanbul,
    ...validatorCases(MAINNET, 1534n, 1535n),
    ...crossShardCases(MAINNET, 1600n),
  ]),
  suite(applyTransactionHandler(LOCALNET), [
    ...await counterCases(LOCALNET_ISTANBUL, "istanbul"),
    ...validatorCases(LOCALNET, 1n, 2n),
    ...crossShardCases(LOCALNET, 3n),
  ]),
];
