/**
 * The records of one validator's consensus: configuration, state, events, effects and outcomes.
 *
 * A validator node runs Harmony's FBFT as a pure function `step(state, event) → {state, effects,
 * outcome}` (see `fbft.ts`). This module defines what flows through it.
 *
 * - **Configuration** ({@link FbftConfig}): the network, the shard, the node's BLS keys (a node
 *   may hold several keys of the committee), whether it aggregates them into one vote (Go
 *   `AggregateSig`), and the *chain adapter*: the pure functions the chain layer provides to
 *   decode a block's header, to decide whether a block is valid (the injected validity
 *   predicate), and to give the committee of an epoch.
 * - **State** ({@link FbftState}): Go's `consensus.current` (mode, phase, block number, view IDs,
 *   leader key, candidate block), the FBFT log, the leader's ballot boxes and bitmaps, the
 *   view-change collections, and a small view of the chain (head header, its commit signature,
 *   the last four headers and the leader-rotation counter).
 * - **Events** ({@link FbftEvent}): start, "my proposal is ready", "message received",
 *   "timeout", and "chain synced". Every event carries the time `now` (unix milliseconds) as
 *   data: the state machine never reads a clock.
 * - **Effects** ({@link FbftEffect}): send a message, a block is committed, a better commit
 *   signature is known, a view change starts, a new view starts, double-sign evidence, start or
 *   stop a timer, ask for a block proposal, ask for state sync.
 * - **Outcome** ({@link Outcome}) of handling a message: accepted, ignored with a reason, or
 *   rejected with a reason. Ignored means the message is not for this node now (wrong mode, wrong
 *   height or view, a duplicate); rejected means it is malformed or its cryptography or quorum
 *   fails. A handled message may have changed the state even when it ends ignored or rejected
 *   (Harmony logs some messages before it checks them); the effects say what happened.
 *
 * Timer durations are data ({@link TIMEOUTS}), taken from Go's `consensus/config.go`.
 *
 * Not modelled: the Syncing and Listening modes (a node outside the committee, or catching up by
 * state sync, is outside consensus; the `synced` event puts a node back in), backup nodes,
 * message retries (transport behaviour: Go re-sends some messages every 7 s), the
 * `LAST_SIGN_POWER` metrics message (accepted and ignored), and the bootstrap mode that adopts
 * the first leader it hears (`IgnoreViewIDCheck`, off by default in Go).
 *
 * @see github.com/harmony-one/harmony consensus/consensus.go, consensus/state.go,
 *   consensus/enums.go, consensus/config.go
 * @module
 */
import type { BlsCommittee, SigAndBitmap } from "../crypto/bls-mask.ts";
import type { SpecErrorCode } from "../errors.ts";
import type { NetworkConfig } from "../params/config.ts";
import type { BallotBox } from "./ballots.ts";
import type { FbftLog } from "./fbft-log.ts";
import type { Signer } from "./messages.ts";
import type { QuorumPolicy } from "./quorum.ts";
import type { SlashRecord } from "../staking/slashing.ts";
import type { ViewChangeState } from "./view-change-state.ts";

/** Timer durations and limits, restated from Go's `consensus/config.go` and checks. */
export const TIMEOUTS = {
  /** Consensus (phase) timeout: no block within this time starts a view change (27 s). */
  phaseMs: 27_000n,
  /** View-change timeout when the view ID comes from the clock (27 s). */
  viewChangeMs: 27_000n,
  /** Length of a view-change slot: nodes whose clocks fall in one slot pick one view ID (45 s). */
  viewChangeSlotSeconds: 45n,
  /** Bootstrap timeout, started once at start-up (120 s). */
  bootstrapMs: 120_000n,
  /** Shortest grace period between the commit quorum and the final COMMITTED (1 s). */
  minCommitGraceMs: 1_000n,
  /** The grace period ends this long before the next block is due (200 ms). */
  commitGraceMarginMs: 200n,
} as const;

