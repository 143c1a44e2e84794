import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  concatBytes,
  fixedBytesToSigned,
  fromHex,
  signedToFixedBytes,
  toHex,
} from "../../spec/encoding/bytes.ts";
import { floorDiv } from "../../spec/randomness/arith.ts";
import {
  classGroup,
  deserializeForm,
  type Form,
  generatorForm,
  multiplyForms,
  powForm,
  serializeForm,
} from "../../spec/randomness/classgroup.ts";
import { createDiscriminant } from "../../spec/randomness/discriminant.ts";
import {
  evaluateVdf,
  hashPrime,
  proofBlockSize,
  proveWesolowski,
  squareRepeatedly,
  vdfGenerate,
  vdfVerify,
  verifyVdfOutput,
  verifyWesolowski,
} from "../../spec/randomness/vdf.ts";
import { isSpecError } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";
import { csvRows, FULL, SLOW } from "./support.ts";

const DEADBEEF = fromHex("deadbeef");
const DEADBEEF_32 = fromHex("deadbeef".repeat(8));
const IDENTITY_2048 = "00".repeat(128) + "01" + "00".repeat(128) + "01";

// Go TestCreateProof / TestVerifyProof (known answer 10.5): seed deadbeef, T = 10.
const Y_DEADBEEF_10 =
  "0038c64a357958a41b5a3374c0373a93969766295b3e743af7501397c4add9e8f09c40359f2ae2621ba33a85dacf300dc241c27516248a27d562e09000fe5f6f20d0cd8fb05c77bc01e750d1ff3bdec7ce1a9cbc4c8bcf215c4a96bdef9a386b07d7a93f79574740243bfcce2e13c7bb959c36b7077bbcee5e8100a7f8e06bf2d80012a7c998dbff6cb4bbc6cbb36dd7a8b04d018e5870ccfe8416ce6507284697b0082dd2450ad170e41d9f038e5c35ec88501f7760455c875cde50a0609ed3b2f13a6203d1eac326e64e35b95f40a004ca17ed3a59d048dbbb16de24814d4b9462aa91a41d803815fba7e4186e6712bf77d4324ab692c3db4df82c670f49409f3b";
// Go vdf_module_test TestVerifyVDF: seed deadbeef×8, T = 100.
const OUT_DEADBEEF32_100 =
  "0028f5de49d93dff7e2080a9bdadff1d63a2a4a143e6acedb814b78b49154ba6eb77d96d8c4ebefb2ae3f4b51af64219067c26693384eedffeca103767c2a4f4f0dd753a1e778aa372463f80a3fe01b2ca85a3be1707a8b82eeccffd0bc183a7f4c3c8854d3f46ec19bc797835e497b49db57b8a0fb0b87c3f3cfb3a631d12ee40ffe1bc410a72dd4804613e0bf6bf5968b75cbdc76ab45dae141b53645b9bfd5ffd667787b4941d1e1f306929844ced0fe90bf5e62632cb32e24f0f7dd276348dd3f769391da74456473513efd85b340f28504844b470187fdb5eccb9bf9e98897f1fba85f49f6fdbecaf6e18e12c34e4e525667f47de506cd5921ce818e026a06b" +
  IDENTITY_2048;
