/**
 * The node's persistent store: committed blocks, their receipts, a transaction index and the
 * world state, in one SQLite file (`node:sqlite`, built into Deno and Bun).
 *
 * Durability: each block is committed in one SQLite transaction with the WAL journal and
 * `synchronous=FULL`, so once `commitBlock` returns the block survives a crash or `kill -9`, and a
 * crash in the middle leaves the previous head intact: the store never holds half a block.
 *
 * Integrity: every block row carries a SHA-256 checksum of its contents and the hash of its
 * parent. Opening the store runs SQLite's own `quick_check`, checks the schema version, and
 * verifies the checksums and the parent links of the most recent blocks; reading a block verifies
 * its checksum again. Any mismatch raises {@link StoreCorruptError} with a message that names the
 * file and the problem, instead of serving damaged data.
 *
 * The store knows nothing of the protocol: blocks, receipts and state entries are opaque bytes
 * that the node encodes with the spec's functions.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual, concatBytes, toHex, uint64LE } from "../../spec/encoding/bytes.ts";

/** Bumped whenever the tables change; a store of another version is refused. */
export const SCHEMA_VERSION = 1;

/** How many of the latest blocks are verified when the store opens. */
const VERIFY_ON_OPEN = 64;

/** The store is damaged or is not a store of this program. */
export class StoreCorruptError extends Error {
  constructor(path: string, problem: string) {
    super(`the data store ${path} is damaged or not a harmony-spec store: ${problem}`);
    this.name = "StoreCorruptError";
  }
}

/** One committed block as stored. */
export interface StoredBlock {
  number: bigint;
  hash: Uint8Array;
  parentHash: Uint8Array;
  /** The encoded block. */
  block: Uint8Array;
  /** Its commit certificate (`signature ‖ bitmap`), which the next block's header repeats. */
  commitSig: Uint8Array;
  /** The encoded receipts of its transactions. */
  receipts: Uint8Array;
  /** The hashes of its transactions, in order. */
  txHashes: Uint8Array[];
}

/** A block to commit with the state changes it makes (`null` deletes a key). */
export interface BlockCommit extends StoredBlock {
  stateWrites: [key: Uint8Array, value: Uint8Array | null][];
}

