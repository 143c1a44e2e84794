/**
 * The HTTP side of JSON-RPC: a hono app that accepts POSTed JSON-RPC bodies up to a size limit and
 * answers through {@link handleBody}. It binds to loopback unless the user asks otherwise.
 *
 * @module
 */
import { Hono } from "hono";
import {
  handleBody,
  RPC_ERRORS,
  type RpcLimits,
  type RpcMethods,
  type RpcPrepare,
} from "./jsonrpc.ts";

/** Server limits: request body size and batch length. */
export interface ServerLimits extends RpcLimits {
  /** The largest request body accepted, in bytes. */
  maxBodyBytes: number;
}

/** Limits that fit wallets and tools: 5 MiB bodies (a large contract deployment), 1,000 per batch. */
export const DEFAULT_LIMITS: ServerLimits = { maxBodyBytes: 5 * 1024 * 1024, maxBatch: 1000 };

/** Builds the app serving `methods` at `POST /` (`prepare`: see {@link RpcPrepare}). */
export function rpcApp(
  methods: RpcMethods,
  limits: ServerLimits = DEFAULT_LIMITS,
  prepare?: RpcPrepare,
): Hono {
  const app = new Hono();
  app.post("/", async (c) => {
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > limits.maxBodyBytes) return tooLarge(limits);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length > limits.maxBodyBytes) return tooLarge(limits);
    const response = await handleBody(
      methods,
      new TextDecoder().decode(bytes),
      limits,
      prepare,
    );
    if (response === null) return c.body(null, 204);
    return c.json(response);
  });
  app.get("/", (c) => c.text("harmony-spec JSON-RPC: POST JSON-RPC 2.0 requests here\n"));
  return app;
}

function tooLarge(limits: ServerLimits): Response {
  const error = {
    jsonrpc: "2.0",
    id: null,
    error: {
      code: RPC_ERRORS.limitExceeded,
      message: `request body exceeds ${limits.maxBodyBytes} bytes`,
    },
  };
  return new Response(JSON.stringify(error), {
    status: 413,
    headers: { "content-type": "application/json" },
  });
}