// Go fast_vdf_test Test1000 and Test5000: seed deadbeef.
const OUT_DEADBEEF_1000 =
  "0011c26e62c608dba629ce37953b2c7765f6c3c48f58ae5dc6ebc19206ca3135f8a240538a42f989d990488185f2d10a2504838f4f2e4dd933119088aa0e5b506bfd835d03147b03d5111e6ca135bf297435faf27a8ccbdb0c7598934fdccde6c9afbdc0488662618fc3934eaa9913f97559fb119ff959fc5f35a71da783c64af0000461c617ca4fd50ab15bf8c62963b043e1920b619402aa11a7fb82b793e9fca643bb8b8026e09493e6ed0f69ad7dafef7938f7c78d7067247d43ce2cf73174ffd78d2d4107a0421cf16a7fb118978b4903425bb84dcc4d0102267103494b798247cabc65caff373c368530fb7d869317d86a279eb55facf75a430109b5343875003fc63ce964ad0fc804687fb21b9322d672299cf0eeb53f5f426a4123e44db2ca593b50c026e54c079cd79634cd3969941aba18edae5fb51792776a2ed9076c79a456bb783ad87cdad013ce8a933c0c1a787a0232205dfa34b8ab65c1bd06f4004a3ffd5aec0c9cabedd081228c0b8c59e2bc2487f1fa2344288a8e9d7eefd169003fb7e55b707e9c5d76c84fa510647ec6c392f19f1a4ce98e71a601c1ee2479a93e5b9e4512b7c4cffc18b3498a36334e49db29aa56d487dec7b9dcc3128f722888903f10fd468a62ebb599eaced4114e36df647cc60b16c15f33b2f1c96bfe7c33d274ca57a456448ac7ac5539d10d71f72c0561d0460b9ab8f338898c8b8203";
const OUT_DEADBEEF_5000 =
  "00624b507eae90e9ac51a8ee427a0195e843642992cc34fa2c42a43ab75ec098a4d85e64b45fa5e48f3241495761a8af35e6e17d1259ea6d2b173c58c925c47a64eedfadccdff41841e20dd8a50c8a8dd87f0a0160e4f68f548f2a8ec6994bc826de9fee7e3fcd9d526808667327bf5f4cefd905117932b1cb737d74853f89206cffe2d0bd37520dcced47fd18a0e894d200c7d583ee7d55d84be5332a9c21bb6726e6ae64f294726a6e88be77ccd10e4139ed3c6309cfa2763b958149ff948233db76fc05a7abdfb08411e3f5a6567ab9247ebdbe310b0bb453340d385bdf6a4d67d454b1cdc2fbd82b12ae474bfe3038fd8fa8552f692a62df48dc208c18ac638d00748ead55bfc86ac0bd40e3038ea2d6e13cea20d3df4abf8923ada9927bacc531f35fcbf74080fdf5bb25f22b4186e941b8585f5ecc533b588dcf46b18e0871781a6cfe3b1f7f8dbc47369334ff7b32294453162a20d6c2d5711558cce36a9db0507e665922a8b99fab12145098f930b1c11afaf6f1e78256b536de1513b64d90ff8ba3b7b91d5989bb1aaf557063938df474e73d0568a51b2a5ad89b058f3adfaea137c9c1925feeb80b68aac4cb4335224efc365c81db004826c69b9659cd0a3e46bd4af5ccfa55bd53f3b7ddbae2a0802ada1076397cb6c1d7c9b6a4239db430c66fd90a24c21602723d0b895708d49cb92e8aeefc9a3760997b5b6760378f0b";

const deadbeefGroup = () => classGroup(createDiscriminant(DEADBEEF, 2048));
const hex = (f: { y: Form; proof: Form }) =>
  toHex(serializeForm(f.y)) + toHex(serializeForm(f.proof));

test("Go TestCreateProof and TestVerifyProof: deadbeef, T = 10 (known answer 10.5)", SLOW, () => {
  const out = vdfGenerate(DEADBEEF, 10);
  assert.equal(out.length, 516);
  assert.equal(toHex(out), Y_DEADBEEF_10 + IDENTITY_2048);
  assert.ok(vdfVerify(DEADBEEF, fromHex(Y_DEADBEEF_10 + IDENTITY_2048), 10));
});

