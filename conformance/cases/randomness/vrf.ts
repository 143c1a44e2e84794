/**
 * Conformance cases for the `randomness` runner, VRF section: Harmony's BLS-VRF, the header's
 * `Vrf` field and the precompile at `0xff`. The format is in `conformance/formats/randomness.md`
 * (section "VRF").
 *
 * Where the expectations come from, never from the spec:
 * - evaluations: herumi's mcl (mcl-wasm, set up as Harmony's build) signs SHA-256(alpha), and
 *   node:crypto hashes the proof;
 * - rejections: Harmony's Go tests (`bls_vrf_test.go`: another message's proof, truncation, bit
 *   flips) and the rules of `VerifyVRF`, each input built so that its reason is plain;
 * - precompile answers: Go's window `current − 257 < n < current`, worked out by hand for each
 *   block number, on a chain whose block n carries a recognizable field.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { bigintToFixedBytes, concatBytes } from "../../../spec/encoding/bytes.ts";
import { MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import {
  vrfEncodeField,
  vrfEvaluate,
  vrfOutputOfField,
  vrfPrecompileAvailable,
  vrfPrecompileGas,
  vrfPrecompileOutput,
  vrfVerify,
  vrfVerifyHeader,
} from "../../../spec/randomness/vrf.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { inputBytes as bytes, inputUint as uint } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { mclG2, mclPublicKey, mclSignHash } from "../../../test/support/mcl-oracle.ts";

// ---------------------------------------------------------------- reading inputs

/** The `headers` input: a list of `{ number, vrf }` records, as a lookup by block number. */
function headerLookup(inputs: DecodedFields): (n: bigint) => Uint8Array {
  const value = inputs.headers;
  if (!Array.isArray(value)) throw new Error("input headers must be a list");
  const table = new Map<bigint, Uint8Array>();
  for (const h of value) {
    const record = h as DecodedFields;
    table.set(uint(record, "number"), bytes(record, "vrf"));
  }
  return (n) => table.get(n) ?? new Uint8Array(0);
}

// ---------------------------------------------------------------- oracle values

const text = (s: string) => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

/** A deterministic secret key below r: SHA-256 of a label, top two bits cleared. */
function labelledKey(label: string): Uint8Array {
  const k = sha256(text(`harmony-spec vrf ${label}`));
  k[31] &= 0x3f;
  return k;
}

function oracle<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`mcl refused ${what}`);
  return value;
}

/** The VRF according to mcl and node:crypto: proof = SignHash(sk, SHA-256(alpha)). */
function oracleEvaluate(
  sk: Uint8Array,
  alpha: Uint8Array,
): { output: Uint8Array; proof: Uint8Array } {
  const proof = oracle(mclSignHash(sk, sha256(alpha)), "the proof");
  return { output: sha256(proof), proof };
}

function flipBit(b: Uint8Array, position: number): Uint8Array {
  const out = b.slice();
  out[position >> 3] ^= 1 << (position & 7);
  return out;
}

const SK = labelledKey("leader");
const PK = oracle(mclPublicKey(SK), "the leader key");
const PK_OTHER = oracle(mclPublicKey(labelledKey("other")), "the other key");
const PARENT = sha256(text("harmony-spec vrf parent block"));

// ---------------------------------------------------------------- vrf_evaluate

const evaluateHandler: Handler = {
  runner: "randomness",
  handler: "vrf_evaluate",
  preset: "general",
  config: {},
  covers: ["vrfEvaluate", "vrfEncodeField"],
  run(inputs) {
    const e = vrfEvaluate(bytes(inputs, "secret_key"), bytes(inputs, "alpha"));
    return { output: e.output, proof: e.proof, field: vrfEncodeField(e) };
  },
};

function evaluateCase(name: string, description: string, sk: Uint8Array, alpha: Uint8Array): Case {
  const e = oracleEvaluate(sk, alpha);
  return {
    name,
    description,
    inputs: { secret_key: sk, alpha },
    expect: { output: e.output, proof: e.proof, field: concatBytes(e.output, e.proof) },
  };
}

