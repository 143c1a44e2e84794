/**
 * The chain as the consensus state machine sees it: the `ChainAdapter` and `ChainView` of
 * `consensus/state.ts`, built from a shard's chain state.
 *
 * - {@link decodeConsensusBlock}: a block's RLP decoded (`decodeBlock`) into the header record
 *   consensus reads.
 * - {@link chainView}: the head as a consensus header, its commit certificate, the last four
 *   headers and the leader-rotation counter.
 * - `epochContext(epoch)`: the committee of the chain's shard in an epoch, with its quorum policy
 *   (`committeeContext` of `sharding/transition.ts`), from the chain's shard states or the
 *   lookups.
 *
 * **Verifying a block for consensus.** The state machine calls `ChainAdapter.verifyBlock`
 * synchronously, when an ANNOUNCE (a validator) or a PREPARED or a NEWVIEW brings a block; but
 * processing a block is asynchronous (the EVM). So a node verifies first and hands the message to
 * consensus afterwards:
 * 1. when a message carrying a block arrives, the node calls {@link verifyForConsensus} (which
 *    runs `processBlock` on the node's chain state, without the block's own certificate, which
 *    does not exist yet) and keeps the result by block hash;
 * 2. it then gives the message to the state machine, whose `verifyBlock` ({@link chainAdapter})
 *    answers from those results: valid iff the node processed that block and found it valid;
 * 3. when consensus commits the block, the node takes the processed state and attaches the
 *    commit certificate ({@link withCommitSig}), without processing the block again.
 * A block the node has not verified is refused, as Go refuses a block it could not process.
 *
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go (`verifyBlock`,
 *   `commitBlock`), node/harmony/node.go (`VerifyNewBlock`), core/blockchain_impl.go
 *   (`ReadShardState`)
 * @module
 */
import type { Block as ConsensusBlock, ChainAdapter, ChainView } from "../consensus/state.ts";
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../errors.ts";
import { type Block, decodeBlock } from "./body.ts";
import { committeeLookupOf, consensusHeader, type ShardLookups } from "./context.ts";
import { headerHash } from "./header.ts";
import { processBlock, type ProcessedBlock } from "./process.ts";
import type { ChainState } from "./state.ts";

/** How many recent headers consensus reads (leader rotation looks at the last four). */
export const CONSENSUS_RECENT_HEADERS = 4;

/** A block found valid for consensus. */
export interface ValidVerdict {
  /** Valid. */
  valid: true;
  /** The block's hash. */
  hash: Uint8Array;
  /** The processed block: the chain state after it, its receipts and events. */
  processed: ProcessedBlock;
}

/** A block refused for consensus. */
export interface InvalidVerdict {
  /** Refused. */
  valid: false;
  /** The block's hash, or null when the bytes are not a block. */
  hash: Uint8Array | null;
  /** The code of the rejection. */
  error: SpecErrorCode;
}

/** The outcome of verifying a block for consensus. */
export type ConsensusVerdict = ValidVerdict | InvalidVerdict;

/**
 * Decodes a block for consensus.
 *
 * @param bytes the block's RLP
 * @returns the bytes and the consensus header
 * @throws {SpecError} the codes of `decodeBlock` and of the header hash
 */
export function decodeConsensusBlock(bytes: Uint8Array): ConsensusBlock {
  return consensusBlock(bytes, decodeBlock(bytes));
}

/**
 * {@link decodeConsensusBlock} for a block already decoded from `bytes` (or encoded to them).
 *
 * @param bytes the block's RLP
 * @param block the block those bytes encode
 * @returns the bytes and the consensus header
 * @throws {SpecError} the codes of the header hash
 */
export function consensusBlock(bytes: Uint8Array, block: Block): ConsensusBlock {
  return { bytes, header: consensusHeader(block.header) };
}

/**
 * The chain view consensus keeps of a chain state.
 *
 * @param state the chain state
 * @returns the head, its certificate, the last four headers (newest first) and the rotation
 *   counter
 */
export function chainView(state: ChainState): ChainView {
  const recent = state.recent.slice(0, CONSENSUS_RECENT_HEADERS).map((h, i) =>
    consensusHeader(h, i === 0 ? state.headHash : undefined)
  );
  return {
    head: recent[0],
    headCommitSig: state.headCommitSig,
    recent,
    rotation: state.rotation,
  };
}

/**
 * The chain adapter of a chain state (see the module notes).
 *
 * @param state the node's chain state
 * @param lookups what the chain learns of other shards
 * @param verdict the node's verdict on a block, by its hash: true when it processed the block and
 *   found it valid, false or undefined otherwise
 * @returns the adapter
 */
export function chainAdapter(
  state: ChainState,
  lookups: ShardLookups,
  verdict: (blockHash: Uint8Array) => boolean | undefined,
): ChainAdapter {
  const lookup = committeeLookupOf(state, lookups);
  return {
    decodeBlock: decodeConsensusBlock,
    verifyBlock: (block, chain) =>
      bytesEqual(block.header.parentHash, chain.head.hash) && verdict(block.header.hash) === true,
    epochContext: (epoch) => lookup(state.shardId, epoch),
  };
}

/**
 * Verifies a block for consensus (step 1 of the module notes): decodes and processes it on the
 * node's chain state.
 *
 * @param state the node's chain state
 * @param lookups what the chain learns of other shards
 * @param bytes the block's RLP
 * @returns the verdict, with the processed block when valid and the rejection's code otherwise
 */
export async function verifyForConsensus(
  state: ChainState,
  lookups: ShardLookups,
  bytes: Uint8Array,
): Promise<ConsensusVerdict> {
  let hash: Uint8Array | null = null;
  try {
    const block = decodeBlock(bytes);
    hash = headerHash(block.header);
    const processed = await processBlock(state, block, lookups);
    return { valid: true, hash, processed };
  } catch (e) {
    if (isSpecError(e)) return { valid: false, hash, error: e.code };
    throw e;
  }
}

/**
 * The chain state with its head's commit certificate attached (step 3 of the module notes), once
 * consensus has committed the head.
 *
 * @param state the chain state after the block
 * @param commitSig the block's commit certificate (`signature ‖ bitmap`)
 * @returns the same state with the certificate
 */
export function withCommitSig(state: ChainState, commitSig: Uint8Array): ChainState {
  return { ...state, headCommitSig: commitSig };
}

/**
 * The key a node files verdicts under: the block hash in hex.
 *
 * @param blockHash the block's hash
 * @returns its hex form
 */
export function verdictKey(blockHash: Uint8Array): string {
  return toHex(blockHash);
}
