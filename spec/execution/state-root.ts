/**
 * The state root: the commitment of a block header to the whole world state.
 *
 * Harmony keeps Ethereum's layout (Go `core/state`, go-ethereum's secure tries):
 *
 * - the **state trie** maps `keccak256(address)` to `RLP([nonce, balance, storageRoot,
 *   codeHash])` for every existing account (empty accounts included: before `S3` they are not
 *   removed);
 * - each account's **storage trie** maps `keccak256(slot)` to `RLP(value)`, the value as a
 *   minimal big-endian integer, for every non-zero slot; its root is the account's
 *   `storageRoot`, the empty trie's root when there is no slot.
 *
 * Validator wrappers need nothing special: they are the code (hence the code hash) and a storage
 * slot of the validator's account.
 *
 * **Computing it.** {@link stateRootFromScratch} states the rule plainly: the secure trie of every
 * account, each with the storage root of all its slots, built from the entries by `trieRoot`.
 * A block changes few accounts of a large state, so {@link stateRoot} computes the same root
 * incrementally, as go-ethereum does, with the persistent tries of `persistent-trie.ts`:
 *
 * - a layer's account trie is its parent's trie with the accounts the layer wrote set (or
 *   deleted); once computed it is kept on the layer, and later writes to the layer are applied to
 *   it key by key ({@link WorldState.dirty});
 * - a record's storage trie is the trie of the record below it with the slots written in the
 *   record's layer set (a fresh account starts from the empty trie);
 * - trie nodes cache their hashes, and unchanged subtrees are shared between a layer and its
 *   parent, so a root costs hashing the paths of the changed accounts and slots only.
 *
 * Roots are also cached: a layer's state root and a record's storage root, until a write.
 * A property test proves `stateRoot` equal to `stateRootFromScratch` over random sequences of
 * writes, reverts, layers and flattening.
 *
 * @see github.com/harmony-one/harmony core/state/statedb.go (IntermediateRoot),
 *   core/state/state_object.go (updateRoot, Account)
 * @module
 */
import { bigintToBytes, fromHex } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { encodeRlp } from "../encoding/rlp.ts";
import { secureTrieRoot, type TrieEntry } from "../chain/trie.ts";
import { type PersistentTrie, persistentTrieRoot, trieSet } from "./persistent-trie.ts";
import {
  type AccountRecord,
  allAccounts,
  allStorage,
  readRecord,
  type WorldState,
} from "./state.ts";

/** The empty value: deletes a key from a trie. */
const DELETE = new Uint8Array(0);

/** The trie value of a storage slot: the RLP of the minimal integer; 0 deletes the slot. */
function slotValue(value: bigint): Uint8Array {
  return value === 0n ? DELETE : encodeRlp(bigintToBytes(value));
}

/** A record's storage trie: the record below's, with the slots written in its layer. */
function storageTrie(record: AccountRecord): PersistentTrie {
  if (record.storageTrie !== undefined) return record.storageTrie;
  let trie = record.below === null ? null : storageTrie(record.below);
  for (const [slot, value] of record.storage) {
    trie = trieSet(trie, keccak256(fromHex(slot)), slotValue(value));
  }
  record.storageTrie = trie;
  return trie;
}

/**
 * The storage root of an account (cached on the record), computed incrementally.
 *
 * @param record the account
 * @returns the root of its storage trie
 */
export function storageRoot(record: AccountRecord): Uint8Array {
  if (record.storageRoot !== null) return record.storageRoot;
  record.storageRoot = persistentTrieRoot(storageTrie(record));
  return record.storageRoot;
}

/**
 * The state-trie value of an account (Go `Account` RLP).
 *
 * @param record the account
 * @returns `RLP([nonce, balance, storageRoot, codeHash])`
 */
export function encodeAccount(record: AccountRecord): Uint8Array {
  return accountValue(record, storageRoot(record));
}

/** `RLP([nonce, balance, storageRoot, codeHash])`. */
function accountValue(record: AccountRecord, root: Uint8Array): Uint8Array {
  return encodeRlp([
    bigintToBytes(record.nonce),
    bigintToBytes(record.balance),
    root,
    record.codeHash,
  ]);
}

/** A layer's account trie: kept on the layer, brought up to date with the keys written since. */
function accountTrie(state: WorldState): PersistentTrie {
  if (state.trie !== undefined && state.dirty.size === 0) return state.trie;
  let trie: PersistentTrie;
  let keys: Iterable<string>;
  if (state.trie !== undefined) {
    trie = state.trie;
    keys = state.dirty;
  } else {
    trie = state.parent === null ? null : accountTrie(state.parent);
    keys = state.accounts.keys();
  }
  for (const key of keys) {
    const record = readRecord(state, key);
    trie = trieSet(trie, keccak256(fromHex(key)), record === null ? DELETE : encodeAccount(record));
  }
  state.trie = trie;
  state.dirty.clear();
  return trie;
}

/**
 * The state root of a state (Go `IntermediateRoot`), computed incrementally and cached on the
 * layer until the next write.
 *
 * @param state the state (between transactions)
 * @returns the 32-byte root
 */
export function stateRoot(state: WorldState): Uint8Array {
  if (state.root !== null) return state.root;
  state.root = persistentTrieRoot(accountTrie(state));
  return state.root;
}

/**
 * The state root by definition: the secure trie of every account with the storage root of all
 * its slots, from the entries, using no cache. {@link stateRoot} gives the same root faster.
 *
 * @param state the state (between transactions)
 * @returns the 32-byte root
 */
export function stateRootFromScratch(state: WorldState): Uint8Array {
  const entries: TrieEntry[] = [];
  for (const [key, record] of allAccounts(state)) {
    const slots: TrieEntry[] = [];
    for (const [slot, value] of allStorage(record)) {
      slots.push([fromHex(slot), encodeRlp(bigintToBytes(value))]);
    }
    entries.push([fromHex(key), accountValue(record, secureTrieRoot(slots))]);
  }
  return secureTrieRoot(entries);
}