const evaluateCases: Case[] = [
  evaluateCase("data1", "The input of Go's TestVRF1.", SK, text("data1")),
  evaluateCase("data2", "The second input of Go's TestVRF2.", SK, text("data2")),
  evaluateCase("empty_input", 'The empty input: proof = SignHash(sk, SHA-256("")).', SK, text("")),
  evaluateCase("parent_hash", "A block's VRF: the input is a 32-byte parent hash.", SK, PARENT),
  evaluateCase(
    "long_input",
    "A 200-byte input: it is hashed first, so all of it matters.",
    SK,
    Uint8Array.from({ length: 200 }, (_, i) => i),
  ),
  evaluateCase(
    "other_key",
    "The same parent hash under another key.",
    labelledKey("other"),
    PARENT,
  ),
  {
    name: "secret_key_31_bytes",
    description: "A BLS secret key is exactly 32 bytes.",
    inputs: { secret_key: SK.slice(1), alpha: PARENT },
    expect: { error: "bls/invalid-length" },
  },
  {
    name: "secret_key_all_ff",
    description: "A BLS secret key must be below the group order r.",
    inputs: { secret_key: new Uint8Array(32).fill(0xff), alpha: PARENT },
    expect: { error: "bls/secret-key-out-of-range" },
  },
];

// ---------------------------------------------------------------- vrf_verify

const verifyHandler: Handler = {
  runner: "randomness",
  handler: "vrf_verify",
  preset: "general",
  config: {},
  covers: ["vrfVerify"],
  run: (inputs) => ({
    output: vrfVerify(bytes(inputs, "public_key"), bytes(inputs, "alpha"), bytes(inputs, "proof")),
  }),
};

const DATA = text("data");
const PROOF_DATA = oracleEvaluate(SK, DATA).proof;
const PROOF_DATA1 = oracleEvaluate(SK, text("data1")).proof;
const PROOF_DATA2 = oracleEvaluate(SK, text("data2")).proof;

function verifyCase(
  name: string,
  description: string,
  inputs: { public_key: Uint8Array; alpha: Uint8Array; proof: Uint8Array },
  expect: Case["expect"],
): Case {
  return { name, description, inputs, expect };
}

const verifyCases: Case[] = [
  verifyCase(
    "valid",
    "Go TestVRF1: the proof of an evaluation verifies and gives SHA-256(proof).",
    { public_key: PK, alpha: DATA, proof: PROOF_DATA },
    { output: sha256(PROOF_DATA) },
  ),
  verifyCase(
    "same_bytes_other_message",
    'Go TestVRF2: "data2" evaluated once verifies for another "data2".',
    { public_key: PK, alpha: text("data2"), proof: PROOF_DATA2 },
    { output: sha256(PROOF_DATA2) },
  ),
  verifyCase(
    "proof_of_other_message",
    'Go TestVRF2: the proof of "data1" offered for "data2" (ErrInvalidVRF).',
    { public_key: PK, alpha: text("data2"), proof: PROOF_DATA1 },
    { error: "vrf/invalid-proof" },
  ),
  verifyCase(
    "other_public_key",
    "A proof verifies only under the key that made it.",
    { public_key: PK_OTHER, alpha: DATA, proof: PROOF_DATA },
    { error: "vrf/invalid-proof" },
  ),
  verifyCase(
    "empty_proof",
    "Go ProofToHash: an empty proof is ErrInvalidVRF.",
    { public_key: PK, alpha: DATA, proof: new Uint8Array(0) },
    { error: "vrf/invalid-proof-length" },
  ),
  verifyCase(
    "right_truncated",
    "Go TestRightTruncateProof: the proof without its last byte.",
    { public_key: PK, alpha: DATA, proof: PROOF_DATA.slice(0, 95) },
    { error: "vrf/invalid-proof-length" },
  ),
  verifyCase(
    "left_truncated",
    "Go TestLeftTruncateProof: the proof without its first byte.",
    { public_key: PK, alpha: DATA, proof: PROOF_DATA.slice(1) },
    { error: "vrf/invalid-proof-length" },
  ),
  verifyCase(
    "one_byte_too_long",
    "97 bytes: the spec takes exactly 96 (Go would read the first 96; see the length deviation).",
    { public_key: PK, alpha: DATA, proof: concatBytes(PROOF_DATA, new Uint8Array(1)) },
    { error: "vrf/invalid-proof-length" },
  ),
  verifyCase(
    "parity_flag_flipped",
    "Go TestBitFlip, bit 767 (the y-parity flag): the negated signature is a point but not valid.",
    { public_key: PK, alpha: DATA, proof: flipBit(PROOF_DATA, 767) },
    { error: "vrf/invalid-proof" },
  ),
  verifyCase(
    "x_coordinate_too_large",
    "x.c0 set to 48 bytes of 0xff (flag bit kept clear): x ≥ p is not a BLS signature.",
    {
      public_key: PK,
      alpha: DATA,
      proof: concatBytes(
        new Uint8Array(47).fill(0xff),
        new Uint8Array([0x7f]),
        PROOF_DATA.slice(48),
      ),
    },
    { error: "vrf/malformed-proof" },
  ),
  verifyCase(
    "public_key_47_bytes",
    "A malformed public key is reported with the BLS code.",
    { public_key: PK.slice(1), alpha: DATA, proof: PROOF_DATA },
    { error: "bls/invalid-length" },
  ),
];

