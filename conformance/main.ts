/**
 * `deno task conformance [options]`: replays the vectors and prints a summary per runner.
 *
 * By default the spec itself runs every published vector. With `--adapter "<command line>"` the
 * runner starts an implementer's program and has it run the vectors over the protocol of
 * `conformance/formats/adapter.md`; comparison stays here.
 *
 * Options:
 * - `--dir DIR`: the vectors directory (default `vectors/`);
 * - `--canary`: replay only the canaries, whose expectations are deliberately wrong; succeeds
 *   only if at least one ran and every one was reported as failed;
 * - `--adapter CMD`: run the vectors against an adapter; `--timeout MS` per case (default 10000);
 * - `--preset`, `--runner`, `--handler NAME`: only these (repeat, or separate with commas);
 * - `--only-failed FILE`: only the vectors a previous `--report` file lists as failed (or a file
 *   with one vector path per line);
 * - `--report FILE`: write a JSON report.
 *
 * Exit codes: 0 all passed, 1 failures, 2 adapter protocol error, 3 nothing supported, 10 an
 * unreadable vector, 11 input/output, 64 usage (see {@link EXIT}).
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { parseArgs } from "node:util";
import { AdapterStartError } from "./adapter-host.ts";
import {
  type ReplayFilters,
  replayPaths,
  type ReplayResult,
  type ReplaySelection,
  replayWithAdapter,
  selectVectors,
  summarize,
} from "./replay.ts";
import { buildReport, EXIT, exitCode, rerunList } from "./report.ts";
import { VECTORS_DIR } from "./store.ts";
import type { AdapterHello } from "./protocol.ts";

/** How long an adapter may take to start and say `hello`. */
const HANDSHAKE_MS = 60_000;
/** The default time limit of one case. */
const DEFAULT_TIMEOUT_MS = 10_000;

const USAGE = `usage: deno task conformance [--dir DIR] [--canary] [--adapter CMD [--timeout MS]]
       [--preset P] [--runner R] [--handler H] [--only-failed FILE] [--report FILE]`;

/** Where the runner writes: lines for people, and the adapter's stderr. */
export interface RunnerIo {
  /** Prints one line of the runner's output. */
  print(line: string): void;
  /** Receives the adapter's stderr; without it, it goes to the runner's stderr. */
  onStderr?: (chunk: Uint8Array) => void;
}

function list(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

/** Parsed command line. */
interface Options {
  dir: string;
  selection: ReplaySelection;
  adapter: string | null;
  timeoutMs: number;
  filters: ReplayFilters;
  onlyFailed: string | null;
  report: string | null;
}

function parse(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string" },
      canary: { type: "boolean" },
      adapter: { type: "string" },
      timeout: { type: "string" },
      preset: { type: "string", multiple: true },
      runner: { type: "string", multiple: true },
      handler: { type: "string", multiple: true },
      "only-failed": { type: "string" },
      report: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error("--timeout: milliseconds");
  }
  if (values.timeout !== undefined && values.adapter === undefined) {
    throw new Error("--timeout applies to --adapter only");
  }
  return {
    dir: values.dir ?? VECTORS_DIR,
    selection: values.canary ? "canary" : "published",
    adapter: values.adapter ?? null,
    timeoutMs,
    filters: {
      presets: list(values.preset),
      runners: list(values.runner),
      handlers: list(values.handler),
    },
    onlyFailed: values["only-failed"] ?? null,
    report: values.report ?? null,
  };
}

function printResults(io: RunnerIo, results: ReplayResult[]): { passed: number; failed: number } {
  for (const r of results) {
    if (r.status === "failed") io.print(`FAIL ${r.path}: ${r.detail}`);
    if (r.status === "unreadable") io.print(`UNREADABLE ${r.path}: ${r.detail}`);
  }
  let passed = 0;
  let failed = 0;
  for (const [runner, counts] of summarize(results)) {
    let line = `${runner.padEnd(14)} ${counts.passed} passed, ${counts.failed} failed`;
    if (counts.unsupported > 0) line += `, ${counts.unsupported} unsupported`;
    if (counts.unreadable > 0) line += `, ${counts.unreadable} unreadable`;
    io.print(line);
    passed += counts.passed;
    failed += counts.failed + counts.unreadable;
  }
  return { passed, failed };
}

