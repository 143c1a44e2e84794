/**
 * JSON-RPC 2.0 dispatch, independent of the transport: parses a request body, validates each
 * request, runs the method, and shapes results and errors as the specification says
 * (https://www.jsonrpc.org/specification). Batches run in order and answer in order; a batch of
 * notifications only answers nothing.
 *
 * Error codes: -32700 parse error, -32600 invalid request, -32601 method not found, -32602
 * invalid params, -32603 internal error, and -32000 for a request the node refuses (a rejected
 * transaction: its message starts with the spec's error code).
 *
 * @module
 */
import { isSpecError } from "../../spec/errors.ts";

/** The standard error codes, plus the server-defined range Ethereum nodes use. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  rejected: -32000,
  limitExceeded: -32005,
} as const;

/** An error to return to the caller as a JSON-RPC error object. */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = "RpcError";
  }
}

/** A method: takes the request's params (always an array here) and returns a JSON value. */
export type RpcMethod = (params: unknown[]) => unknown | Promise<unknown>;

/** Methods by name. */
export type RpcMethods = Record<string, RpcMethod>;

type Id = string | number | null;
type Response =
  | { jsonrpc: "2.0"; id: Id; result: unknown }
  | { jsonrpc: "2.0"; id: Id; error: { code: number; message: string; data?: unknown } };

/**
 * A hook given every request of a body (a batch's, or the single one) before they run in order,
 * to start work ahead (e.g. the recovery of submitted transactions' senders on other threads).
 * It must not answer or change anything the methods see.
 */
export type RpcPrepare = (requests: unknown[]) => void;

/** Limits a server applies to requests. */
export interface RpcLimits {
  /** The most requests a batch may hold. */
  maxBatch: number;
}

function errorResponse(id: Id, code: number, message: string, data?: unknown): Response {
  const error = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: "2.0", id, error };
}

function validId(id: unknown): id is Id {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/** Turns whatever a method threw into a JSON-RPC error. */
export function toRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (isSpecError(e)) return new RpcError(RPC_ERRORS.rejected, e.message, { code: e.code });
  const message = e instanceof Error ? e.message : String(e);
  return new RpcError(RPC_ERRORS.internal, `internal error: ${message}`);
}

async function handleOne(methods: RpcMethods, request: unknown): Promise<Response | null> {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return errorResponse(null, RPC_ERRORS.invalidRequest, "invalid request: not an object");
  }
  const { jsonrpc, method, params, id } = request as Record<string, unknown>;
  const isNotification = !("id" in request);
  const replyId: Id = validId(id) ? id : null;
  if (jsonrpc !== "2.0" || typeof method !== "string" || (!isNotification && !validId(id))) {
    return errorResponse(replyId, RPC_ERRORS.invalidRequest, "invalid request");
  }
  if (params !== undefined && !Array.isArray(params)) {
    return errorResponse(replyId, RPC_ERRORS.invalidParams, "params must be an array");
  }
  const run = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (run === undefined) {
    return isNotification
      ? null
      : errorResponse(replyId, RPC_ERRORS.methodNotFound, `the method ${method} does not exist`);
  }
  try {
    const result = await run(params ?? []);
    return isNotification ? null : { jsonrpc: "2.0", id: replyId, result: result ?? null };
  } catch (e) {
    if (isNotification) return null;
    const error = toRpcError(e);
    return errorResponse(replyId, error.code, error.message, error.data);
  }
}

/**
 * Answers a request body: a single request, or a batch. Returns the response body, or `null`
 * when nothing is to be sent back (notifications only). `prepare`, if given, sees the requests
 * first.
 */
export async function handleBody(
  methods: RpcMethods,
  body: string,
  limits: RpcLimits,
  prepare?: RpcPrepare,
): Promise<unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return errorResponse(null, RPC_ERRORS.parse, "parse error: the body is not JSON");
  }
  if (!Array.isArray(parsed)) {
    prepare?.([parsed]);
    return await handleOne(methods, parsed);
  }
  if (parsed.length === 0) return errorResponse(null, RPC_ERRORS.invalidRequest, "empty batch");
  if (parsed.length > limits.maxBatch) {
    return errorResponse(
      null,
      RPC_ERRORS.limitExceeded,
      `batch of ${parsed.length} exceeds ${limits.maxBatch}`,
    );
  }
  prepare?.(parsed);
  const responses: Response[] = [];
  for (const request of parsed) {
    const response = await handleOne(methods, request);
    if (response !== null) responses.push(response);
  }
  return responses.length > 0 ? responses : null;
}
