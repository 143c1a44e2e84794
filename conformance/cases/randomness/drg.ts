/**
 * Conformance cases for the `randomness` runner, DRG section: one epoch of the distributed
 * randomness generation (beyond the Go node), as a sequence of contributions and beacon blocks.
 * The format is in `conformance/formats/randomness.md` (section "DRG").
 *
 * Where the inputs and expectations come from:
 * - contributions: herumi's mcl (mcl-wasm) signs SHA-256(input) and node:crypto hashes the proof;
 * - pRnd: the XOR of those outputs, folded here; commitment records are written here by hand
 *   from the layout in the format document;
 * - the VDF output is an input of the cases (made with the VDF of `spec/randomness/vdf.ts`, whose
 *   own tests hold it to harmony-one/vdf's published outputs); the expected randomness is the
 *   SHA-256 (node:crypto) of its first half;
 * - rejections: each input is built to break exactly one rule of the DRG.
 *
 * The VDF runs with a 256-bit discriminant and 40 iterations so that the vectors replay in
 * milliseconds; the parameters are inputs of every vector.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { concatBytes } from "../../../spec/encoding/bytes.ts";
import {
  drgApplyBlock,
  type DrgContribution,
  type DrgEpoch,
  drgProposeCommitment,
  drgReceiveContribution,
  drgStartEpoch,
  epochRandomness,
} from "../../../spec/randomness/drg.ts";
import { vdfGenerate } from "../../../spec/randomness/vdf.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { inputBytes as bytes, inputUint as uint } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { mclPublicKey, mclSignHash } from "../../../test/support/mcl-oracle.ts";

// ---------------------------------------------------------------- reading inputs

function small(inputs: DecodedFields, name: string): number {
  const value = uint(inputs, name);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`input ${name} is too large`);
  return Number(value);
}

function record(inputs: DecodedFields, name: string): DecodedFields {
  const value = inputs[name];
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) {
    throw new Error(`input ${name} must be a map`);
  }
  return value as DecodedFields;
}

function list(inputs: DecodedFields, name: string): DecodedFields[] {
  const value = inputs[name];
  if (!Array.isArray(value)) throw new Error(`input ${name} must be a list`);
  return value as DecodedFields[];
}

function byteStrings(inputs: DecodedFields, name: string): Uint8Array[] {
  const value = inputs[name];
  if (!Array.isArray(value) || !value.every((v) => v instanceof Uint8Array)) {
    throw new Error(`input ${name} must be a list of byte strings`);
  }
  return value as Uint8Array[];
}

// ---------------------------------------------------------------- the handler

function startFromInputs(inputs: DecodedFields): DrgEpoch {
  const params = record(inputs, "params");
  return drgStartEpoch({
    epoch: uint(inputs, "epoch"),
    input: bytes(inputs, "input"),
    committee: byteStrings(inputs, "committee"),
    firstBlock: uint(inputs, "first_block"),
    lastBlock: uint(inputs, "last_block"),
    params: {
      delayBlocks: uint(params, "delay_blocks"),
      iterations: small(params, "iterations"),
      discriminantBits: small(params, "discriminant_bits"),
    },
  });
}

function step(state: DrgEpoch, s: DecodedFields): DrgEpoch {
  switch (s.kind) {
    case "contribution":
      return drgReceiveContribution(state, {
        slot: small(s, "slot"),
        output: bytes(s, "output"),
        proof: bytes(s, "proof"),
      });
    case "propose_commitment":
      return drgApplyBlock(state, uint(s, "block"), drgProposeCommitment(state));
    case "block":
      return drgApplyBlock(state, uint(s, "block"), bytes(s, "vdf"));
    default:
      throw new Error(`unknown step kind ${String(s.kind)}`);
  }
}

const sequenceHandler: Handler = {
  runner: "randomness",
  handler: "drg_sequence",
  preset: "general",
  config: {},
  covers: [
    "drgStartEpoch",
    "drgReceiveContribution",
    "drgProposeCommitment",
    "drgApplyBlock",
    "drgVerifyContribution",
    "drgCombine",
    "drgDecodeRecord",
    "drgVerifyCommitment",
    "drgVerifyRnd",
    "epochRandomness",
  ],
  run(inputs): Fields {
    let state = startFromInputs(inputs);
    for (const s of list(inputs, "steps")) state = step(state, s);
    return {
      p_rnd: state.commitment?.value.pRnd ?? null,
      commitment_block: state.commitment?.blockNumber ?? null,
      rnd_block: state.rnd?.blockNumber ?? null,
      randomness: epochRandomness(state),
    };
  },
};

// ---------------------------------------------------------------- the epoch of the cases

const text = (s: string) => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

function labelledKey(label: string): Uint8Array {
  const k = sha256(text(`harmony-spec drg ${label}`));
  k[31] &= 0x3f;
  return k;
}

function oracle<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`mcl refused ${what}`);
  return value;
}

function flipBit(b: Uint8Array, position: number): Uint8Array {
  const out = b.slice();
  out[position >> 3] ^= 1 << (position & 7);
  return out;
}

function xorAll(outputs: Uint8Array[]): Uint8Array {
  const acc = new Uint8Array(32);
  for (const o of outputs) for (let i = 0; i < 32; i++) acc[i] = acc[i] ^ o[i];
  return acc;
}

const N = 7; // more than 2/3 of 7 keys is 5
const SECRET_KEYS = Array.from({ length: N }, (_, i) => labelledKey(`key ${i}`));
const COMMITTEE = SECRET_KEYS.map((sk, i) => oracle(mclPublicKey(sk), `key ${i}`));
const INPUT = sha256(text("harmony-spec drg: hash of the last block of epoch 4"));
const PARAMS = { delay_blocks: 2n, iterations: 40n, discriminant_bits: 256n };
const FIRST = 100n;
const LAST = 115n;

/** Slot i's contribution according to mcl: proof = SignHash(sk_i, SHA-256(input)). */
const CONTRIBUTIONS: DrgContribution[] = SECRET_KEYS.map((sk, slot) => {
  const proof = oracle(mclSignHash(sk, sha256(INPUT)), `contribution ${slot}`);
  return { slot, output: sha256(proof), proof };
});

