/**
 * Harmony's EVM, executed by `@ethereumjs/evm` over the spec's world state.
 *
 * The instruction set is chosen by epoch (Go `NewEVMInterpreter`), and maps onto an Ethereum
 * hardfork of the library:
 *
 * | Harmony epoch            | Go instruction set | hardfork here | notes                          |
 * | ------------------------ | ------------------ | ------------- | ------------------------------ |
 * | before `S3`              | frontier           | chainstart    | frontier gas table             |
 * | `S3` until `Istanbul`    | constantinople     | petersburg    | legacy SSTORE metering         |
 * | from `Istanbul`          | istanbul           | istanbul      | CHAINID, EIP-1884, EIP-2200    |
 *
 * Harmony never adopted Berlin or later, so there is no access list, no warm/cold accounting, no
 * PUSH0 and no base fee. `CHAINID` returns Harmony's chain ID before `ChainIdFix` and the shard's
 * Ethereum-compatible chain ID from it (Go `opChainID`). Standard precompiles come from the library
 * at that hardfork; Harmony's own are wired in from `precompiles.ts`.
 *
 * **The state adapter.** The library reads and writes state through a `StateManagerInterface`.
 * {@link runEvmMessage} gives it one backed directly by the spec's {@link WorldState} (no second
 * copy of the state and no trie during execution: every read is a map lookup, so the library's
 * own state caches are unnecessary). Its checkpoints are the state's journal snapshots. A
 * validator account's code (its staking record) is hidden from the EVM, as Go does for calls
 * (`IsValidator` in `Call`).
 *
 * The adapter is the only asynchronous part of the execution spec, because the library is.
 *
 * **Deviations.** The library's EVM has no Go-specific bugs fixed by
 * `DataCopyFix` (return-data copy aliasing before mainnet epoch 689), and it hides a validator's
 * code from `EXTCODESIZE`/`EXTCODEHASH` in every epoch and shard, where Go does so only on the
 * beacon chain from `ValidatorCodeFix` (and never for `EXTCODECOPY`).
 *
 * @see github.com/harmony-one/harmony core/vm/interpreter.go (NewEVMInterpreter),
 *   core/vm/jump_table.go, core/vm/eips.go (opChainID), core/vm/evm.go (Call, Create, run)
 * @module
 */
