/**
 * Conformance cases for `chain/blocks`: a beacon chain from its genesis, block by block, each
 * block with its commit certificate, through `processBlock`.
 *
 * The blocks come from the two-shard localnet run of the chain tests (`test/chain/scenario.ts`):
 * transfers, a cross-shard receipt proof from shard 1, two validators created, a delegation and an
 * undelegation, the election of the first staking epoch at block 20 (with random resharding), and
 * crosslinks of shard 1 from block 22. Every block is signed by every key of its committee with
 * herumi's mcl.
 *
 * Expectations: a valid chain is checked against what its blocks claim and what the run did by
 * Harmony's rules (every state root the one its header commits to, the validators created, the
 * 24 ONE per pre-staking block, the 5 ONE received from shard 1, the crosslinks); a refused chain
 * is a valid one with one block altered, so the index of the first invalid block and its code are
 * known by construction, and the roots before it are those its predecessors' headers commit to.
 *
 * @module
 */
import { type Block, decodeBlock, encodeBlock } from "../../../spec/chain/body.ts";
import { ownLookups } from "../../../spec/chain/context.ts";
import { genesisChain } from "../../../spec/chain/genesis.ts";
import type { Header } from "../../../spec/chain/header.ts";
import { blockContextOf, processBlock } from "../../../spec/chain/process.ts";
import {
  accountedSupply,
  type ChainConfig,
  type ChainState,
  heldSupply,
} from "../../../spec/chain/state.ts";
import { withCommitSig } from "../../../spec/chain/view.ts";
import { bytesToBigint, concatBytes, toHex } from "../../../spec/encoding/bytes.ts";
import { isSpecError } from "../../../spec/errors.ts";
import { buildBlock } from "../../../spec/execution/block.ts";
import { LOCALNET } from "../../../spec/params/mod.ts";
import {
  decodeShardState,
  encodeShardState,
  shardStateHash,
} from "../../../spec/sharding/shard-state.ts";
import type { GenesisAccount } from "../../../spec/staking/election.ts";
import type { Case, DecodedFields, Fields, Handler } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { scenario } from "../../../test/chain/scenario.ts";
import {
  allocations,
  CONFIG,
  GENESIS_COMMITTEE,
  GENESIS_TIME,
  genesisOf,
  ONE,
  V1,
  V2,
} from "../../../test/chain/world.ts";

// --- the handler ---------------------------------------------------------------------------------

const big = (v: unknown) => bytesToBigint(v as Uint8Array);
const bytes = (v: unknown) => v as Uint8Array;

/** A genesis account list from vector data. */
function accountsFrom(value: unknown): GenesisAccount[] {
  return (value as DecodedFields[]).map((a) => ({
    address: bytes(a.address),
    blsPublicKey: bytes(a.bls_public_key),
  }));
}

/** The chain configuration: localnet, every Harmony and foundational list named by its instances. */
function configFrom(g: DecodedFields): ChainConfig {
  const harmony = accountsFrom(g.harmony_accounts);
  const foundational = accountsFrom(g.foundational_accounts);
  const accounts: Record<string, GenesisAccount[]> = {};
  for (const { instance } of LOCALNET.sharding.instances) {
    accounts[instance.accounts.harmony] = harmony;
    accounts[instance.accounts.foundational] = foundational;
  }
  return { network: LOCALNET, accounts };
}

/** The chain state at the genesis the vector describes. */
function genesisFrom(g: DecodedFields): ChainState {
  const allocations = (g.allocations as DecodedFields[]).map((a) => ({
    address: bytes(a.address),
    balance: big(a.balance),
  }));
  return genesisChain(configFrom(g), big(g.shard_id), {
    allocations,
    committee: decodeShardState(bytes(g.committee)),
    timestamp: big(g.timestamp),
    extra: bytes(g.extra),
  }).state;
}

/** What a vector reports of the chain state after its last block. */
function summaryOf(state: ChainState): Fields {
  const { supply, offChain } = state;
  const epochs = [...state.shardStates.keys()].sort((a, b) => (a < b ? -1 : 1));
  return {
    head_hash: state.headHash,
    number: state.head.number,
    epoch: state.head.epoch,
    state_root: state.head.root,
    validators: offChain.validators.slice(),
    shard_state_hashes: epochs.map((e) => ({
      epoch: e,
      hash: shardStateHash(state.shardStates.get(e)!),
    })),
    supply: { ...supply },
    held_supply: heldSupply(state),
    crosslinks: [...offChain.crossLinks.processed.values()].map((c) => ({
      shard_id: c.shardId,
      number: c.blockNumber,
    })),
    reward_accumulator: offChain.rewardAccumulator,
    spent: [...state.spent].sort(),
  };
}

