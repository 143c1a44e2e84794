/**
 * Running fast-check properties the same way in every test.
 *
 * Every property runs with a seed: `SEED=<n>` replays a failure exactly (fast-check prints the
 * seed and the shrunk path of every counterexample), `FC_RUNS=<n>` changes the number of runs.
 * A property that cannot fail is a defect, so each property is also run against a deliberately
 * broken rule with {@link catches}, which asserts that a counterexample is found.
 */
import assert from "node:assert/strict";
import process from "node:process";
import fc from "fast-check";

/** The fast-check parameters of this run: the seed and the number of runs. */
export function params(runs = 100): fc.Parameters<unknown> {
  const seed = process.env.SEED === undefined
    ? Date.now() ^ (Math.random() * 2 ** 31)
    : Number(process.env.SEED);
  const numRuns = process.env.FC_RUNS === undefined ? runs : Number(process.env.FC_RUNS);
  return { seed, numRuns };
}

/** Asserts that a property holds (fast-check reports the seed on failure). */
export function holds<T>(property: fc.IProperty<T>, runs?: number): void {
  fc.assert(property, params(runs) as fc.Parameters<T>);
}

/** Asserts that a property holds, for async properties. */
export async function holdsAsync<T>(property: fc.IAsyncProperty<T>, runs?: number): Promise<void> {
  await fc.assert(property, params(runs) as fc.Parameters<T>);
}

/** How many seeds {@link catches} tries before it concludes that a broken rule went unnoticed. */
const CATCH_ATTEMPTS = 5;

/**
 * Asserts that a property finds a counterexample. Use it with a deliberately broken rule to show
 * that the property can fail. A random search may miss a rare counterexample in one run, so up to
 * five seeds are tried (the first one is the run's seed); the first counterexample ends the search
 * without shrinking it.
 */
export function catches<T>(property: fc.IProperty<T>, runs?: number): void {
  const base = params(runs) as fc.Parameters<T>;
  for (let attempt = 0; attempt < CATCH_ATTEMPTS; attempt++) {
    const seed = (base.seed! + attempt * 7919) | 0;
    if (fc.check(property, { ...base, seed, endOnFailure: true }).failed) return;
  }
  assert.fail(`the property should have caught the broken rule (seeds from ${base.seed})`);
}

/** {@link catches}, for async properties. */
export async function catchesAsync<T>(
  property: fc.IAsyncProperty<T>,
  runs?: number,
): Promise<void> {
  const base = params(runs) as fc.Parameters<T>;
  for (let attempt = 0; attempt < CATCH_ATTEMPTS; attempt++) {
    const seed = (base.seed! + attempt * 7919) | 0;
    if ((await fc.check(property, { ...base, seed, endOnFailure: true })).failed) return;
  }
  assert.fail(`the property should have caught the broken rule (seeds from ${base.seed})`);
}
