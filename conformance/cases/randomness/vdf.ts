/**
 * Conformance cases for the `randomness` runner, VDF section: the class-group Wesolowski VDF of
 * harmony-one/vdf. The format is in `conformance/formats/randomness.md` (section "VDF").
 *
 * Where the expectations come from, never from the spec:
 * - harmony-one/vdf's own known answers: its `wesolowski.csv` (seed, T, 516-byte output of
 *   `GenerateVDF(seed, T, 2048)`, committed under `test/randomness/data/`) and the values in its
 *   Go tests (`TestDiscriminant`, `TestCreateProof`, `Test1000`, `Test5000`, `TestVerifyVDF`);
 * - for discriminants without a published value: checks from Go's outputs (y = (a, b) of Go's
 *   output must satisfy b² ≡ D (mod 4a), which a wrong D fails with probability ≈ 1 − 1/a) or, at
 *   64–80 bits, an exact primality test written here;
 * - for rejections: the structure of the input (a wrong length, a changed byte, a non-reduced
 *   encoding, a form with a ≤ 0), each of which no honest output has.
 *
 * Every 2048-bit case costs a discriminant search (about half a second), so the CSV is sampled:
 * 8 rows to verify, 4 to generate. The test suite checks every row under `VDF_FULL=1`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { concatBytes, fromHex, signedToFixedBytes } from "../../../spec/encoding/bytes.ts";
import { createDiscriminant } from "../../../spec/randomness/discriminant.ts";
import { vdfGenerate, vdfVerify } from "../../../spec/randomness/vdf.ts";
import { bytesToSigned, signedToBytes } from "../../cbor.ts";
import type { Case, DecodedFields, Handler, Suite } from "../../harness.ts";
import { inputBytes as bytes } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { csvRows, isPrimeOracle } from "../../../test/randomness/support.ts";

// ---------------------------------------------------------------- reading inputs

function int(inputs: DecodedFields, name: string): number {
  const value = inputs[name];
  if (typeof value !== "number") throw new Error(`input ${name} must be an integer`);
  return value;
}

// ---------------------------------------------------------------- known answers

const ROWS = csvRows();
const ABCD = fromHex("abcd");
const DEADBEEF = fromHex("deadbeef");
const DEADBEEF_32 = fromHex("deadbeef".repeat(8));
const IDENTITY = "00".repeat(128) + "01" + "00".repeat(128) + "01";

/** Go TestDiscriminant: D for seed abcd, 2048 bits, as EncodeBigIntBigEndian prints it. */
const D_ABCD = bytesToSigned(fromHex(
  "ffff550d4074f264c4db9fb6c4af4e4a1aa6d700b3cf3601388d37aea312fc9b512581a8fa6f3575ae3d34c6b12401838da34360678a2f43178c43c96a46a2bd682db7fa63085c1a65053e738b158efdc4d952c549e6891d87d2de794132869bb5cefcf28193359f182358692be7b864413ee985893565046cc165994fb18f49ca75a8ec65ba1ef7450c53210943fde31c5c553f882b5fdadd8f3c1baa85309b68bd02ba526d8a1aabe5dc0aaa483d0fe230e5c6c6165d7d79184646e2909076b0eea3926a9b17f184b61588c90e5175e3a99ab343bb97859c0cde75a607a6e46a94f95580521f8ebaeeb58e587b39434a218dbcecc5cd365932926990c84c84fe29",
));

