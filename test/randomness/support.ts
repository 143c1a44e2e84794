/**
 * Shared helpers of the VDF tests: the harmony-one/vdf known-answer CSV, an independent primality
 * oracle, the options of slow tests and the switch for the long runs.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { fromHex } from "../../spec/encoding/bytes.ts";

/** `VDF_FULL=1` runs every CSV row and every Go test loop in full (minutes, not seconds). */
export const FULL = process.env.VDF_FULL === "1";

/** One row of harmony-one/vdf's `wesolowski.csv`. */
export interface CsvRow {
  /** 1-based row number in the file. */
  row: number;
  seed: Uint8Array;
  iterations: number;
  output: Uint8Array;
}

/** The 468 rows of `test/randomness/data/wesolowski.csv`. */
export function csvRows(): CsvRow[] {
  const text = readFileSync(new URL("./data/wesolowski.csv", import.meta.url), "utf8");
  return text.trim().split("\n").map((line, i) => {
    const [seed, iterations, output] = line.trim().split(",");
    return {
      row: i + 1,
      seed: fromHex(seed),
      iterations: Number(iterations),
      output: fromHex(output),
    };
  });
}

/** The rows checked by default: the first, the last, and an even spread in between. */
export function sampleRows(rows: CsvRow[], count: number): CsvRow[] {
  if (FULL || count >= rows.length) return rows;
  const out: CsvRow[] = [];
  for (let i = 0; i < count; i++) out.push(rows[Math.round((i * (rows.length - 1)) / (count - 1))]);
  return out;
}

/**
 * Options for tests that search 2048-bit discriminants (about half a second each under Deno,
 * more under Bun): Bun's default limit of 5 s per test is too tight for them.
 */
export const SLOW = { timeout: 10 * 60 * 1000 };

/**
 * An independent primality oracle for numbers below 3.3·10^24: Miller–Rabin with the first
 * thirteen prime bases, which is exact in that range (Sorenson and Webster, 2015).
 */
export function isPrimeOracle(n: bigint): boolean {
  if (n < 2n) return false;
  const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];
  if (n >= 3317044064679887385961981n) throw new Error("oracle range exceeded");
  for (const p of bases) if (n % p === 0n) return n === p;
  let d = n - 1n, s = 0;
  while ((d & 1n) === 0n) d >>= 1n, s++;
  for (const a of bases) {
    let x = 1n, b = a, e = d;
    while (e > 0n) {
      if (e & 1n) x = (x * b) % n;
      b = (b * b) % n;
      e >>= 1n;
    }
    if (x === 1n || x === n - 1n) continue;
    let witness = true;
    for (let r = 1; r < s && witness; r++) {
      x = (x * x) % n;
      if (x === n - 1n) witness = false;
    }
    if (witness) return false;
  }
  return true;
}
