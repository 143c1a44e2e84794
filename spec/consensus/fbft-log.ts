/**
 * The FBFT log: the messages and blocks a node has seen in the current rounds.
 *
 * Harmony keeps every consensus message it accepts in a log keyed by an *ID*:
 * `uint32_LE(type) ‖ uint64_LE(viewID) ‖ blockHash(32) ‖ sender(48)`, where the sender is the
 * single sender's key, or the sender bitmap (cut to 48 bytes) for a multi-key sender. A message
 * with the same ID replaces the earlier one. Each entry is *verified* (checked and accepted) or
 * not (a COMMITTED kept until its block arrives). Blocks are kept by hash, and a set records
 * which blocks passed the injected validity predicate.
 *
 * Queries restate Go's: by type and block number (verified only), by type, number and hash, by
 * type, number, view and hash, and the one used to spot a second ANNOUNCE in the same view,
 * which — through an operator-precedence slip in Go — skips only *verified* messages of another
 * view (so an unverified message of any view matches). Harmony prunes everything two blocks back
 * after each commit (`PruneCacheBeforeBlock`).
 *
 * @see github.com/harmony-one/harmony consensus/fbft_log.go
 * @module
 */
import { concatBytes, toHex, uint64LE } from "../encoding/bytes.ts";
import type { Block } from "./state.ts";

/** A message as the log keeps it (Go `FBFTMessage`, the fields consensus reads back). */
export interface LoggedMessage {
  /** The message type. */
  type: number;
  /** Its view ID. */
  viewId: bigint;
  /** Its block number. */
  blockNum: bigint;
  /** Its block hash (32 bytes). */
  blockHash: Uint8Array;
  /** The sender keys (one, or those of the bitmap). */
  senderKeys: Uint8Array[];
  /** The sender bitmap of a multi-key sender, else empty. */
  senderBitmap: Uint8Array;
  /** The payload. */
  payload: Uint8Array;
  /** Whether the message was checked and accepted. */
  verified: boolean;
}

/** The log. */
export interface FbftLog {
  /** Messages by ID (hex). */
  messages: Map<string, LoggedMessage>;
  /** Blocks by hash (hex). */
  blocks: Map<string, Block>;
  /** Hashes (hex) of blocks that passed the validity predicate. */
  verified: Set<string>;
}

/** An empty log. */
export const EMPTY_LOG: FbftLog = { messages: new Map(), blocks: new Map(), verified: new Set() };

/**
 * The ID of a logged message (Go `FBFTMessage.id`).
 *
 * @param m the message
 * @returns 92 bytes as hex
 */
export function logMessageId(m: LoggedMessage): string {
  const type = new Uint8Array(4);
  new DataView(type.buffer).setUint32(0, m.type >>> 0, true);
  const sender = new Uint8Array(48);
  sender.set((m.senderKeys.length === 1 ? m.senderKeys[0] : m.senderBitmap).subarray(0, 48));
  return toHex(concatBytes(type, uint64LE(m.viewId), m.blockHash, sender));
}

/**
 * Adds a message (Go `AddVerifiedMessage` / `AddNotVerifiedMessage`).
 *
 * @param log the log
 * @param m the message; its `verified` flag says which
 * @returns the new log
 */
export function logAddMessage(log: FbftLog, m: LoggedMessage): FbftLog {
  const messages = new Map(log.messages);
  messages.set(logMessageId(m), m);
  return { ...log, messages };
}

/**
 * Adds a block (Go `AddBlock`).
 *
 * @param log the log
 * @param block the block
 * @returns the new log
 */
export function logAddBlock(log: FbftLog, block: Block): FbftLog {
  const blocks = new Map(log.blocks);
  blocks.set(toHex(block.header.hash), block);
  return { ...log, blocks };
}

/**
 * Marks a block as verified (Go `MarkBlockVerified`).
 *
 * @param log the log
 * @param hash the block's hash
 * @returns the new log
 */
export function logMarkVerified(log: FbftLog, hash: Uint8Array): FbftLog {
  const verified = new Set(log.verified);
  verified.add(toHex(hash));
  return { ...log, verified };
}

/**
 * A block by hash.
 *
 * @param log the log
 * @param hash the hash
 * @returns the block, or undefined
 */
export function logBlock(log: FbftLog, hash: Uint8Array): Block | undefined {
  return log.blocks.get(toHex(hash));
}

/**
 * Whether a block passed the validity predicate.
 *
 * @param log the log
 * @param hash the hash
 * @returns whether it is marked verified
 */
export function logIsVerified(log: FbftLog, hash: Uint8Array): boolean {
  return log.verified.has(toHex(hash));
}

/** A filter on logged messages; unset fields match anything. */
export interface LogQuery {
  /** The message type. */
  type: number;
  /** The block number. */
  blockNum: bigint;
  /** The view ID. */
  viewId?: bigint;
  /** The block hash. */
  blockHash?: Uint8Array;
  /** Whether the message must be verified (Go's queries ask for verified ones). */
  verified?: boolean;
}

/**
 * The messages matching a query (Go `GetMessagesByTypeSeq`, `...SeqHash`, `...SeqViewHash`).
 *
 * @param log the log
 * @param q the query
 * @returns the matching messages, in insertion order
 */
export function logMessages(log: FbftLog, q: LogQuery): LoggedMessage[] {
  const hash = q.blockHash === undefined ? undefined : toHex(q.blockHash);
  const out: LoggedMessage[] = [];
  for (const m of log.messages.values()) {
    if (m.type !== q.type || m.blockNum !== q.blockNum) continue;
    if (q.viewId !== undefined && m.viewId !== q.viewId) continue;
    if (hash !== undefined && toHex(m.blockHash) !== hash) continue;
    if (q.verified !== undefined && m.verified !== q.verified) continue;
    out.push(m);
  }
  return out;
}

/**
 * Go's `GetMessagesByTypeSeqView`, with its precedence slip: a message of another view is
 * skipped only when it is verified.
 *
 * @param log the log
 * @param type the message type
 * @param blockNum the block number
 * @param viewId the view ID
 * @returns the matching messages
 */
export function logMessagesByTypeSeqView(
  log: FbftLog,
  type: number,
  blockNum: bigint,
  viewId: bigint,
): LoggedMessage[] {
  const out: LoggedMessage[] = [];
  for (const m of log.messages.values()) {
    if (m.type !== type || m.blockNum !== blockNum || (m.viewId !== viewId && m.verified)) continue;
    out.push(m);
  }
  return out;
}

/**
 * The message with the highest view ID (Go `FindMessageByMaxViewID`: the last one among equals).
 *
 * @param msgs messages
 * @returns the one with the largest view ID, or undefined for none
 */
export function maxViewMessage(msgs: LoggedMessage[]): LoggedMessage | undefined {
  let best: LoggedMessage | undefined;
  for (const m of msgs) if (best === undefined || m.viewId >= best.viewId) best = m;
  return best;
}

/**
 * Drops blocks and messages more than one block behind `blockNum` (Go `PruneCacheBeforeBlock`).
 *
 * @param log the log
 * @param blockNum the new block number
 * @returns the pruned log
 */
export function logPrune(log: FbftLog, blockNum: bigint): FbftLog {
  const keepFrom = blockNum - 1n;
  const messages = new Map([...log.messages].filter(([, m]) => m.blockNum >= keepFrom));
  const blocks = new Map<string, Block>();
  const verified = new Set(log.verified);
  for (const [h, b] of log.blocks) {
    if (b.header.number >= keepFrom) blocks.set(h, b);
    else verified.delete(h); // Go forgets the verified mark with the block
  }
  return { messages, blocks, verified };
}