/** Where a transaction was included. */
export interface TxLocation {
  number: bigint;
  index: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
  number INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, parent_hash BLOB NOT NULL,
  block BLOB NOT NULL, commit_sig BLOB NOT NULL, receipts BLOB NOT NULL, checksum BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS txs (hash BLOB PRIMARY KEY, number INTEGER NOT NULL, idx INTEGER NOT NULL)
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
`;

function checksum(b: StoredBlock): Uint8Array {
  return sha256(
    concatBytes(uint64LE(b.number), b.hash, b.parentHash, sha256(b.block), sha256(b.receipts)),
  );
}

/** A handle on an open store. */
export interface Store {
  /** The file it lives in. */
  path: string;
  /** The latest committed block number, or `null` when empty. */
  head(): bigint | null;
  /** A block by number (checksum verified), or `null`. */
  blockByNumber(number: bigint): StoredBlock | null;
  /** A block number by block hash, or `null`. */
  numberByHash(hash: Uint8Array): bigint | null;
  /** Where a transaction was included, or `null`. */
  txLocation(hash: Uint8Array): TxLocation | null;
  /** Every state entry, for loading the state at start. */
  stateEntries(): [Uint8Array, Uint8Array][];
  /** Commits a block atomically; it must extend the head. */
  commitBlock(commit: BlockCommit): void;
  /** A metadata value, or `null`. */
  getMeta(key: string): Uint8Array | null;
  /** Sets a metadata value (outside of block commits: identity of the chain). */
  setMeta(key: string, value: Uint8Array): void;
  close(): void;
}

/**
 * Opens (creating if needed) the store at `path` and verifies it.
 *
 * @throws {StoreCorruptError} when the file is damaged or of another kind
 */
export function openStore(path: string): Store {
  mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    const check = db.prepare("PRAGMA quick_check").get() as { quick_check: string };
    if (check.quick_check !== "ok") {
      throw new StoreCorruptError(path, `SQLite check: ${check.quick_check}`);
    }
    db.exec(SCHEMA);
  } catch (e) {
    if (e instanceof StoreCorruptError) throw e;
    throw new StoreCorruptError(path, e instanceof Error ? e.message : String(e));
  }
  const store = storeOn(db, path);
  verifySchema(store);
  verifyRecentBlocks(store);
  return store;
}

function verifySchema(store: Store): void {
  const version = store.getMeta("schema_version");
  if (version === null) {
    if (store.head() !== null) {
      throw new StoreCorruptError(store.path, "blocks without a schema version");
    }
    store.setMeta("schema_version", uint64LE(BigInt(SCHEMA_VERSION)));
  } else if (!bytesEqual(version, uint64LE(BigInt(SCHEMA_VERSION)))) {
    throw new StoreCorruptError(
      store.path,
      `schema version ${toHex(version)}, expected ${SCHEMA_VERSION}`,
    );
  }
}

function verifyRecentBlocks(store: Store): void {
  const head = store.head();
  if (head === null) return;
  let child: StoredBlock | null = null;
  for (let n = head; n >= 0n && n > head - BigInt(VERIFY_ON_OPEN); n--) {
    const block = store.blockByNumber(n);
    if (block === null) {
      throw new StoreCorruptError(store.path, `block ${n} is missing below the head ${head}`);
    }
    if (child !== null && !bytesEqual(child.parentHash, block.hash)) {
      throw new StoreCorruptError(store.path, `block ${n + 1n} does not link to block ${n}`);
    }
    child = block;
  }
}

function storeOn(db: DatabaseSync, path: string): Store {
  const q = {
    head: db.prepare("SELECT max(number) AS n FROM blocks"),
    block: db.prepare("SELECT * FROM blocks WHERE number = ?"),
    byHash: db.prepare("SELECT number FROM blocks WHERE hash = ?"),
    txsOf: db.prepare("SELECT hash FROM txs WHERE number = ? ORDER BY idx"),
    tx: db.prepare("SELECT number, idx FROM txs WHERE hash = ?"),
    state: db.prepare("SELECT key, value FROM state"),
    insertBlock: db.prepare("INSERT INTO blocks VALUES (?, ?, ?, ?, ?, ?, ?)"),
    insertTx: db.prepare("INSERT OR REPLACE INTO txs VALUES (?, ?, ?)"),
    putState: db.prepare("INSERT OR REPLACE INTO state VALUES (?, ?)"),
    deleteState: db.prepare("DELETE FROM state WHERE key = ?"),
    getMeta: db.prepare("SELECT value FROM meta WHERE key = ?"),
    setMeta: db.prepare("INSERT OR REPLACE INTO meta VALUES (?, ?)"),
  };
  const head = (): bigint | null => {
    const row = q.head.get() as { n: number | bigint | null };
    return row.n === null ? null : BigInt(row.n);
  };
  return {
    path,
    head,
    blockByNumber(number) {
      const row = q.block.get(number) as Record<string, Uint8Array> | undefined;
      if (row === undefined) return null;
      const txHashes = (q.txsOf.all(number) as { hash: Uint8Array }[]).map((r) =>
        new Uint8Array(r.hash)
      );
      const block: StoredBlock = {
        number,
        hash: new Uint8Array(row.hash),
        parentHash: new Uint8Array(row.parent_hash),
        block: new Uint8Array(row.block),
        commitSig: new Uint8Array(row.commit_sig),
        receipts: new Uint8Array(row.receipts),
        txHashes,
      };
      if (!bytesEqual(checksum(block), new Uint8Array(row.checksum))) {
        throw new StoreCorruptError(path, `block ${number} fails its checksum`);
      }
      return block;
    },
    numberByHash(hash) {
      const row = q.byHash.get(hash) as { number: number | bigint } | undefined;
      return row === undefined ? null : BigInt(row.number);
    },
    txLocation(hash) {
      const row = q.tx.get(hash) as { number: number | bigint; idx: number } | undefined;
      return row === undefined ? null : { number: BigInt(row.number), index: Number(row.idx) };
    },
    stateEntries() {
      return (q.state.all() as { key: Uint8Array; value: Uint8Array }[]).map((
        r,
      ) => [new Uint8Array(r.key), new Uint8Array(r.value)]);
    },
    commitBlock(c) {
      const current = head();
      const expected = current === null ? 0n : current + 1n;
      if (c.number !== expected) {
        throw new Error(`block ${c.number} does not extend the head (expected ${expected})`);
      }
      db.exec("BEGIN IMMEDIATE");
      try {
        q.insertBlock.run(
          c.number,
          c.hash,
          c.parentHash,
          c.block,
          c.commitSig,
          c.receipts,
          checksum(c),
        );
        c.txHashes.forEach((h, i) => q.insertTx.run(h, c.number, i));
        for (const [key, value] of c.stateWrites) {
          if (value === null) q.deleteState.run(key);
          else q.putState.run(key, value);
        }
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    },
    getMeta(key) {
      const row = q.getMeta.get(key) as { value: Uint8Array } | undefined;
      return row === undefined ? null : new Uint8Array(row.value);
    },
    setMeta(key, value) {
      q.setMeta.run(key, value);
    },
    close() {
      db.close();
    },
  };
}