function contributionStep(c: DrgContribution): Fields {
  return { kind: "contribution", slot: BigInt(c.slot), output: c.output, proof: c.proof };
}

const contribute = (slots: number[]) => slots.map((s) => contributionStep(CONTRIBUTIONS[s]));
const proposeAt = (block: bigint): Fields => ({ kind: "propose_commitment", block });
const blockAt = (block: bigint, vdf: Uint8Array): Fields => ({ kind: "block", block, vdf });

/** The bitmap of some slots of the 7: one byte, slot i = bit i. */
function bitmapOf(slots: number[]): Uint8Array {
  let b = 0;
  for (const s of slots) b |= 1 << s;
  return new Uint8Array([b]);
}

/** A commitment record written from the layout: 0x01 ‖ pRnd ‖ bitmap ‖ (output ‖ proof)…. */
function commitmentRecord(slots: number[], pRnd?: Uint8Array): Uint8Array {
  const sorted = [...slots].sort((a, b) => a - b);
  const cs = sorted.map((s) => CONTRIBUTIONS[s]);
  return concatBytes(
    new Uint8Array([0x01]),
    pRnd ?? xorAll(cs.map((c) => c.output)),
    bitmapOf(sorted),
    ...cs.flatMap((c) => [c.output, c.proof]),
  );
}

const FIVE = [4, 0, 2, 1, 3];
const P_RND_FIVE = xorAll(FIVE.map((s) => CONTRIBUTIONS[s].output));
const P_RND_ALL = xorAll(CONTRIBUTIONS.map((c) => c.output));
const vdf = (seed: Uint8Array, t = 40, bits = 256) => vdfGenerate(seed, t, bits);
const VDF_FIVE = vdf(P_RND_FIVE);
const VDF_ALL = vdf(P_RND_ALL);
const rndRecord = (output: Uint8Array) => concatBytes(new Uint8Array([0x02]), output);
const randomnessOf = (output: Uint8Array) => sha256(output.slice(0, output.length / 2));

function sequenceCase(
  name: string,
  description: string,
  steps: Fields[],
  expect: Case["expect"],
): Case {
  return {
    name,
    description,
    inputs: {
      epoch: 5n,
      input: INPUT,
      committee: COMMITTEE,
      first_block: FIRST,
      last_block: LAST,
      params: PARAMS,
      steps,
    },
    expect,
  };
}

const nothing = { p_rnd: null, commitment_block: null, rnd_block: null, randomness: null };
const committedFive = {
  p_rnd: P_RND_FIVE,
  commitment_block: 102n,
  rnd_block: null,
  randomness: null,
};
const FIVE_COMMITTED = [...contribute(FIVE), proposeAt(102n)];