const handler: Handler = {
  runner: "chain",
  handler: "blocks",
  preset: "localnet",
  config: {},
  covers: ["genesisChain", "processBlock", "decodeBlock", "withCommitSig", "heldSupply"],
  run: async (inputs): Promise<Fields> => {
    let state = genesisFrom(inputs.genesis as DecodedFields);
    const roots: Uint8Array[] = [];
    const blocks = inputs.blocks as DecodedFields[];
    for (let i = 0; i < blocks.length; i++) {
      const commitSig = bytes(blocks[i].commit_sig);
      try {
        const block = decodeBlock(bytes(blocks[i].block));
        const processed = await processBlock(state, block, ownLookups(state), commitSig);
        state = withCommitSig(processed.state, commitSig);
        roots.push(state.head.root);
      } catch (e) {
        if (!isSpecError(e)) throw e;
        return { roots, invalid_block: i, error: e.code };
      }
    }
    return { roots, summary: summaryOf(state) };
  },
};

// --- the cases -----------------------------------------------------------------------------------

const run = await scenario(24n);
const beacon = run.beacon;

/** The genesis of the run's beacon chain, as vector data. */
const GENESIS: Fields = {
  shard_id: 0n,
  timestamp: GENESIS_TIME,
  extra: genesisOf(0n).block.header.extra,
  allocations: allocations(0n).map((a) => ({ address: a.address, balance: a.balance })),
  committee: encodeShardState(GENESIS_COMMITTEE, false),
  harmony_accounts: CONFIG.accounts.LocalHarmonyAccountsV2.map((a) => ({
    address: a.address,
    bls_public_key: a.blsPublicKey,
  })),
  foundational_accounts: CONFIG.accounts.LocalFnAccountsV2.map((a) => ({
    address: a.address,
    bls_public_key: a.blsPublicKey,
  })),
};

/** Blocks 1..`last` of the run, the block at `changed` replaced. */
function blocksTo(last: number, changed?: { at: number; block: Block; commitSig?: Uint8Array }) {
  return beacon.blocks.slice(0, last).map((b, i) => {
    const replaced = changed !== undefined && changed.at === i + 1;
    return {
      block: encodeBlock(replaced ? changed.block : b.block),
      commit_sig: replaced && changed.commitSig !== undefined ? changed.commitSig : b.commitSig,
    };
  });
}

/** The header roots of blocks 1..n. */
const rootsTo = (n: number) => beacon.blocks.slice(0, n).map((b) => b.block.header.root);

/** Block `n` with header fields replaced. */
function withHeader(n: number, change: Partial<Header>): Block {
  const { block } = beacon.blocks[n - 1];
  return { header: { ...block.header, ...change }, body: block.body };
}

/**
 * Block `n` rebuilt on its parent with changed header fields or body, roots recomputed (with an
 * empty spent set when `respend`, so that a spent proof can be built in).
 */
async function resealed(
  n: number,
  change: Partial<Header>,
  body = beacon.blocks[n - 1].block.body,
  respend = false,
): Promise<Block> {
  const parentEntry = beacon.blocks[n - 2];
  const parent = withCommitSig(parentEntry.processed.state, parentEntry.commitSig);
  const header = { ...beacon.blocks[n - 1].block.header, ...change };
  const { ctx } = blockContextOf(parent, ownLookups(parent), header, "propose");
  if (respend) ctx.spent = new Set();
  return (await buildBlock(LOCALNET, parent.world, { header, body }, ctx)).block;
}

/** A refused chain: blocks 1..n with block n changed. */
function refused(
  name: string,
  description: string,
  n: number,
  block: Block,
  error: string,
  commitSig?: Uint8Array,
): Case {
  return {
    name,
    description,
    inputs: { genesis: GENESIS, blocks: blocksTo(n, { at: n, block, commitSig }) },
    expect: { roots: rootsTo(n - 1), invalid_block: n - 1, error },
  };
}

const h3 = beacon.blocks[2].block.header;
const h8 = beacon.blocks[7].block.header;

