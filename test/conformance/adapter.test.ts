/**
 * The adapter protocol end to end, with real processes: the spec's own adapter passes published
 * vectors and fails every canary; a subtly wrong adapter fails exactly the vectors it falsifies,
 * at the right path; broken adapters are reported as protocol errors, failures or unsupported,
 * and their stderr reaches the runner's stderr. The adapters run under the runtime running the
 * test (Deno or Bun).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Decoded } from "../../conformance/cbor.ts";
import { AdapterStartError, scriptCommand } from "../../conformance/adapter-host.ts";
import { conformance } from "../../conformance/main.ts";
import {
  type AdapterReplay,
  loadVector,
  replayWithAdapter,
  selectVectors,
} from "../../conformance/replay.ts";
import { EXIT, exitCode, type Report } from "../../conformance/report.ts";
import { VECTORS_DIR } from "../../conformance/store.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SPEC_ADAPTER = scriptCommand("conformance/adapter/spec-adapter.ts");
const FLIP_ADAPTER = scriptCommand("test/conformance/adapters/flip.ts");
const broken = (mode: string) => scriptCommand("test/conformance/adapters/broken.ts", mode);

/** Process tests wait for adapters to start: allow for a loaded machine (Bun's default is 5 s). */
// Each test starts adapter processes; on a loaded two-core machine that takes a while.
const SLOW = { timeout: 240_000 };

/** The handlers of the subset: general and network presets, outputs and rejections. */
const SUBSET = ["dec_arith", "rlp_decode", "epoch_of_block"];

function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "adapter-"));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Runs the runner's command line as a separate process; resolves with its exit and output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bun = (process.versions as { bun?: string }).bun !== undefined;
  const runtimeArgs = bun ? ["conformance/main.ts"] : ["run", "-A", "conformance/main.ts"];
  const child = spawn(process.execPath, [...runtimeArgs, ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** Runs the runner in this process; collects what it prints and the adapter's stderr. */
async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await conformance(args, {
    print: (line) => (out += line + "\n"),
    onStderr: (chunk) => (err += new TextDecoder().decode(chunk)),
  });
  return { code, out, err };
}

function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, "utf8")) as Report;
}

test(
  "the spec's adapter passes a subset of the vectors and catches every canary",
  SLOW,
  async () => {
    await withTempDir(async (dir) => {
      const goodReport = join(dir, "good.json");
      const canaryReport = join(dir, "canary.json");
      const [good, canary] = await Promise.all([
        cli(["--adapter", SPEC_ADAPTER, "--handler", SUBSET.join(","), "--report", goodReport]),
        inProcess(["--adapter", SPEC_ADAPTER, "--canary", "--report", canaryReport]),
      ]);
      assert.equal(good.code, EXIT.passed, good.stdout + good.stderr);
      const wanted = selectVectors(VECTORS_DIR, "published", { handlers: SUBSET });
      const report = readReport(goodReport);
      assert.deepEqual(report.results.map((r) => r.path), wanted);
      assert.deepEqual(report.summary, {
        passed: wanted.length,
        failed: 0,
        unsupported: 0,
        unreadable: 0,
      });
      assert.deepEqual(
        new Set(report.results.map((r) => r.preset)),
        new Set(["general", "mainnet", "testnet", "localnet"]),
      );
      assert.equal(report.adapter?.name, "harmony-spec");
      assert.match(good.stdout, /adapter: harmony-spec, protocol 1/);

      assert.equal(canary.code, EXIT.passed, canary.out);
      const canaries = readReport(canaryReport).results;
      assert.deepEqual(canaries.map((r) => r.path), selectVectors(VECTORS_DIR, "canary"));
      assert.ok(canaries.length > 0);
      for (const r of canaries) {
        assert.equal(r.status, "failed");
        assert.match(r.diverges ?? "", /^outputs\.\w+/);
      }
      assert.match(canary.out, /canary: all \d+ deliberately wrong vectors were caught/);
    });
  },
);

/** Whether vector data holds a byte string anywhere. */
function holdsBytes(value: Decoded): boolean {
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some(holdsBytes);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsBytes);
  return false;
}

test(
  "a flipped bit fails exactly the vectors whose outputs hold bytes; a re-run takes only those",
  SLOW,
  async () => {
    await withTempDir(async (dir) => {
      const first = join(dir, "first.json");
      const run = await inProcess([
        "--adapter",
        FLIP_ADAPTER,
        "--handler",
        SUBSET.join(","),
        "--report",
        first,
      ]);
      assert.equal(run.code, EXIT.failed);
      const failed = new Set<string>();
      for (const r of readReport(first).results) {
        const expect = loadVector(VECTORS_DIR, r.path).expect as { [k: string]: Decoded };
        const falsified = expect.result === "valid" && holdsBytes(expect.outputs);
        assert.equal(r.status, falsified ? "failed" : "passed", r.path);
        if (!falsified) continue;
        failed.add(r.path);
        assert.match(r.diverges ?? "", /^outputs\.\w+/, r.path);
        assert.match(r.detail ?? "", /expected bytes 0x[0-9a-f]*.*, got bytes 0x/, r.path);
      }
      assert.ok(failed.size > 0 && failed.size < readReport(first).results.length);
      // The re-run list: exactly the failed vectors go to the next adapter (here, one that
      // declines everything, so the re-run is quick and shows what was selected).
      const again = join(dir, "again.json");
      const rerun = await inProcess([
        "--adapter",
        broken("declines"),
        "--only-failed",
        first,
        "--report",
        again,
      ]);
      assert.equal(rerun.code, EXIT.unsupported, rerun.out);
      assert.deepEqual(new Set(readReport(again).results.map((r) => r.path)), failed);
    });
  },
);

