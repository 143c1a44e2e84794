/**
 * The command line of `deno task node`: flags, their defaults, and the help text.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What the node was asked to do. */
export interface NodeOptions {
  /** Number of shards, the beacon chain (shard 0) included. */
  shards: number;
  /** In-process validator keys per shard. */
  keys: number;
  /** Interface the JSON-RPC servers listen on. */
  host: string;
  /** Port of shard 0's JSON-RPC server; shard i listens on port + i. */
  port: number;
  /** Where blocks and state are kept. */
  dataDir: string;
  /** A genesis file replacing the default development genesis, or `null`. */
  genesis: string | null;
  /** Start from an empty data directory, deleting what is there. */
  reset: boolean;
  /** Validators to stop at start, as `shard:index` (for fault drills). */
  stopped: string[];
  /** Print only warnings and the start banner. */
  quiet: boolean;
  /** Print the help text and exit. */
  help: boolean;
}

/** The help text. */
export const HELP = `deno task node [options]

Runs a local Harmony network from the spec: a beacon chain (shard 0) and more shards, each with
in-process validators reaching consensus by FBFT, and Ethereum-compatible JSON-RPC per shard.

Options:
  --shards N        number of shards, beacon included (default 2)
  --keys N          validator keys per shard (default 4)
  --host H          JSON-RPC interface (default 127.0.0.1; use 0.0.0.0 to expose it)
  --port P          JSON-RPC port of shard 0; shard i uses P + i (default 9500)
  --data-dir D      data directory (default ./.data/localnet)
  --genesis F       genesis file (JSON) instead of the development genesis
  --reset           delete the data directory first
  --stop S:I        start with validator I of shard S stopped (repeatable)
  --quiet           fewer log lines
  --help            this text
`;

function positiveInt(text: string, name: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  }
  return n;
}

/**
 * Reads the command line.
 *
 * @throws {Error} with a message for the user on an unknown flag or a bad value
 */
export function parseNodeArgs(argv: string[]): NodeOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      shards: { type: "string", default: "2" },
      keys: { type: "string", default: "4" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "9500" },
      "data-dir": { type: "string", default: ".data/localnet" },
      genesis: { type: "string" },
      reset: { type: "boolean", default: false },
      stop: { type: "string", multiple: true, default: [] },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const options: NodeOptions = {
    shards: positiveInt(values.shards!, "shards", 4),
    keys: positiveInt(values.keys!, "keys", 64),
    host: values.host!,
    port: positiveInt(values.port!, "port", 65535),
    dataDir: values["data-dir"]!,
    genesis: values.genesis ?? null,
    reset: values.reset!,
    stopped: values.stop as string[],
    quiet: values.quiet!,
    help: values.help!,
  };
  for (const s of options.stopped) {
    const m = /^(\d+):(\d+)$/.exec(s);
    if (m === null || Number(m[1]) >= options.shards || Number(m[2]) >= options.keys) {
      throw new Error(`--stop ${s}: expected SHARD:INDEX within --shards and --keys`);
    }
  }
  return options;
}
