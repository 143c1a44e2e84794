/**
 * A subtly wrong adapter: the spec's answers, with one bit flipped in the first byte string of
 * every set of outputs (an empty byte string becomes `0x01`). The runner must report every valid
 * vector whose outputs hold a byte string as failed, at that byte string's path.
 */
import { answer, type Message, serve } from "../../../conformance/adapter/spec-adapter.ts";

/** Flips a bit in the first `$bytes` found, depth first in key order; true if one was found. */
function flip(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as { [key: string]: unknown };
  for (const key of Object.keys(record)) {
    const item = record[key] as { $bytes?: string } | null;
    if (typeof item === "object" && item !== null && typeof item.$bytes === "string") {
      const hex = item.$bytes;
      const last = hex.length > 2 ? parseInt(hex.slice(-2), 16) ^ 1 : 1;
      item.$bytes = hex.slice(0, Math.max(2, hex.length - 2)) + last.toString(16).padStart(2, "0");
      return true;
    }
    if (flip(item)) return true;
  }
  return false;
}

serve(async (message: Message) => {
  const reply = await answer(message);
  if (reply !== null && reply.status === "ok") flip(reply.outputs);
  return reply;
});
