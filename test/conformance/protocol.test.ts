/**
 * The adapter protocol's pieces, without processes: the JSON mapping of vector data, the checks on
 * the adapter's messages, command-line splitting, first-divergence paths, the re-run list, exit
 * codes and the selection filters.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { bytesEqual, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { type Data, type Decoded, encodeCanonical } from "../../conformance/cbor.ts";
import {
  checkHello,
  checkResult,
  declares,
  fromJson,
  parseLine,
  ProtocolError,
  toJson,
} from "../../conformance/protocol.ts";
import { splitCommand } from "../../conformance/adapter-host.ts";
import { firstDivergence } from "../../conformance/diff.ts";
import { EXIT, exitCode, REPORT_FORMAT, rerunList } from "../../conformance/report.ts";
import { type ReplayResult, selectVectors } from "../../conformance/replay.ts";
import { catches, holds } from "../support/property.ts";

/** Text that looks like hex must stay text: the reason byte strings are not plain strings. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.uint8Array({ maxLength: 4 }).map((b) => `0x${toHex(b)}`),
);
const key = fc.string({ maxLength: 6 }).filter((k) => !k.startsWith("$"));
const data: fc.Arbitrary<Decoded> = fc.letrec<{ value: Decoded }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    text,
    fc.uint8Array({ maxLength: 8 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** The round trip an adapter's data takes: to JSON text, and back. */
function roundTrip(
  value: Decoded,
  encode: (v: Decoded) => unknown,
  decode: (v: unknown) => Decoded,
): boolean {
  const back = decode(JSON.parse(JSON.stringify(encode(value))));
  return bytesEqual(encodeCanonical(back as Data), encodeCanonical(value as Data));
}

test("property: the JSON mapping of vector data is lossless", () => {
  holds(fc.property(data, (v) => roundTrip(v, toJson, fromJson)));
});

/** A broken mapping: byte strings as plain `0x` strings, read back by their look. */
function plainToJson(v: Decoded): unknown {
  if (v instanceof Uint8Array) return `0x${toHex(v)}`;
  if (Array.isArray(v)) return v.map(plainToJson);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainToJson(x)]));
  }
  return v;
}
function plainFromJson(v: unknown): Decoded {
  if (typeof v === "string" && /^0x([0-9a-f]{2})*$/.test(v)) return fromHex(v);
  if (Array.isArray(v)) return v.map(plainFromJson);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainFromJson(x)]));
  }
  return v as Decoded;
}

test("property: the round trip catches an ambiguous mapping (bytes as plain 0x strings)", () => {
  catches(fc.property(data, (v) => roundTrip(v, plainToJson, plainFromJson)));
});

test("the mapping writes the documented shapes", () => {
  const value = { a: fromHex("00ff"), b: "0x00", c: [1, -2, true, null], d: new Uint8Array() };
  assert.deepEqual(toJson(value), {
    a: { $bytes: "0x00ff" },
    b: "0x00",
    c: [1, -2, true, null],
    d: { $bytes: "0x" },
  });
  assert.deepEqual(fromJson({ $bytes: "0xABcd" }), fromHex("abcd"));
  assert.throws(() => toJson({ $x: 1 }), /reserved/);
});

