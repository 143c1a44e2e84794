/**
 * One shard of the local network: its chain (the spec's `ChainState`, advanced only by
 * `processBlock`), its store, its pools, its in-process validators, and the view the RPC layer
 * reads. Every protocol decision is a spec function; this module moves bytes between them, the
 * clock, the transport and the disk.
 *
 * @module
 */
import { type Block, blockHash, decodeBlock, encodeBlock } from "../../spec/chain/body.ts";
import {
  beaconLookups,
  ownLookups,
  recentBlockHash,
  recentVrf,
  type ShardLookups,
} from "../../spec/chain/context.ts";
import type { Header } from "../../spec/chain/header.ts";
import type { Genesis } from "../../spec/chain/genesis.ts";
import { processBlock, type ProcessedBlock } from "../../spec/chain/process.ts";
import {
  completeProposal,
  type PreparationInput,
  type PreparedProposal,
  prepareProposal,
  proposeBlock,
} from "../../spec/chain/propose.ts";
import { type ChainState, compactChainState } from "../../spec/chain/state.ts";
import {
  chainAdapter,
  chainView,
  consensusBlock,
  type ConsensusVerdict,
  verifyForConsensus,
  withCommitSig,
} from "../../spec/chain/view.ts";
import type { Signer } from "../../spec/consensus/messages.ts";
import type {
  Block as ConsensusBlock,
  ChainAdapter,
  FbftConfig,
  FbftEffect,
} from "../../spec/consensus/state.ts";
import { blsSeparateSigAndMask } from "../../spec/crypto/bls-mask.ts";
import { bytesEqual, toHex } from "../../spec/encoding/bytes.ts";
import { keccak256 } from "../../spec/encoding/hash.ts";
import { isSpecError, require, type SpecError } from "../../spec/errors.ts";
import type { CXReceipt } from "../../spec/execution/cx-receipt.ts";
import { runEvmMessage } from "../../spec/execution/evm.ts";
import { intrinsicGas } from "../../spec/execution/gas.ts";
import { DEFAULT_MIN_GAS_PRICE } from "../../spec/execution/pool.ts";
import { encodeReceipt } from "../../spec/execution/receipt.ts";
import { childState, type WorldState } from "../../spec/execution/state.ts";
import {
  blockSigner,
  decodeTransaction,
  encodeTransaction,
  senderReusing,
  type Transaction,
  transactionHashByType,
} from "../../spec/execution/transaction.ts";
import { encodeRlpList } from "../../spec/encoding/rlp.ts";
import { vrfEvaluate } from "../../spec/randomness/vrf.ts";
import {
  createCrossLink,
  type CrossLink,
  decodeCrossLink,
  encodeCrossLink,
} from "../../spec/sharding/crosslink.ts";
import {
  buildCxReceiptsProof,
  decodeCxReceiptsProof,
  encodeCxReceiptsProof,
} from "../../spec/sharding/cx-proof.ts";
import { instanceForEpoch } from "../../spec/sharding/schedule.ts";
import {
  decodeStakingTransaction,
  stakingTransactionSender,
} from "../../spec/staking/transactions.ts";
import type {
  CallRequest,
  CallResult,
  ChainBlock,
  IndexedTransaction,
  LocatedLog,
  ShardApi,
} from "../rpc/api.ts";
import { matchLogs } from "../rpc/eth.ts";
import { createMempool, decodeSubmitted, type Mempool } from "./mempool.ts";
import { fastRecovery } from "./native-secp256k1.ts";
import { createRecoverer, type Recovered, type Recoverer } from "./recovery.ts";
import type { Store } from "../store/store.ts";
import type { InProcessHub } from "./transport.ts";
import { createValidator, type Validator, type ValidatorReport } from "./validator.ts";
import type { ValidatorKey } from "./genesis.ts";

/** The topics shards exchange besides consensus. */
export const TOPICS = {
  consensus: (shard: bigint) => `consensus/${shard}`,
  receipts: (shard: bigint) => `receipts/${shard}`,
  crossLinks: "crosslinks",
};

/** How often (in blocks) the chain's world-state layers are merged into one. */
const COMPACT_EVERY = 64n;

/** A line for the node's log. */
export type Log = (line: string) => void;

