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
 * Roots are computed from the records of the layered state (`state.ts`) with the trie module. A
 * record caches its storage root, and a layer caches the state root, until a write clears them;
 * so a block that touches few contracts recomputes few storage tries. The state trie itself is
 * recomputed from all accounts: the trie module computes roots from entries, without a node
 * database.
 *
 * @see github.com/harmony-one/harmony core/state/statedb.go (IntermediateRoot),
 *   core/state/state_object.go (updateRoot, Account)
 * @module
 */
import { bigintToBytes, fromHex } from "../encoding/bytes.ts";
import { encodeRlp } from "../encoding/rlp.ts";
import { secureTrieRoot, type TrieEntry } from "../chain/trie.ts";
import { type AccountRecord, allAccounts, allStorage, type WorldState } from "./state.ts";

/**
 * The storage root of an account (cached on the record).
 *
 * @param record the account
 * @returns the root of its storage trie
 */
export function storageRoot(record: AccountRecord): Uint8Array {
  if (record.storageRoot !== null) return record.storageRoot;
  const entries: TrieEntry[] = [];
  for (const [slot, value] of allStorage(record)) {
    entries.push([fromHex(slot), encodeRlp(bigintToBytes(value))]);
  }
  record.storageRoot = secureTrieRoot(entries);
  return record.storageRoot;
}

/**
 * The state-trie value of an account (Go `Account` RLP).
 *
 * @param record the account
 * @returns `RLP([nonce, balance, storageRoot, codeHash])`
 */
export function encodeAccount(record: AccountRecord): Uint8Array {
  return encodeRlp([
    bigintToBytes(record.nonce),
    bigintToBytes(record.balance),
    storageRoot(record),
    record.codeHash,
  ]);
}

/**
 * The state root of a state (Go `IntermediateRoot`), cached on the layer until the next write.
 *
 * @param state the state (between transactions)
 * @returns the 32-byte root
 */
export function stateRoot(state: WorldState): Uint8Array {
  if (state.root !== null) return state.root;
  const entries: TrieEntry[] = [];
  for (const [key, record] of allAccounts(state)) {
    entries.push([fromHex(key), encodeAccount(record)]);
  }
  state.root = secureTrieRoot(entries);
  return state.root;
}