test("the mapping refuses JSON outside the data model", () => {
  const bad: [unknown, RegExp][] = [
    [1.5, /safe range/],
    [2 ** 53, /safe range/],
    [{ $bytes: "0x1" }, /even number/],
    [{ $bytes: "00" }, /even number/],
    [{ $bytes: "0xzz" }, /even number/],
    [{ $bytes: "0x00", more: 1 }, /only key/],
    [{ $other: 1 }, /reserved/],
    ["\ud800", /Unicode/],
  ];
  for (const [value, message] of bad) {
    assert.throws(() => fromJson({ x: [value] }), (e) => {
      return e instanceof ProtocolError && message.test(e.message) && e.message.includes("$.x[0]");
    });
  }
  const proto = fromJson(JSON.parse('{"__proto__": {"a": 1}}')) as { [k: string]: Decoded };
  assert.deepEqual(Object.keys(proto), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
});

test("hello: version, name and capabilities are checked", () => {
  const hello = checkHello(parseLine(
    '{"type":"hello","protocol":1,"name":"x","supports":{"numeric":["*"],"encoding":["hash"]},"presets":["general"],"extra":1}',
  ));
  assert.equal(declares(hello, "general", "numeric", "dec_arith"), true);
  assert.equal(declares(hello, "general", "encoding", "hash"), true);
  assert.equal(declares(hello, "general", "encoding", "rlp_decode"), false);
  assert.equal(declares(hello, "mainnet", "numeric", "dec_arith"), false);
  assert.equal(declares(hello, "mainnet", "sharding", "epoch_of_block"), false);
  const all = checkHello({ type: "hello", protocol: 1, name: "x", supports: { sharding: ["*"] } });
  assert.equal(declares(all, "testnet", "sharding", "epoch_of_block"), true);
  const bad: [unknown, RegExp][] = [
    [{ type: "result" }, /expected hello/],
    [{ type: "hello", protocol: 2, name: "x", supports: {} }, /protocol 2/],
    [{ type: "hello", protocol: 1, supports: {} }, /name/],
    [{ type: "hello", protocol: 1, name: "x", supports: ["numeric"] }, /supports/],
    [{ type: "hello", protocol: 1, name: "x", supports: { a: "b" } }, /supports\.a/],
    [{ type: "hello", protocol: 1, name: "x", supports: {}, presets: "general" }, /presets/],
  ];
  for (const [message, pattern] of bad) {
    assert.throws(() => checkHello(message as { [k: string]: unknown }), pattern);
  }
});

test("lines and results are checked", () => {
  for (const line of ["nope", "[1]", "null", '{"id":1}']) {
    assert.throws(() => parseLine(line), ProtocolError);
  }
  const ok = checkResult(
    { type: "result", id: "a", status: "ok", outputs: { r: { $bytes: "0x01" } } },
    "a",
  );
  assert.deepEqual(ok, { status: "ok", outputs: { r: fromHex("01") } });
  assert.deepEqual(
    checkResult({ type: "result", id: "a", status: "rejected", error: "e/x" }, "a"),
    {
      status: "rejected",
      error: "e/x",
    },
  );
  assert.deepEqual(checkResult({ type: "result", id: "a", status: "unsupported" }, "a"), {
    status: "unsupported",
    reason: "",
  });
  const bad: [{ [k: string]: unknown }, RegExp][] = [
    [{ type: "hello", id: "a" }, /expected result/],
    [{ type: "result", id: "b", status: "ok", outputs: {} }, /expected a/],
    [{ type: "result", id: "a", status: "ok", outputs: [1] }, /object/],
    [{ type: "result", id: "a", status: "ok", outputs: { $bytes: "0x" } }, /bytes/],
    [{ type: "result", id: "a", status: "ok" }, /not JSON data|object/],
    [{ type: "result", id: "a", status: "rejected" }, /error code/],
    [{ type: "result", id: "a", status: "passed" }, /unknown status/],
  ];
  for (const [message, pattern] of bad) assert.throws(() => checkResult(message, "a"), pattern);
});

test("command lines split into words like a shell's quoting", () => {
  assert.deepEqual(splitCommand("deno run -A x.ts"), ["deno", "run", "-A", "x.ts"]);
  assert.deepEqual(splitCommand(`  go  run "./cmd/my adapter" 'a "b"' c\\ d ""`), [
    "go",
    "run",
    "./cmd/my adapter",
    'a "b"',
    "c d",
    "",
  ]);
  assert.deepEqual(splitCommand(`"a\\"b\\n" 'it'\\''s'`), ['a"b\\n', "it's"]);
  assert.throws(() => splitCommand("a 'b"), /unterminated/);
  assert.throws(() => splitCommand("   "), /empty/);
});

test("the first divergence names the path of the differing value", () => {
  const expected: Decoded = {
    validators: [{ amount: fromHex("05"), key: "k" }, { amount: fromHex("07") }],
  };
  const cases: [Decoded, string | null][] = [
    [expected, null],
    [
      { validators: [{ amount: fromHex("05"), key: "k" }, { amount: fromHex("08") }] },
      "[1].amount",
    ],
    [{ validators: [{ amount: fromHex("05"), key: "K" }, { amount: fromHex("07") }] }, "[0].key"],
    [{ validators: [{ amount: fromHex("05"), key: "k" }] }, "[1]"],
    [{ validators: [{ amount: 5, key: "k" }, { amount: fromHex("07") }] }, "[0].amount"],
    [{ validators: [{ key: "k" }, { amount: fromHex("07") }] }, "[0].amount"],
  ];
  for (const [actual, path] of cases) {
    const d = firstDivergence(expected, actual, "outputs");
    assert.equal(d?.path ?? null, path === null ? null : `outputs.validators${path}`);
  }
  const extra = firstDivergence({ a: 1 }, { a: 1, "b-c": 2 }, "outputs");
  assert.deepEqual(extra, {
    path: 'outputs["b-c"]',
    expected: "nothing (no such field)",
    actual: "integer 2",
  });
  const long = new Uint8Array(100);
  const changed = long.slice();
  changed[70] = 1;
  const d = firstDivergence(long, changed, "x")!;
  assert.equal(d.note, "first difference at byte 70");
  // A window of 48 bytes from 8 before the difference, clamped to the end: bytes 52 to 99.
  assert.match(d.actual, /^bytes 0x…\(52 bytes\)0{36}010{58} \(100 bytes\)$/);
});

function results(statuses: ReplayResult["status"][]): ReplayResult[] {
  return statuses.map((status, i) => ({
    path: `general/r/h/c${i}.cbor`,
    id: `general/r/h/c${i}`,
    preset: "general",
    runner: "r",
    handler: "h",
    status,
  }));
}

test("exit codes follow the documented table", () => {
  assert.equal(exitCode(results(["passed", "unsupported"]), "published", null), EXIT.passed);
  assert.equal(exitCode(results(["passed", "failed"]), "published", null), EXIT.failed);
  assert.equal(exitCode(results([]), "published", null), EXIT.failed);
  assert.equal(exitCode(results(["passed"]), "published", "bad line"), EXIT.protocol);
  assert.equal(exitCode(results(["unsupported"]), "published", null), EXIT.unsupported);
  assert.equal(exitCode(results(["failed", "unreadable"]), "published", null), EXIT.vector);
  assert.equal(exitCode(results(["failed", "failed"]), "canary", null), EXIT.passed);
  assert.equal(exitCode(results(["failed", "passed"]), "canary", null), EXIT.failed);
  assert.deepEqual(
    [EXIT.passed, EXIT.failed, EXIT.protocol, EXIT.unsupported, EXIT.vector, EXIT.io, EXIT.usage],
    [0, 1, 2, 3, 10, 11, 64],
  );
});

test("the re-run list comes from a report's failures or from a list of paths", () => {
  const report = { format: REPORT_FORMAT, results: results(["passed", "failed", "unreadable"]) };
  assert.deepEqual([...rerunList(JSON.stringify(report))], [
    "general/r/h/c1.cbor",
    "general/r/h/c2.cbor",
  ]);
  assert.deepEqual([...rerunList("# failed last time\na/b/c/d.cbor\n\n e/f/g/h.cbor # flaky\n")], [
    "a/b/c/d.cbor",
    "e/f/g/h.cbor",
  ]);
  assert.throws(() => rerunList('{"format": "other"}'), /not a/);
});

test("selection: canaries apart, filters by preset, runner, handler and file", () => {
  const dir = mkdtempSync(join(tmpdir(), "select-"));
  try {
    const files = [
      "canary/general/numeric/dec_arith/wrong.cbor",
      "general/numeric/dec_arith/a.cbor",
      "general/numeric/dec_parse/b.cbor",
      "general/encoding/hash/c.cbor",
      "mainnet/sharding/epoch_of_block/d.cbor",
    ];
    for (const f of files) {
      mkdirSync(join(dir, f, ".."), { recursive: true });
      writeFileSync(join(dir, f), new Uint8Array([0xa0]));
    }
    assert.deepEqual(selectVectors(dir, "canary"), [files[0]]);
    assert.deepEqual(selectVectors(dir, "published"), [files[3], files[1], files[2], files[4]]);
    assert.deepEqual(selectVectors(dir, "published", { runners: ["numeric"] }), [
      files[1],
      files[2],
    ]);
    assert.deepEqual(selectVectors(dir, "published", { handlers: ["dec_parse", "hash"] }), [
      files[3],
      files[2],
    ]);
    assert.deepEqual(selectVectors(dir, "published", { presets: ["mainnet"] }), [files[4]]);
    assert.deepEqual(
      selectVectors(dir, "published", { only: new Set([files[4], files[0], "x.cbor"]) }),
      [files[4]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