const valid: Case = {
  name: "beacon_chain_into_the_first_staking_epoch",
  description: "Blocks 1–24 of a localnet beacon chain: transfers, a receipt proof from shard 1, " +
    "two validators created, a delegation and an undelegation, the election of epoch 2 at " +
    "block 20, and crosslinks of shard 1 from block 22.",
  inputs: { genesis: GENESIS, blocks: blocksTo(24) },
  check: (outputs) => {
    const roots = outputs.roots as Uint8Array[];
    const claimed = rootsTo(24).map(toHex);
    if (roots.map(toHex).join() !== claimed.join()) throw new Error("roots differ from headers");
    const summary = outputs.summary as DecodedFields;
    const validators = (summary.validators as Uint8Array[]).map(toHex);
    if (validators.join() !== [V1, V2].map((v) => toHex(v.address)).join()) {
      throw new Error("validators");
    }
    const supply = summary.supply as DecodedFields;
    // 24 ONE for each of blocks 2–20 before Staking; 5 ONE received from shard 1.
    if (big(supply.received) !== 5n * ONE) throw new Error("received");
    if (big(supply.issued) < 19n * 24n * ONE) throw new Error("issued");
    const accounted = accountedSupply({
      genesis: big(supply.genesis),
      issued: big(supply.issued),
      burnt: big(supply.burnt),
      sent: big(supply.sent),
      received: big(supply.received),
    });
    if (big(summary.held_supply) !== accounted) throw new Error("supply not conserved");
    const links = (summary.crosslinks as DecodedFields[]).map((c) =>
      `${big(c.shard_id)}:${big(c.number)}`
    );
    if (links.sort().join() !== ["1:21", "1:22", "1:23"].join()) {
      throw new Error(`crosslinks ${links}`);
    }
    if (!(summary.spent as string[]).includes("1:6")) throw new Error("spent");
  },
};

const cases: Case[] = [
  valid,
  refused(
    "state_root_mismatch",
    "Block 3 claims another state root.",
    3,
    withHeader(3, { root: h8.root }),
    "execution/state-root-mismatch",
  ),
  refused(
    "epoch_mismatch",
    "Block 3 claims epoch 1 while its parent is in epoch 0 and does not end it.",
    3,
    withHeader(3, { epoch: 1n }),
    "chain/epoch-mismatch",
  ),
  refused(
    "vrf_output_mismatch",
    "Block 3's VRF output is not the SHA-256 of its proof.",
    3,
    withHeader(3, { vrf: concatBytes(new Uint8Array(32), h3.vrf.slice(32)) }),
    "vrf/output-mismatch",
  ),
  refused(
    "seal_of_another_block",
    "Block 7 carries block 8's last-commit signature: not a certificate of block 6.",
    7,
    withHeader(7, { lastCommitSignature: h8.lastCommitSignature }),
    "fbft/bad-quorum-signature",
  ),
  refused(
    "certificate_of_another_block",
    "Block 3 comes with block 2's commit certificate.",
    3,
    beacon.blocks[2].block,
    "fbft/bad-quorum-signature",
    beacon.blocks[1].commitSig,
  ),
  refused(
    "receipt_proof_spent",
    "Block 9 credits again the receipt proof block 8 credited (its roots recomputed).",
    9,
    await resealed(9, {}, {
      ...beacon.blocks[8].block.body,
      incomingReceipts: beacon.blocks[7].block.body.incomingReceipts,
    }, true),
    "cxproof/already-spent",
  ),
  refused(
    "election_mismatch",
    "Block 20, the last of epoch 1, carries committees other than the election's.",
    20,
    withHeader(20, { shardState: otherElection() }),
    "transition/shard-state-mismatch",
  ),
  refused(
    "crosslink_already_processed",
    "Block 23 repeats block 22's crosslink (its roots recomputed).",
    23,
    await resealed(23, { crossLinks: beacon.blocks[21].block.header.crossLinks }),
    "crosslink/already-processed",
  ),
];

/** The committees block 20 carries, with the last beacon slot dropped. */
function otherElection(): Uint8Array {
  const state = beacon.blocks[19].processed.state.shardStates.get(2n)!;
  const shards = state.shards.map((c, i) => i === 0 ? { ...c, slots: c.slots.slice(0, -1) } : c);
  return encodeShardState({ ...state, shards }, true);
}

/** The `chain/blocks` suite. */
export const CHAIN_BLOCKS_SUITE = suite(handler, cases);