/** A message's block number may run at most this far ahead of the node's (Go `MaxBlockNumDiff`). */
export const MAX_BLOCK_NUM_DIFF = 100n;
/** A VIEWCHANGE's view ID may run at most this far ahead (Go `MaxViewIDDiff`). */
export const MAX_VIEW_ID_DIFF = 249n;
/** A message whose view ID is more than this far behind the node's is stale. */
export const STALE_VIEW_MARGIN = 5n;

/** Go's `Mode`: Normal, or ViewChanging. */
export type Mode = "normal" | "viewChanging";
/** Go's `FBFTPhase`. */
export type Phase = "announce" | "prepare" | "commit";
/** The node's timers. `commitGrace` is the leader's wait before the final COMMITTED. */
export type TimerKind = "consensus" | "viewChange" | "bootstrap" | "commitGrace";

/** What consensus reads of a block header; the chain layer decodes it. */
export interface BlockHeader {
  /** The header hash (Keccak-256 of its tagged RLP). */
  hash: Uint8Array;
  /** The parent block's hash. */
  parentHash: Uint8Array;
  /** The block number. */
  number: bigint;
  /** The epoch. */
  epoch: bigint;
  /** The view ID the block was proposed in. */
  viewId: bigint;
  /** The shard. */
  shardId: bigint;
  /** The block time, unix seconds. */
  time: bigint;
  /** The proposer's address (staking era: the first 20 bytes of SHA-256 of its BLS key). */
  coinbase: Uint8Array;
  /** The parent's aggregate commit signature (96 bytes). */
  lastCommitSignature: Uint8Array;
  /** The parent's commit bitmap. */
  lastCommitBitmap: Uint8Array;
  /** Whether the header carries the next epoch's shard state (Go `IsLastBlockInEpoch`). */
  isLastInEpoch: boolean;
}

/** A block as consensus handles it: its encoding and its decoded header. */
export interface Block {
  /** The RLP of the block, as carried by ANNOUNCE, PREPARED and view-change messages. */
  bytes: Uint8Array;
  /** The decoded header. */
  header: BlockHeader;
}

/** One committee slot (Go `shard.Slot`), as far as consensus needs it. */
export interface CommitteeSlot {
  /** The slot's 48-byte BLS key. */
  publicKey: Uint8Array;
  /** The validator's 20-byte account. */
  ecdsaAddress: Uint8Array;
}

/** The committee of a shard in one epoch, with what consensus derives from it. */
export interface EpochContext {
  /** The epoch. */
  epoch: bigint;
  /** The slots, in committee order. */
  slots: CommitteeSlot[];
  /** The slots' keys, decoded once (the participant list bitmaps are over). */
  committee: BlsCommittee;
  /** How quorum is decided (uniform before Staking, staked from it on). */
  policy: QuorumPolicy;
  /** Harmony-operated slots per shard in the epoch's sharding instance. */
  numHarmonyOperatedNodes: bigint;
  /** Blocks per epoch of the sharding instance (leader rotation reads it). */
  blocksPerEpoch: bigint;
}

/** The pure functions the chain layer lends to consensus. */
export interface ChainAdapter {
  /**
   * Decodes a block's RLP. Throws a `SpecError` when the bytes are not a block.
   *
   * @param bytes the RLP
   * @returns the block
   */
  decodeBlock(bytes: Uint8Array): Block;
  /**
   * The injected validity predicate: full block verification (header, seal, VRF, shard state,
   * crosslinks, receipts, execution), which belongs to the chain layer.
   *
   * @param block the block
   * @param chain the node's chain view (the block extends its head)
   * @returns whether the block is valid on top of the node's chain
   */
  verifyBlock(block: Block, chain: ChainView): boolean;
  /**
   * The committee of the node's shard in an epoch.
   *
   * @param epoch the epoch
   * @returns the epoch context
   */
  epochContext(epoch: bigint): EpochContext;
}

