/**
 * The world state: accounts, their balances, nonces, code and storage, with a journal.
 *
 * **What an account is.** Harmony keeps Ethereum's account model (Go `core/state`): each address
 * has a nonce, a balance in atto, code (empty for a plain account) and a storage map from 32-byte
 * slots to 32-byte values. An absent account and an *empty* one (nonce 0, balance 0, no code)
 * differ in the state root; from `S3` on, an empty account that a transaction touched is deleted
 * when the transaction ends (EIP-158, Go `Finalise(true)`), see {@link finaliseTransaction}.
 *
 * **Harmony's difference: validators live in accounts.** A validator's staking record (Go
 * `ValidatorWrapper`) is stored RLP-encoded as the *code* of the validator's account, and the
 * account's storage slot `keccak256("Harmony/IsValidator/Key/v1")` holds
 * `keccak256("Harmony/IsValidator/Value/v1")` as a flag; any non-zero value counts (Go
 * `UpdateValidatorWrapper`, `SetValidatorFlag`, `IsValidator`, `staking/params.go`). The state root therefore covers
 * staking data through the ordinary code hash and storage root. The EVM must not run that "code":
 * {@link isValidatorAccount} is the hook the EVM adapter uses to hide it; reading and writing the
 * wrappers belongs to the staking part of the spec.
 *
 * **Representation.** A block of thousands of transactions must not copy the state once per
 * transaction, and a block that fails must leave its input state untouched. So a state is a
 * *layer* over a parent layer: a map holding only the accounts written in this layer (a deleted
 * account is recorded as `null`), and reads fall through to the parent. An account record keeps
 * only the storage slots written in its layer and points to the record below for the others.
 * `applyBlock` works in a fresh child layer ({@link childState}); dropping the layer discards the
 * block. Within a layer, a journal records the previous value of every write so that
 * {@link snapshot} and {@link revertToSnapshot} undo a failed call or a rejected transaction in
 * time proportional to what it wrote. {@link flattenState} merges a chain of layers into one.
 *
 * The state root (a Merkle–Patricia trie of `keccak256(address) → RLP(nonce, balance,
 * storageRoot, codeHash)`) is computed in `state-root.ts` from these records. So that it need not
 * be recomputed from every account, a layer keeps the trie of its accounts once computed
 * ({@link WorldState.trie}) and the keys written since ({@link WorldState.dirty}); a record keeps
 * the trie of its storage the same way.
 *
 * @see github.com/harmony-one/harmony core/state/statedb.go (DB, Snapshot, RevertToSnapshot,
 *   Finalise, CreateAccount, IsValidator, ValidatorWrapper), core/state/journal.go
 * @module
 */
