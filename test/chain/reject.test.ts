/**
 * Blocks that must be refused: any header field or certificate altered (a property), and one
 * block per rule with the code that rule gives. The blocks come from the scenario run; each is
 * checked on its parent's state.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Block } from "../../spec/chain/body.ts";
import { committeeOf, ownLookups } from "../../spec/chain/context.ts";
import { BLS_SIGNATURE_BYTES } from "../../spec/crypto/bls.ts";
import {
  type Header,
  HEADER_FIELD_TYPES,
  HEADER_LAYOUTS,
  type HeaderFieldName,
} from "../../spec/chain/header.ts";
import { blockContextOf, processBlock } from "../../spec/chain/process.ts";
import type { ChainState } from "../../spec/chain/state.ts";
import { withCommitSig } from "../../spec/chain/view.ts";
import { concatBytes } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { buildBlock } from "../../spec/execution/block.ts";
import { decodeCrossLinks, encodeCrossLinks } from "../../spec/sharding/crosslink.ts";
import { encodeShardState } from "../../spec/sharding/shard-state.ts";
import { catchesAsync, holdsAsync } from "../support/property.ts";
import { scenario } from "./scenario.ts";
import { genesisOf, NET } from "./world.ts";

const s = await scenario(47n);
const beacon = s.beacon;

/** The beacon chain's state before block `n`, its head's certificate attached. */
function parentOf(n: number): ChainState {
  if (n === 1) return genesisOf(0n).state;
  const entry = beacon.blocks[n - 2];
  return withCommitSig(entry.processed.state, entry.commitSig);
}

/** Block `n` of the beacon chain and its certificate. */
function blockAt(n: number): { block: Block; commitSig: Uint8Array } {
  return beacon.blocks[n - 1];
}

/** The code a block is refused with, or null when it is accepted. */
async function refusal(n: number, block: Block, commitSig?: Uint8Array) {
  const parent = parentOf(n);
  try {
    await processBlock(parent, block, ownLookups(parent), commitSig);
    return null;
  } catch (e) {
    if (isSpecError(e)) return e.code;
    throw e;
  }
}

/** A field's value changed: one bit of a byte string, or an integer plus one. */
function altered(header: Header, name: HeaderFieldName): Header {
  const value = header[name];
  if (typeof value === "bigint") return { ...header, [name]: value + 1n };
  const bytes = (value as Uint8Array).slice();
  if (bytes.length === 0) return { ...header, [name]: Uint8Array.of(1) };
  bytes[bytes.length - 1] ^= 1;
  return { ...header, [name]: bytes };
}

/** Blocks with something in them: staking transactions, a receipt proof, an election, a crosslink, a slash, a reward block. */
const SAMPLES = [7, 8, 20, 22, 30, 47];

const fieldOf = (n: number) => fc.constantFrom(...HEADER_LAYOUTS[blockAt(n).block.header.version]);

const alteredBlock = fc.constantFrom(...SAMPLES).chain((n) =>
  fieldOf(n).map((field) => ({ n, field }))
);

test("property: a block with any header field altered is refused with a code", async () => {
  await holdsAsync(
    fc.asyncProperty(alteredBlock, async ({ n, field }) => {
      const { block, commitSig } = blockAt(n);
      const changed = { header: altered(block.header, field), body: block.body };
      return (await refusal(n, changed, commitSig)) !== null;
    }),
    24,
  );
});

test("property: without the block's own certificate, some altered fields go unnoticed", async () => {
  // The broken rule: processing a block without checking its commit certificate. Fields no other
  // rule reads (time, extra, mix digest, view ID, gas limit) then pass.
  await catchesAsync(
    fc.asyncProperty(alteredBlock, async ({ n, field }) => {
      const { block } = blockAt(n);
      return (await refusal(n, { header: altered(block.header, field), body: block.body })) !==
        null;
    }),
    24,
  );
});

test("property: a block with its certificate altered is refused", async () => {
  const certificate = fc.record({
    n: fc.constantFrom(...SAMPLES),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  });
  await holdsAsync(
    fc.asyncProperty(certificate, async ({ n, at, bit }) => {
      const { block, commitSig } = blockAt(n);
      const index = at % commitSig.length;
      // The bitmap's padding bits (past the last committee member) are ignored, as Go's SetMask
      // ignores them: flipping one changes nothing, so it is not an alteration of the certificate.
      const seat = (index - BLS_SIGNATURE_BYTES) * 8 + bit;
      const members =
        committeeOf(parentOf(n), block.header.shardId, block.header.epoch).slots.length;
      fc.pre(index < BLS_SIGNATURE_BYTES || seat < members);
      const sig = commitSig.slice();
      sig[index] ^= 1 << bit;
      return (await refusal(n, block, sig)) !== null;
    }),
    12,
  );
});

test("property: a certificate check that is not run lets an altered certificate pass", async () => {
  // The broken rule: the certificate given with the block is not checked.
  const certificate = fc.record({ n: fc.constantFrom(...SAMPLES), at: fc.nat() });
  await catchesAsync(
    fc.asyncProperty(certificate, async ({ n }) => {
      const { block } = blockAt(n);
      return (await refusal(n, block)) !== null;
    }),
    4,
  );
});

