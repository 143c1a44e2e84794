/** JSON-RPC 2.0 dispatch and the HTTP server, against the examples of the JSON-RPC 2.0 spec. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { handleBody, RpcError, type RpcMethods } from "../../src/rpc/jsonrpc.ts";
import { rpcApp } from "../../src/rpc/server.ts";
import { SpecError } from "../../spec/errors.ts";

const methods: RpcMethods = {
  subtract: (p) => (p[0] as number) - (p[1] as number),
  notify_hello: () => null,
  get_data: () => ["hello", 5],
  fails: () => {
    throw new RpcError(-32602, "invalid params: expected a number");
  },
  rejects: () => {
    throw new SpecError("encoding/invalid-hex", "odd length");
  },
  crashes: () => {
    throw new TypeError("boom");
  },
};
const limits = { maxBatch: 10 };
const call = (body: string) => handleBody(methods, body, limits);

test("answers the examples of the JSON-RPC 2.0 specification", async () => {
  assert.deepEqual(
    await call('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'),
    {
      jsonrpc: "2.0",
      result: 19,
      id: 1,
    },
  );
  assert.equal(await call('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}'), null);
  assert.deepEqual(await call('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}'), {
    jsonrpc: "2.0",
    id: "1",
    error: { code: -32601, message: "the method foobar does not exist" },
  });
  assert.deepEqual(await call('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]'), {
    jsonrpc: "2.0",
    id: null,
    error: { code: -32700, message: "parse error: the body is not JSON" },
  });
  assert.deepEqual(await call('{"jsonrpc": "2.0", "method": 1, "params": "bar"}'), {
    jsonrpc: "2.0",
    id: null,
    error: { code: -32600, message: "invalid request" },
  });
  assert.deepEqual(await call("[]"), {
    jsonrpc: "2.0",
    id: null,
    error: { code: -32600, message: "empty batch" },
  });
  assert.deepEqual(await call("[1,2]"), [
    {
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: "invalid request: not an object" },
    },
    {
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: "invalid request: not an object" },
    },
  ]);
});

test("a batch answers in order and leaves out notifications", async () => {
  const body = JSON.stringify([
    { jsonrpc: "2.0", method: "subtract", params: [42, 23], id: "1" },
    { jsonrpc: "2.0", method: "notify_hello", params: [7] },
    { jsonrpc: "2.0", method: "get_data", id: "9" },
  ]);
  assert.deepEqual(await call(body), [
    { jsonrpc: "2.0", id: "1", result: 19 },
    { jsonrpc: "2.0", id: "9", result: ["hello", 5] },
  ]);
  assert.equal(await call(JSON.stringify([{ jsonrpc: "2.0", method: "notify_hello" }])), null);
});

test("errors carry their codes; spec rejections carry the spec's code; crashes are internal", async () => {
  const error = async (method: string) =>
    ((await call(JSON.stringify({ jsonrpc: "2.0", method, id: 3 }))) as { error: unknown }).error;
  assert.deepEqual(await error("fails"), {
    code: -32602,
    message: "invalid params: expected a number",
  });
  assert.deepEqual(await error("rejects"), {
    code: -32000,
    message: "encoding/invalid-hex: odd length",
    data: { code: "encoding/invalid-hex" },
  });
  assert.deepEqual(await error("crashes"), { code: -32603, message: "internal error: boom" });
  assert.deepEqual(await error("__proto__"), {
    code: -32601,
    message: "the method __proto__ does not exist",
  });
});

test("params must be an array, and batches have a limit", async () => {
  const r = await call('{"jsonrpc":"2.0","method":"subtract","params":{"a":1},"id":1}');
  assert.deepEqual(r, {
    jsonrpc: "2.0",
    id: 1,
    error: { code: -32602, message: "params must be an array" },
  });
  const big = JSON.stringify(
    Array.from({ length: 11 }, (_, i) => ({ jsonrpc: "2.0", method: "get_data", id: i })),
  );
  assert.equal(((await call(big)) as { error: { code: number } }).error.code, -32005);
});

test("the HTTP app answers POSTs, refuses oversized bodies with 413", async () => {
  const app = rpcApp(methods, { maxBodyBytes: 200, maxBatch: 10 });
  const ok = await app.request("/", {
    method: "POST",
    body: '{"jsonrpc":"2.0","method":"get_data","id":1}',
    headers: { "content-type": "application/json" },
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { jsonrpc: "2.0", id: 1, result: ["hello", 5] });
  const big = await app.request("/", { method: "POST", body: "x".repeat(500) });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: number } }).error.code, -32005);
  const note = await app.request("/", {
    method: "POST",
    body: '{"jsonrpc":"2.0","method":"notify_hello"}',
  });
  assert.equal(note.status, 204);
});