// Every single bit flip of the proof is rejected (Go TestBitFlip); the vectors carry a sample
// across the encoding: low bits of x.c0, of x.c1, and the top coordinate bits. mcl tells which
// flips still decode (then the pairing check fails) and which are not a signature at all.
for (const bit of [0, 1, 200, 383, 384, 500, 760, 766]) {
  const proof = flipBit(PROOF_DATA, bit);
  verifyCases.push({
    name: `bit_${bit}_flipped`,
    description: `Go TestBitFlip, bit ${bit}: the flipped proof is rejected.`,
    inputs: { public_key: PK, alpha: DATA, proof },
    expect: { error: mclG2(proof) === undefined ? "vrf/malformed-proof" : "vrf/invalid-proof" },
  });
}

// ---------------------------------------------------------------- vrf_header_field

/** The network configuration as vector data (it is plain data already). */
function configData(config: NetworkConfig): Fields {
  return config as unknown as Fields;
}

const headerHandler: Handler = {
  runner: "randomness",
  handler: "vrf_header_field",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: ["vrfVerifyHeader", "vrfParseField", "vrfCheck", "vrfOutputOfField"],
  run(inputs) {
    const field = bytes(inputs, "vrf");
    vrfVerifyHeader(
      MAINNET,
      uint(inputs, "epoch"),
      field,
      bytes(inputs, "leader_public_key"),
      bytes(inputs, "parent_hash"),
    );
    return { evm_output: vrfOutputOfField(field) };
  },
};

const VRF_EPOCH = 631n; // mainnet VRFEpoch
const GOOD = oracleEvaluate(SK, PARENT);
const GOOD_FIELD = concatBytes(GOOD.output, GOOD.proof);

function headerCase(
  name: string,
  description: string,
  epoch: bigint,
  vrf: Uint8Array,
  expect: Case["expect"],
  leader = PK,
  parent = PARENT,
): Case {
  return {
    name,
    description,
    inputs: { epoch, vrf, leader_public_key: leader, parent_hash: parent },
    expect,
  };
}

