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
  return medianTiming(name, perOp);
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
  return [medianTiming(a.name, perOp[0]), medianTiming(b.name, perOp[1])];
}

/** How an operation grows from a baseline size to a larger one: see {@link measureGrowth}. */
export interface Growth {
  /** The baseline: the median over the rounds of each round's median. */
  base: Timing;
  /** The larger size, likewise. */
  larger: Timing;
  /** Each round's ratio, larger over baseline. */
  ratios: number[];
  /** The median of the rounds' ratios. */
  ratio: number;
}

/**
 * Measures how an operation grows between two input sizes, over several rounds. Each round builds
 * both inputs afresh, warms up, and measures them in alternating samples ({@link measurePair}).
 * Where an input lies in memory weighs on a large operation that reads all of it: one build of
 * the inputs can favour one size, and fresh inputs each round let that luck even out in the
 * median of the rounds' ratios.
 */
export function measureGrowth<I>(
  sizes: [{ name: string; build: () => I }, { name: string; build: () => I }],
  fn: (input: I) => unknown,
  options: { rounds?: number; samples?: number; minMs?: number } = {},
): Growth {
  const rounds = options.rounds ?? 7;
  const per: [number[], number[]] = [[], []];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [a, b] = sizes.map((s) => s.build());
    for (let i = 0; i < 3; i++) [a, b].forEach((input) => fn(input));
    const [ta, tb] = measurePair(
      { name: sizes[0].name, fn: () => fn(a) },
      { name: sizes[1].name, fn: () => fn(b) },
      { samples: options.samples ?? 3, minMs: options.minMs ?? 500 },
    );
    per[0].push(ta.msPerOp);
    per[1].push(tb.msPerOp);
    ratios.push(tb.msPerOp / ta.msPerOp);
  }
  return {
    base: medianTiming(sizes[0].name, per[0]),
    larger: medianTiming(sizes[1].name, per[1]),
    ratios,
    ratio: median(ratios),
  };
}

/** The timing of an operation from its samples (milliseconds per call): their median. */
function medianTiming(name: string, times: number[]): Timing {
  const msPerOp = median(times);
  return { name, msPerOp, opsPerSec: 1000 / msPerOp, samples: times.length };
}

function median(values: number[]): number {
  return [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
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

/**
 * Prints a growth's two timings and its rounds' ratios, then its median ratio against the target;
 * tells whether the target is met.
 */
export function reportGrowth(label: string, growth: Growth, target: { max: number }): boolean {
  report(growth.base);
  report(growth.larger);
  const rounds = growth.ratios.map((r) => r.toFixed(2)).join(" ");
  console.log(`  ${"rounds (fresh inputs each)".padEnd(56)} ${rounds}`);
  return ratio(`${label}, median of the rounds`, growth.ratio, target);
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