/** Go TestCreateProof: deadbeef, T = 10. */
const OUT_DEADBEEF_10 = fromHex(
  "0038c64a357958a41b5a3374c0373a93969766295b3e743af7501397c4add9e8f09c40359f2ae2621ba33a85dacf300dc241c27516248a27d562e09000fe5f6f20d0cd8fb05c77bc01e750d1ff3bdec7ce1a9cbc4c8bcf215c4a96bdef9a386b07d7a93f79574740243bfcce2e13c7bb959c36b7077bbcee5e8100a7f8e06bf2d80012a7c998dbff6cb4bbc6cbb36dd7a8b04d018e5870ccfe8416ce6507284697b0082dd2450ad170e41d9f038e5c35ec88501f7760455c875cde50a0609ed3b2f13a6203d1eac326e64e35b95f40a004ca17ed3a59d048dbbb16de24814d4b9462aa91a41d803815fba7e4186e6712bf77d4324ab692c3db4df82c670f49409f3b" +
    IDENTITY,
);
/** Go vdf_module_test TestVerifyVDF: deadbeef×8, T = 100. */
const OUT_DEADBEEF32_100 = fromHex(
  "0028f5de49d93dff7e2080a9bdadff1d63a2a4a143e6acedb814b78b49154ba6eb77d96d8c4ebefb2ae3f4b51af64219067c26693384eedffeca103767c2a4f4f0dd753a1e778aa372463f80a3fe01b2ca85a3be1707a8b82eeccffd0bc183a7f4c3c8854d3f46ec19bc797835e497b49db57b8a0fb0b87c3f3cfb3a631d12ee40ffe1bc410a72dd4804613e0bf6bf5968b75cbdc76ab45dae141b53645b9bfd5ffd667787b4941d1e1f306929844ced0fe90bf5e62632cb32e24f0f7dd276348dd3f769391da74456473513efd85b340f28504844b470187fdb5eccb9bf9e98897f1fba85f49f6fdbecaf6e18e12c34e4e525667f47de506cd5921ce818e026a06b" +
    IDENTITY,
);
/** Go Test1000: deadbeef, T = 1000. */
const OUT_DEADBEEF_1000 = fromHex(
  "0011c26e62c608dba629ce37953b2c7765f6c3c48f58ae5dc6ebc19206ca3135f8a240538a42f989d990488185f2d10a2504838f4f2e4dd933119088aa0e5b506bfd835d03147b03d5111e6ca135bf297435faf27a8ccbdb0c7598934fdccde6c9afbdc0488662618fc3934eaa9913f97559fb119ff959fc5f35a71da783c64af0000461c617ca4fd50ab15bf8c62963b043e1920b619402aa11a7fb82b793e9fca643bb8b8026e09493e6ed0f69ad7dafef7938f7c78d7067247d43ce2cf73174ffd78d2d4107a0421cf16a7fb118978b4903425bb84dcc4d0102267103494b798247cabc65caff373c368530fb7d869317d86a279eb55facf75a430109b5343875003fc63ce964ad0fc804687fb21b9322d672299cf0eeb53f5f426a4123e44db2ca593b50c026e54c079cd79634cd3969941aba18edae5fb51792776a2ed9076c79a456bb783ad87cdad013ce8a933c0c1a787a0232205dfa34b8ab65c1bd06f4004a3ffd5aec0c9cabedd081228c0b8c59e2bc2487f1fa2344288a8e9d7eefd169003fb7e55b707e9c5d76c84fa510647ec6c392f19f1a4ce98e71a601c1ee2479a93e5b9e4512b7c4cffc18b3498a36334e49db29aa56d487dec7b9dcc3128f722888903f10fd468a62ebb599eaced4114e36df647cc60b16c15f33b2f1c96bfe7c33d274ca57a456448ac7ac5539d10d71f72c0561d0460b9ab8f338898c8b8203",
);

// ---------------------------------------------------------------- vdf_discriminant

const discriminantHandler: Handler = {
  runner: "randomness",
  handler: "vdf_discriminant",
  preset: "general",
  config: {},
  covers: ["createDiscriminant"],
  run: (inputs) => ({
    discriminant: signedToBytes(createDiscriminant(bytes(inputs, "seed"), int(inputs, "bits"))),
  }),
};

/** (a, b) of the first form of a 516-byte output, as two's complement of 129 bytes each. */
function outputY(output: Uint8Array): { a: bigint; b: bigint } {
  return { a: bytesToSigned(output.subarray(0, 129)), b: bytesToSigned(output.subarray(129, 258)) };
}

/** Checks D against Go's output for the same seed: y = (a, b) lies on D, and |D| has 2048 bits. */
function onGoOutput(output: Uint8Array): (outputs: DecodedFields) => void {
  return (outputs) => {
    const d = bytesToSigned(bytes(outputs, "discriminant"));
    const { a, b } = outputY(output);
    assert.equal((b * b - d) % (4n * a), 0n, "Go's y lies on D");
    assert.ok(d < 0n && -d >> 2047n === 1n, "|D| has 2048 bits");
  };
}

/** Checks a small D exactly: −D prime (independent test), the length, −D ≡ 7 (mod 8). */
function exactSmall(bits: number): (outputs: DecodedFields) => void {
  return (outputs) => {
    const d = bytesToSigned(bytes(outputs, "discriminant"));
    assert.ok(isPrimeOracle(-d), "−D is prime");
    assert.equal((-d).toString(2).length, bits);
    assert.equal(-d % 8n, 7n);
  };
}