import { bigintToFixedBytes, toHex, utf8ToBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { invariant } from "../errors.ts";
import type { PersistentTrie } from "./persistent-trie.ts";

/** Keccak-256 of the empty string: the code hash of an account without code. */
export const EMPTY_CODE_HASH = keccak256(new Uint8Array(0));

/**
 * The storage slot of the validator flag (Go `staking.IsValidatorKey`,
 * `keccak256("Harmony/IsValidator/Key/v1")`), as 64 hex digits.
 */
export const IS_VALIDATOR_KEY = toHex(keccak256(utf8ToBytes("Harmony/IsValidator/Key/v1")));

/** One account as stored in a layer. Treat as immutable outside this module. */
export interface AccountRecord {
  /** Number of transactions sent (and, for contracts, contracts created). */
  nonce: bigint;
  /** Balance in atto. */
  balance: bigint;
  /** The code (contract bytecode, or a validator wrapper's RLP). */
  code: Uint8Array;
  /** Keccak-256 of `code`. */
  codeHash: Uint8Array;
  /** Storage slots written in this record's layer (slot as 64 hex digits → value; 0 = cleared). */
  storage: Map<string, bigint>;
  /** The record below, for the slots not in `storage`; `null` for a fresh account. */
  below: AccountRecord | null;
  /** The storage root once computed; `null` until then. */
  storageRoot: Uint8Array | null;
  /** The storage trie once computed (`null`: empty); `undefined` until then. */
  storageTrie: PersistentTrie | undefined;
}

/**
 * A journal entry: enough to undo one write. `replace` puts back the record the layer held (or
 * none); `fields` restores the scalar fields of a record the layer owns; `slot` restores one of
 * its storage slots.
 */
export type JournalEntry = ReplaceEntry | FieldsEntry | SlotEntry;

/** Journal entry: the layer's record of an account is replaced (created, recreated, deleted). */
export interface ReplaceEntry {
  /** Which entry. */
  kind: "replace";
  /** The account's key. */
  key: string;
  /** The record the layer held before (`undefined`: none, reads fell through to the parent). */
  record: AccountRecord | null | undefined;
}

/** Journal entry: scalar fields of a record the layer owns, before a change. */
export interface FieldsEntry {
  /** Which entry. */
  kind: "fields";
  /** The account's key. */
  key: string;
  /** The record changed in place. */
  record: AccountRecord;
  /** Its nonce before. */
  nonce: bigint;
  /** Its balance before. */
  balance: bigint;
  /** Its code before. */
  code: Uint8Array;
  /** Its code hash before. */
  codeHash: Uint8Array;
}

/** Journal entry: one storage slot of a record the layer owns, before a change. */
export interface SlotEntry {
  /** Which entry. */
  kind: "slot";
  /** The account's key. */
  key: string;
  /** The record changed in place. */
  record: AccountRecord;
  /** The slot key. */
  slot: string;
  /** The layer's value before (`undefined`: the slot was not written in this record). */
  prev: bigint | undefined;
}

/** A layer of the world state. */
export interface WorldState {
  /** The layer below, or `null` for the bottom layer. */
  parent: WorldState | null;
  /** Accounts written in this layer by address key; `null` marks a deleted account. */
  accounts: Map<string, AccountRecord | null>;
  /** Undo log of the current transaction. */
  journal: JournalEntry[];
  /** Storage values at the start of the current transaction, by `address key + slot`. */
  originals: Map<string, bigint>;
  /** The state root once computed for this layer; cleared by every write. */
  root: Uint8Array | null;
  /**
   * The account trie of this layer's whole state as it was when last computed (`null`: empty);
   * `undefined` until then.
   */
  trie: PersistentTrie | undefined;
  /** The accounts written (or restored) in this layer since {@link WorldState.trie}. */
  dirty: Set<string>;
}

/** Fields of a genesis or test account. */
export interface AccountInit {
  /** 20-byte address. */
  address: Uint8Array;
  /** Balance in atto. */
  balance: bigint;
  /** Nonce (default 0). */
  nonce?: bigint;
  /** Code (default empty). */
  code?: Uint8Array;
  /** Storage (slot → value, both as integers; default empty). */
  storage?: [bigint, bigint][];
}

/**
 * The key of an address in the state maps: 40 lowercase hex digits.
 *
 * @param address 20-byte address
 * @returns the key
 */
export function addressKey(address: Uint8Array): string {
  return toHex(address);
}

/**
 * The key of a storage slot: 64 lowercase hex digits.
 *
 * @param slot the slot as an integer below 2^256
 * @returns the key
 */
export function slotKey(slot: bigint): string {
  return slot.toString(16).padStart(64, "0");
}

/** A state with no accounts. */
export function emptyState(): WorldState {
  return {
    parent: null,
    accounts: new Map(),
    journal: [],
    originals: new Map(),
    root: null,
    trie: undefined,
    dirty: new Set(),
  };
}

/**
 * A new layer over `parent`: writes go to the new layer, `parent` is never modified.
 *
 * @param parent the state to build on (its pending journal must be empty)
 * @returns the child layer
 */
export function childState(parent: WorldState): WorldState {
  invariant(parent.journal.length === 0, "a layer is frozen between transactions");
  // Same contents as the parent until the first write, hence the same root.
  return { ...emptyState(), parent, root: parent.root };
}

/**
 * A state holding the given accounts (a genesis allocation, or a test's pre-state).
 *
 * @param accounts the accounts
 * @returns a bottom layer
 */
export function stateFromAccounts(accounts: AccountInit[]): WorldState {
  const state = emptyState();
  for (const a of accounts) {
    const storage = new Map<string, bigint>();
    for (const [slot, value] of a.storage ?? []) {
      if (value !== 0n) storage.set(slotKey(slot), value);
    }
    const code = a.code ?? new Uint8Array(0);
    state.accounts.set(addressKey(a.address), {
      nonce: a.nonce ?? 0n,
      balance: a.balance,
      code,
      codeHash: code.length === 0 ? EMPTY_CODE_HASH : keccak256(code),
      storage,
      below: null,
      storageRoot: null,
      storageTrie: undefined,
    });
  }
  return state;
}

/**
 * The record of an account, looking through the layers.
 *
 * @param state the state
 * @param key the address key
 * @returns the record, or `null` when the account does not exist
 */
export function readRecord(state: WorldState, key: string): AccountRecord | null {
  for (let layer: WorldState | null = state; layer !== null; layer = layer.parent) {
    const found = layer.accounts.get(key);
    if (found !== undefined) return found;
  }
  return null;
}

/** Marks an account of the layer as changed: the cached root is no longer valid. */
function touch(state: WorldState, key: string): void {
  state.root = null;
  state.dirty.add(key);
}

/** Journals that the layer's record of `key` is about to be replaced. */
function journalReplace(state: WorldState, key: string): void {
  state.journal.push({ kind: "replace", key, record: state.accounts.get(key) });
  touch(state, key);
}

/**
 * The top layer's own record of `key`, created over the record below (or fresh) on the first
 * write in this layer. Records below the top layer are never modified.
 */
function ownRecord(state: WorldState, key: string): AccountRecord {
  const own = state.accounts.get(key);
  if (own) return own;
  journalReplace(state, key);
  const below = own === null || state.parent === null ? null : readRecord(state.parent, key);
  const record: AccountRecord = below === null
    ? newRecord(0n)
    : { ...below, storage: new Map(), below, storageRoot: below.storageRoot };
  state.accounts.set(key, record);
  return record;
}

/** The top layer's own record of `key`, its scalar fields journaled before a change. */
function writableFields(state: WorldState, key: string): AccountRecord {
  const record = ownRecord(state, key);
  const { nonce, balance, code, codeHash } = record;
  state.journal.push({ kind: "fields", key, record, nonce, balance, code, codeHash });
  touch(state, key);
  return record;
}

/** A fresh record with the given balance and nothing else. */
function newRecord(balance: bigint): AccountRecord {
  return {
    nonce: 0n,
    balance,
    code: new Uint8Array(0),
    codeHash: EMPTY_CODE_HASH,
    storage: new Map(),
    below: null,
    storageRoot: null,
    storageTrie: null,
  };
}

/**
 * Whether an account exists (Go `Exist`).
 *
 * @param state the state
 * @param key the address key
 * @returns whether a record exists, empty or not
 */
export function accountExists(state: WorldState, key: string): boolean {
  return readRecord(state, key) !== null;
}

/**
 * Whether an account is empty in the sense of EIP-158: nonce 0, balance 0, no code.
 *
 * @param record the account
 * @returns whether it is empty
 */
export function isEmptyRecord(record: AccountRecord): boolean {
  return record.nonce === 0n && record.balance === 0n && record.code.length === 0;
}

/**
 * An account's balance (0 when absent).
 *
 * @param state the state
 * @param key the address key
 * @returns the balance in atto
 */
export function balanceOf(state: WorldState, key: string): bigint {
  return readRecord(state, key)?.balance ?? 0n;
}

/**
 * An account's nonce (0 when absent).
 *
 * @param state the state
 * @param key the address key
 * @returns the nonce
 */
export function nonceOf(state: WorldState, key: string): bigint {
  return readRecord(state, key)?.nonce ?? 0n;
}

/**
 * An account's code (empty when absent).
 *
 * @param state the state
 * @param key the address key
 * @returns the code
 */
export function codeOf(state: WorldState, key: string): Uint8Array {
  return readRecord(state, key)?.code ?? new Uint8Array(0);
}

/**
 * A storage value of a record, looking through the records below.
 *
 * @param record the account record, or `null`
 * @param slot the slot key
 * @returns the value (0 when never written)
 */
export function recordStorage(record: AccountRecord | null, slot: string): bigint {
  for (let r = record; r !== null; r = r.below) {
    const value = r.storage.get(slot);
    if (value !== undefined) return value;
  }
  return 0n;
}

/**
 * A storage value of an account (Go `GetState`).
 *
 * @param state the state
 * @param key the address key
 * @param slot the slot key
 * @returns the value (0 when absent)
 */
export function storageOf(state: WorldState, key: string, slot: string): bigint {
  return recordStorage(readRecord(state, key), slot);
}

/**
 * A storage value as it was when the current transaction started (Go `GetCommittedState`),
 * which EIP-2200's gas schedule compares against.
 *
 * @param state the state
 * @param key the address key
 * @param slot the slot key
 * @returns the value at the start of the transaction
 */
export function originalStorageOf(state: WorldState, key: string, slot: string): bigint {
  const original = state.originals.get(key + slot);
  return original === undefined ? storageOf(state, key, slot) : original;
}

/**
 * Whether an account holds a validator's staking record (Go `IsValidator`): its validator flag
 * slot is non-zero.
 *
 * @param state the state
 * @param key the address key
 * @returns whether the account is a validator
 */
export function isValidatorAccount(state: WorldState, key: string): boolean {
  return storageOf(state, key, IS_VALIDATOR_KEY) !== 0n;
}

/**
 * Sets a balance, creating the account if needed.
 *
 * @param state the state (top layer is written)
 * @param key the address key
 * @param balance the new balance (non-negative)
 */
export function setBalance(state: WorldState, key: string, balance: bigint): void {
  invariant(balance >= 0n, "balances are never negative");
  writableFields(state, key).balance = balance;
}

/**
 * Adds to a balance, creating the account if needed (Go `AddBalance`, which also touches the
 * account when the amount is zero).
 *
 * @param state the state
 * @param key the address key
 * @param amount the amount (non-negative)
 */
export function addBalance(state: WorldState, key: string, amount: bigint): void {
  setBalance(state, key, balanceOf(state, key) + amount);
}

/**
 * Subtracts from a balance. The caller has checked that it suffices.
 *
 * @param state the state
 * @param key the address key
 * @param amount the amount (at most the balance)
 */
export function subBalance(state: WorldState, key: string, amount: bigint): void {
  setBalance(state, key, balanceOf(state, key) - amount);
}

/**
 * Sets a nonce, creating the account if needed.
 *
 * @param state the state
 * @param key the address key
 * @param nonce the new nonce
 */
export function setNonce(state: WorldState, key: string, nonce: bigint): void {
  writableFields(state, key).nonce = nonce;
}

/**
 * Sets an account's code, creating the account if needed.
 *
 * @param state the state
 * @param key the address key
 * @param code the code
 */
export function setCode(state: WorldState, key: string, code: Uint8Array): void {
  const record = writableFields(state, key);
  record.code = code;
  record.codeHash = code.length === 0 ? EMPTY_CODE_HASH : keccak256(code);
}

/**
 * Writes a storage slot, creating the account if needed. The first write of a slot in a
 * transaction remembers its original value for {@link originalStorageOf}.
 *
 * @param state the state
 * @param key the address key
 * @param slot the slot key
 * @param value the value (0 clears the slot)
 */
export function setStorage(state: WorldState, key: string, slot: string, value: bigint): void {
  const id = key + slot;
  if (!state.originals.has(id)) state.originals.set(id, storageOf(state, key, slot));
  const record = ownRecord(state, key);
  state.journal.push({ kind: "slot", key, record, slot, prev: record.storage.get(slot) });
  record.storage.set(slot, value);
  record.storageRoot = null;
  record.storageTrie = undefined;
  touch(state, key);
}

/**
 * Creates an account over whatever was at the address, keeping only its balance (Go
 * `CreateAccount`: contract creation onto an address that received value before).
 *
 * @param state the state
 * @param key the address key
 */
export function createAccount(state: WorldState, key: string): void {
  const balance = balanceOf(state, key);
  journalReplace(state, key);
  state.accounts.set(key, newRecord(balance));
}

/**
 * Deletes an account (self-destruct, or an empty account removed under EIP-158).
 *
 * @param state the state
 * @param key the address key
 */
export function deleteAccount(state: WorldState, key: string): void {
  journalReplace(state, key);
  state.accounts.set(key, null);
}

/**
 * Marks the current point of the journal (Go `Snapshot`).
 *
 * @param state the state
 * @returns an id for {@link revertToSnapshot}
 */
export function snapshot(state: WorldState): number {
  return state.journal.length;
}

/**
 * Undoes every write since a snapshot (Go `RevertToSnapshot`).
 *
 * @param state the state
 * @param id a value returned by {@link snapshot} in the current transaction
 */
export function revertToSnapshot(state: WorldState, id: number): void {
  invariant(id >= 0 && id <= state.journal.length, "snapshot of the current transaction");
  while (state.journal.length > id) {
    undo(state, state.journal.pop()!);
  }
  state.root = null;
}

/** Undoes one journal entry. */
function undo(state: WorldState, entry: JournalEntry): void {
  touch(state, entry.key);
  if (entry.kind === "replace") {
    if (entry.record === undefined) state.accounts.delete(entry.key);
    else state.accounts.set(entry.key, entry.record);
  } else if (entry.kind === "fields") {
    const r = entry.record;
    r.nonce = entry.nonce;
    r.balance = entry.balance;
    r.code = entry.code;
    r.codeHash = entry.codeHash;
  } else {
    if (entry.prev === undefined) entry.record.storage.delete(entry.slot);
    else entry.record.storage.set(entry.slot, entry.prev);
    entry.record.storageRoot = null;
    entry.record.storageTrie = undefined;
  }
}

/**
 * Ends a transaction (Go `Finalise`): with `deleteEmpty` (from `S3`, EIP-158) every account the
 * transaction wrote that is now empty is deleted; then the journal and the original storage
 * values are cleared, so that the transaction can no longer be reverted.
 *
 * @param state the state
 * @param deleteEmpty whether empty touched accounts are deleted
 */
export function finaliseTransaction(state: WorldState, deleteEmpty: boolean): void {
  if (deleteEmpty) {
    const touched = new Set<string>();
    for (const entry of state.journal) touched.add(entry.key);
    for (const key of touched) {
      const record = state.accounts.get(key);
      if (record && isEmptyRecord(record)) {
        state.accounts.set(key, null);
        touch(state, key);
      }
    }
  }
  state.journal.length = 0;
  state.originals.clear();
}

/**
 * Every existing account of a state, merged over all layers.
 *
 * @param state the state
 * @returns the records by address key (deleted accounts omitted)
 */
export function allAccounts(state: WorldState): Map<string, AccountRecord> {
  const layers: WorldState[] = [];
  for (let layer: WorldState | null = state; layer !== null; layer = layer.parent) {
    layers.push(layer);
  }
  const merged = new Map<string, AccountRecord | null>();
  for (let i = layers.length - 1; i >= 0; i--) {
    for (const [key, record] of layers[i].accounts) merged.set(key, record);
  }
  const out = new Map<string, AccountRecord>();
  for (const [key, record] of merged) if (record !== null) out.set(key, record);
  return out;
}

/**
 * Every non-zero storage slot of an account.
 *
 * @param record the account
 * @returns slot key → value
 */
export function allStorage(record: AccountRecord): Map<string, bigint> {
  const chain: AccountRecord[] = [];
  for (let r: AccountRecord | null = record; r !== null; r = r.below) chain.push(r);
  const merged = new Map<string, bigint>();
  for (let i = chain.length - 1; i >= 0; i--) {
    for (const [slot, value] of chain[i].storage) merged.set(slot, value);
  }
  for (const [slot, value] of merged) if (value === 0n) merged.delete(slot);
  return merged;
}

/**
 * One layer holding the same accounts as `state` and its parents, with each account's storage
 * collapsed into one record. The result shares no mutable data with `state`.
 *
 * @param state the state (its journal must be empty)
 * @returns a bottom layer with the same contents
 */
export function flattenState(state: WorldState): WorldState {
  invariant(state.journal.length === 0, "flatten between transactions");
  const flat = emptyState();
  for (const [key, record] of allAccounts(state)) {
    flat.accounts.set(key, {
      ...record,
      storage: allStorage(record),
      below: null,
    });
  }
  flat.root = state.root;
  // The same contents: a trie computed for `state` with nothing written since serves as is.
  if (state.dirty.size === 0) flat.trie = state.trie;
  return flat;
}

/**
 * The sum of all balances: the supply held in accounts, for supply accounting.
 *
 * @param state the state
 * @returns the total in atto
 */
export function totalBalance(state: WorldState): bigint {
  let total = 0n;
  for (const record of allAccounts(state).values()) total += record.balance;
  return total;
}

/**
 * A storage value as the 32-byte word the EVM sees.
 *
 * @param value the value
 * @returns 32 big-endian bytes
 */
export function storageWord(value: bigint): Uint8Array {
  return bigintToFixedBytes(value, 32);
}
