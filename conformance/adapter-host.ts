/**
 * The runner's side of the adapter protocol: starts the implementer's program, greets it, sends
 * one run at a time and waits for its result with a time limit.
 *
 * The adapter is one child process. Its stdout carries protocol lines only; its stderr is the
 * adapter's log and is passed through (to the runner's stderr unless the caller takes it). Runs
 * are strictly sequential: one `run` line, then exactly one `result` line with the same id.
 *
 * A run that times out, or during which the adapter exits, ends that session: the caller records
 * the case as failed and starts a new session for the next one. Anything that breaks the
 * protocol (a line that is not JSON, a wrong id, an unknown status) raises a `ProtocolError`.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import {
  type AdapterHello,
  checkHello,
  checkResult,
  parseLine,
  PROTOCOL_VERSION,
  ProtocolError,
  type RunAnswer,
  type RunRequest,
  VECTOR_FORMAT,
} from "./protocol.ts";

/** How to start and drive an adapter. */
export interface AdapterOptions {
  /** The command line, split into words as described by {@link splitCommand}. */
  command: string;
  /** The longest wait for one result, in milliseconds. */
  timeoutMs: number;
  /** The longest wait for the adapter's `hello`, in milliseconds (start-up included). */
  handshakeMs: number;
  /** The working directory of the adapter (the runner's by default). */
  cwd?: string;
  /** Receives the adapter's stderr; without it, stderr goes to the runner's stderr. */
  onStderr?: (chunk: Uint8Array) => void;
}

/** A session's end of a run: the adapter's answer, or why there is none. */
export type SessionAnswer =
  | RunAnswer
  | { status: "timeout" }
  | { status: "exited"; code: number | null; signal: string | null };

/** A greeted adapter process. */
export interface AdapterSession {
  /** What the adapter declared in its `hello`. */
  hello: AdapterHello;
  /** Sends one run and waits for its result. After `timeout` or `exited` the session is dead. */
  run(request: RunRequest): Promise<SessionAnswer>;
  /** Says `bye`, then waits briefly for the adapter to exit, and kills it if it does not. */
  close(): Promise<void>;
}

/** The adapter program could not be started at all (not found, not executable). */
export class AdapterStartError extends Error {
  /** @param message why the program did not start */
  constructor(message: string) {
    super(message);
    this.name = "AdapterStartError";
  }
}

/** The longest line an adapter may write: guards against a runaway stream of garbage. */
const MAX_LINE = 64 * 1024 * 1024;
/** How long an adapter has to exit after `bye`. */
const EXIT_GRACE_MS = 2000;

/**
 * Splits a command line into words: blanks separate words; single quotes keep everything up to
 * the next single quote; double quotes keep everything up to the next unescaped double quote;
 * a backslash outside single quotes takes the next character literally. No variables, globs,
 * pipes or redirections: for those, wrap the adapter in a script.
 *
 * @throws {Error} for an unterminated quote or an empty command
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (
      c === "\\" && i + 1 < line.length && (quote === null || /["\\$`]/.test(line[i + 1]))
    ) {
      word = (word ?? "") + line[++i];
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word = word ?? "";
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? "") + c;
  }
  if (quote !== null) throw new Error(`unterminated ${quote} in the adapter command`);
  if (word !== null) words.push(word);
  if (words.length === 0) throw new Error("empty adapter command");
  return words;
}

/** A line-oriented view of the adapter's stdout with timed reads. */
interface LineSource {
  /** The next line, `null` at the end of the stream, or `"timeout"`. */
  next(ms: number): Promise<string | null | "timeout">;
}

