/**
 * Fault drills on the live node: stopping a shard's leader makes the committee change view and
 * the chain goes on; the stopped validator, restarted, catches up. A corrupted data directory is
 * refused with a clear message.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { rpcCall, startNode, stopNode, until } from "./live.ts";

const SLOW = { timeout: 180_000 };
const PORT = 21500 + (process.pid % 200) * 2;

interface ValidatorStatus {
  index: number;
  running: boolean;
  head: number;
  viewId: number;
  leader: boolean;
}

const rpc = (method: string, params: unknown[] = []) => rpcCall(PORT, method, params);
const height = async () => Number(BigInt((await rpc("eth_blockNumber")) as string));
const validators = async () => (await rpc("admin_validators")) as ValidatorStatus[];

test(
  "the leader stops: a view change, the chain goes on; restarted, it catches up",
  SLOW,
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "harmony-spec-faults-"));
    const node = startNode(dataDir, PORT);
    try {
      await until("the first blocks", 60_000, async () => (await height()) >= 2);
      const leader = await until(
        "a leader",
        30_000,
        async () => (await validators()).find((v) => v.running && v.leader) ?? null,
      );
      await rpc("admin_stopValidator", [leader.index]);
      const stoppedAt = await height();
      await until(
        "blocks without the old leader",
        90_000,
        async () => (await height()) >= stoppedAt + 3,
      );
      const others = (await validators()).filter((v) => v.index !== leader.index);
      assert.ok(
        others.every((v) => v.viewId > stoppedAt + 1),
        "the others moved to a later view",
      );
      assert.ok(others.some((v) => v.leader), "another validator leads");
      await rpc("admin_startValidator", [leader.index]);
      const target = await height();
      await until("the restarted validator to catch up", 60_000, async () => {
        const back = (await validators()).find((v) => v.index === leader.index)!;
        return back.running && back.head >= target;
      });
      await assert.rejects(rpc("admin_stopValidator", [99]), /invalid params/);
    } finally {
      await stopNode(node);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test("a damaged data directory is refused with a message, not used", SLOW, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "harmony-spec-damaged-"));
  try {
    const first = startNode(dataDir, PORT);
    await until("the first blocks", 60_000, async () => (await height()) >= 2);
    await stopNode(first);
    const file = join(dataDir, "shard-0.sqlite");
    const bytes = new Uint8Array(readFileSync(file));
    bytes.fill(0x5a, 100, 4096); // the header page
    writeFileSync(file, bytes);
    const second = startNode(dataDir, PORT, false);
    let output = "";
    second.stderr!.on("data", (d) => output += d);
    second.stdout!.on("data", (d) => output += d);
    const code = await new Promise((resolve) => second.on("exit", resolve));
    assert.equal(code, 1);
    assert.match(output, /cannot start: the data store .* is damaged/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
