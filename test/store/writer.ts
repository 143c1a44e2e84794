/**
 * A child process for the crash test: commits blocks to the store at argv[2] as fast as it can,
 * printing each committed number, until it is killed.
 */
import process from "node:process";
import { openStore } from "../../src/store/store.ts";
import { fakeBlock } from "./fake-blocks.ts";

const store = openStore(process.argv[2]);
let n = store.head() === null ? 0n : store.head()! + 1n;
let parent = n === 0n ? new Uint8Array(32) : store.blockByNumber(n - 1n)!.hash;
for (;;) {
  const block = fakeBlock(n, parent);
  store.commitBlock(block);
  process.stdout.write(`${n}\n`);
  parent = block.hash;
  n++;
}