import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM, EVM, EVMError, type ExecResult, type PrecompileInput } from "@ethereumjs/evm";
import { Account, Address } from "@ethereumjs/util";
import { bigintToBytes, bytesToBigint, toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { ethChainId, isActive, type NetworkConfig } from "../params/mod.ts";
import { harmonyPrecompiles, NOT_SPECIFIED, type PrecompileContext } from "./precompiles.ts";
import {
  accountExists,
  addressKey,
  codeOf,
  createAccount,
  deleteAccount,
  EMPTY_CODE_HASH,
  isValidatorAccount,
  originalStorageOf,
  readRecord,
  revertToSnapshot,
  setBalance,
  setCode,
  setNonce,
  setStorage,
  snapshot,
  storageOf,
  type WorldState,
} from "./state.ts";

/** The block a message runs in. */
export interface EvmBlockContext extends PrecompileContext {
  /** The shard of the block. */
  shardId: bigint;
  /** The beneficiary the `COINBASE` opcode returns (the leader's account). */
  coinbase: Uint8Array;
  /** Block gas limit (`GASLIMIT`). */
  gasLimit: bigint;
  /** Block timestamp in seconds (`TIMESTAMP`). */
  timestamp: bigint;
  /** Hash of an earlier block (`BLOCKHASH`); the chain's history is supplied by the caller. */
  blockHash: (blockNumber: bigint) => Uint8Array;
}

/** One top-level message: a call, or a creation when `to` is `null`. */
export interface EvmMessage {
  /** The sender (also `ORIGIN`). */
  caller: Uint8Array;
  /** The recipient, or `null` to create a contract. */
  to: Uint8Array | null;
  /** Value transferred. */
  value: bigint;
  /** Call data or init code. */
  data: Uint8Array;
  /** Gas available to execution (the gas limit less intrinsic gas). */
  gas: bigint;
  /** The transaction's gas price (`GASPRICE`). */
  gasPrice: bigint;
}

/** A log emitted by a contract. */
export interface Log {
  /** The emitting contract. */
  address: Uint8Array;
  /** Up to four 32-byte topics. */
  topics: Uint8Array[];
  /** Unindexed data. */
  data: Uint8Array;
}

/** What a top-level message did. */
export interface EvmOutcome {
  /** Gas consumed by execution (intrinsic gas not included), before refunds. */
  gasUsed: bigint;
  /** The refund counter at the end (0 when execution failed). */
  refund: bigint;
  /** Whether execution failed (reverted, ran out of gas, invalid code...). */
  failed: boolean;
  /** The returned (or revert) data. */
  returnData: Uint8Array;
  /** Logs emitted (none when execution failed). */
  logs: Log[];
  /** The address of the created contract, for a creation. */
  createdAddress: Uint8Array | null;
}

/** Which library hardfork runs Harmony's instruction set of an epoch. */
function hardforkOf(config: NetworkConfig, epoch: bigint): string {
  if (isActive(config, "Istanbul", epoch)) return Hardfork.Istanbul;
  if (isActive(config, "S3", epoch)) return Hardfork.Petersburg;
  return Hardfork.Chainstart;
}

/** The value of `CHAINID` (Go `opChainID`). */
function chainIdOpcodeValue(config: NetworkConfig, epoch: bigint, shardId: bigint): bigint {
  // [Modified in ChainIdFix] the shard's Ethereum-compatible chain ID instead of Harmony's.
  return isActive(config, "ChainIdFix", epoch) ? ethChainId(config, shardId) : config.chainId;
}

/** The mutable binding of a cached EVM to the state and block of the current message. */
interface Binding {
  state: WorldState;
  context: EvmBlockContext;
  checkpoints: number[];
  notSpecified: boolean;
}

/** One configured EVM with its binding. */
interface BoundEvm {
  evm: EVM;
  binding: Binding;
}

/**
 * Idle EVMs by network configuration and by rule set (hardfork, chain ID, precompiles): building
 * one takes a while, so each is reused, one message at a time.
 */
const evmCache = new WeakMap<NetworkConfig, Map<string, BoundEvm[]>>();

/** The library account view of a record. */
function accountOf(state: WorldState, key: string): Account | undefined {
  const record = readRecord(state, key);
  if (record === null) return undefined;
  const hidden = isValidatorAccount(state, key);
  return new Account(
    record.nonce,
    record.balance,
    undefined,
    hidden ? EMPTY_CODE_HASH : record.codeHash,
  );
}

/** The key of a library address. */
function keyOf(address: Address): string {
  return toHex(address.bytes);
}

/** A state manager over the bound world state (the library's `StateManagerInterface`). */
function stateManagerFor(b: Binding) {
  const code = (key: string) =>
    isValidatorAccount(b.state, key) ? new Uint8Array(0) : codeOf(b.state, key);
  const manager = {
    getAccount: (a: Address) => Promise.resolve(accountOf(b.state, keyOf(a))),
    putAccount: (a: Address, account?: Account) => {
      const key = keyOf(a);
      if (account === undefined) deleteAccount(b.state, key);
      else {
        if (!accountExists(b.state, key)) createAccount(b.state, key);
        setNonce(b.state, key, account.nonce);
        setBalance(b.state, key, account.balance);
      }
      return Promise.resolve();
    },
    deleteAccount: (a: Address) => Promise.resolve(deleteAccount(b.state, keyOf(a))),
    modifyAccountFields: (a: Address, f: { nonce?: bigint; balance?: bigint }) => {
      const key = keyOf(a);
      if (f.nonce !== undefined) setNonce(b.state, key, f.nonce);
      if (f.balance !== undefined) setBalance(b.state, key, f.balance);
      return Promise.resolve();
    },
    putCode: (a: Address, value: Uint8Array) => Promise.resolve(setCode(b.state, keyOf(a), value)),
    getCode: (a: Address) => Promise.resolve(code(keyOf(a))),
    getCodeSize: (a: Address) => Promise.resolve(code(keyOf(a)).length),
    getStorage: (a: Address, slot: Uint8Array) =>
      Promise.resolve(bigintToBytes(storageOf(b.state, keyOf(a), toHex(slot)))),
    putStorage: (a: Address, slot: Uint8Array, value: Uint8Array) =>
      Promise.resolve(setStorage(b.state, keyOf(a), toHex(slot), bytesToBigint(value))),
    // Called on contract creation only: Go's CreateAccount, a fresh account keeping the balance.
    clearStorage: (a: Address) => Promise.resolve(createAccount(b.state, keyOf(a))),
    checkpoint: () => Promise.resolve(void b.checkpoints.push(snapshot(b.state))),
    commit: () => Promise.resolve(void b.checkpoints.pop()),
    revert: () => Promise.resolve(revertToSnapshot(b.state, b.checkpoints.pop()!)),
    getStateRoot: () => Promise.reject(new Error("the state root is computed by the spec")),
    setStateRoot: () => Promise.reject(new Error("the state is bound by the spec")),
    hasStateRoot: () => Promise.resolve(false),
    originalStorageCache: {
      get: (a: Address, slot: Uint8Array) =>
        Promise.resolve(bigintToBytes(originalStorageOf(b.state, keyOf(a), toHex(slot)))),
      clear: () => {},
    },
    clearCaches: () => {},
    shallowCopy: () => manager,
  };
  return manager;
}

/** A library precompile running a Harmony precompile against the bound block. */
function libraryPrecompile(address: number, config: NetworkConfig, epoch: bigint, b: Binding) {
  const precompile = harmonyPrecompiles(config, epoch).get(address)!;
  return (input: PrecompileInput): ExecResult => {
    const result = precompile(input.data, b.context);
    if (result === NOT_SPECIFIED) b.notSpecified = true;
    if (result === NOT_SPECIFIED || result.gas > input.gasLimit) {
      return {
        returnValue: new Uint8Array(0),
        executionGasUsed: input.gasLimit,
        exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
      };
    }
    return { returnValue: result.output, executionGasUsed: result.gas };
  };
}

/** The address of a precompile given its last byte. */
function precompileAddress(last: number): string {
  return "0x" + last.toString(16).padStart(40, "0");
}

/** The cache key of the rule set of an epoch and shard. */
function ruleSetKey(config: NetworkConfig, epoch: bigint, shardId: bigint): string {
  const harmony = [...harmonyPrecompiles(config, epoch).keys()].sort();
  const prevVrf = isActive(config, "PrevVRF", epoch);
  const chainId = chainIdOpcodeValue(config, epoch, shardId);
  return `${hardforkOf(config, epoch)}/${chainId}/${harmony.join(",")}/${prevVrf}`;
}

/** Takes an idle EVM of an epoch and shard from the cache, or builds one. */
async function takeEvm(config: NetworkConfig, epoch: bigint, shardId: bigint): Promise<BoundEvm> {
  let byKey = evmCache.get(config);
  if (byKey === undefined) evmCache.set(config, byKey = new Map());
  const key = ruleSetKey(config, epoch, shardId);
  const idle = byKey.get(key)?.pop();
  if (idle !== undefined) return idle;
  const harmony = [...harmonyPrecompiles(config, epoch).keys()].sort();
  const chainId = chainIdOpcodeValue(config, epoch, shardId);
  return await buildEvm(config, epoch, hardforkOf(config, epoch), chainId, harmony);
}

/** Returns an EVM to the cache once its message is done. */
function releaseEvm(config: NetworkConfig, epoch: bigint, shardId: bigint, bound: BoundEvm): void {
  const byKey = evmCache.get(config)!;
  const key = ruleSetKey(config, epoch, shardId);
  byKey.set(key, [...(byKey.get(key) ?? []), bound]);
}

async function buildEvm(
  config: NetworkConfig,
  epoch: bigint,
  hardfork: string,
  chainId: bigint,
  harmony: number[],
): Promise<BoundEvm> {
  const binding: Binding = {
    state: undefined as unknown as WorldState,
    context: undefined as unknown as EvmBlockContext,
    checkpoints: [],
    notSpecified: false,
  };
  const common = createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork });
  const customPrecompiles = harmony.map((last) => ({
    address: new Address(bigintToBytes32(BigInt(precompileAddress(last)))),
    function: libraryPrecompile(last, config, epoch, binding),
  }));
  const blockchain = {
    getBlock: (n: number) => Promise.resolve({ hash: () => binding.context.blockHash(BigInt(n)) }),
    putBlock: () => Promise.resolve(),
    shallowCopy: () => blockchain,
  };
  const evm = await createEVM({
    common,
    stateManager: stateManagerFor(binding) as never,
    customPrecompiles,
    blockchain,
  });
  return { evm, binding };
}