const sequenceCases: Case[] = [
  sequenceCase("no_steps", "Nothing happened: no pRnd, no randomness.", [], nothing),
  sequenceCase(
    "valid_five_of_seven",
    "Five of seven keys contribute (in any order), the leader commits pRnd at block 102, the VDF " +
      "output comes at 104 (k = 2): the epoch's randomness is SHA-256(y).",
    [...FIVE_COMMITTED, blockAt(104n, rndRecord(VDF_FIVE))],
    {
      p_rnd: P_RND_FIVE,
      commitment_block: 102n,
      rnd_block: 104n,
      randomness: randomnessOf(VDF_FIVE),
    },
  ),
  sequenceCase(
    "valid_all_seven_at_the_edges",
    "All seven contribute; pRnd in the epoch's first block, Rnd in the block before the last.",
    [
      ...contribute([6, 5, 4, 3, 2, 1, 0]),
      proposeAt(FIRST),
      blockAt(LAST - 1n, rndRecord(VDF_ALL)),
    ],
    {
      p_rnd: P_RND_ALL,
      commitment_block: FIRST,
      rnd_block: LAST - 1n,
      randomness: randomnessOf(VDF_ALL),
    },
  ),
  sequenceCase(
    "valid_record_from_another_leader",
    "A validator with no pool applies the leader's block: the record written from the layout.",
    [blockAt(102n, commitmentRecord(FIVE)), blockAt(110n, rndRecord(VDF_FIVE))],
    {
      p_rnd: P_RND_FIVE,
      commitment_block: 102n,
      rnd_block: 110n,
      randomness: randomnessOf(VDF_FIVE),
    },
  ),
  sequenceCase(
    "commitment_without_rnd",
    "pRnd committed but no VDF output by the end: no randomness for the next epoch.",
    [...FIVE_COMMITTED, blockAt(103n, new Uint8Array(0)), blockAt(LAST, new Uint8Array(0))],
    committedFive,
  ),
  sequenceCase(
    "duplicate_contribution_ignored",
    "The same contribution twice changes nothing.",
    [...contribute([0, 0, 1, 2, 3, 4]), proposeAt(102n)],
    committedFive,
  ),
  sequenceCase(
    "too_few_contributions_proposed",
    "Four of seven is not more than 2/3: the leader cannot form pRnd.",
    [...contribute([0, 1, 2, 3]), proposeAt(102n)],
    { error: "drg/too-few-contributions" },
  ),
  sequenceCase(
    "too_few_contributions_in_record",
    "A block committing pRnd from four of seven keys.",
    [blockAt(102n, commitmentRecord([0, 1, 2, 3]))],
    { error: "drg/too-few-contributions" },
  ),
  sequenceCase(
    "invalid_contribution_received",
    "Slot 5 sends slot 6's proof and output: it does not verify under slot 5's key.",
    [contributionStep({ ...CONTRIBUTIONS[6], slot: 5 })],
    { error: "drg/invalid-contribution" },
  ),
  sequenceCase(
    "invalid_contribution_in_record",
    "A record whose slot-2 proof is slot 5's (pRnd recomputed from the outputs it carries).",
    [
      blockAt(
        102n,
        (() => {
          const r = commitmentRecord(FIVE);
          const at = 1 + 32 + 1 + 2 * 128 + 32; // slot 2's proof
          r.set(CONTRIBUTIONS[5].proof, at);
          return r;
        })(),
      ),
    ],
    { error: "drg/invalid-contribution" },
  ),
  sequenceCase(
    "contribution_output_changed_in_record",
    "A record whose slot-0 output has one bit flipped, pRnd adjusted to match.",
    [
      blockAt(
        102n,
        (() => {
          const r = commitmentRecord(FIVE, flipBit(P_RND_FIVE, 0));
          r[1 + 32 + 1] ^= 1; // first bit of slot 0's output
          return r;
        })(),
      ),
    ],
    { error: "drg/invalid-contribution" },
  ),
  sequenceCase(
    "prnd_mismatch",
    "A record whose pRnd is not the XOR of its outputs.",
    [blockAt(102n, commitmentRecord(FIVE, flipBit(P_RND_FIVE, 255)))],
    { error: "drg/prnd-mismatch" },
  ),
  sequenceCase(
    "contribution_changed_before_commitment",
    "Slot 2 contributes, then sends a different output: a contribution is final.",
    [
      ...contribute([2]),
      contributionStep({ ...CONTRIBUTIONS[2], output: flipBit(CONTRIBUTIONS[2].output, 3) }),
    ],
    { error: "drg/contribution-changed" },
  ),
  sequenceCase(
    "contribution_changed_after_commitment",
    "After the commitment, slot 0 presents a different proof than the committed one.",
    [...FIVE_COMMITTED, contributionStep({ ...CONTRIBUTIONS[0], proof: CONTRIBUTIONS[1].proof })],
    { error: "drg/contribution-changed" },
  ),
  sequenceCase(
    "contribution_after_commitment",
    "After the commitment no new slot is collected, even a valid one.",
    [...FIVE_COMMITTED, ...contribute([6])],
    { error: "drg/already-committed" },
  ),
  sequenceCase(
    "slot_out_of_range",
    "A committee of seven has slots 0 to 6.",
    [contributionStep({ ...CONTRIBUTIONS[6], slot: 7 })],
    { error: "drg/slot-out-of-range" },
  ),
  sequenceCase(
    "second_commitment",
    "pRnd is committed once per epoch.",
    [...FIVE_COMMITTED, blockAt(103n, commitmentRecord([0, 1, 2, 3, 4, 5]))],
    { error: "drg/already-committed" },
  ),
  sequenceCase(
    "unknown_record_tag",
    "A Vdf field starting with 0x03.",
    [blockAt(102n, new Uint8Array([0x03]))],
    { error: "drg/malformed-record" },
  ),
  sequenceCase(
    "record_padding_bit",
    "A commitment whose bitmap enables slot 7 of a committee of 7 (a padding bit).",
    [
      blockAt(
        102n,
        (() => {
          const r = commitmentRecord(FIVE);
          r[33] |= 0x80;
          return r;
        })(),
      ),
    ],
    { error: "drg/malformed-record" },
  ),
  sequenceCase(
    "record_truncated",
    "A commitment one byte short of its five contributions.",
    [blockAt(102n, commitmentRecord(FIVE).slice(0, -1))],
    { error: "drg/malformed-record" },
  ),
  sequenceCase(
    "block_outside_epoch",
    "A block after the epoch's last block.",
    [blockAt(LAST + 1n, commitmentRecord(FIVE))],
    { error: "drg/block-outside-epoch" },
  ),
  sequenceCase(
    "rnd_without_commitment",
    "A VDF output before any pRnd.",
    [blockAt(104n, rndRecord(VDF_FIVE))],
    { error: "drg/no-commitment" },
  ),
  sequenceCase(
    "rnd_too_early",
    "The VDF output one block after the commitment; k = 2.",
    [...FIVE_COMMITTED, blockAt(103n, rndRecord(VDF_FIVE))],
    { error: "drg/rnd-too-early" },
  ),
  sequenceCase(
    "rnd_too_late",
    "The VDF output in the epoch's last block, which carries the next committee.",
    [...FIVE_COMMITTED, blockAt(LAST, rndRecord(VDF_FIVE))],
    { error: "drg/rnd-too-late" },
  ),
  sequenceCase(
    "second_rnd",
    "The VDF output is committed once.",
    [...FIVE_COMMITTED, blockAt(104n, rndRecord(VDF_FIVE)), blockAt(105n, rndRecord(VDF_FIVE))],
    { error: "drg/already-committed" },
  ),
  sequenceCase(
    "wrong_vdf_output_bit_flip",
    "The VDF output with one bit of y flipped.",
    [...FIVE_COMMITTED, blockAt(104n, rndRecord(flipBit(VDF_FIVE, 40)))],
    { error: "drg/wrong-vdf-output" },
  ),
  sequenceCase(
    "wrong_vdf_output_proof_bit_flip",
    "The VDF output with one bit of the proof π flipped.",
    [...FIVE_COMMITTED, blockAt(104n, rndRecord(flipBit(VDF_FIVE, VDF_FIVE.length * 4 + 40)))],
    { error: "drg/wrong-vdf-output" },
  ),
  sequenceCase(
    "wrong_vdf_output_other_seed",
    "The VDF output of all seven contributions offered for the pRnd of five.",
    [...FIVE_COMMITTED, blockAt(104n, rndRecord(VDF_ALL))],
    { error: "drg/wrong-vdf-output" },
  ),
  sequenceCase(
    "wrong_vdf_output_other_iterations",
    "The VDF of the right pRnd with T + 1 squarings.",
    [...FIVE_COMMITTED, blockAt(104n, rndRecord(vdf(P_RND_FIVE, 41)))],
    { error: "drg/wrong-vdf-output" },
  ),
  sequenceCase(
    "wrong_vdf_output_empty",
    "An Rnd record with no output.",
    [...FIVE_COMMITTED, blockAt(104n, new Uint8Array([0x02]))],
    { error: "drg/wrong-vdf-output" },
  ),
];

/** The DRG suites. */
export const DRG_SUITES: Suite[] = [suite(sequenceHandler, sequenceCases)];
