/**
 * The body of a sender-recovery worker (see `recovery.ts`): recovers the sender of each native
 * transaction it is sent, as the pool's admission would, and answers in order.
 *
 * @module
 */
import { recoverInline, type RecoveryAnswer, type RecoveryRequest } from "./recovery.ts";

const self = globalThis as unknown as {
  onmessage: ((e: MessageEvent<RecoveryRequest>) => void) | null;
  postMessage(answer: RecoveryAnswer): void;
};

self.onmessage = (e) => {
  const { id, transactions } = e.data;
  const senders = transactions.map((raw): RecoveryAnswer["senders"][number] => {
    try {
      const outcome = recoverInline(raw);
      if (outcome instanceof Error) return { code: outcome.code, message: outcome.message };
      return { sender: outcome };
    } catch (err) {
      return { code: null, message: err instanceof Error ? err.message : String(err) };
    }
  });
  self.postMessage({ id, senders });
};
