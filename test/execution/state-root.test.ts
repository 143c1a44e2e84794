import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { stateRoot, stateRootFromScratch } from "../../spec/execution/state-root.ts";
import {
  addBalance,
  addressKey,
  childState,
  createAccount,
  deleteAccount,
  finaliseTransaction,
  flattenState,
  revertToSnapshot,
  setCode,
  setNonce,
  setStorage,
  slotKey,
  snapshot,
  stateFromAccounts,
  type WorldState,
} from "../../spec/execution/state.ts";

/** A random step: a write, a snapshot or revert, a root, the end of a transaction or a block. */
const arbStep = fc.record({
  kind: fc.constantFrom(
    "balance",
    "nonce",
    "storage",
    "storage",
    "code",
    "create",
    "delete",
    "snapshot",
    "revert",
    "root",
    "finalise",
    "block",
    "flatten",
  ),
  account: fc.nat(5),
  slot: fc.nat(3),
  value: fc.bigInt({ min: 0n, max: 3n }),
});
type Step = typeof arbStep extends fc.Arbitrary<infer T> ? T : never;

/** Applies a step; returns the state to continue with (a new layer after a block). */
function apply(state: WorldState, step: Step, marks: number[]): WorldState {
  const key = addressKey(new Uint8Array(20).fill(step.account + 1));
  switch (step.kind) {
    case "balance":
      addBalance(state, key, step.value);
      break;
    case "nonce":
      setNonce(state, key, step.value);
      break;
    case "storage":
      setStorage(state, key, slotKey(BigInt(step.slot)), step.value);
      break;
    case "code":
      setCode(state, key, Uint8Array.of(Number(step.value)));
      break;
    case "create":
      createAccount(state, key);
      break;
    case "delete":
      deleteAccount(state, key);
      break;
    case "snapshot":
      marks.push(snapshot(state));
      break;
    case "revert":
      if (marks.length > 0) revertToSnapshot(state, marks.pop()!);
      break;
    case "finalise":
      finaliseTransaction(state, step.value % 2n === 0n);
      marks.length = 0;
      break;
    case "block":
    case "flatten":
      finaliseTransaction(state, false);
      marks.length = 0;
      return step.kind === "block" ? childState(state) : childState(flattenState(state));
    case "root":
      // A root in the middle of a transaction's writes (as before S3, after every transaction).
      stateRoot(state);
  }
  return state;
}

/**
 * Over random writes, reverts, transactions, blocks (new layers) and flattening, the incremental
 * root always equals the root computed from scratch; `root` is the function under test.
 */
const property = (root: (state: WorldState) => Uint8Array) =>
  fc.property(fc.array(arbStep, { maxLength: 80 }), (steps) => {
    let state = childState(stateFromAccounts([
      { address: new Uint8Array(20).fill(1), balance: 5n, storage: [[1n, 2n]] },
      { address: new Uint8Array(20).fill(2), balance: 0n, nonce: 1n, code: Uint8Array.of(7) },
    ]));
    const marks: number[] = [];
    for (const step of steps) {
      state = apply(state, step, marks);
      if (step.kind === "root" || step.kind === "block" || step.kind === "finalise") {
        assert.equal(toHex(root(state)), toHex(stateRootFromScratch(state)));
      }
    }
    assert.equal(toHex(root(state)), toHex(stateRootFromScratch(state)));
  });

test("property: the incremental state root equals the root computed from scratch", () => {
  holds(property(stateRoot), 300);
});

test("property: the state-root property catches an incremental root that misses changes", () => {
  // Losing the record of what changed since the last root.
  catches(
    property((state) => {
      state.dirty.clear();
      return stateRoot(state);
    }),
    300,
  );
  // Reusing a storage trie after the record's slots changed.
  catches(
    property((state) => {
      for (const record of state.accounts.values()) {
        if (record !== null && record.storageTrie === undefined && record.below !== null) {
          record.storageTrie = record.below.storageTrie;
        }
      }
      return stateRoot(state);
    }),
    300,
  );
});
