/**
 * The runner's verdicts: exit codes, the JSON report and the re-run list.
 *
 * Exit codes follow the convention of Ethereum's transition tools (a table shared across
 * implementations) and are documented in `conformance/formats/adapter.md`.
 *
 * @module
 */
import type { AdapterHello } from "./protocol.ts";
import type { ReplayFilters, ReplayResult, ReplaySelection, ReplayStatus } from "./replay.ts";
import { summarize } from "./replay.ts";

/** The runner's exit codes. */
export const EXIT = {
  /** Every vector that ran passed (in `--canary` mode: every canary was caught). */
  passed: 0,
  /** A vector failed (or a canary passed), or no vector was selected. */
  failed: 1,
  /** The adapter broke the protocol (bad line, wrong id, no `hello`, another version). */
  protocol: 2,
  /** The adapter supports none of the selected vectors: nothing was compared. */
  unsupported: 3,
  /** A vector file could not be read as a vector (corrupt or hand-edited). */
  vector: 10,
  /** Input/output: the adapter cannot be started, a file cannot be read or written. */
  io: 11,
  /** The command line is wrong. */
  usage: 64,
} as const;

/** The report's format tag. */
export const REPORT_FORMAT = "harmony-spec/report/1";

/** Counts of results by status. */
export type Counts = Record<ReplayStatus, number>;

/** The JSON report written by `--report`. */
export interface Report {
  /** Always {@link REPORT_FORMAT}. */
  format: string;
  /** The adapter that ran the vectors, or `null` when the spec itself did. */
  adapter: { command: string; name: string; version: string; protocol: number } | null;
  /** Published vectors or canaries. */
  selection: ReplaySelection;
  /** The filters of the command line. */
  filters: { presets: string[]; runners: string[]; handlers: string[]; onlyFailed: boolean };
  /** The process's exit code. */
  exit: number;
  /** Why the run stopped early, if the adapter broke the protocol. */
  protocolError: string | null;
  /** Counts over all results. */
  summary: Counts;
  /** Counts per runner. */
  runners: { [runner: string]: Counts };
  /** One entry per vector, in path order. */
  results: ReplayResult[];
}

/** Counts over all results. */
export function totals(results: ReplayResult[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, unsupported: 0, unreadable: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** The exit code of a finished run. */
export function exitCode(
  results: ReplayResult[],
  selection: ReplaySelection,
  protocolError: string | null,
): number {
  if (protocolError !== null) return EXIT.protocol;
  const t = totals(results);
  if (t.unreadable > 0) return EXIT.vector;
  if (results.length === 0) return EXIT.failed;
  if (t.passed + t.failed === 0) return EXIT.unsupported;
  if (selection === "canary") return t.passed === 0 ? EXIT.passed : EXIT.failed;
  return t.failed > 0 ? EXIT.failed : EXIT.passed;
}

/** Builds the JSON report of a run. */
export function buildReport(
  run: {
    command: string | null;
    hello: AdapterHello | null;
    selection: ReplaySelection;
    filters: ReplayFilters;
    exit: number;
    protocolError: string | null;
    results: ReplayResult[];
  },
): Report {
  const runners: { [runner: string]: Counts } = {};
  for (const [runner, counts] of summarize(run.results)) runners[runner] = counts;
  const { hello } = run;
  return {
    format: REPORT_FORMAT,
    adapter: run.command === null ? null : {
      command: run.command,
      name: hello?.name ?? "",
      version: hello?.version ?? "",
      protocol: hello?.protocol ?? 0,
    },
    selection: run.selection,
    filters: {
      presets: run.filters.presets ?? [],
      runners: run.filters.runners ?? [],
      handlers: run.filters.handlers ?? [],
      onlyFailed: run.filters.only !== undefined,
    },
    exit: run.exit,
    protocolError: run.protocolError,
    summary: totals(run.results),
    runners,
    results: run.results,
  };
}

/**
 * The vector paths to run again, from a file that is either a JSON report (its `failed` and
 * `unreadable` results) or a list with one path per line (blank lines and `#` comments ignored).
 *
 * @throws {Error} when a JSON file is not a report
 */
export function rerunList(text: string): Set<string> {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const report = JSON.parse(trimmed) as Partial<Report>;
    if (report.format !== REPORT_FORMAT || !Array.isArray(report.results)) {
      throw new Error(`not a ${REPORT_FORMAT} report`);
    }
    const out = new Set<string>();
    for (const r of report.results) {
      if (r.status === "failed" || r.status === "unreadable") out.add(r.path);
    }
    return out;
  }
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const path = line.replace(/#.*/, "").trim();
    if (path !== "") out.add(path);
  }
  return out;
}