const discriminantCases: Case[] = [
  {
    name: "seed_abcd_2048",
    description: "Go TestDiscriminant: the 2048-bit discriminant of seed abcd.",
    inputs: { seed: ABCD, bits: 2048 },
    expect: { discriminant: signedToBytes(D_ABCD) },
  },
  ...[0, 233, 467].map((i): Case => ({
    name: `csv_row_${ROWS[i].row}_2048`,
    description: `The discriminant of the seed of wesolowski.csv row ${
      ROWS[i].row
    }: Go's output y lies on it.`,
    inputs: { seed: ROWS[i].seed, bits: 2048 },
    check: onGoOutput(ROWS[i].output),
  })),
  {
    name: "seed_deadbeef_2048",
    description: "The discriminant of seed deadbeef: Go's TestCreateProof output lies on it.",
    inputs: { seed: DEADBEEF, bits: 2048 },
    check: onGoOutput(OUT_DEADBEEF_10),
  },
  ...([[new Uint8Array(0), 64], [DEADBEEF, 72], [ABCD, 79], [DEADBEEF_32, 80]] as const).map(
    ([seed, bits], i): Case => ({
      name: `small_${bits}_bits_${i}`,
      description: `A ${bits}-bit discriminant (exact primality checked independently).`,
      inputs: { seed, bits },
      check: exactSmall(bits),
    }),
  ),
  {
    name: "too_short",
    description: "63 bits is below the supported range.",
    inputs: { seed: ABCD, bits: 63 },
    expect: { error: "vdf/invalid-discriminant-size" },
  },
  {
    name: "too_long",
    description: "8193 bits is above the supported range.",
    inputs: { seed: ABCD, bits: 8193 },
    expect: { error: "vdf/invalid-discriminant-size" },
  },
];

// ---------------------------------------------------------------- vdf_verify

const verifyHandler: Handler = {
  runner: "randomness",
  handler: "vdf_verify",
  preset: "general",
  config: {},
  covers: ["vdfVerify"],
  run: (inputs) => ({
    valid: vdfVerify(
      bytes(inputs, "seed"),
      bytes(inputs, "output"),
      int(inputs, "iterations"),
      int(inputs, "bits"),
    ),
  }),
};

function verifyCase(
  name: string,
  description: string,
  seed: Uint8Array,
  iterations: number,
  output: Uint8Array,
  valid: boolean,
): Case {
  return { name, description, inputs: { seed, iterations, bits: 2048, output }, expect: { valid } };
}

/** The output with one bit flipped. */
function flipped(output: Uint8Array, byte: number, bit: number): Uint8Array {
  const out = output.slice();
  out[byte] ^= 1 << bit;
  return out;
}

/** The output with y = (a, b) replaced by its equivalent, non-reduced twin (a, b + 2a). */
function unreducedY(output: Uint8Array): Uint8Array {
  const { a, b } = outputY(output);
  return concatBytes(
    output.subarray(0, 129),
    signedToFixedBytes(b + 2n * a, 129),
    output.subarray(258),
  );
}

