/**
 * The body of a sender-recovery worker (see `recovery.ts`): recovers the sender of each native
 * transaction it is sent, with the pool's signer (`ownSigner`), and answers in order.
 *
 * @module
 */
import { isSpecError } from "../../spec/errors.ts";
import { decodeTransaction, ownSigner, recoverSender } from "../../spec/execution/transaction.ts";
import type { RecoveryAnswer, RecoveryRequest } from "./recovery.ts";

const self = globalThis as unknown as {
  onmessage: ((e: MessageEvent<RecoveryRequest>) => void) | null;
  postMessage(answer: RecoveryAnswer): void;
};

self.onmessage = (e) => {
  const { id, transactions } = e.data;
  const senders = transactions.map((raw) => {
    try {
      const tx = decodeTransaction(raw);
      return { sender: recoverSender(ownSigner(tx), tx) };
    } catch (err) {
      if (isSpecError(err)) return { code: err.code, message: err.message };
      return { code: null, message: err instanceof Error ? err.message : String(err) };
    }
  });
  self.postMessage({ id, senders });
};
