/**
 * The root hash of a Merkle–Patricia trie (Ethereum's "modified Merkle Patricia tree").
 *
 * Harmony commits to every list and map of a block through the root of such a trie: the
 * transactions and the receipts of a block (keys are the RLP of each item's index, see the
 * derive-sha module), the account state and each contract's storage (keys are the Keccak-256 of
 * an address or a storage slot: the *secure* trie). The trie is only ever needed here for its
 * root, so this module computes the root directly from the set of entries, without building a
 * database of nodes.
 *
 * **The trie.** Keys are read as sequences of *nibbles* (half-bytes, high half first). Three kinds
 * of node store the entries:
 *
 * - a *leaf* `[hexPrefix(rest of the key, leaf), value]` holds one entry whose key has no other
 *   key below this point;
 * - an *extension* `[hexPrefix(shared nibbles, not leaf), child]` skips the nibbles that all keys
 *   below it share;
 * - a *branch* `[child_0, …, child_15, value]` splits on the next nibble; its 17th item is the
 *   value of the key that ends exactly here (the empty string if none), so a key may be a prefix
 *   of another key.
 *
 * A node is written as the RLP list of its items. A parent refers to a child by the child's
 * encoding itself when that encoding is shorter than 32 bytes (the child is *inlined*, as a nested
 * list), otherwise by the 32-byte Keccak-256 of the encoding. An empty child slot is the empty
 * string. The root is always hashed, whatever its size; the root of the empty trie is
 * Keccak-256 of the RLP of the empty string, {@link EMPTY_TRIE_ROOT} (`56e81f…b421`).
 *
 * **Hex-prefix encoding** ({@link hexPrefix}) packs a nibble path into bytes with a flag nibble in
 * front: `2` for a leaf, `0` for an extension, plus `1` when the path has an odd number of nibbles.
 * An odd path puts its first nibble beside the flag; an even path pads the flag byte with a zero
 * nibble.
 *
 * **Entries.** The entries are applied in order as go-ethereum's `Trie.Update` would apply them: a
 * later entry for a key replaces an earlier one, and an entry with an empty value deletes its key
 * (go-ethereum never stores an empty value). The root depends only on the resulting set of
 * key/value pairs, never on the order in which distinct keys were given.
 *
 * **How the root is computed.** The remaining entries are sorted by key. Then a node over a run of
 * sorted keys that agree on their first `depth` nibbles is: a leaf if the run has one key; an
 * extension if all keys of the run share more nibbles (the shared prefix of a sorted run is that
 * of its first and last keys); otherwise a branch whose children are the sub-runs with the same
 * next nibble, which are consecutive in sorted order. Each key is visited once per level, so the
 * work is proportional to the total length of the keys, after an `n log n` sort.
 *
 * @see github.com/ethereum/go-ethereum trie/trie.go (`Trie.Update`, `Trie.Hash`), trie/hasher.go
 *   (`hasher.store`: inline below 32 bytes), trie/encoding.go (`hexToCompact`), at the version
 *   Harmony pins (v1.11.2)
 * @see github.com/harmony-one/harmony core/types/derive_sha.go (`DeriveSha` builds such a trie)
 * @module
 */
import { compareBytes, toHex } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { encodeRlp, encodeRlpList } from "../encoding/rlp.ts";

/** One key/value pair of a trie: the key bytes and the value bytes. */
export type TrieEntry = [key: Uint8Array, value: Uint8Array];

/** One stored entry, its key spelled out as nibbles. */
interface NibbleEntry {
  path: Uint8Array;
  value: Uint8Array;
}

/** The RLP of the empty string: an empty child slot, or a branch with no value. */
const EMPTY_STRING_RLP: Uint8Array = Uint8Array.of(0x80);

/**
 * The root of the empty trie: Keccak-256 of `0x80`, the RLP of the empty string,
 * `56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421`. Go's `EmptyRootHash`.
 */
export const EMPTY_TRIE_ROOT: Uint8Array = keccak256(EMPTY_STRING_RLP);

/**
 * Hex-prefix (compact) encoding of a nibble path.
 *
 * @param nibbles the path, one nibble (0–15) per byte
 * @param isLeaf whether the path ends at a value (a leaf) or continues (an extension)
 * @returns the flag nibble, then the path, packed two nibbles a byte
 */
export function hexPrefix(nibbles: Uint8Array, isLeaf: boolean): Uint8Array {
  const odd = nibbles.length % 2;
  const flag = (isLeaf ? 2 : 0) + odd;
  const out = new Uint8Array(((nibbles.length - odd) >> 1) + 1);
  out[0] = odd === 1 ? (flag << 4) | nibbles[0] : flag << 4;
  for (let i = odd, at = 1; i < nibbles.length; i += 2, at++) {
    out[at] = (nibbles[i] << 4) | nibbles[i + 1];
  }
  return out;
}

/**
 * The nibbles of a key, high half of each byte first.
 *
 * @param key the key bytes
 * @returns one nibble (0–15) per byte, twice as many as the key has bytes
 */
export function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 0x0f;
  }
  return out;
}