test(
  "Go Test1000 (generate, deadbeef, T = 1000) and Test5000 (verify; generate under VDF_FULL)",
  SLOW,
  () => {
    const g = deadbeefGroup();
    assert.equal(hex(evaluateVdf(g, 1000)), OUT_DEADBEEF_1000);
    assert.ok(verifyVdfOutput(g, fromHex(OUT_DEADBEEF_1000), 1000));
    assert.ok(verifyVdfOutput(g, fromHex(OUT_DEADBEEF_5000), 5000));
    assert.ok(!verifyVdfOutput(g, fromHex(OUT_DEADBEEF_5000), 4998));
    if (FULL) assert.equal(hex(evaluateVdf(g, 5000)), OUT_DEADBEEF_5000);
  },
);

test(
  "Go vdf_module_test: New(100, deadbeef×8) generates and verifies the known output",
  SLOW,
  () => {
    const out = vdfGenerate(DEADBEEF_32, 100);
    assert.equal(toHex(out), OUT_DEADBEEF32_100);
    assert.ok(vdfVerify(DEADBEEF_32, out, 100));
  },
);

test(
  "Go Test2047: a 2049-bit discriminant (seed ed8c9f…, T = 10) generates and verifies",
  SLOW,
  () => {
    const seed = fromHex("ed8c9fa1c04979a2d39e4c91b97fafa7325b66fda3d06a14af4500d113d2fec0");
    const g = classGroup(createDiscriminant(seed, 2049));
    const out = fromHex(hex(evaluateVdf(g, 10)));
    assert.equal(out.length, 4 * ((2049 + 16) >> 4));
    assert.ok(verifyVdfOutput(g, out, 10));
  },
);

test(
  "Go TestGenerateAndVerifyIntSize: bits 2058 − i, T = 3i (a sample; all 19 under VDF_FULL)",
  SLOW,
  () => {
    const cases = FULL ? Array.from({ length: 19 }, (_, i) => i + 1) : [1, 10, 19];
    for (const i of cases) {
      const g = classGroup(createDiscriminant(DEADBEEF, 2058 - i));
      const out = fromHex(hex(evaluateVdf(g, 3 * i)));
      assert.ok(verifyVdfOutput(g, out, 3 * i), `bits ${2058 - i}`);
    }
  },
);

test(
  "Go TestGenerateAndVerifyProof*: deadbeef, T in 5…1009 (a sample; all under VDF_FULL)",
  SLOW,
  () => {
    const g = deadbeefGroup();
    const ranges = [[5, 100], [101, 200], [201, 300], [301, 400], [401, 500], [1001, 1010]];
    const all = ranges.flatMap(([lo, hi]) => Array.from({ length: hi - lo }, (_, i) => lo + i));
    for (const t of FULL ? all : [5, 99, 127, 128, 129, 255, 401]) {
      const out = fromHex(hex(evaluateVdf(g, t)));
      assert.ok(verifyVdfOutput(g, out, t), `T = ${t}`);
    }
  },
);

test("Go TestRandomInput: T = 2000 … 10000 for five seeds (VDF_FULL only)", {
  ...SLOW,
  skip: !FULL,
}, () => {
  for (let i = 0; i < 5; i++) {
    const seed = sha256(new Uint8Array([i]));
    const out = vdfGenerate(seed, 2000 + 2000 * i);
    assert.ok(vdfVerify(seed, out, 2000 + 2000 * i));
  }
});

test(
  "hashPrime of CSV row 1 is B = e49ce96f…5dbf, found at counter j = 41 (known answer)",
  SLOW,
  () => {
    const row = csvRows()[0];
    const x = serializeForm(generatorForm(createDiscriminant(row.seed, 2048)));
    const y = row.output.subarray(0, 258);
    const b = hashPrime(x, y);
    assert.equal(b.toString(16), "e49ce96fda368f66fa27a600e6e85dbf");
    const counter = new Uint8Array(8);
    counter[7] = 41;
    const digest = sha256(concatBytes(new TextEncoder().encode("prime"), counter, x, y));
    assert.equal(toHex(digest.subarray(0, 16)), "e49ce96fda368f66fa27a600e6e85dbf");
    // T = 66 < 127: 2^66 < B, so the proof is the identity.
    assert.equal(toHex(row.output.subarray(258)), IDENTITY_2048);
  },
);