/** What a node is configured with. */
export interface FbftConfig {
  /** The network (features, sharding schedule). */
  network: NetworkConfig;
  /** The node's shard. */
  shardId: bigint;
  /** The node's BLS keys. */
  keys: Signer[];
  /** Whether a multi-key node sends one aggregated PREPARE/COMMIT (Go `AggregateSig`). */
  aggregateSig: boolean;
  /** The chain layer's functions. */
  chain: ChainAdapter;
  /**
   * Whether the leader reports double signs it sees among COMMIT votes. Harmony's call site is
   * commented out (`leader.go` `onCommit`), so `false` is Harmony's behaviour.
   */
  detectDoubleSign: boolean;
}

/** The leader-rotation counter (Go `LeaderRotationMeta`). */
export interface RotationMeta {
  /** The key that proposed the last blocks. */
  pub: Uint8Array;
  /** The epoch of the last block. */
  epoch: bigint;
  /** How many consecutive blocks of that epoch the key proposed. */
  count: bigint;
}

/** What consensus knows of its own chain. */
export interface ChainView {
  /** The head header (Go `CurrentHeader`). */
  head: BlockHeader;
  /** The commit signature and bitmap stored for the head (`sig ‖ bitmap`), or empty. */
  headCommitSig: Uint8Array;
  /** The last headers, newest first, at most four (the head included). */
  recent: BlockHeader[];
  /** The leader-rotation counter after the head. */
  rotation: RotationMeta;
}

/** The leader's pending final commit (Go `transitions.finalCommit` and its goroutine). */
export interface FinalCommitPending {
  /** The view the commit quorum was reached in; a later view cancels the final commit. */
  viewId: bigint;
  /** Whether the node was the leader when the quorum was reached. */
  wasLeader: boolean;
}

/** One validator's consensus state. */
export interface FbftState {
  /** The configuration (never changed by `step`). */
  config: FbftConfig;
  /** The current committee (Go's decider participants and roster). */
  ctx: EpochContext;
  /** The node's view of its chain. */
  chain: ChainView;
  /** Normal or view changing. */
  mode: Mode;
  /** Announce, prepare or commit. */
  phase: Phase;
  /** The number of the block being agreed on (head + 1). */
  blockNum: bigint;
  /** The current view ID in normal mode. */
  blockViewId: bigint;
  /** The view ID being changed to, in view-changing mode. */
  viewChangingId: bigint;
  /** The leader's key. */
  leaderKey: Uint8Array;
  /** The candidate block's hash (32 bytes, zero when none). */
  blockHash: Uint8Array;
  /** The candidate block's RLP (empty when none). */
  block: Uint8Array;
  /** The FBFT log. */
  log: FbftLog;
  /** The leader's prepare ballot box. */
  prepare: BallotBox;
  /** The leader's commit ballot box. */
  commit: BallotBox;
  /** The prepare bitmap (the leader's, or the one adopted from PREPARED). */
  prepareBitmap: Uint8Array;
  /** The commit bitmap (the leader's, or the one adopted from COMMITTED). */
  commitBitmap: Uint8Array;
  /** View-change collections. */
  vc: ViewChangeState;
  /** The leader's pending final commit, if any. */
  finalCommit: FinalCommitPending | null;
  /** When the next block is due (unix ms): the leader's announce time plus the block period. */
  nextBlockDueMs: bigint;
}

/** An event the environment delivers. */
export type FbftEvent =
  | {
    /** Start consensus (Go `Start` and `StartChannel`). */
    kind: "start";
    /** Unix milliseconds. */
    now: bigint;
  }
  | {
    /** My proposal is ready: the block the chain layer built for the leader. */
    kind: "proposal";
    /** The block's RLP. */
    block: Uint8Array;
    /** Unix milliseconds. */
    now: bigint;
  }
  | {
    /** A message arrived (a p2p frame). */
    kind: "message";
    /** The frame bytes. */
    frame: Uint8Array;
    /** Unix milliseconds. */
    now: bigint;
  }
  | {
    /** A timer expired. */
    kind: "timeout";
    /** Which timer. */
    timer: TimerKind;
    /** Unix milliseconds. */
    now: bigint;
  }
  | {
    /** State sync finished: the node's chain now ends at a new head (Go `syncReadyChan`). */
    kind: "synced";
    /** The chain view after sync. */
    chain: ChainView;
    /** Unix milliseconds. */
    now: bigint;
  };

