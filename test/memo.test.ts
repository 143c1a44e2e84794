/** `keptFor`: a value is computed once per record and kept for it alone. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { keptFor } from "../spec/memo.ts";

test("keptFor computes a record's value once, and each record's apart", () => {
  const memo = new WeakMap<{ n: number }, number[]>();
  let computed = 0;
  const square = (r: { n: number }) => {
    computed++;
    return [r.n * r.n];
  };
  const a = { n: 3 };
  const first = keptFor(memo, a, square);
  assert.equal(keptFor(memo, a, square), first);
  assert.equal(computed, 1);
  // An equal copy is another record, with its own value.
  assert.deepEqual(keptFor(memo, { ...a }, square), [9]);
  assert.equal(computed, 2);
});
