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
import { measure, ratio, report, type Timing } from "./harness.ts";
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

    // Evaluation and verification at T = 1,000 and 10,000, interleaved round by round so that a
    // change in the machine's load hits both sides of each ratio alike; medians over the rounds.
    const outputs = new Map<number, Uint8Array>();
    const evaluate = (t: number) => () => {
      const { y, proof } = evaluateVdf(group, t);
      outputs.set(t, concatBytes(serializeForm(y), serializeForm(proof)));
    };
    const verify = (t: number) => () => {
      if (!verifyVdfOutput(group, outputs.get(t)!, t)) throw new Error("the proof does not verify");
    };
    evaluate(1000)(); // warm-up
    const rounds = {
      g1: [] as number[],
      g10: [] as number[],
      v1: [] as number[],
      v10: [] as number[],
    };
    for (let round = 0; round < 5; round++) {
      rounds.g1.push(Math.min(timeOnce(evaluate(1000)), timeOnce(evaluate(1000))));
      rounds.g10.push(timeOnce(evaluate(10000)));
      rounds.v1.push(Math.min(timeOnce(verify(1000)), timeOnce(verify(1000))));
      rounds.v10.push(Math.min(timeOnce(verify(10000)), timeOnce(verify(10000))));
    }
    report(timing("evaluate T = 1000 (y and proof)", rounds.g1));
    report(timing("evaluate T = 10000 (y and proof)", rounds.g10));
    report(timing("verify T = 1000", rounds.v1));
    report(timing("verify T = 10000", rounds.v10));

    // End to end with a seed not searched before: the discriminant search included.
    const freshSeed = sha256(fromHex("0e2e"));
    let output: Uint8Array = new Uint8Array(0);
    report(timing("vdfGenerate(fresh seed, 1000), search included", [
      timeOnce(() => output = vdfGenerate(freshSeed, 1000)),
    ]));
    const again = sha256(fromHex("0e2f"));
    const other = vdfGenerate(again, 1000);
    report(timing("vdfVerify(seed, output, 1000), discriminant remembered", [
      timeOnce(() => vdfVerify(again, other, 1000)),
    ]));
    if (!vdfVerify(freshSeed, output, 1000)) throw new Error("the output does not verify");

    const perRound = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]));
    const linear = ratio(
      "evaluate(10k) / evaluate(1k) (≈ 10: linear)",
      perRound(rounds.g10, rounds.g1),
      {
        min: 7,
        max: 13,
      },
    );
    const flat = ratio("verify(10k) / verify(1k) (≈ 1: flat)", perRound(rounds.v10, rounds.v1), {
      max: 1.5,
    });
    return linear && flat;
  },
};

/** Milliseconds taken by one call. */
function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A harness timing from single-call samples: their median. */
function timing(name: string, samplesMs: number[]): Timing {
  const msPerOp = median(samplesMs);
  return { name, msPerOp, opsPerSec: 1000 / msPerOp, samples: samplesMs.length };
}