function lineSource(child: ChildProcess): LineSource {
  const lines: string[] = [];
  let partial = "";
  let ended = false;
  let overflow = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    if (partial.length > MAX_LINE || parts.some((p) => p.length > MAX_LINE)) {
      overflow = true;
      partial = "";
    }
    for (const p of parts) lines.push(p.endsWith("\r") ? p.slice(0, -1) : p);
    notify();
  });
  child.stdout!.on("end", () => {
    if (partial !== "") lines.push(partial);
    partial = "";
    ended = true;
    notify();
  });
  return {
    async next(ms) {
      const deadline = Date.now() + ms;
      while (true) {
        if (overflow) throw new ProtocolError("a line longer than 64 MiB");
        while (lines.length > 0) {
          const line = lines.shift()!;
          if (line.trim() !== "") return line;
        }
        if (ended) return null;
        const left = deadline - Date.now();
        if (left <= 0) return "timeout";
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
      }
    },
  };
}

/** Waits for the child to exit, at most `ms`; returns its status or `null` if it still runs. */
function exitOf(
  child: ChildProcess,
  ms: number,
): Promise<{ code: number | null; signal: string | null } | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

function startProcess(options: AdapterOptions): Promise<ChildProcess> {
  const [program, ...args] = splitCommand(options.command);
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        cwd: options.cwd,
        stdio: ["pipe", "pipe", options.onStderr === undefined ? "inherit" : "pipe"],
      });
    } catch (e) {
      reject(new AdapterStartError(`cannot start ${program}: ${(e as Error).message}`));
      return;
    }
    child.once(
      "error",
      (e) => reject(new AdapterStartError(`cannot start ${program}: ${e.message}`)),
    );
    child.once("spawn", () => resolve(child));
    // A write to an adapter that has exited fails with EPIPE; the read side reports the exit.
    child.stdin!.on("error", () => {});
    if (options.onStderr !== undefined) child.stderr!.on("data", options.onStderr);
  });
}

/**
 * Starts the adapter and performs the handshake.
 *
 * @throws {AdapterStartError} when the program cannot be started
 * @throws {ProtocolError} when the adapter does not answer `hello` properly in time
 */
export async function startAdapter(options: AdapterOptions): Promise<AdapterSession> {
  const child = await startProcess(options);
  const source = lineSource(child);
  const send = (message: object) => child.stdin!.write(JSON.stringify(message) + "\n");
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  try {
    send({ type: "hello", protocol: PROTOCOL_VERSION, format: VECTOR_FORMAT });
    const line = await source.next(options.handshakeMs);
    if (line === "timeout") throw new ProtocolError(`no hello within ${options.handshakeMs} ms`);
    if (line === null) {
      const status = await exitOf(child, EXIT_GRACE_MS);
      throw new ProtocolError(`adapter exited before hello (${describeExit(status)})`);
    }
    const hello = checkHello(parseLine(line));
    return { hello, run: (request) => runOne(request), close };
  } catch (e) {
    kill();
    throw e;
  }

  async function runOne(request: RunRequest): Promise<SessionAnswer> {
    send(request);
    const line = await source.next(options.timeoutMs);
    if (line === "timeout") {
      kill();
      return { status: "timeout" };
    }
    if (line === null) {
      const status = await exitOf(child, EXIT_GRACE_MS);
      kill();
      return { status: "exited", code: status?.code ?? null, signal: status?.signal ?? null };
    }
    try {
      return checkResult(parseLine(line), request.id);
    } catch (e) {
      kill();
      throw e;
    }
  }

  async function close(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      send({ type: "bye" });
      child.stdin!.end();
      if ((await exitOf(child, EXIT_GRACE_MS)) === null) kill();
    }
    child.stdout!.destroy();
  }
}

/** `exit code 3`, `signal SIGKILL`, or `still running`. */
export function describeExit(status: { code: number | null; signal: string | null } | null) {
  if (status === null) return "still running";
  return status.signal !== null ? `signal ${status.signal}` : `exit code ${status.code}`;
}

/** The command line that runs a TypeScript file with the current runtime (Deno or Bun). */
export function scriptCommand(file: string, ...args: string[]): string {
  const bun = (process.versions as { bun?: string }).bun !== undefined;
  const words = bun
    ? [process.execPath, file, ...args]
    : [process.execPath, "run", "-A", file, ...args];
  return words.map(quote).join(" ");
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