/** Everything a shard is made of. */
export interface ShardParts {
  genesis: Genesis;
  keys: ValidatorKey[];
  store: Store;
  hub: InProcessHub;
  /** The beacon chain's current state, for a shard other than the beacon (null for the beacon). */
  beacon: (() => ChainState) | null;
  log: Log;
  /** Where submitted transactions' senders are recovered (inline when absent). */
  recoverer?: Recoverer;
}

/** A running shard: its RPC view plus control. */
export interface Shard extends ShardApi {
  /** The current chain state. */
  chain(): ChainState;
  /** Its validators. */
  validators: Validator[];
  /** Their BLS public keys, in the same order. */
  validatorKeys: Uint8Array[];
  /** Replays the stored blocks, then starts the validators (those not in `stopped`). */
  start(stopped: Set<number>): Promise<void>;
  /** Stops the validators and closes the store. */
  stop(): void;
}

/**
 * A memo of decoded blocks by their bytes: every validator of the shard receives the same block
 * in several messages, and consensus decodes it from each; decoding a full block is costly, so
 * the last few are kept and matched by content. A block the shard encoded itself (a proposal) is
 * added with its bytes.
 */
function decodeMemo() {
  const kept: { bytes: Uint8Array; block: Block; consensus: ConsensusBlock | null }[] = [];
  const add = (bytes: Uint8Array, block: Block) => {
    const entry = { bytes, block, consensus: null };
    kept.unshift(entry);
    if (kept.length > 8) kept.pop();
    return entry;
  };
  const get = (bytes: Uint8Array) => {
    const found = kept.find((k) => k.bytes === bytes) ??
      kept.find((k) => k.bytes.length === bytes.length && bytesEqual(k.bytes, bytes)) ??
      add(bytes, decodeBlock(bytes));
    return {
      block: found.block,
      consensus: () => (found.consensus ??= consensusBlock(found.bytes, found.block)),
    };
  };
  return { get, add };
}

/** A submitted transaction, decoded, with its sender's recovery under way; or why it is refused. */
type Submission = { tx: Transaction; sender: Promise<Recovered> } | SpecError;

