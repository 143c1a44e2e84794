/**
 * The class-group VDF: evaluation must be linear in T, verification flat.
 *
 * Evaluation at T = 10,000 is compared with T = 1,000 (target: about 10×, linear), verification
 * at both (target: about 1×, flat: two exponentiations by numbers below 2^128 whatever T). Both
 * are timed in a class group built once, because the discriminant search of a seed (the same
 * cost for every T) would otherwise hide the shape; that search and the end-to-end
 * `vdfGenerate`/`vdfVerify` are reported beside.
 *
 * @module
 */
import type { Bench } from "./main.ts";
import { measure, ratio, report } from "./harness.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { fromHex } from "../spec/encoding/bytes.ts";
import {
  classGroup,
  generatorForm,
  serializeForm,
  squareForm,
} from "../spec/randomness/classgroup.ts";
import { createDiscriminant } from "../spec/randomness/discriminant.ts";
import { evaluateVdf, vdfGenerate, vdfVerify, verifyVdfOutput } from "../spec/randomness/vdf.ts";
import { concatBytes } from "../spec/encoding/bytes.ts";

export const bench: Bench = {
  name: "vdf",
  run() {
    const seed = fromHex("deadbeef");
    // Recent discriminants are remembered, so every search gets a fresh seed; its cost varies a
    // lot from seed to seed (the number of candidates before a prime), hence 7 samples.
    let fresh = 0;
    const search = measure(
      "discriminant search (2048 bits, fresh seeds, median)",
      () => createDiscriminant(sha256(new Uint8Array([fresh++])), 2048),
      { samples: 7, minMs: 0 },
    );
    report(search);
    const group = classGroup(createDiscriminant(seed, 2048));
    let f = generatorForm(group.discriminant);
    const square = measure(
      "one squaring (NUDUPL), 2048-bit discriminant",
      () => f = squareForm(group, f),
      { samples: 5, minMs: 300 },
    );
    report(square);

    const outputs = new Map<number, Uint8Array>();
    const generate = (t: number, samples: number) =>
      measure(`evaluate T = ${t} (y and proof)`, () => {
        const { y, proof } = evaluateVdf(group, t);
        outputs.set(t, concatBytes(serializeForm(y), serializeForm(proof)));
      }, { samples, minMs: 0 });
    const g1 = generate(1000, 7), g10 = generate(10000, 3);
    report(g1);
    report(g10);
    const verify = (t: number) =>
      measure(`verify T = ${t}`, () => {
        if (!verifyVdfOutput(group, outputs.get(t)!, t)) {
          throw new Error("the proof does not verify");
        }
      }, { samples: 5, minMs: 200 });
    const v1 = verify(1000), v10 = verify(10000);
    report(v1);
    report(v10);

    const e2e = measure("vdfGenerate(seed, 1000) end to end", () => vdfGenerate(seed, 1000), {
      samples: 1,
      minMs: 0,
    });
    report(e2e);
    const e2v = measure(
      "vdfVerify(seed, output, 10000) end to end",
      () => vdfVerify(seed, outputs.get(10000)!, 10000),
      { samples: 1, minMs: 0 },
    );
    report(e2v);

    const linear = ratio("evaluate(10k) / evaluate(1k) (≈ 10: linear)", g10.msPerOp / g1.msPerOp, {
      min: 7,
      max: 13,
    });
    const flat = ratio("verify(10k) / verify(1k) (≈ 1: flat)", v10.msPerOp / v1.msPerOp, {
      max: 1.5,
    });
    return linear && flat;
  },
};