/** Re-completes a block on its parent with a changed template, so its roots match again. */
async function resealed(n: number, change: Partial<Header>): Promise<Block> {
  const parent = parentOf(n);
  const { block } = blockAt(n);
  const header = { ...block.header, ...change };
  const { ctx } = blockContextOf(parent, ownLookups(parent), header, "propose");
  return (await buildBlock(NET, parent.world, { header, body: block.body }, ctx)).block;
}

/** A block with one header field replaced, as it is (roots unchanged). */
function withHeader(n: number, change: Partial<Header>): Block {
  const { block } = blockAt(n);
  return { header: { ...block.header, ...change }, body: block.body };
}

test("each rule refuses its fault with its own code", async () => {
  const h7 = blockAt(7).block.header;
  const h8 = blockAt(8).block.header;
  const cases: [string, number, () => Block | Promise<Block>, SpecErrorCode][] = [
    ["another shard", 7, () => withHeader(7, { shardId: 1n }), "chain/wrong-shard"],
    ["a later epoch", 7, () => withHeader(7, { epoch: 2n }), "chain/epoch-mismatch"],
    [
      "another parent",
      7,
      () => withHeader(7, { parentHash: h8.parentHash }),
      "execution/block-parent-mismatch",
    ],
    ["another number", 7, () => withHeader(7, { number: 8n }), "execution/block-number-mismatch"],
    [
      "the seal of another block",
      7,
      () => withHeader(7, { lastCommitSignature: h8.lastCommitSignature }),
      "fbft/bad-quorum-signature",
    ],
    [
      "a seal nobody signed (staking era)",
      30,
      () =>
        withHeader(30, {
          lastCommitBitmap: new Uint8Array(blockAt(30).block.header.lastCommitBitmap.length),
        }),
      "fbft/no-quorum",
    ],
    [
      "a seal nobody signed (before Staking: any bitmap is a quorum, the signature fails)",
      7,
      () => withHeader(7, { lastCommitBitmap: new Uint8Array(2) }),
      "fbft/bad-quorum-signature",
    ],
    [
      "another VRF output",
      7,
      () => withHeader(7, { vrf: concatBytes(new Uint8Array(32), h7.vrf.slice(32)) }),
      "vrf/output-mismatch",
    ],
    ["the VRF of another block", 7, () => withHeader(7, { vrf: h8.vrf }), "vrf/invalid-proof"],
    [
      "a short VRF field",
      7,
      () => withHeader(7, { vrf: h7.vrf.slice(1) }),
      "vrf/invalid-field-length",
    ],
    [
      "a coinbase of no committee slot",
      7,
      () => withHeader(7, { coinbase: new Uint8Array(20) }),
      "chain/unknown-coinbase",
    ],
    [
      "a malformed DRG record",
      7,
      () => withHeader(7, { vdf: Uint8Array.of(9) }),
      "drg/malformed-record",
    ],
    [
      "a wrong state root",
      7,
      () => withHeader(7, { root: h8.root }),
      "execution/state-root-mismatch",
    ],
    [
      "a wrong transaction root",
      7,
      () => withHeader(7, { txHash: h8.txHash }),
      "execution/tx-root-mismatch",
    ],
    [
      "a wrong gas used",
      7,
      () => withHeader(7, { gasUsed: h7.gasUsed + 1n }),
      "execution/gas-used-mismatch",
    ],
    [
      "a wrong incoming receipt root",
      8,
      () => withHeader(8, { incomingReceiptHash: h7.incomingReceiptHash }),
      "cxproof/incoming-root-mismatch",
    ],
    [
      "another election",
      20,
      () => resealed(20, { shardState: otherShardState() }),
      "transition/shard-state-mismatch",
    ],
    [
      "a crosslink already processed",
      23,
      () => resealed(23, { crossLinks: blockAt(22).block.header.crossLinks }),
      "crosslink/already-processed",
    ],
    [
      "a crosslink of a pre-crosslink epoch",
      23,
      () => resealed(23, { crossLinks: earlyCrossLink() }),
      "crosslink/not-crosslink-epoch",
    ],
  ];
  for (const [what, n, make, code] of cases) {
    assert.equal(await refusal(n, await make()), code, what);
  }
  // A block is accepted as it is, with or without its certificate.
  assert.equal(await refusal(7, blockAt(7).block), null);
  assert.equal(await refusal(7, blockAt(7).block, blockAt(7).commitSig), null);
  // A certificate of another block is refused.
  assert.equal(
    await refusal(7, blockAt(7).block, blockAt(8).commitSig),
    "fbft/bad-quorum-signature",
  );
});

/** The shard state block 20 carries, with the last slot of the beacon committee dropped. */
function otherShardState(): Uint8Array {
  const state = beacon.blocks[19].processed.state.shardStates.get(2n)!;
  const shards = state.shards.map((c, i) => i === 0 ? { ...c, slots: c.slots.slice(0, -1) } : c);
  return encodeShardState({ ...state, shards }, true);
}

/** A crosslink of shard 1's block 3, an epoch-0 block (before `CrossLink`). */
function earlyCrossLink(): Uint8Array {
  const [cl] = decodeCrossLinks(blockAt(22).block.header.crossLinks);
  return encodeCrossLinks([{ ...cl, blockNumber: 3n, epoch: 0n }]);
}

test("altering a field always changes its value", () => {
  for (const name of Object.keys(HEADER_FIELD_TYPES) as HeaderFieldName[]) {
    const h = blockAt(7).block.header;
    assert.notDeepEqual(altered(h, name)[name], h[name], name);
  }
});