const BASE = ROWS[467]; // T = 1000: a proof that is not the identity
const verifyCases: Case[] = [
  ...[0, 67, 133, 200, 267, 334, 400, 467].map((i) => ROWS[i]).map((r) =>
    verifyCase(
      `csv_row_${r.row}`,
      `wesolowski.csv row ${r.row} (T = ${r.iterations}): Go's output verifies.`,
      r.seed,
      r.iterations,
      r.output,
      true,
    )
  ),
  verifyCase(
    "go_deadbeef_10",
    "Go TestVerifyProof: seed deadbeef, T = 10, the proof is the identity.",
    DEADBEEF,
    10,
    OUT_DEADBEEF_10,
    true,
  ),
  verifyCase(
    "go_deadbeef32_100",
    "Go TestVerifyVDF: seed deadbeef×8, T = 100 (Harmony's 32-byte seed shape).",
    DEADBEEF_32,
    100,
    OUT_DEADBEEF32_100,
    true,
  ),
  verifyCase(
    "go_deadbeef_1000",
    "Go Test1000: seed deadbeef, T = 1000.",
    DEADBEEF,
    1000,
    OUT_DEADBEEF_1000,
    true,
  ),
  verifyCase(
    "wrong_iterations",
    "Row 468's output claimed for T = 998.",
    BASE.seed,
    998,
    BASE.output,
    false,
  ),
  verifyCase(
    "wrong_seed",
    "Row 468's output claimed for row 467's seed.",
    ROWS[466].seed,
    BASE.iterations,
    BASE.output,
    false,
  ),
  verifyCase(
    "flipped_bit_in_y",
    "One bit of y's b changed: y leaves the discriminant.",
    BASE.seed,
    BASE.iterations,
    flipped(BASE.output, 200, 0),
    false,
  ),
  verifyCase(
    "flipped_bit_in_proof",
    "One bit of the proof's a changed.",
    BASE.seed,
    BASE.iterations,
    flipped(BASE.output, 300, 3),
    false,
  ),
  verifyCase(
    "unreduced_y",
    "y written as the equivalent non-reduced (a, b + 2a): rejected (Go's reader would accept it; see the deviation note).",
    BASE.seed,
    BASE.iterations,
    unreducedY(BASE.output),
    false,
  ),
  verifyCase(
    "identity_proof",
    "Row 468's y with the identity as proof: T = 1000 needs a real proof.",
    BASE.seed,
    BASE.iterations,
    concatBytes(BASE.output.subarray(0, 258), fromHex(IDENTITY)),
    false,
  ),
  verifyCase(
    "negative_a",
    "y's a with the sign bit set (a < 0).",
    BASE.seed,
    BASE.iterations,
    flipped(BASE.output, 0, 7),
    false,
  ),
  verifyCase(
    "truncated",
    "515 bytes: a wrong length is not an error, just invalid.",
    BASE.seed,
    BASE.iterations,
    BASE.output.subarray(0, 515),
    false,
  ),
  verifyCase(
    "extended",
    "517 bytes.",
    BASE.seed,
    BASE.iterations,
    concatBytes(BASE.output, new Uint8Array(1)),
    false,
  ),
  verifyCase("empty", "No bytes at all.", BASE.seed, BASE.iterations, new Uint8Array(0), false),
  verifyCase(
    "negative_iterations",
    "T = −1 is not a valid claim.",
    BASE.seed,
    -1,
    BASE.output,
    false,
  ),
  {
    name: "unsupported_bits",
    description: "A 32-bit discriminant length is out of range: invalid, not an error.",
    inputs: { seed: BASE.seed, iterations: BASE.iterations, bits: 32, output: BASE.output },
    expect: { valid: false },
  },
  {
    ...verifyCase(
      "canary_inverted_verdict",
      "Canary: Go's valid T = 10 output recorded as invalid; every runner must report it.",
      DEADBEEF,
      10,
      OUT_DEADBEEF_10,
      false,
    ),
    canary: true,
  },
];

// ---------------------------------------------------------------- vdf_generate

const generateHandler: Handler = {
  runner: "randomness",
  handler: "vdf_generate",
  preset: "general",
  config: {},
  covers: ["vdfGenerate"],
  run: (inputs) => ({
    output: vdfGenerate(bytes(inputs, "seed"), int(inputs, "iterations"), int(inputs, "bits")),
  }),
};

function generateCase(
  name: string,
  description: string,
  seed: Uint8Array,
  iterations: number,
  output: Uint8Array,
): Case {
  return { name, description, inputs: { seed, iterations, bits: 2048 }, expect: { output } };
}

const generateCases: Case[] = [
  ...[0, 31, 200, 467].map((i) =>
    generateCase(
      `csv_row_${ROWS[i].row}`,
      `wesolowski.csv row ${ROWS[i].row}: T = ${ROWS[i].iterations}.`,
      ROWS[i].seed,
      ROWS[i].iterations,
      ROWS[i].output,
    )
  ),
  generateCase(
    "go_deadbeef_10",
    "Go TestCreateProof: seed deadbeef, T = 10.",
    DEADBEEF,
    10,
    OUT_DEADBEEF_10,
  ),
  generateCase(
    "go_deadbeef32_100",
    "Go TestGenerateVDFAndVerify: seed deadbeef×8, T = 100.",
    DEADBEEF_32,
    100,
    OUT_DEADBEEF32_100,
  ),
  {
    name: "negative_iterations",
    description: "T = −1 is rejected.",
    inputs: { seed: DEADBEEF, iterations: -1, bits: 2048 },
    expect: { error: "vdf/invalid-iterations" },
  },
  {
    name: "unsupported_bits",
    description: "A 32-bit discriminant length is rejected.",
    inputs: { seed: DEADBEEF, iterations: 10, bits: 32 },
    expect: { error: "vdf/invalid-discriminant-size" },
  },
];

/** The VDF suites of the `randomness` runner. */
export const VDF_SUITES: Suite[] = [
  suite(discriminantHandler, discriminantCases),
  suite(verifyHandler, verifyCases),
  suite(generateHandler, generateCases),
];

// The expected outputs above are Go's, so they are 516 bytes; guard against a transcription slip.
for (const out of [OUT_DEADBEEF_10, OUT_DEADBEEF32_100, OUT_DEADBEEF_1000]) {
  assert.equal(out.length, 516);
}
