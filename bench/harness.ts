/**
 * A small benchmark harness. Every benchmark compares the operation of interest with a baseline
 * measured in the same run on the same machine, and reports the ratio: absolute times vary from
 * machine to machine, ratios much less.
 *
 * @module
 */

/** Timing of one operation: the median of several samples, in milliseconds per call. */
export interface Timing {
  name: string;
  msPerOp: number;
  opsPerSec: number;
  samples: number;
}

/** Runs `fn` until `minMs` have passed, `samples` times after a warm-up; returns the median. */
export function measure(
  name: string,
  fn: () => unknown,
  options: { samples?: number; minMs?: number } = {},
): Timing {
  const samples = options.samples ?? 5;
  const minMs = options.minMs ?? 300;
  fn();
  const perOp: number[] = [];
  for (let s = 0; s < samples; s++) perOp.push(sample(fn, minMs));
  perOp.sort((a, b) => a - b);
  const msPerOp = perOp[Math.floor(perOp.length / 2)];
  return { name, msPerOp, opsPerSec: 1000 / msPerOp, samples };
}

/**
 * Measures two operations in alternating samples (a sample of `a`, then one of `b`, and so on),
 * so that a change in the machine's speed during the run weighs on both alike; returns the
 * median of each. For a ratio of two sizes of the same operation, where measuring one fully and
 * then the other would compare two different moments of a noisy host.
 */
export function measurePair(
  a: { name: string; fn: () => unknown },
  b: { name: string; fn: () => unknown },
  options: { samples?: number; minMs?: number } = {},
): [Timing, Timing] {
  const samples = options.samples ?? 5;
  const minMs = options.minMs ?? 300;
  a.fn();
  b.fn();
  const perOp: [number[], number[]] = [[], []];
  for (let s = 0; s < samples; s++) {
    [a, b].forEach((op, i) => perOp[i].push(sample(op.fn, minMs)));
  }
  const timing = (name: string, times: number[]): Timing => {
    const msPerOp = times.sort((x, y) => x - y)[Math.floor(times.length / 2)];
    return { name, msPerOp, opsPerSec: 1000 / msPerOp, samples };
  };
  return [timing(a.name, perOp[0]), timing(b.name, perOp[1])];
}

/** One sample: calls `fn` until `minMs` have passed; milliseconds per call. */
function sample(fn: () => unknown, minMs: number): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return elapsed / calls;
}

/** Prints a timing line. */
export function report(t: Timing): void {
  console.log(
    `  ${t.name.padEnd(56)} ${t.msPerOp.toFixed(3).padStart(10)} ms/op ${
      t.opsPerSec.toFixed(1).padStart(12)
    } op/s`,
  );
}

/** Prints a ratio against its target and tells whether the target is met. */
export function ratio(
  label: string,
  value: number,
  target: { max?: number; min?: number },
): boolean {
  const ok = (target.max === undefined || value <= target.max) &&
    (target.min === undefined || value >= target.min);
  const bound = target.max !== undefined ? `≤ ${target.max}` : `≥ ${target.min}`;
  console.log(
    `  ${label.padEnd(56)} ${value.toFixed(2).padStart(10)}×   target ${bound}: ${
      ok ? "met" : "NOT met"
    }`,
  );
  return ok;
}
