/**
 * An example adapter: answers the runner's protocol with this repository's own spec.
 *
 * ```sh
 * deno task conformance --adapter "deno run -A conformance/adapter/spec-adapter.ts"
 * deno task conformance --adapter "bun conformance/adapter/spec-adapter.ts"
 * ```
 *
 * It is the template for an implementer's adapter (a Go or Rust client writes the same loop) and
 * the self-test of the protocol: run over the published vectors it must pass them all, and run
 * over the canaries it must fail them all. The loop is:
 *
 * 1. read one JSON line from stdin;
 * 2. `hello`: answer with a name, the protocol version and the runners and handlers it runs;
 * 3. `run`: map `config` and `inputs` from JSON to vector data, call the client's function for the
 *    vector's runner and handler, and answer `ok` with the outputs, `rejected` with the error
 *    code, or `unsupported`;
 * 4. `bye`: stop.
 *
 * Logs go to stderr; stdout carries protocol lines only.
 *
 * @module
 */
import { createInterface } from "node:readline";
import process from "node:process";
import { bytesEqual } from "../../spec/encoding/bytes.ts";
import { type Data, decodeCanonical, encodeCanonical } from "../cbor.ts";
import { type DecodedFields, execute, type Handler, handlerPath } from "../harness.ts";
import { fromJson, PROTOCOL_VERSION, toJson } from "../protocol.ts";
import { SUITES } from "../suites.ts";

/** A protocol message as read from one JSON line. */
export type Message = { [key: string]: unknown };

/** The spec's handlers by `preset/runner/handler`. */
const HANDLERS = new Map<string, Handler>();
for (const s of SUITES) HANDLERS.set(handlerPath(s.handler), s.handler);

/** The capabilities to declare: runner to handler names, and the presets. */
function capabilities(): { supports: { [runner: string]: string[] }; presets: string[] } {
  const supports: { [runner: string]: string[] } = {};
  const presets = new Set<string>();
  for (const h of HANDLERS.values()) {
    supports[h.runner] ??= [];
    if (!supports[h.runner].includes(h.handler)) supports[h.runner].push(h.handler);
    presets.add(h.preset);
  }
  return { supports, presets: [...presets].sort() };
}

/** The answer to one message from the runner; `null` for `bye`. */
export async function answer(message: Message): Promise<Message | null> {
  switch (message.type) {
    case "hello":
      return { type: "hello", protocol: PROTOCOL_VERSION, name: "harmony-spec", ...capabilities() };
    case "run":
      return await run(message);
    case "bye":
      return null;
    default:
      throw new Error(`unknown message type ${JSON.stringify(message.type)}`);
  }
}

async function run(message: Message): Promise<Message> {
  const id = message.id;
  const handler = HANDLERS.get(`${message.preset}/${message.runner}/${message.handler}`);
  if (handler === undefined) return { type: "result", id, status: "unsupported", reason: "none" };
  // The vector states the configuration it ran under; run only what this implementation is
  // configured for (a client could instead load the configuration and run under it).
  const config = fromJson(message.config) as Data;
  if (!bytesEqual(encodeCanonical(config), encodeCanonical(handler.config))) {
    const reason = `configuration differs from ${message.preset}`;
    return { type: "result", id, status: "unsupported", reason };
  }
  try {
    const outcome = await execute(handler, fromJson(message.inputs) as DecodedFields);
    if (outcome.result === "invalid") {
      return { type: "result", id, status: "rejected", error: outcome.error };
    }
    // Integers leave as vectors carry them (unsigned big-endian bytes): through canonical CBOR.
    const outputs = toJson(decodeCanonical(encodeCanonical(outcome.outputs)));
    return { type: "result", id, status: "ok", outputs };
  } catch (e) {
    return { type: "result", id, status: "error", message: String(e) };
  }
}

/** Reads the runner's lines from stdin and writes the answers to stdout until `bye`. */
export function serve(
  respond: (message: Message) => Promise<Message | null> | Message | null = answer,
): void {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Answers go out in the order the lines came in, one at a time.
  let queue = Promise.resolve();
  lines.on("line", (line) => {
    if (line.trim() === "") return;
    queue = queue.then(async () => {
      const reply = await respond(JSON.parse(line));
      if (reply === null) lines.close();
      else process.stdout.write(JSON.stringify(reply) + "\n");
    });
  });
}

if (import.meta.main) serve();