const headerCases: Case[] = [
  headerCase(
    "before_vrf_empty",
    "Epoch 630, before VRFEpoch: the field is empty; the EVM sees 32 zero bytes.",
    VRF_EPOCH - 1n,
    new Uint8Array(0),
    { evm_output: new Uint8Array(32) },
  ),
  headerCase(
    "before_vrf_present",
    'Epoch 630: a VRF before VRFEpoch is refused ("vrf data present in pre-vrf epoch").',
    VRF_EPOCH - 1n,
    GOOD_FIELD,
    { error: "vrf/unexpected-field" },
  ),
  headerCase(
    "valid",
    "Epoch 631: the leader's VRF over the parent hash, output ‖ proof.",
    VRF_EPOCH,
    GOOD_FIELD,
    { evm_output: GOOD.output },
  ),
  headerCase(
    "missing",
    'Epoch 631: an empty field ("no vrf proposed").',
    VRF_EPOCH,
    new Uint8Array(0),
    { error: "vrf/invalid-field-length" },
  ),
  headerCase(
    "127_bytes",
    "Epoch 631: the field must be exactly 128 bytes.",
    VRF_EPOCH,
    GOOD_FIELD.slice(0, 127),
    { error: "vrf/invalid-field-length" },
  ),
  headerCase(
    "129_bytes",
    "Epoch 631: the field must be exactly 128 bytes.",
    VRF_EPOCH,
    concatBytes(GOOD_FIELD, new Uint8Array(1)),
    { error: "vrf/invalid-field-length" },
  ),
  headerCase(
    "proof_and_output_swapped",
    "Epoch 631: proof ‖ output is 128 bytes but the order is output ‖ proof.",
    VRF_EPOCH,
    concatBytes(GOOD.proof, GOOD.output),
    { error: "vrf/malformed-proof" },
  ),
  headerCase(
    "other_leader",
    'Epoch 631: the VRF must be the coinbase leader\'s ("Failed VRF verification").',
    VRF_EPOCH,
    GOOD_FIELD,
    { error: "vrf/invalid-proof" },
    PK_OTHER,
  ),
  headerCase(
    "other_parent",
    "Epoch 631: the VRF is over the parent's hash, not another block's.",
    VRF_EPOCH,
    GOOD_FIELD,
    { error: "vrf/invalid-proof" },
    PK,
    sha256(PARENT),
  ),
  headerCase(
    "output_bit_flipped",
    'Epoch 631: the output must be SHA-256(proof) ("VRF proof is not valid").',
    VRF_EPOCH,
    flipBit(GOOD_FIELD, 0),
    { error: "vrf/output-mismatch" },
  ),
  headerCase(
    "output_of_other_block",
    "Epoch 631: a valid proof with another evaluation's output.",
    VRF_EPOCH,
    concatBytes(oracleEvaluate(SK, DATA).output, GOOD.proof),
    { error: "vrf/output-mismatch" },
  ),
];

// ---------------------------------------------------------------- vrf_precompile

const precompileHandler: Handler = {
  runner: "randomness",
  handler: "vrf_precompile",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: [
    "vrfPrecompileAvailable",
    "vrfPrecompileOutput",
    "vrfPrecompileBlock",
    "vrfPrecompileGas",
  ],
  run(inputs): Fields {
    const epoch = uint(inputs, "epoch");
    const input = bytes(inputs, "input");
    if (!vrfPrecompileAvailable(MAINNET, epoch)) return { available: false };
    const output = vrfPrecompileOutput(input, {
      config: MAINNET,
      epoch,
      blockNumber: uint(inputs, "block_number"),
      vrfFieldOf: headerLookup(inputs),
    });
    return { available: true, output, gas: vrfPrecompileGas(input) };
  },
};

const PREV_VRF_EPOCH = 689n; // mainnet PrevVRFEpoch

/** A recognizable 128-byte field for block n: the byte n mod 251 + 1, repeated. */
function fieldFor(n: bigint): Uint8Array {
  return new Uint8Array(128).fill(Number(n % 251n) + 1);
}

/** The headers of blocks `from..to` with recognizable fields (block 0: the empty field). */
function headers(from: bigint, to: bigint): Fields[] {
  const out: Fields[] = [];
  for (let n = from; n <= to; n++) {
    out.push({ number: n, vrf: n === 0n ? new Uint8Array(0) : fieldFor(n) });
  }
  return out;
}

const uint256 = (n: bigint) => bigintToFixedBytes(n, 32);

function precompileCase(
  name: string,
  description: string,
  epoch: bigint,
  current: bigint,
  input: Uint8Array,
  answered: bigint | "zero",
): Case {
  const lowest = current > 300n ? current - 300n : 0n;
  return {
    name,
    description,
    inputs: { epoch, block_number: current, input, headers: headers(lowest, current) },
    expect: {
      available: true,
      output: answered === "zero" ? new Uint8Array(32) : fieldFor(answered).slice(0, 32),
      gas: 2n,
    },
  };
}