/** An effect `step` asks the environment to carry out. */
export type FbftEffect =
  | {
    /** Broadcast a message to the shard. */
    kind: "send";
    /** Its message type. */
    type: number;
    /** The p2p frame. */
    frame: Uint8Array;
  }
  | {
    /** A block is final: insert it with its commit certificate. */
    kind: "committed";
    /** The block. */
    block: Block;
    /** Its commit certificate `sig ‖ bitmap`. */
    commitSig: Uint8Array;
  }
  | {
    /** A better commit signature is known for an inserted block (Go `WriteCommitSig`). */
    kind: "commitSig";
    /** The block number. */
    blockNum: bigint;
    /** The certificate `sig ‖ bitmap`. */
    commitSig: Uint8Array;
  }
  | {
    /** The node started a view change. */
    kind: "viewChange";
    /** The view ID it changes to. */
    viewId: bigint;
    /** The leader it expects. */
    nextLeader: Uint8Array;
  }
  | {
    /** The node entered a new view (as the new leader, or on a valid NEWVIEW). */
    kind: "newView";
    /** The view ID. */
    viewId: bigint;
    /** The leader of the view. */
    leader: Uint8Array;
  }
  | {
    /** Double-sign evidence to send to the beacon chain. */
    kind: "evidence";
    /** The slashing record. */
    record: SlashRecord;
  }
  | {
    /** Start (or restart) a timer. */
    kind: "startTimer";
    /** Which timer. */
    timer: TimerKind;
    /** Its duration in milliseconds. */
    durationMs: bigint;
  }
  | {
    /** Stop a timer. */
    kind: "stopTimer";
    /** Which timer. */
    timer: TimerKind;
  }
  | {
    /** Ask the chain layer to build a block for this leader to announce. */
    kind: "propose";
    /** The block number to build. */
    blockNum: bigint;
    /** The view ID to put in its header. */
    viewId: bigint;
    /** The parent's commit certificate for its header (`sig ‖ bitmap`). */
    lastCommitSig: Uint8Array;
    /** Wait this long before announcing (one block period when leadership just changed). */
    delayMs: bigint;
  }
  | {
    /**
     * Start building the next block now, while the grace period collects the last votes (Go
     * `AsyncProposal`): its view ID and its parent's final certificate come later, with the
     * `propose` effect for it.
     */
    kind: "prepare";
    /** The block number to build. */
    blockNum: bigint;
  }
  | {
    /** Ask for state sync up to at least this block number. */
    kind: "sync";
    /** The block number seen ahead of the node. */
    blockNum: bigint;
  };

/** The result of handling an event. */
export type Outcome =
  | {
    /** The event was processed. */
    result: "accepted";
  }
  | {
    /** Not for this node now (wrong mode, height or view, a duplicate, a stale timer). */
    result: "ignored";
    /** Why. */
    reason: SpecErrorCode;
  }
  | {
    /** Malformed, or its signatures or quorum fail. */
    result: "rejected";
    /** Why. */
    reason: SpecErrorCode;
  };

/** What `step` returns. */
export interface StepResult {
  /** The new state. */
  state: FbftState;
  /** The effects, in order. */
  effects: FbftEffect[];
  /** How the event was handled. */
  outcome: Outcome;
}

/** A certificate as carried: signature and bitmap. */
export type Certificate = SigAndBitmap;

/** A new state and the effects of getting there (a rule's partial result). */
export interface Transition {
  /** The new state. */
  state: FbftState;
  /** The effects, in order. */
  effects: FbftEffect[];
}
