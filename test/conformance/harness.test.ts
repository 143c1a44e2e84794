/**
 * The case harness, the vector store and the runner, exercised on a toy handler (hex decoding)
 * in a temporary directory: vectors round-trip, tampering is detected, canaries fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromHex } from "../../spec/encoding/bytes.ts";
import { type Data, decodeCanonical, encodeCanonical } from "../../conformance/cbor.ts";
import { type Handler, runCase, suite } from "../../conformance/harness.ts";
import { diffTree, generateTree, listVectorFiles, writeTree } from "../../conformance/store.ts";
import { replayAll, summarize } from "../../conformance/replay.ts";

const hexHandler: Handler = {
  runner: "toy",
  handler: "hex",
  preset: "general",
  config: {},
  covers: ["fromHex"],
  run: (inputs) => ({ bytes: fromHex(String(inputs.text)) }),
};

const toySuite = suite(hexHandler, [
  {
    name: "two_bytes",
    description: "0x-prefixed",
    inputs: { text: "0xabcd" },
    expect: { bytes: fromHex("abcd") },
  },
  {
    name: "odd",
    description: "odd length",
    inputs: { text: "abc" },
    expect: { error: "encoding/invalid-hex" },
  },
  {
    name: "wrong",
    description: "canary",
    inputs: { text: "00" },
    expect: { bytes: fromHex("01") },
    canary: true,
  },
]);

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vectors-"));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a case passes when the outcome equals its expectation, fails otherwise", async () => {
  assert.deepEqual((await runCase(hexHandler, toySuite.cases[0])).failures, []);
  assert.deepEqual((await runCase(hexHandler, toySuite.cases[1])).failures, []);
  assert.equal((await runCase(hexHandler, toySuite.cases[2])).failures.length, 1);
});

test("suites refuse cases without expectations and duplicate names", () => {
  assert.throws(() => suite(hexHandler, [{ name: "x", description: "", inputs: {} }]));
  const c = {
    name: "x",
    description: "",
    inputs: { text: "" },
    expect: { bytes: new Uint8Array() },
  };
  assert.throws(() => suite(hexHandler, [c, c]));
  assert.throws(() => suite(hexHandler, [{ ...c, name: "Bad-Name" }]));
});

test("written vectors replay, and the canary is reported as failed", async () => {
  await withTempDir(async (dir) => {
    const tree = await generateTree([toySuite]);
    writeTree(tree, dir);
    assert.deepEqual(listVectorFiles(dir), [
      "canary/general/toy/hex/wrong.cbor",
      "general/toy/hex/odd.cbor",
      "general/toy/hex/two_bytes.cbor",
    ]);
    assert.deepEqual(diffTree(tree, dir), []);
    const published = await replayAll(dir, [toySuite], "published");
    assert.deepEqual(published.map((r) => r.status), ["passed", "passed"]);
    assert.deepEqual([...summarize(published)], [
      ["toy", { passed: 2, failed: 0, unsupported: 0, unreadable: 0 }],
    ]);
    const canaries = await replayAll(dir, [toySuite], "canary");
    assert.deepEqual(canaries.map((r) => r.status), ["failed"]);
    assert.equal(canaries[0].diverges, "outputs.bytes");
  });
});

test("a tampered vector fails replay and the check", async () => {
  await withTempDir(async (dir) => {
    const tree = await generateTree([toySuite]);
    writeTree(tree, dir);
    const path = "general/toy/hex/two_bytes.cbor";
    const vector = decodeCanonical(tree.files.get(path)!) as { [k: string]: Data };
    vector.expect = { result: "valid", outputs: { bytes: fromHex("abce") } };
    const bytes = encodeCanonical(vector);
    writeFileSync(join(dir, path), bytes);
    assert.deepEqual(diffTree(tree, dir), [`differs ${path}`]);
    const result = (await replayAll(dir, [toySuite], "published")).find((r) => r.path === path)!;
    assert.equal(result.status, "failed");
    assert.equal(result.diverges, "outputs.bytes");
    assert.match(result.detail!, /expected bytes 0xabce, got bytes 0xabcd/);
  });
});

test("a stale vector and a missing one are both reported", async () => {
  await withTempDir(async (dir) => {
    const tree = await generateTree([toySuite]);
    writeTree(tree, dir);
    rmSync(join(dir, "general/toy/hex/odd.cbor"));
    writeFileSync(join(dir, "general/toy/hex/extra.cbor"), new Uint8Array([0xa0]));
    assert.deepEqual(diffTree(tree, dir).sort(), [
      "missing general/toy/hex/odd.cbor",
      "stale general/toy/hex/extra.cbor",
    ]);
  });
});