function printVerdict(
  io: RunnerIo,
  options: Options,
  selected: number,
  results: ReplayResult[],
  code: number,
) {
  const { passed, failed } = printResults(io, results);
  const unsupported = results.filter((r) => r.status === "unsupported").length;
  if (options.selection === "canary") {
    const ran = passed + failed;
    io.print(
      code === EXIT.passed
        ? `canary: all ${failed} deliberately wrong vectors were caught`
        : `canary: ${passed} of ${ran} deliberately wrong vectors were NOT caught`,
    );
    return;
  }
  const extra = unsupported > 0 ? `, ${unsupported} unsupported` : "";
  io.print(`conformance: ${passed} passed, ${failed} failed${extra}`);
  if (selected === 0) io.print(`no vectors found under ${options.dir}`);
  else if (code === EXIT.unsupported) io.print("the adapter supports none of these vectors");
}

/**
 * Runs the conformance runner with a command line and returns its exit code.
 *
 * @param args the command-line arguments (without the program name)
 * @param io where to print; the process's stdout and stderr by default
 */
export async function conformance(
  args: string[],
  io: RunnerIo = { print: (line) => console.log(line) },
): Promise<number> {
  let options: Options;
  try {
    options = parse(args);
  } catch (e) {
    io.print(`${(e as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  let paths = selectVectors(options.dir, options.selection, options.filters);
  if (options.onlyFailed !== null) {
    try {
      options.filters.only = rerunList(readFileSync(options.onlyFailed, "utf8"));
    } catch (e) {
      io.print(`--only-failed ${options.onlyFailed}: ${(e as Error).message}`);
      return EXIT.io;
    }
    if (options.filters.only.size === 0) {
      io.print(`nothing to re-run: ${options.onlyFailed} lists no failed vector`);
      return EXIT.passed;
    }
    paths = selectVectors(options.dir, options.selection, options.filters);
    const absent = options.filters.only.size - paths.length;
    if (absent > 0) io.print(`${absent} listed vectors are not in this selection; skipped`);
  }
  let results: ReplayResult[];
  let hello: AdapterHello | null = null;
  let protocolError: string | null = null;
  if (options.adapter === null) {
    const { SUITES } = await import("./suites.ts");
    results = await replayPaths(options.dir, paths, SUITES);
  } else {
    try {
      const run = await replayWithAdapter(options.dir, paths, {
        command: options.adapter,
        timeoutMs: options.timeoutMs,
        handshakeMs: HANDSHAKE_MS,
        onStderr: io.onStderr,
      });
      ({ hello, results, protocolError } = run);
    } catch (e) {
      if (!(e instanceof AdapterStartError)) throw e;
      io.print(e.message);
      return EXIT.io;
    }
    if (hello !== null) {
      const name = hello.version === "" ? hello.name : `${hello.name} ${hello.version}`;
      io.print(`adapter: ${name}, protocol ${hello.protocol}`);
    }
  }
  const code = exitCode(results, options.selection, protocolError);
  printVerdict(io, options, paths.length, results, code);
  if (protocolError !== null) io.print(`adapter protocol error: ${protocolError}`);
  if (options.report !== null) {
    const report = buildReport({
      command: options.adapter,
      hello,
      selection: options.selection,
      filters: options.filters,
      exit: code,
      protocolError,
      results,
    });
    try {
      writeFileSync(options.report, JSON.stringify(report, null, 2) + "\n");
    } catch (e) {
      io.print(`--report ${options.report}: ${(e as Error).message}`);
      return code === EXIT.protocol ? code : EXIT.io;
    }
  }
  return code;
}

if (import.meta.main) {
  process.exit(await conformance(process.argv.slice(2)));
}