/** A 20-byte address from its integer value. */
function bigintToBytes32(value: bigint): Uint8Array {
  const out = new Uint8Array(20);
  const short = bigintToBytes(value);
  out.set(short, 20 - short.length);
  return out;
}

/**
 * Runs one top-level message on the EVM of the block's epoch, writing to `state`. The caller has
 * bought the gas, checked the value against the balance and incremented nothing: the sender's
 * nonce is incremented here (Go increments it before `Call`, and inside `Create`). Afterwards,
 * self-destructed accounts are deleted (Go `Finalise`).
 *
 * @param config the network
 * @param epoch the epoch of the block
 * @param state the state (journal open for the current transaction)
 * @param context the block
 * @param message the message
 * @returns what execution did
 * @throws {SpecError} `execution/precompile-not-specified` when execution reached a Harmony
 *   precompile this specification does not state yet
 */
export async function runEvmMessage(
  config: NetworkConfig,
  epoch: bigint,
  state: WorldState,
  context: EvmBlockContext,
  message: EvmMessage,
): Promise<EvmOutcome> {
  const bound = await takeEvm(config, epoch, context.shardId);
  const { evm, binding } = bound;
  Object.assign(binding, { state, context, checkpoints: [], notSpecified: false });
  try {
    const result = await evm.runCall({
      caller: new Address(message.caller),
      origin: new Address(message.caller),
      to: message.to === null ? undefined : new Address(message.to),
      value: message.value,
      data: message.data,
      gasLimit: message.gas,
      gasPrice: message.gasPrice,
      block: blockOf(context),
    });
    require(!binding.notSpecified, "execution/precompile-not-specified");
    return outcomeOf(state, result.execResult, result.createdAddress?.bytes ?? null);
  } finally {
    releaseEvm(config, epoch, context.shardId, bound);
  }
}

