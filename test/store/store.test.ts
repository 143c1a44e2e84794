/**
 * The store keeps what it committed across restarts and crashes, and refuses damaged files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";
import { bytesEqual, toHex, uint64LE } from "../../spec/encoding/bytes.ts";
import { openStore, StoreCorruptError } from "../../src/store/store.ts";
import { fakeBlock } from "./fake-blocks.ts";

function tempStore(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "store-"));
  return { dir, path: join(dir, "chain.sqlite") };
}

function commitChain(path: string, count: number): void {
  const store = openStore(path);
  let parent: Uint8Array = new Uint8Array(32);
  for (let n = 0n; n < BigInt(count); n++) {
    const block = fakeBlock(n, parent);
    store.commitBlock(block);
    parent = block.hash;
  }
  store.close();
}

test("blocks, transactions and state survive a restart", () => {
  const { dir, path } = tempStore();
  try {
    commitChain(path, 10);
    const store = openStore(path);
    assert.equal(store.head(), 9n);
    const b5 = store.blockByNumber(5n)!;
    assert.ok(bytesEqual(b5.block, fakeBlock(5n, store.blockByNumber(4n)!.hash).block));
    assert.equal(store.numberByHash(b5.hash), 5n);
    assert.deepEqual(store.txLocation(b5.txHashes[1]), { number: 5n, index: 1 });
    const state = new Map(store.stateEntries().map(([k, v]) => [toHex(k), v]));
    assert.ok(bytesEqual(state.get(toHex(new TextEncoder().encode("head")))!, uint64LE(9n)));
    assert.throws(() => store.commitBlock(fakeBlock(11n, b5.hash)), /does not extend the head/);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a block whose bytes were altered is detected by its checksum", () => {
  const { dir, path } = tempStore();
  try {
    commitChain(path, 5);
    const raw = new DatabaseSync(path);
    raw.prepare("UPDATE blocks SET block = ? WHERE number = 3").run(new Uint8Array([1, 2, 3]));
    raw.close();
    assert.throws(
      () => openStore(path),
      (e) => e instanceof StoreCorruptError && /block 3 fails its checksum/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a broken parent link and a foreign file are refused", () => {
  const { dir, path } = tempStore();
  try {
    commitChain(path, 5);
    const raw = new DatabaseSync(path);
    raw.prepare("DELETE FROM blocks WHERE number = 2").run();
    raw.close();
    assert.throws(
      () => openStore(path),
      (e) => e instanceof StoreCorruptError && /block 2 is missing/.test(e.message),
    );
    const junk = join(dir, "junk.sqlite");
    writeFileSync(junk, new Uint8Array(8192).fill(0x5a));
    assert.throws(() => openStore(junk), StoreCorruptError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("damage inside the SQLite file is detected, not served", () => {
  const { dir, path } = tempStore();
  try {
    commitChain(path, 200);
    const db = new DatabaseSync(path);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.close();
    const bytes = new Uint8Array(readFileSync(path));
    // Scribble over a page in the middle of the file, past the header page.
    const at = Math.floor(statSync(path).size / 2);
    bytes.fill(0xa5, at, at + 2048);
    writeFileSync(path, bytes);
    assert.throws(() => {
      const store = openStore(path);
      for (let n = 0n; n <= store.head()!; n++) store.blockByNumber(n);
    }, StoreCorruptError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("kill -9 while committing loses no committed block and leaves a consistent chain", async () => {
  const { dir, path } = tempStore();
  try {
    for (let round = 0; round < 3; round++) {
      const child = process.versions.bun
        ? spawn(process.execPath, [join(import.meta.dirname!, "writer.ts"), path])
        : spawn(process.execPath, ["run", "-A", join(import.meta.dirname!, "writer.ts"), path]);
      let printed = "";
      await new Promise<void>((resolve) => {
        child.stdout.on("data", (chunk) => {
          printed += chunk;
          if (printed.split("\n").length > 40 + round * 17) {
            child.kill("SIGKILL");
            resolve();
          }
        });
      });
      await new Promise((resolve) => child.on("exit", resolve));
      const acknowledged = BigInt(printed.trim().split("\n").at(-1)!);
      const store = openStore(path);
      const head = store.head()!;
      assert.ok(head >= acknowledged, `head ${head} lost block ${acknowledged}`);
      for (let n = 1n; n <= head; n++) {
        assert.ok(
          bytesEqual(store.blockByNumber(n)!.parentHash, store.blockByNumber(n - 1n)!.hash),
        );
      }
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
