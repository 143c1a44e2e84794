/**
 * A persistent Merkle–Patricia trie: the same trie as `spec/chain/trie.ts`, kept as nodes so that
 * a root can be recomputed after a few changes without rehashing what did not change. The nodes
 * are encoded and referenced by the chain module's functions (`encodeLeaf`, `encodeExtension`,
 * `encodeBranchNode`, `nodeReference`).
 *
 * `trieRoot` in the chain module defines the root of a set of entries by building every node from
 * the sorted entries. The state trie of a shard holds every account, and a block changes only a
 * few of them; recomputing it from all accounts makes a block's cost grow with the size of the
 * state. This module keeps the trie itself:
 *
 * - a trie is `null` (empty) or a node: a *leaf* (the rest of a key's nibbles and its value), an
 *   *extension* (nibbles shared by every key below, and one child) or a *branch* (sixteen
 *   children by the next nibble, and the value of a key ending there), exactly the node kinds
 *   whose encodings define the root;
 * - {@link trieSet} returns a new trie with one key set or deleted. It copies only the nodes on
 *   that key's path; every other subtree is shared with the old trie, which stays valid
 *   (persistence: the trie of the parent block is not disturbed by its child's changes). After a
 *   deletion the path is brought back to its canonical shape — a branch left with one child and
 *   no value merges into its neighbours, an extension over an extension is joined — so that the
 *   trie holding a set of entries is always the same tree, whatever the order of the changes;
 * - each node caches its *reference* (its encoding when shorter than 32 bytes, else the RLP of
 *   its Keccak-256) once computed; nodes never change after creation, so a cached reference is
 *   never stale, and {@link persistentTrieRoot} hashes only the nodes created since the last root.
 *
 * The tests prove `persistentTrieRoot` equal to `trieRoot` of the same entries over random
 * sequences of changes.
 *
 * @see github.com/ethereum/go-ethereum trie/trie.go (`insert`, `delete`), trie/hasher.go, at the
 *   version Harmony pins (v1.11.2): go-ethereum keeps its state trie the same way, as nodes with
 *   cached hashes
 * @module
 */
import { concatBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import {
  EMPTY_TRIE_ROOT,
  encodeBranchNode,
  encodeExtension,
  encodeLeaf,
  nodeReference,
  toNibbles,
} from "../chain/trie.ts";

/** A leaf: the remaining nibbles of one key, and its value. */
export interface LeafNode {
  /** Which node. */
  kind: "leaf";
  /** The key's nibbles below this point. */
  path: Uint8Array;
  /** The value (never empty). */
  value: Uint8Array;
  /** The cached reference, once computed. */
  ref: Uint8Array | null;
}

/** An extension: nibbles shared by every key below, then one child (a branch). */
export interface ExtensionNode {
  /** Which node. */
  kind: "extension";
  /** The shared nibbles (at least one). */
  path: Uint8Array;
  /** The child. */
  child: TrieNode;
  /** The cached reference, once computed. */
  ref: Uint8Array | null;
}

/** A branch: children by the next nibble, and the value of the key that ends here. */
export interface BranchNode {
  /** Which node. */
  kind: "branch";
  /** Sixteen children, `null` where no key continues with that nibble. */
  children: (TrieNode | null)[];
  /** The value of the key ending at this branch, or `null`. */
  value: Uint8Array | null;
  /** The cached reference, once computed. */
  ref: Uint8Array | null;
}

/** A node of the trie. */
export type TrieNode = LeafNode | ExtensionNode | BranchNode;

/** A trie: its root node, or `null` when empty. */
export type PersistentTrie = TrieNode | null;

/** Length of the common prefix of two nibble paths. */
function shared(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

const leaf = (path: Uint8Array, value: Uint8Array): LeafNode => ({
  kind: "leaf",
  path,
  value,
  ref: null,
});

/** An extension over `child`, or `child` itself when there is nothing to skip. */
function extend(path: Uint8Array, child: TrieNode): TrieNode {
  if (path.length === 0) return child;
  // Canonical shape: nibbles in front of a leaf or an extension are part of its path.
  if (child.kind === "leaf") return leaf(concatBytes(path, child.path), child.value);
  if (child.kind === "extension") return extend(concatBytes(path, child.path), child.child);
  return { kind: "extension", path, child, ref: null };
}

/** A branch with the given children and value. */
function branchOf(children: (TrieNode | null)[], value: Uint8Array | null): BranchNode {
  return { kind: "branch", children, value, ref: null };
}

/** The node holding `node`'s content with `value` set at `path` (a new key, or a replacement). */
function insert(node: PersistentTrie, path: Uint8Array, value: Uint8Array): TrieNode {
  if (node === null) return leaf(path, value);
  if (node.kind === "branch") {
    if (path.length === 0) return branchOf(node.children, value);
    const children = node.children.slice();
    children[path[0]] = insert(children[path[0]], path.subarray(1), value);
    return branchOf(children, node.value);
  }
  const common = shared(node.path, path);
  if (node.kind === "leaf" && common === node.path.length && common === path.length) {
    return leaf(node.path, value);
  }
  if (node.kind === "extension" && common === node.path.length) {
    return extend(node.path, insert(node.child, path.subarray(common), value));
  }
  // The paths part `common` nibbles down: a branch there holds the old node's rest and the key.
  return extend(
    path.subarray(0, common),
    insert(splitAt(node, common), path.subarray(common), value),
  );
}

/** A leaf or an extension re-rooted as a branch `common` nibbles below its start. */
function splitAt(node: LeafNode | ExtensionNode, common: number): BranchNode {
  const rest = node.path.subarray(common);
  const children: (TrieNode | null)[] = new Array(16).fill(null);
  if (node.kind === "leaf" && rest.length === 0) return branchOf(children, node.value);
  children[rest[0]] = node.kind === "leaf"
    ? leaf(rest.subarray(1), node.value)
    : extend(rest.subarray(1), node.child);
  return branchOf(children, null);
}

/** The node holding `node`'s content without the key at `path` (`null` when nothing remains). */
function remove(node: PersistentTrie, path: Uint8Array): PersistentTrie {
  if (node === null) return null;
  if (node.kind === "leaf") {
    return shared(node.path, path) === node.path.length && path.length === node.path.length
      ? null
      : node;
  }
  if (node.kind === "extension") {
    if (shared(node.path, path) < node.path.length) return node;
    const child = remove(node.child, path.subarray(node.path.length));
    if (child === node.child) return node;
    return child === null ? null : extend(node.path, child);
  }
  if (path.length === 0) {
    return node.value === null ? node : collapse(node.children, null);
  }
  const old = node.children[path[0]];
  const child = remove(old, path.subarray(1));
  if (child === old) return node;
  const children = node.children.slice();
  children[path[0]] = child;
  return collapse(children, node.value);
}

/** A branch's content in canonical shape: a branch only while it has two entries or more. */
function collapse(children: (TrieNode | null)[], value: Uint8Array | null): PersistentTrie {
  let count = value === null ? 0 : 1;
  let only = -1;
  for (let i = 0; i < 16; i++) {
    if (children[i] !== null) {
      count++;
      only = i;
    }
  }
  if (count >= 2) return branchOf(children, value);
  if (count === 0) return null;
  if (value !== null) return leaf(new Uint8Array(0), value);
  return extend(Uint8Array.of(only), children[only]!);
}

/**
 * A trie with one key set to a value, or deleted when the value is empty (as go-ethereum's
 * `Trie.Update`). The given trie is not modified.
 *
 * @param trie the trie
 * @param key the key bytes
 * @param value the value; empty to delete the key
 * @returns the new trie, sharing every unchanged subtree with `trie`
 */
export function trieSet(trie: PersistentTrie, key: Uint8Array, value: Uint8Array): PersistentTrie {
  const path = toNibbles(key);
  return value.length === 0 ? remove(trie, path) : insert(trie, path, value);
}

/** A node's reference in its parent: its encoding below 32 bytes, else RLP of its hash. */
function referenceOf(node: TrieNode): Uint8Array {
  if (node.ref !== null) return node.ref;
  let encoding: Uint8Array;
  if (node.kind === "leaf") encoding = encodeLeaf(node.path, node.value);
  else if (node.kind === "extension") {
    encoding = encodeExtension(node.path, referenceOf(node.child));
  } else {
    const children = node.children.map((c) => (c === null ? null : referenceOf(c)));
    encoding = encodeBranchNode(children, node.value);
  }
  node.ref = nodeReference(encoding);
  return node.ref;
}

/**
 * The root hash of a trie: equal to `trieRoot` of the entries it holds.
 *
 * @param trie the trie
 * @returns the 32-byte root; `EMPTY_TRIE_ROOT` for the empty trie
 */
export function persistentTrieRoot(trie: PersistentTrie): Uint8Array {
  if (trie === null) return EMPTY_TRIE_ROOT.slice();
  const ref = referenceOf(trie);
  // The root is always hashed: an inline reference is the encoding itself, a long one RLP(hash).
  return ref.length < 32 ? keccak256(ref) : ref.slice(1);
}
