/**
 * Harmony's EVM, executed by `@ethereumjs/evm` over the spec's world state.
 *
 * The instruction set is chosen by epoch (Go `NewEVMInterpreter`), and maps onto an Ethereum
 * hardfork of the package:
 *
 * | Harmony epoch            | Go instruction set | hardfork here | notes                          |
 * | ------------------------ | ------------------ | ------------- | ------------------------------ |
 * | before `S3`              | frontier           | chainstart    | frontier gas table             |
 * | `S3` until `Istanbul`    | constantinople     | petersburg    | legacy SSTORE metering         |
 * | from `Istanbul`          | istanbul           | istanbul      | CHAINID, EIP-1884, EIP-2200    |
 *
 * Harmony never adopted Berlin or later, so there is no access list, no warm/cold accounting, no
 * PUSH0 and no base fee. `CHAINID` returns Harmony's chain ID before `ChainIdFix` and the shard's
 * Ethereum-compatible chain ID from it (Go `opChainID`). Standard precompiles come from the package
 * at that hardfork; Harmony's own are wired in from `precompiles.ts`.
 *
 * **The state adapter.** The package reads and writes state through a `StateManagerInterface`.
 * {@link runEvmMessage} gives it one backed directly by the spec's {@link WorldState} (no second
 * copy of the state and no trie during execution: every read is a map lookup, so the package's
 * own state caches are unnecessary). Its checkpoints are the state's journal snapshots.
 *
 * **Harmony's rules on top of the package**, each a small hook on the package's EVM instance:
 *
 * - *A validator's code* (its staking record, see `state.ts`) is not contract code. Go hides it
 *   in exactly two places. A message made by `CALL` (or a transaction's top-level call) runs an
 *   empty code at a validator's address (Go `Call` asks `IsValidator`); `CALLCODE`,
 *   `DELEGATECALL` and `STATICCALL` load the account's code as it is (Go's `CallCode`,
 *   `DelegateCall`, `StaticCall` do not ask), which in practice is invalid code and fails. And
 *   from `ValidatorCodeFix`, on shard 0 only, `EXTCODESIZE` gives 0, `EXTCODECOPY` copies
 *   nothing (zeros) and `EXTCODEHASH` gives the empty code's hash for a validator (Go
 *   `opExtCodeSize`, `opExtCodeCopy`, `opExtCodeHash`); elsewhere and earlier they see the
 *   record's bytes.
 * - *A cross-shard transaction* moves value out of the shard: Go's EVM context carries the
 *   transaction type, and with `SubtractionOnly` every value transfer made by a call (the
 *   top-level call and any `CALL` inside it, but not a contract creation, which always credits)
 *   debits the payer and credits nobody, and a call to an absent account does not create it
 *   (Go `Call`, `Transfer` in `core/evm.go`). The code still runs with the value as
 *   `CALLVALUE`. {@link EvmMessage.subtractionOnly} selects this.
 *
 * The adapter is the only asynchronous part of the execution spec, because the package is.
 *
 * **Deviation.** Go's return-data aliasing before `DataCopyFix` (mainnet epoch 689) is not
 * reproduced: before the fix, the return data of a call to the identity precompile (`0x04`) is
 * Go's own slice of the caller's memory, so a later write to that memory region changes what
 * `RETURNDATACOPY` reads — but only until Go's runtime moves the memory to a larger backing
 * array, which depends on the growth policy of Go slices (a property of the Go runtime and its
 * version, not of the protocol). The spec copies the return data in every epoch.
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
import { keptFor } from "../memo.ts";
import { ethChainId, isActive, type NetworkConfig } from "../params/mod.ts";
import { harmonyPrecompiles, NOT_SPECIFIED, type PrecompileContext } from "./precompiles.ts";
import {
  accountExists,
  addressKey,
  codeOf,
  createAccount,
  deleteAccount,
  EMPTY_CODE_HASH,
  isEmptyRecord,
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
  /**
   * Whether calls only debit the value they send (a cross-shard transaction, Go
   * `SubtractionOnly`): see the module documentation.
   */
  subtractionOnly: boolean;
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

/** Which package hardfork runs Harmony's instruction set of an epoch. */
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
  /** Value transfers of calls credit nobody (a cross-shard transaction). */
  subtractionOnly: boolean;
  /** `EXTCODE*` hide validators' code (`ValidatorCodeFix`, shard 0). */
  hideExtCode: boolean;
  /** Set by `CALL` until the package starts that call's message. */
  callPending: boolean;
  /** The package messages made by `CALL` or as the top-level call (Go's `Call`). */
  calls: WeakSet<object>;
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

/** The package account view of a record. */
function accountOf(state: WorldState, key: string): Account | undefined {
  const record = readRecord(state, key);
  if (record === null) return undefined;
  return new Account(record.nonce, record.balance, undefined, record.codeHash);
}

/** The key of a package address. */
function keyOf(address: Address): string {
  return toHex(address.bytes);
}