/** Two dec_arith vectors: one with outputs, one rejected. */
function twoVectors(): string[] {
  const paths = selectVectors(VECTORS_DIR, "published", { handlers: ["dec_arith"] });
  const rejected = paths.find((p) =>
    (loadVector(VECTORS_DIR, p).expect as { result: string }).result === "invalid"
  )!;
  return [paths[0], rejected];
}

async function againstBroken(
  mode: string,
  limits = { timeoutMs: 5000, handshakeMs: 20_000 },
): Promise<AdapterReplay & { stderr: string }> {
  let stderr = "";
  const run = await replayWithAdapter(VECTORS_DIR, twoVectors(), {
    command: broken(mode),
    cwd: ROOT,
    ...limits,
    onStderr: (chunk) => (stderr += new TextDecoder().decode(chunk)),
  });
  assert.match(stderr, new RegExp(`broken adapter \\(${mode}\\) starting`));
  return { ...run, stderr };
}

test("broken adapters: protocol errors, failures and unsupported vectors", SLOW, async () => {
  const protocolErrors: [string, RegExp][] = [
    ["garbage", /not a JSON line: "this is not json"/],
    ["old-protocol", /adapter speaks protocol 0, runner 1/],
    ["wrong-id", /result for ".*_other", expected /],
    ["bad-bytes", /outputs\.result: \$bytes must be 0x followed by an even number/],
  ];
  const runs = await Promise.all([
    ...protocolErrors.map(([mode]) => againstBroken(mode)),
    againstBroken("silent", { timeoutMs: 5000, handshakeMs: 1500 }),
    againstBroken("hang", { timeoutMs: 400, handshakeMs: 20_000 }),
    againstBroken("crash"),
    againstBroken("made-up-error"),
    againstBroken("declines"),
    againstBroken("declares-nothing"),
  ]);
  protocolErrors.forEach(([mode, pattern], i) => {
    const run = runs[i];
    assert.match(run.protocolError ?? "", pattern, mode);
    assert.equal(exitCode(run.results, "published", run.protocolError), EXIT.protocol);
    // Only the vector the adapter broke on has a result; it is a failure.
    const expected = mode === "old-protocol" ? [] : ["failed"];
    assert.deepEqual(run.results.map((r) => r.status), expected, mode);
  });
  const [silent, hang, crash, madeUp, declines, nothing] = runs.slice(protocolErrors.length);
  assert.match(silent.protocolError ?? "", /no hello within 1500 ms/);
  assert.deepEqual(hang.results.map((r) => r.detail), [
    "no result within 400 ms",
    "no result within 400 ms",
  ]);
  assert.equal(hang.protocolError, null);
  assert.deepEqual(crash.results.map((r) => r.status), ["failed", "failed"]);
  assert.match(crash.results[0].detail ?? "", /adapter exited during the run \(exit code 3\)/);
  // A made-up code fails even where a rejection is expected, and is pointed out.
  assert.deepEqual(madeUp.results.map((r) => r.status), ["failed", "failed"]);
  assert.match(
    madeUp.results[1].detail ?? "",
    /error: expected "numeric\/[a-z-]+", got "numeric\/made-up" \(.* is not a code/,
  );
  for (const run of [declines, nothing]) {
    assert.deepEqual(run.results.map((r) => r.status), ["unsupported", "unsupported"]);
    assert.equal(exitCode(run.results, "published", run.protocolError), EXIT.unsupported);
  }
  assert.match(nothing.results[0].detail ?? "", /not declared/);
  assert.doesNotMatch(nothing.stderr, /unexpected run/);
});

test(
  "the command line: a protocol error exits 2 and the adapter's stderr is passed through",
  SLOW,
  async () => {
    const [garbage, missing, usage] = await Promise.all([
      cli(["--adapter", broken("garbage"), "--handler", "dec_arith"]),
      inProcess(["--adapter", "./no-such-adapter --flag"]),
      inProcess(["--no-such-option"]),
    ]);
    assert.equal(garbage.code, EXIT.protocol);
    assert.match(garbage.stderr, /broken adapter \(garbage\) starting/);
    assert.match(garbage.stdout, /adapter protocol error: not a JSON line/);
    assert.equal(missing.code, EXIT.io);
    assert.match(missing.out, /cannot start \.\/no-such-adapter/);
    assert.equal(usage.code, EXIT.usage);
    await assert.rejects(
      replayWithAdapter(VECTORS_DIR, [], {
        command: "./no-such-adapter",
        timeoutMs: 1,
        handshakeMs: 1,
      }),
      AdapterStartError,
    );
  },
);

test(
  "a Go adapter speaks the same protocol (set ADAPTER_GO=1; needs a Go toolchain)",
  { ...SLOW, skip: process.env.ADAPTER_GO !== "1" },
  async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "go.json");
      const command = "go run conformance/adapter/go/main.go";
      const run = await inProcess([
        "--adapter",
        command,
        "--handler",
        "dec_arith",
        "--report",
        file,
      ]);
      assert.equal(run.code, EXIT.passed, run.out + run.err);
      for (const r of readReport(file).results) {
        const op = loadVector(VECTORS_DIR, r.path).inputs.op;
        assert.equal(r.status, op === "add" || op === "sub" ? "passed" : "unsupported", r.path);
      }
      const canary = await inProcess(["--adapter", command, "--canary", "--runner", "numeric"]);
      assert.equal(canary.code, EXIT.passed, canary.out);
    });
  },
);
