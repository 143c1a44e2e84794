/** The node's command line: defaults, values, and clear errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseNodeArgs } from "../../src/node/cli.ts";

test("defaults: two shards, four keys each, Harmony's port on loopback", () => {
  const o = parseNodeArgs([]);
  assert.equal(o.shards, 2);
  assert.equal(o.keys, 4);
  assert.equal(o.host, "127.0.0.1");
  assert.equal(o.port, 9500);
  assert.equal(o.dataDir, ".data/localnet");
  assert.deepEqual(o.stopped, []);
});

test("flags set the values", () => {
  const o = parseNodeArgs([
    "--shards",
    "3",
    "--keys=7",
    "--port",
    "8600",
    "--stop",
    "1:2",
    "--reset",
  ]);
  assert.deepEqual([o.shards, o.keys, o.port, o.stopped, o.reset], [3, 7, 8600, ["1:2"], true]);
});

test("bad input is refused with a message naming the flag", () => {
  assert.throws(() => parseNodeArgs(["--shards", "0"]), /--shards/);
  assert.throws(() => parseNodeArgs(["--keys", "x"]), /--keys/);
  assert.throws(() => parseNodeArgs(["--stop", "5:0"]), /--stop/);
  assert.throws(() => parseNodeArgs(["--bogus"]));
});
