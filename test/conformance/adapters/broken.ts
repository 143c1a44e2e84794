/**
 * Deliberately broken adapters, one per mode (the first argument), to show that the runner
 * reports each misbehaviour as it should: a protocol error, a failed case, or unsupported.
 *
 * - `garbage`: greets properly, then answers a run with a line that is not JSON;
 * - `silent`: never greets;
 * - `old-protocol`: greets with protocol version 0;
 * - `wrong-id`: answers a run with another run's id;
 * - `bad-bytes`: answers with a byte string of odd length;
 * - `hang`: never answers a run;
 * - `crash`: exits with code 3 on every run;
 * - `made-up-error`: rejects every run with a code that does not exist;
 * - `declines`: declares the numeric runner but answers every run `unsupported`;
 * - `declares-nothing`: declares no runner (and complains on stderr if it is sent a run).
 *
 * Every mode writes one line to stderr when it starts, to show that stderr is passed through.
 */
import { createInterface } from "node:readline";
import process from "node:process";

const mode = process.argv[2] ?? "";
process.stderr.write(`broken adapter (${mode}) starting\n`);

type Message = { [key: string]: unknown };
const write = (message: Message | string) =>
  process.stdout.write((typeof message === "string" ? message : JSON.stringify(message)) + "\n");

function hello(): Message {
  const protocol = mode === "old-protocol" ? 0 : 1;
  const supports = mode === "declares-nothing" ? {} : { numeric: ["*"] };
  return { type: "hello", protocol, name: `broken-${mode}`, supports };
}

function run(message: Message): Message | string | null {
  const id = message.id;
  switch (mode) {
    case "garbage":
      return "this is not json";
    case "wrong-id":
      return { type: "result", id: `${id}_other`, status: "rejected", error: "numeric/overflow" };
    case "bad-bytes":
      return { type: "result", id, status: "ok", outputs: { result: { $bytes: "0x123" } } };
    case "hang":
      return null;
    case "crash":
      process.exit(3);
      break;
    case "made-up-error":
      return { type: "result", id, status: "rejected", error: "numeric/made-up" };
    case "declines":
      return { type: "result", id, status: "unsupported", reason: "declined" };
    case "declares-nothing":
      process.stderr.write(`unexpected run ${id}\n`);
      return { type: "result", id, status: "unsupported" };
  }
  return { type: "result", id, status: "error", message: `unknown mode ${mode}` };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  const message = JSON.parse(line) as Message;
  if (message.type === "bye") lines.close();
  else if (message.type === "hello" && mode !== "silent") write(hello());
  else if (message.type === "run") {
    const reply = run(message);
    if (reply !== null) write(reply);
  }
});
