/**
 * Helpers for the tests that run the node as its own process, as a user does (`deno task node`):
 * starting and stopping it, a bare JSON-RPC call, and waiting for a condition.
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";

/**
 * Starts the node on a data directory, its shards' RPC from `port` on, in the runtime running the
 * tests. Its error output is echoed with a `node:` prefix unless `echo` is false.
 */
export function startNode(dataDir: string, port: number, echo = true): ChildProcess {
  const main = new URL("../../src/node/main.ts", import.meta.url).pathname;
  const args = [main, "--data-dir", dataDir, "--port", String(port), "--quiet"];
  const child = spawn(process.execPath, process.versions.bun ? args : ["run", "-A", ...args]);
  if (echo) child.stderr!.on("data", (d) => process.stderr.write(`node: ${d}`));
  return child;
}

/** Sends the node a signal and waits for it to exit. */
export async function stopNode(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill(signal);
  await exited;
}

/** One JSON-RPC call; a JSON-RPC error is thrown with its message. */
export async function rpcCall(port: number, method: string, params: unknown[] = []) {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json() as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/**
 * Polls `probe` every 250 ms until it gives a value (not null, undefined or false; a throw counts
 * as not yet, the node may not be up), and returns it; fails after `ms`.
 */
export async function until<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | null | undefined | false>,
): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