/** The library's block view of the context. */
function blockOf(context: EvmBlockContext) {
  return {
    header: {
      number: context.blockNumber,
      coinbase: new Address(context.coinbase),
      timestamp: context.timestamp,
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: context.gasLimit,
      getBlobGasPrice: () => undefined,
    },
  };
}

/** Collects the outcome and deletes self-destructed accounts. */
function outcomeOf(
  state: WorldState,
  exec: ExecResult,
  created: Uint8Array | null,
): EvmOutcome {
  const failed = exec.exceptionError !== undefined;
  for (const address of exec.selfdestruct?.keys() ?? []) {
    deleteAccount(state, address.replace(/^0x/, "").toLowerCase());
  }
  const logs = (exec.logs ?? []).map(([address, topics, data]) => ({ address, topics, data }));
  return {
    gasUsed: exec.executionGasUsed,
    refund: failed ? 0n : exec.gasRefund ?? 0n,
    failed,
    returnData: exec.returnValue,
    logs: failed ? [] : logs,
    createdAddress: failed ? null : created,
  };
}

/**
 * Whether a call to `address` at this epoch runs code or a precompile, i.e. cannot take the plain
 * transfer path: the account has code (and is not a validator), or the address is an active
 * precompile.
 *
 * @param config the network
 * @param epoch the epoch of the block
 * @param state the state
 * @param address the recipient
 * @returns whether the EVM must run
 */
export function callRunsCode(
  config: NetworkConfig,
  epoch: bigint,
  state: WorldState,
  address: Uint8Array,
): boolean {
  const key = addressKey(address);
  const record = readRecord(state, key);
  if (record !== null && record.code.length > 0 && !isValidatorAccount(state, key)) return true;
  return isPrecompileAddress(config, epoch, address);
}

/** Whether an address is a precompile (standard or Harmony) active at an epoch. */
function isPrecompileAddress(config: NetworkConfig, epoch: bigint, address: Uint8Array): boolean {
  for (let i = 0; i < 19; i++) if (address[i] !== 0) return false;
  const last = address[19];
  const standard = isActive(config, "Istanbul", epoch) ? 9 : isActive(config, "S3", epoch) ? 8 : 4;
  return (last >= 1 && last <= standard) || harmonyPrecompiles(config, epoch).has(last);
}
