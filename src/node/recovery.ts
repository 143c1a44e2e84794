/**
 * Sender recovery off the main thread. Recovering a transaction's sender (a secp256k1 public-key
 * recovery) is most of what admitting a signed transfer costs; a node that recovers on the thread
 * that also runs consensus, proposes and answers RPC leaves its other cores idle. Go recovers
 * senders on several goroutines for the same reason (`core/sender_cacher.go`).
 *
 * The recoverer sends native transaction encodings to workers, round robin, and gives back for
 * each the outcome of the spec's `recoverSender(ownSigner(tx), tx)` (as the pool's admission
 * would compute it): the sender, or the `SpecError` it raised. Without workers (a runtime that
 * has none) it recovers inline. The outcome goes to `validatePoolTransaction`, which decides as
 * it would if it recovered itself. The curve operation is libsecp256k1's where it loads
 * (`native-secp256k1.ts`).
 *
 * @module
 */
import { isSpecError, SpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { decodeTransaction, ownSigner, recoverSender } from "../../spec/execution/transaction.ts";
import { fastRecovery } from "./native-secp256k1.ts";

/** A message to a worker: native transaction encodings to recover. */
export interface RecoveryRequest {
  /** Matches the answer to the request. */
  id: number;
  /** The native encodings. */
  transactions: Uint8Array[];
}

/** A worker's answer: per transaction, the sender or the error. */
export interface RecoveryAnswer {
  /** The request's id. */
  id: number;
  /** In request order. */
  senders: ({ sender: Uint8Array } | { code: SpecErrorCode | null; message: string })[];
}

/** The outcome of one recovery. */
export type Recovered = Uint8Array | SpecError;

/** A pool of recovery workers. */
export interface Recoverer {
  /** Recovers the senders of native transaction encodings. */
  recover(transactions: Uint8Array[]): Promise<Recovered[]>;
  /** Stops the workers. */
  close(): void;
}

/**
 * The spec's recovery of one native encoding, as the pool's admission would run it.
 *
 * @param raw the native encoding
 * @returns the sender, or the `SpecError` recovery (or decoding) raised
 */
export function recoverInline(raw: Uint8Array): Recovered {
  try {
    const tx = decodeTransaction(raw);
    return recoverSender(ownSigner(tx), tx, fastRecovery);
  } catch (e) {
    if (isSpecError(e)) return e;
    throw e;
  }
}

function outcomeOf(answer: RecoveryAnswer["senders"][number]): Recovered {
  if ("sender" in answer) return answer.sender;
  if (answer.code === null) throw new Error(`sender recovery failed: ${answer.message}`);
  const error = new SpecError(answer.code);
  error.message = answer.message;
  return error;
}

/**
 * Starts `count` recovery workers (none: recovery inline).
 *
 * @param count how many workers
 * @returns the recoverer
 */
export function createRecoverer(count: number): Recoverer {
  const WorkerClass = (globalThis as { Worker?: typeof Worker }).Worker;
  if (count < 1 || WorkerClass === undefined) {
    return { recover: (txs) => Promise.resolve(txs.map(recoverInline)), close: () => {} };
  }
  const url = new URL("./recovery-worker.ts", import.meta.url).href;
  const workers = Array.from({ length: count }, () => new WorkerClass(url, { type: "module" }));
  const waiting = new Map<number, { transactions: Uint8Array[]; done(r: Recovered[]): void }>();
  for (const w of workers) {
    w.onmessage = (e: MessageEvent<RecoveryAnswer>) => {
      waiting.get(e.data.id)?.done(e.data.senders.map(outcomeOf));
      waiting.delete(e.data.id);
    };
    // A worker that fails leaves its requests to be recovered inline.
    w.onerror = (e: Event) => {
      e.preventDefault();
      for (const [id, request] of waiting) {
        request.done(request.transactions.map(recoverInline));
        waiting.delete(id);
      }
    };
    // An unreferenced worker does not keep the process alive.
    (w as unknown as { unref?: () => void }).unref?.();
  }
  let next = 0;
  return {
    recover(transactions) {
      if (transactions.length === 0) return Promise.resolve([]);
      const id = next++;
      const worker = workers[id % workers.length];
      return new Promise((resolve) => {
        waiting.set(id, { transactions, done: resolve });
        worker.postMessage({ id, transactions } satisfies RecoveryRequest);
      });
    },
    close() {
      for (const w of workers) w.terminate();
    },
  };
}