const C = 10_000n; // the executing block in most cases
const precompileCases: Case[] = [
  {
    name: "before_vrf_not_a_precompile",
    description: "Epoch 630: 0xff is not in the precompile table yet.",
    inputs: { epoch: VRF_EPOCH - 1n, block_number: C, input: uint256(C), headers: [] },
    expect: { available: false },
  },
  precompileCase(
    "vrf_epoch_current",
    "Epoch 631 (before PrevVRF): the current block's VRF.",
    VRF_EPOCH,
    C,
    uint256(C),
    C,
  ),
  precompileCase(
    "before_prev_vrf_input_ignored",
    "Epoch 688: asking for the parent still gives the current block's VRF.",
    PREV_VRF_EPOCH - 1n,
    C,
    uint256(C - 1n),
    C,
  ),
  precompileCase(
    "prev_vrf_current",
    "Epoch 689: asking for the current block gives its VRF.",
    PREV_VRF_EPOCH,
    C,
    uint256(C),
    C,
  ),
  precompileCase(
    "prev_vrf_parent",
    "Epoch 689: asking for the parent gives the parent's VRF.",
    PREV_VRF_EPOCH,
    C,
    uint256(C - 1n),
    C - 1n,
  ),
  precompileCase(
    "prev_vrf_256_back",
    "Epoch 689: current − 256 is the oldest block answered.",
    PREV_VRF_EPOCH,
    C,
    uint256(C - 256n),
    C - 256n,
  ),
  precompileCase(
    "prev_vrf_257_back",
    "Epoch 689: current − 257 is too old; the current block's VRF instead.",
    PREV_VRF_EPOCH,
    C,
    uint256(C - 257n),
    C,
  ),
  precompileCase(
    "prev_vrf_future",
    "Epoch 689: a future block gives the current block's VRF.",
    PREV_VRF_EPOCH,
    C,
    uint256(C + 1n),
    C,
  ),
  precompileCase(
    "prev_vrf_short_input",
    "Epoch 689: the input is a big-endian number of any length; 2 bytes name the parent.",
    PREV_VRF_EPOCH,
    C,
    bigintToFixedBytes(C - 1n, 2),
    C - 1n,
  ),
  precompileCase(
    "prev_vrf_empty_input",
    "Epoch 689: empty input is block 0, far too old here: the current block's VRF.",
    PREV_VRF_EPOCH,
    C,
    new Uint8Array(0),
    C,
  ),
  precompileCase(
    "prev_vrf_64_byte_input",
    "Epoch 689: 64 bytes ending in the parent's number are a huge number: the current VRF.",
    PREV_VRF_EPOCH,
    C,
    concatBytes(new Uint8Array(31), new Uint8Array([1]), uint256(C - 1n)),
    C,
  ),
  precompileCase(
    "prev_vrf_genesis_in_window",
    "Epoch 689 at block 256: block 0 is in the window; its header has no VRF: 32 zero bytes.",
    PREV_VRF_EPOCH,
    256n,
    uint256(0n),
    "zero",
  ),
  precompileCase(
    "prev_vrf_genesis_out_of_window",
    "Epoch 689 at block 257: block 0 is 257 back: the current block's VRF.",
    PREV_VRF_EPOCH,
    257n,
    uint256(0n),
    257n,
  ),
  {
    name: "short_field_reads_as_zero",
    description: "A header whose Vrf field is shorter than 32 bytes gives 32 zero bytes.",
    inputs: {
      epoch: PREV_VRF_EPOCH,
      block_number: C,
      input: uint256(C - 1n),
      headers: [{ number: C - 1n, vrf: new Uint8Array(31).fill(7) }, {
        number: C,
        vrf: fieldFor(C),
      }],
    },
    expect: { available: true, output: new Uint8Array(32), gas: 2n },
  },
];

/** The VRF suites. */
export const VRF_SUITES: Suite[] = [
  suite(evaluateHandler, evaluateCases),
  suite(verifyHandler, verifyCases),
  suite(headerHandler, headerCases),
  suite(precompileHandler, precompileCases),
];