/** Applies the entries in order (later wins, empty deletes) and sorts what remains by key. */
function storedEntries(entries: readonly TrieEntry[]): NibbleEntry[] {
  const byKey = new Map<string, TrieEntry>();
  for (const [key, value] of entries) byKey.set(toHex(key), [key, value]);
  const kept: TrieEntry[] = [];
  for (const entry of byKey.values()) if (entry[1].length > 0) kept.push(entry);
  kept.sort((a, b) => compareBytes(a[0], b[0]));
  return kept.map(([key, value]) => ({ path: toNibbles(key), value }));
}

/**
 * How a parent refers to a child node: by the child's encoding itself below 32 bytes (inlined),
 * else by the RLP of its Keccak-256.
 *
 * @param encoding the child node's encoding
 * @returns the item the parent holds for it
 */
export function nodeReference(encoding: Uint8Array): Uint8Array {
  return encoding.length < 32 ? encoding : encodeRlp(keccak256(encoding));
}

/**
 * The encoding of a leaf: `[hexPrefix(path, leaf), value]`.
 *
 * @param path the rest of the key's nibbles
 * @param value the value
 * @returns the node's RLP
 */
export function encodeLeaf(path: Uint8Array, value: Uint8Array): Uint8Array {
  return encodeRlpList([encodeRlp(hexPrefix(path, true)), encodeRlp(value)]);
}

/**
 * The encoding of an extension: `[hexPrefix(path, not leaf), child]`.
 *
 * @param path the nibbles every key below shares
 * @param childReference the child's {@link nodeReference}
 * @returns the node's RLP
 */
export function encodeExtension(path: Uint8Array, childReference: Uint8Array): Uint8Array {
  return encodeRlpList([encodeRlp(hexPrefix(path, false)), childReference]);
}

/**
 * The encoding of a branch: sixteen child slots, then the value of the key ending here; an empty
 * slot and a missing value are the empty string.
 *
 * @param childReferences the sixteen children's {@link nodeReference}s, `null` where empty
 * @param value the value of the key ending at the branch, or `null`
 * @returns the node's RLP
 */
export function encodeBranchNode(
  childReferences: (Uint8Array | null)[],
  value: Uint8Array | null,
): Uint8Array {
  const slots = childReferences.map((r) => r ?? EMPTY_STRING_RLP);
  slots.push(value === null ? EMPTY_STRING_RLP : encodeRlp(value));
  return encodeRlpList(slots);
}

/** Length of the common prefix of two paths, given that they agree on the first `from` nibbles. */
function sharedLength(a: Uint8Array, b: Uint8Array, from: number): number {
  let n = from;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The encoding of the node holding the sorted entries `[lo, hi)`, which agree on their first
 * `depth` nibbles.
 */
function encodeNode(entries: NibbleEntry[], lo: number, hi: number, depth: number): Uint8Array {
  if (hi - lo === 1) return encodeLeaf(entries[lo].path.subarray(depth), entries[lo].value);
  const shared = sharedLength(entries[lo].path, entries[hi - 1].path, depth);
  if (shared > depth) {
    const skipped = entries[lo].path.subarray(depth, shared);
    return encodeExtension(skipped, nodeReference(encodeNode(entries, lo, hi, shared)));
  }
  return encodeBranch(entries, lo, hi, depth);
}

/** The branch node over the sorted entries `[lo, hi)`, splitting on nibble `depth`. */
function encodeBranch(entries: NibbleEntry[], lo: number, hi: number, depth: number): Uint8Array {
  let at = lo;
  let value: Uint8Array | null = null;
  // Sorting puts the key that ends at this branch (a prefix of the others) first.
  if (entries[at].path.length === depth) {
    value = entries[at].value;
    at++;
  }
  const children: (Uint8Array | null)[] = [];
  for (let nibble = 0; nibble < 16; nibble++) {
    let end = at;
    while (end < hi && entries[end].path[depth] === nibble) end++;
    children.push(end > at ? nodeReference(encodeNode(entries, at, end, depth + 1)) : null);
    at = end;
  }
  return encodeBranchNode(children, value);
}

/**
 * The root hash of the trie holding the given entries, keys used as they are.
 *
 * @param entries key/value pairs, applied in order: a later pair for the same key replaces an
 *   earlier one, and an empty value deletes the key
 * @returns the 32-byte root; {@link EMPTY_TRIE_ROOT} when no key remains
 */
export function trieRoot(entries: readonly TrieEntry[]): Uint8Array {
  const stored = storedEntries(entries);
  if (stored.length === 0) return EMPTY_TRIE_ROOT.slice();
  return keccak256(encodeNode(stored, 0, stored.length, 0));
}

/**
 * The root hash of a *secure* trie: each key is replaced by its Keccak-256 before insertion, as
 * in the account state trie (key: the address) and a contract's storage trie (key: the slot).
 *
 * @param entries key/value pairs with their plain keys, applied as in {@link trieRoot}
 * @returns the 32-byte root; {@link EMPTY_TRIE_ROOT} when no key remains
 * @see github.com/ethereum/go-ethereum trie/secure_trie.go (`StateTrie.Update` hashes the key)
 */
export function secureTrieRoot(entries: readonly TrieEntry[]): Uint8Array {
  return trieRoot(entries.map(([key, value]): TrieEntry => [keccak256(key), value]));
}