/** Lets the tasks already queued run first (submissions waiting to be admitted, say). */
const yieldToQueued = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Creates a shard (not started). */
export function createShard(parts: ShardParts): Shard {
  const { genesis, store, hub, log } = parts;
  let chain: ChainState = genesis.state;
  const shardId = chain.shardId;
  const config = chain.config.network;
  const name = shardId === 0n ? "beacon" : `shard ${shardId}`;
  const pool: Mempool = createMempool(config, shardId);
  const stakingPool = new Map<string, Uint8Array>();
  const incoming = new Map<string, Uint8Array>();
  const crossLinks = new Map<string, CrossLink>();
  const verdicts = new Map<string, Promise<ConsensusVerdict>>();
  const settled = new Map<string, boolean>();
  /** The chain states after the valid blocks seen at the current height. */
  const validStates: ChainState[] = [];
  const firstSeen = new Map<string, number>();
  const byNumber: ChainBlock[] = [];
  const byHash = new Map<string, ChainBlock>();
  const txIndex = new Map<string, { number: bigint; index: number }>();
  const endpoint = hub.endpoint(`${name} node`);
  let committing: Promise<void> = Promise.resolve();
  const recoverer = parts.recoverer ?? createRecoverer(0);
  /**
   * A batch's submitted transactions, decoded, with their sender recoveries under way, by the
   * raw bytes (hex); or the error decoding gave.
   */
  const recoveries = new Map<string, Submission>();
  const decoded = decodeMemo();
  /** The next block, being built during the grace period after the leader's commit quorum. */
  let upcoming:
    | { blockNum: bigint; leader: string; work: Promise<PreparedProposal | null> }
    | null = null;

  /** Decodes raw transactions and starts their senders' recovery, to be taken on submission. */
  function startRecovery(raws: Uint8Array[]): void {
    const submitted: { key: string; tx: Transaction }[] = [];
    if (recoveries.size > 50_000) recoveries.clear(); // batches whose requests never ran
    for (const raw of raws) {
      const key = toHex(raw);
      try {
        submitted.push({ key, tx: decodeSubmitted(config, raw) });
      } catch (e) {
        if (!isSpecError(e)) throw e;
        recoveries.set(key, e);
      }
    }
    const outcomes = recoverer.recover(submitted.map((d) => encodeTransaction(d.tx)));
    submitted.forEach(({ key, tx }, i) =>
      recoveries.set(key, { tx, sender: outcomes.then((o) => o[i]) })
    );
  }

  const lookups = (): ShardLookups =>
    parts.beacon === null ? ownLookups(chain) : beaconLookups(parts.beacon());

  // ---- the RPC index --------------------------------------------------------------------------

  function indexBlock(
    block: Block,
    bytes: Uint8Array,
    hash: Uint8Array,
    processed: ProcessedBlock | null,
  ): ChainBlock {
    const epoch = block.header.epoch;
    const transactions: IndexedTransaction[] = block.body.transactions.map((raw) => {
      // The pool decoded, named and recovered the sender of a transaction it admitted: reuse
      // them, the sender where it is the block's signer's.
      const pooled = pool.byRaw(raw);
      const tx = pooled?.tx ?? decodeTransaction(raw);
      const signer = blockSigner(config, shardId, epoch, tx);
      const sender = senderReusing(signer, tx, pooled?.sender ?? null, fastRecovery);
      return { tx, sender, hash: pooled?.hash ?? transactionHashByType(tx) };
    });
    const entry: ChainBlock = {
      hash,
      header: block.header,
      block,
      size: bytes.length,
      transactions,
      receipts: processed === null ? [] : processed.receipts.slice(0, transactions.length),
    };
    byNumber[Number(block.header.number)] = entry;
    byHash.set(toHex(hash), entry);
    transactions.forEach((t, index) =>
      txIndex.set(toHex(t.hash), { number: block.header.number, index })
    );
    return entry;
  }

  // ---- consensus glue -------------------------------------------------------------------------

  /**
   * Validates a block on the head, once per block (a block whose parent is being committed waits
   * for it). The verdict is remembered for the chain adapter's synchronous `verifyBlock`.
   */
  async function validate(bytes: Uint8Array): Promise<boolean> {
    await committing;
    let block: Block;
    try {
      block = decoded.get(bytes).block;
    } catch {
      return false;
    }
    if (!bytesEqual(block.header.parentHash, chain.headHash)) return false;
    const key = toHex(blockHash(block));
    if (!verdicts.has(key)) {
      firstSeen.set(key, Date.now());
      verdicts.set(key, verifyForConsensus(chain, lookups(), bytes));
    }
    const verdict = await verdicts.get(key)!;
    settled.set(key, verdict.valid);
    if (verdict.valid) validStates.push(verdict.processed.state);
    if (!verdict.valid) log(`${name}: refused block ${block.header.number}: ${verdict.error}`);
    return verdict.valid;
  }

  /** What a leader puts in its next block, as the pools hold it now. */
  function pendingItems(leader: Signer): PreparationInput {
    const pending = pool.pending(chain.world);
    return {
      transactions: pending.map((p) => p.raw),
      pooled: pending,
      stakingTransactions: [...stakingPool.values()],
      incomingReceipts: [...incoming.values()],
      crossLinks: [...crossLinks.values()],
      slashes: [],
      timestamp: BigInt(Math.floor(Date.now() / 1000)),
      leaderKey: leader.publicKey,
      vrfSigner: (input) => vrfEvaluate(leader.secretKey, input),
    };
  }

  /**
   * Starts building the next block while the grace period collects the last votes (the `prepare`
   * effect); it is not awaited, so the validator goes on counting votes meanwhile.
   */
  function prepare(blockNum: bigint, leader: Signer): void {
    const work = committing.then(yieldToQueued).then(() =>
      chain.head.number + 1n === blockNum
        ? prepareProposal(chain, lookups(), { ...pendingItems(leader), pause: yieldToQueued })
        : null
    ).catch((e) => {
      log(`${name}: preparing block ${blockNum} failed: ${isSpecError(e) ? e.code : e}`);
      return null;
    });
    upcoming = { blockNum, leader: toHex(leader.publicKey), work };
  }

  /** The block prepared for this `propose` effect, if it was and still builds on the head. */
  async function preparedFor(blockNum: bigint, leader: Signer): Promise<PreparedProposal | null> {
    const found = upcoming;
    upcoming = null;
    if (found === null || found.blockNum !== blockNum) return null;
    if (found.leader !== toHex(leader.publicKey)) return null;
    const ready = await found.work;
    return ready !== null && bytesEqual(ready.state.headHash, chain.headHash) ? ready : null;
  }

  async function propose(
    effect: Extract<FbftEffect, { kind: "propose" }>,
    leader: Signer,
  ): Promise<Uint8Array | null> {
    await committing;
    if (chain.head.number + 1n !== effect.blockNum) return null;
    const ready = await preparedFor(effect.blockNum, leader);
    const completion = { viewId: effect.viewId, lastCommitSig: effect.lastCommitSig };
    const proposal = ready !== null
      ? await completeProposal(ready, completion)
      : await proposeBlock(chain, lookups(), { ...pendingItems(leader), ...completion });
    const hash = blockHash(proposal.block);
    const key = toHex(hash);
    firstSeen.set(key, Date.now());
    verdicts.set(key, Promise.resolve({ valid: true, hash, processed: proposal }));
    settled.set(key, true);
    validStates.push(proposal.state);
    const bytes = encodeBlock(proposal.block);
    decoded.add(bytes, proposal.block);
    return bytes;
  }

  /** Inserts a block consensus committed (once, whichever validator reports it first). */
  async function commit(block: ConsensusBlock, commitSig: Uint8Array): Promise<void> {
    const work = committing.then(async () => {
      if (block.header.number <= chain.head.number) return;
      const key = toHex(block.header.hash);
      const verdict =
        await (verdicts.get(key) ?? verifyForConsensus(chain, lookups(), block.bytes));
      if (!verdict.valid) {
        log(
          `${name}: consensus committed block ${block.header.number}, which fails here: ${verdict.error}`,
        );
        return;
      }
      insert(
        decoded.get(block.bytes).block,
        block.bytes,
        verdict.hash,
        verdict.processed,
        commitSig,
      );
      const started = firstSeen.get(key);
      verdicts.clear();
      firstSeen.clear();
      settled.clear();
      validStates.length = 0;
      const h = verdict.processed.state.head;
      const finality = started === undefined
        ? ""
        : ` finality ${((Date.now() - started) / 1000).toFixed(2)}s`;
      log(
        `${name} #${h.number} epoch ${h.epoch} view ${h.viewId} txs ${
          byNumber[Number(h.number)].transactions.length
        }${finality}`,
      );
    });
    committing = work.catch((e) =>
      log(`${name}: commit failed: ${e instanceof Error ? e.message : e}`)
    );
    await committing;
  }

  /**
   * Moves the head. Each block's world state is a layer over its parent's, and a read walks the
   * layers down to the account; every `COMPACT_EVERY` blocks they are merged into one, so a
   * long-running node does not slow down with its height.
   */
  function setHead(next: ChainState): void {
    chain = next.head.number % COMPACT_EVERY === 0n ? compactChainState(next) : next;
  }

  /** Makes a processed block the head: store, index, pools, messages to other shards. */
  function insert(
    block: Block,
    bytes: Uint8Array,
    hash: Uint8Array,
    processed: ProcessedBlock,
    commitSig: Uint8Array,
  ) {
    const parent = chain.head;
    const next = withCommitSig(processed.state, commitSig);
    const entry = indexBlock(block, bytes, hash, processed);
    store.commitBlock({
      number: block.header.number,
      hash,
      parentHash: block.header.parentHash,
      block: bytes,
      commitSig,
      receipts: encodeRlpList(processed.receipts.map(encodeReceipt)),
      txHashes: entry.transactions.map((t) => t.hash),
      stateWrites: [],
    });
    setHead(next);
    afterInsert(block, parent, processed.cxReceipts, commitSig, processed);
  }

  function afterInsert(
    block: Block,
    parent: Header,
    cx: CXReceipt[],
    commitSig: Uint8Array,
    processed: ProcessedBlock,
  ) {
    pool.prune(chain.world);
    for (const raw of block.body.stakingTransactions) stakingPool.delete(toHex(keccak256(raw)));
    for (const raw of block.body.incomingReceipts) incoming.delete(toHex(keccak256(raw)));
    for (const cl of processed.events.crossLinks) {
      crossLinks.delete(`${cl.shardId}:${cl.blockNumber}`);
    }
    if (processed.events.committee !== null) log(`${name}: next epoch's committee set (election)`);
    if (block.header.epoch !== parent.epoch) log(`${name}: epoch ${block.header.epoch} begins`);
    // The crosslink of the parent rides on this block's certificate of it.
    if (shardId !== 0n && block.header.number > 1n) {
      endpoint.publish(TOPICS.crossLinks, encodeCrossLink(createCrossLink(block.header, parent)));
    }
    const { signature, bitmap } = blsSeparateSigAndMask(commitSig);
    const shards = instanceForEpoch(config, block.header.epoch).numShards;
    for (let to = 0n; to < shards; to++) {
      if (to === shardId) continue;
      const proof = buildCxReceiptsProof(config, block.header, cx, to, signature, bitmap);
      if (proof !== null) endpoint.publish(TOPICS.receipts(to), encodeCxReceiptsProof(proof));
    }
  }

  // ---- messages from other shards -------------------------------------------------------------

  endpoint.subscribe(TOPICS.receipts(shardId), (bytes) => {
    try {
      decodeCxReceiptsProof(bytes);
      incoming.set(toHex(keccak256(bytes)), bytes);
    } catch (e) {
      log(`${name}: dropped a malformed receipt proof: ${isSpecError(e) ? e.code : e}`);
    }
  });
  if (shardId === 0n) {
    endpoint.subscribe(TOPICS.crossLinks, (bytes) => {
      try {
        const cl = decodeCrossLink(bytes);
        crossLinks.set(`${cl.shardId}:${cl.blockNumber}`, cl);
      } catch (e) {
        log(`${name}: dropped a malformed crosslink: ${isSpecError(e) ? e.code : e}`);
      }
    });
  }

  // ---- validators -----------------------------------------------------------------------------

  /**
   * Consensus moves to the next epoch's committee inside the step that commits an epoch's last
   * block, before the shard has inserted it; that block's processed state already holds the next
   * shard state, so committees are looked up there too.
   */
  const adapter: ChainAdapter = {
    decodeBlock: (bytes) => decoded.get(bytes).consensus(),
    verifyBlock: (block, view) => adapterOn(chain).verifyBlock(block, view),
    epochContext(epoch) {
      if (chain.shardStates.has(epoch) || validStates.length === 0) {
        return adapterOn(chain).epochContext(epoch);
      }
      const ahead = validStates.find((s) => s.shardStates.has(epoch)) ?? chain;
      return adapterOn(ahead).epochContext(epoch);
    },
  };
  function adapterOn(state: ChainState): ChainAdapter {
    return chainAdapter(state, lookups(), (hash) => verdictOf(hash));
  }
  function verdictOf(hash: Uint8Array): boolean | undefined {
    return settled.get(toHex(hash));
  }

  const report = (r: ValidatorReport) => {
    if (r.kind === "viewChange") {
      log(`${name}: ${r.validator} starts a view change to view ${r.viewId}`);
    } else if (r.kind === "newView") log(`${name}: ${r.validator} enters view ${r.viewId}`);
    else log(`${name}: ${r.validator} reports double-sign evidence`);
  };

  const validators = parts.keys.map((key) => {
    const signer: Signer = { secretKey: key.secretKey, publicKey: key.publicKey };
    const fbft: FbftConfig = {
      network: config,
      shardId,
      keys: [signer],
      aggregateSig: true,
      chain: adapter,
      detectDoubleSign: false,
    };
    return createValidator(`${name} validator ${key.index}`, fbft, {
      topic: TOPICS.consensus(shardId),
      view: () => chainView(chain),
      validate,
      prepare: (blockNum) => prepare(blockNum, signer),
      propose: (effect) => propose(effect, signer),
      commit: (block, commitSig) => commit(block, commitSig),
      report,
    }, hub.endpoint(`${name} validator ${key.index}`));
  });

  // ---- the RPC view ---------------------------------------------------------------------------

  const api: Shard = {
    config,
    shardId,
    chain: () => chain,
    validators,
    validatorKeys: parts.keys.map((k) => k.publicKey),
    head: () => byNumber[Number(chain.head.number)],
    blockByNumber: (n) => byNumber[Number(n)] ?? null,
    blockByHash: (h) => byHash.get(toHex(h)) ?? null,
    transactionByHash(h) {
      const at = txIndex.get(toHex(h));
      return at === undefined ? null : { block: byNumber[Number(at.number)], index: at.index };
    },
    latestState: () => chain.world,
    pendingNonce: (address) => pool.nextNonce(address, chain.world),
    prepareTransactions: startRecovery,
    async submitTransaction(raw) {
      const key = toHex(raw);
      if (!recoveries.has(key)) startRecovery([raw]); // not announced by its batch
      const submission = recoveries.get(key)!;
      recoveries.delete(key);
      if (isSpecError(submission)) throw submission;
      const recovered = await submission.sender;
      const view = {
        shardId,
        epoch: chain.head.epoch,
        blockGasLimit: chain.head.gasLimit,
        minGasPrice: DEFAULT_MIN_GAS_PRICE,
        local: false,
        state: chain.world,
      };
      return pool.admit(submission.tx, view, recovered).hash;
    },
    submitStakingTransaction(raw) {
      require(shardId === 0n, "staking/not-beacon-shard", "staking transactions go to shard 0");
      const tx = decodeStakingTransaction(raw);
      stakingTransactionSender(tx);
      const hash = keccak256(raw);
      stakingPool.set(toHex(hash), raw);
      return hash;
    },
    call: (request) => call(request),
    gasPrice: () => DEFAULT_MIN_GAS_PRICE,
    logs(from, to, addresses, topics): LocatedLog[] {
      const blocks: ChainBlock[] = [];
      for (let n = from; n <= to && n <= chain.head.number; n++) {
        if (byNumber[Number(n)]) blocks.push(byNumber[Number(n)]);
      }
      return matchLogs(blocks, addresses, topics);
    },
    async start(stopped) {
      const genesisBytes = encodeBlock(genesis.block);
      indexBlock(genesis.block, genesisBytes, genesis.state.headHash, null);
      if (store.head() === null) {
        store.commitBlock({
          number: 0n,
          hash: genesis.state.headHash,
          parentHash: genesis.block.header.parentHash,
          block: genesisBytes,
          commitSig: new Uint8Array(0),
          receipts: encodeRlpList([]),
          txHashes: [],
          stateWrites: [],
        });
      }
      await replay();
      validators.forEach((v, i) => {
        if (!stopped.has(i)) v.start();
      });
    },
    stop() {
      for (const v of validators) v.stop();
      if (parts.recoverer === undefined) recoverer.close();
      store.close();
    },
  };

  async function call(request: CallRequest): Promise<CallResult> {
    const head = chain.head;
    const world: WorldState = childState(chain.world);
    const kind = request.to === null ? "create" : "call";
    const intrinsic = intrinsicGas(config, head.epoch, request.data, kind);
    const gas = request.gas ?? head.gasLimit;
    if (gas < intrinsic) return { failed: true, returnData: new Uint8Array(0), gasUsed: intrinsic };
    const outcome = await runEvmMessage(config, head.epoch, world, {
      shardId,
      coinbase: new Uint8Array(20),
      gasLimit: head.gasLimit,
      timestamp: BigInt(Math.floor(Date.now() / 1000)),
      blockHash: (n) => recentBlockHash(chain, n),
      epoch: head.epoch,
      blockNumber: head.number + 1n,
      vrf: new Uint8Array(32),
      vrfOfBlock: (n) => recentVrf(chain, n),
    }, {
      caller: request.from ?? new Uint8Array(20),
      to: request.to,
      value: request.value,
      data: request.data,
      gas: gas - intrinsic,
      gasPrice: request.gasPrice ?? 0n,
      subtractionOnly: false,
    });
    return {
      failed: outcome.failed,
      returnData: outcome.returnData,
      gasUsed: intrinsic + outcome.gasUsed,
    };
  }

  /**
   * Rebuilds the chain from the stored blocks, through `processBlock` as blocks of the node's own
   * store: executed and checked against their commitments, their signatures not checked again.
   */
  async function replay() {
    const head = store.head();
    if (head === null) return;
    log(`${name}: replaying ${head} stored blocks`);
    for (let n = 1n; n <= head; n++) {
      const stored = store.blockByNumber(n)!;
      const block = decodeBlock(stored.block);
      const processed = await processBlock(chain, block, lookups(), stored.commitSig, {
        stored: true,
      });
      indexBlock(block, stored.block, stored.hash, processed);
      setHead(withCommitSig(processed.state, stored.commitSig));
    }
  }

  return api;
}