test(
  "proofBlockSize minimizes ⌈T/κ⌉ + 2^(κ+1): κ = 5, 7, 9 for T = 1,000, 10,000, 50,000",
  SLOW,
  () => {
    assert.deepEqual([1000, 10000, 50000].map(proofBlockSize), [5, 7, 9]);
    assert.equal(proofBlockSize(0), 1);
  },
);

// ---------------------------------------------------------------------------------------------
// Properties on small discriminants (128–512 bits), where a discriminant takes milliseconds.

// Arbitraries here do not shrink: each try searches a discriminant, and shrinking against a
// deliberately broken rule would try thousands. A failure still replays with SEED.
const seeds = fc.noShrink(fc.uint8Array({ minLength: 1, maxLength: 32 }));
const smallBits = fc.noShrink(fc.constantFrom(128, 256, 512));

test("the block-method proof equals x^⌊2^T/B⌋ computed plainly, for any block size", SLOW, () => {
  const equal = (prove: typeof proveWesolowski) =>
    fc.property(
      seeds,
      fc.noShrink(fc.nat(3000)),
      fc.noShrink(fc.integer({ min: 1, max: 12 })),
      (seed, t, k) => {
        const g = classGroup(createDiscriminant(seed, 128));
        const x = generatorForm(g.discriminant);
        const { y, checkpoints } = squareRepeatedly(g, x, t, k);
        const b = hashPrime(serializeForm(x), serializeForm(y));
        assert.deepEqual(prove(g, checkpoints, t, k, b), powForm(g, x, (1n << BigInt(t)) / b));
      },
    );
  holds(equal(proveWesolowski), 40);
  // Broken rule: the quotient rounded up instead of down.
  // Broken rule: digits of q read with a block size that does not match the checkpoints.
  catches(equal((g, c, t, k, b) => proveWesolowski(g, c, t, k + 1, b)), 40);
});

test("verify(generate(seed, T)) holds", SLOW, () => {
  const roundTrip = (generate: typeof vdfGenerate) =>
    fc.property(
      seeds,
      fc.noShrink(fc.nat(400)),
      smallBits,
      (seed, t, bits) => vdfVerify(seed, generate(seed, t, bits), t, bits),
    );
  holds(roundTrip(vdfGenerate), 30);
  // Broken rule: a proof one power of x too high.
  catches(
    roundTrip((seed, t, bits = 2048) => {
      const g = classGroup(createDiscriminant(seed, bits));
      const { y, proof } = evaluateVdf(g, t);
      const tooHigh = multiplyForms(g, proof, generatorForm(g.discriminant)); // x^(q+1)
      return concatBytes(serializeForm(y), serializeForm(tooHigh));
    }),
    30,
  );
});

/** An equivalent but non-reduced encoding of y: (a, b) → (a, b + 2a) when it still fits. */
function unreducedTwin(output: Uint8Array, size: number): Uint8Array | undefined {
  const a = fixedBytesToSigned(output.subarray(0, size)),
    b = fixedBytesToSigned(output.subarray(size, 2 * size));
  try {
    return concatBytes(
      output.subarray(0, size),
      signedToFixedBytes(b + 2n * a, size),
      output.subarray(2 * size),
    );
  } catch {
    return undefined;
  }
}