/** A state manager over the bound world state (the package's `StateManagerInterface`). */
function stateManagerFor(b: Binding) {
  const code = (key: string) => codeOf(b.state, key);
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

/** A package precompile running a Harmony precompile against the bound block. */
function packagePrecompile(address: number, config: NetworkConfig, epoch: bigint, b: Binding) {
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
  const byKey = keptFor(evmCache, config, () => new Map());
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
    subtractionOnly: false,
    hideExtCode: false,
    callPending: false,
    calls: new WeakSet(),
  };
  const common = createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork });
  const customPrecompiles = harmony.map((last) => ({
    address: new Address(bigintToBytes32(BigInt(precompileAddress(last)))),
    function: packagePrecompile(last, config, epoch, binding),
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
  installHarmonyHooks(evm, binding);
  return { evm, binding };
}

/** What an opcode's logic sees of the package's run state. */
interface RunState {
  stack: {
    peek(n: number): bigint[];
    pop(): bigint;
    popN(n: number): bigint[];
    push(v: bigint): void;
  };
  memory: { write(offset: number, size: number, value: Uint8Array): void };
}

/** An opcode's logic in the package. */
type OpHandler = (runState: RunState, common: unknown) => void | Promise<void>;

/** A package message, as far as the hooks read it. */
interface PackageMessage {
  codeAddress: Address;
  code?: unknown;
  isCompiled?: boolean;
}

/** The members of the package's EVM instance the hooks replace (protected in its types). */
interface EvmInternals {
  _opcodeMap: { opHandler: OpHandler }[];
  _executeCall(message: PackageMessage): Promise<unknown>;
  _loadCode(message: PackageMessage): Promise<void>;
  _addToBalance(account: Account, message: PackageMessage): Promise<void>;
}

/**
 * Installs Harmony's rules on one package EVM instance (see the module documentation): which
 * messages are Go `Call`s, what they do with a validator's code and with value in a cross-shard
 * transaction, and what `EXTCODE*` show of a validator.
 */
function installHarmonyHooks(evm: EVM, b: Binding): void {
  const inner = evm as unknown as EvmInternals;
  const executeCall = inner._executeCall.bind(evm);
  inner._executeCall = (message) => {
    // The first message the package starts after CALL (or at the top) is that call's.
    if (b.callPending) b.calls.add(message);
    b.callPending = false;
    return executeCall(message);
  };
  const loadCode = inner._loadCode.bind(evm);
  inner._loadCode = async (message) => {
    await loadCode(message);
    const key = keyOf(message.codeAddress);
    if (b.calls.has(message) && !message.isCompiled && isValidatorAccount(b.state, key)) {
      message.code = new Uint8Array(0);
    }
  };
  const addToBalance = inner._addToBalance.bind(evm);
  inner._addToBalance = (account, message) =>
    b.subtractionOnly && b.calls.has(message) ? Promise.resolve() : addToBalance(account, message);
  wrapOpcode(inner, 0xf1, async (runState, common, original) => {
    b.callPending = true;
    try {
      await original(runState, common);
    } finally {
      b.callPending = false;
    }
  });
  for (const op of [0x3b, 0x3c, 0x3f]) {
    wrapOpcode(inner, op, (runState, common, original) => {
      const key = wordKey(runState.stack.peek(1)[0]);
      if (!b.hideExtCode || !isValidatorAccount(b.state, key)) return original(runState, common);
      hiddenExtCode(op, runState, b.state, key);
    });
  }
}

/** Replaces an opcode's logic by a wrapper that may call the package's. */
function wrapOpcode(
  inner: EvmInternals,
  op: number,
  wrapper: (runState: RunState, common: unknown, original: OpHandler) => void | Promise<void>,
): void {
  const entry = inner._opcodeMap[op];
  const original = entry.opHandler;
  inner._opcodeMap[op] = { ...entry, opHandler: (r, c) => wrapper(r, c, original) };
}

/** The address key of a stack word (its low 160 bits). */
function wordKey(word: bigint): string {
  return (word & ((1n << 160n) - 1n)).toString(16).padStart(40, "0");
}

/**
 * `EXTCODESIZE`, `EXTCODECOPY`, `EXTCODEHASH` of a validator from `ValidatorCodeFix` on shard 0:
 * as for an account without code (Go `opExtCodeSize`, `opExtCodeCopy`, `opExtCodeHash`). Gas was
 * charged by the package as for any account.
 */
function hiddenExtCode(op: number, runState: RunState, state: WorldState, key: string): void {
  if (op === 0x3c) {
    const [, memOffset, , length] = runState.stack.popN(4);
    if (length !== 0n) {
      runState.memory.write(Number(memOffset), Number(length), new Uint8Array(Number(length)));
    }
    return;
  }
  runState.stack.pop();
  if (op === 0x3b) return runState.stack.push(0n);
  const record = readRecord(state, key);
  const empty = record === null || isEmptyRecord(record);
  runState.stack.push(empty ? 0n : bytesToBigint(EMPTY_CODE_HASH));
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
  Object.assign(binding, {
    state,
    context,
    checkpoints: [],
    notSpecified: false,
    subtractionOnly: message.subtractionOnly,
    // [New in ValidatorCodeFix] on the beacon chain only.
    hideExtCode: isActive(config, "ValidatorCodeFix", epoch) && context.shardId === 0n,
    // The top-level call of a transaction is a Go `Call` too.
    callPending: message.to !== null,
    calls: new WeakSet(),
  });
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

/** The package's block view of the context. */
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
