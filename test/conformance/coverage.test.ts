/**
 * The coverage map's generator (`docs/coverage.ts`): which declarations count as exported spec
 * functions, and how a manifest's `covers` lists become counts, handlers and the zero list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coveragePage, exportedFunctions, specFunctions } from "../../docs/coverage.ts";

test("exported functions: declarations and function-valued constants, each once", () => {
  const source = `
    export function a(x: number): number;
    export function a(x: string): string;
    export function a(x: unknown) { return x; }
    export const b = () => 1, notAFunction = 2;
    export const c = function () {};
    export async function d() {}
    export const e = 5;
    function hidden() {}
    const alsoHidden = () => 0;
    export { f } from "./f.ts";
    export type G = () => void;
    export class H {}
  `;
  assert.deepEqual(exportedFunctions("x.ts", source), ["a", "b", "c", "d"]);
});

test("the spec's functions are found where they are defined, never twice", () => {
  const functions = specFunctions();
  const keys = functions.map((f) => `${f.file}#${f.name}`);
  assert.equal(new Set(keys).size, keys.length);
  for (const key of ["spec/numeric/decimal.ts#decAdd", "spec/errors.ts#require"]) {
    assert.ok(keys.includes(key), key);
  }
  assert.ok(!keys.some((k) => k.startsWith("spec/errors.ts#SPEC_ERROR_CODES")));
});

test("the page counts published vectors per function and lists the uncovered ones", () => {
  const page = coveragePage(
    [
      { name: "f1", file: "spec/a.ts" },
      { name: "f2", file: "spec/a.ts" },
      { name: "g", file: "spec/b.ts" },
    ],
    {
      vectors: [
        { path: "general/r/h1/x.cbor", covers: ["f1"], canary: false },
        { path: "mainnet/r/h2/y.cbor", covers: ["f1", "typo"], canary: false },
        { path: "testnet/r/h2/w.cbor", covers: ["f1"], canary: false },
        { path: "canary/general/r/h1/z.cbor", covers: ["f2"], canary: true },
      ],
    },
  );
  assert.match(page, /\*\*1 of 3\*\* exported spec functions are covered/);
  assert.match(page, /\| `f1` +\| 3 +\| `r\/h1`, `r\/h2` \|/);
  assert.match(page, /\| `f2` +\| 0 +\| +\|/);
  assert.match(page, /\| `spec\/a\.ts` +\| `f2` +\|\n\| `spec\/b\.ts` +\| `g` +\|/);
  assert.match(page, /## Names in `covers` that no spec file exports\n\n`typo`\n/);
});