test("verify fails on any change of seed, iterations or output bytes", SLOW, () => {
  const mutation = fc.noShrink(fc.oneof(
    fc.record({ kind: fc.constant("seed" as const), seed: seeds }),
    fc.record({
      kind: fc.constant("iterations" as const),
      delta: fc.noShrink(fc.integer({ min: -3, max: 3 })).filter((d) => d !== 0),
    }),
    fc.record({ kind: fc.constant("bit" as const), at: fc.noShrink(fc.nat()) }),
    fc.record({ kind: fc.constant("unreduced" as const) }),
  ));
  const rejects = (verify: typeof vdfVerify) =>
    fc.property(
      seeds,
      fc.noShrink(fc.integer({ min: 3, max: 300 })),
      smallBits,
      mutation,
      (seed, t, bits, m) => {
        const out = vdfGenerate(seed, t, bits);
        const size = (bits + 16) >> 4;
        if (m.kind === "seed") {
          return toHex(m.seed) === toHex(seed) || !verify(m.seed, out, t, bits);
        }
        if (m.kind === "iterations") return !verify(seed, out, t + m.delta, bits);
        if (m.kind === "bit") {
          const changed = out.slice();
          changed[(m.at >> 3) % out.length] ^= 1 << (m.at & 7);
          return !verify(seed, changed, t, bits);
        }
        const twin = unreducedTwin(out, size);
        return twin === undefined || !verify(seed, twin, t, bits);
      },
    );
  holds(rejects(vdfVerify), 40);
  // Broken rule: Go's lenient reading, which accepts any encoding of the right classes.
  catches(rejects(lenientVerify), 40);
});

/** Verification with Go's reader: only the length is checked, c by floor division, then reduced. */
function lenientVerify(seed: Uint8Array, output: Uint8Array, t: number, bits = 2048): boolean {
  const g = classGroup(createDiscriminant(seed, bits));
  const size = g.byteSize;
  const read = (bytes: Uint8Array): Form => {
    const a = fixedBytesToSigned(bytes.subarray(0, size)),
      b = fixedBytesToSigned(bytes.subarray(size));
    if (a <= 0n) throw new Error("Go would panic or loop here");
    return { a, b, c: floorDiv(b * b - g.discriminant, 4n * a) };
  };
  try {
    const y = read(output.subarray(0, 2 * size)), proof = read(output.subarray(2 * size));
    return verifyWesolowski(g, deserializeForm(serializeForm(y), g.discriminant), proof, t);
  } catch {
    return false;
  }
}

test(
  "vdfVerify never throws: arbitrary bytes, lengths and parameters are just not valid",
  SLOW,
  () => {
    const fuzz = (verify: typeof vdfVerify) =>
      fc.property(
        seeds,
        fc.noShrink(fc.uint8Array({ maxLength: 200 })),
        fc.noShrink(fc.boolean()),
        fc.noShrink(fc.integer({ min: -2, max: 300 })),
        smallBits,
        (seed, raw, fit, t, bits) => {
          const size = 2 * ((bits + 16) >> 4);
          // Half the inputs get the right length, the first half a copy of the generator (a valid form).
          const out = fit ? new Uint8Array(2 * size) : raw;
          if (fit) {
            out.set(raw.subarray(0, 2 * size));
            if (raw.length > 0 && raw[0] < 128) {
              out.set(serializeForm(generatorForm(createDiscriminant(seed, bits))));
            }
          }
          return verify(seed, out, t, bits) === false;
        },
      );
    holds(fuzz(vdfVerify), 60);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      assert.equal(vdfVerify(DEADBEEF, new Uint8Array(516), bad), false);
    }
    assert.equal(vdfVerify(DEADBEEF, new Uint8Array(516), 10, 32), false);
    // Broken rule: letting the reader's rejections escape as exceptions.
    catches(
      fuzz((seed, out, t, bits = 2048) =>
        verifyVdfOutput(classGroup(createDiscriminant(seed, bits)), out, t)
      ),
      60,
    );
  },
);

test("vdfGenerate rejects invalid parameters with stable codes", SLOW, () => {
  assert.throws(() => vdfGenerate(DEADBEEF, -1), (e) => isSpecError(e, "vdf/invalid-iterations"));
  assert.throws(() => vdfGenerate(DEADBEEF, 1.5), (e) => isSpecError(e, "vdf/invalid-iterations"));
  assert.throws(
    () => vdfGenerate(DEADBEEF, 10, 63),
    (e) => isSpecError(e, "vdf/invalid-discriminant-size"),
  );
});
