/**
 * fast-check generators shared by the encoding tests.
 *
 * @module
 */
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import type { RlpItem } from "../../spec/encoding/rlp.ts";

/** Byte strings of every RLP length class: empty, one byte, short (≤ 55) and long. */
export const rlpString: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 1 }),
  fc.uint8Array({ minLength: 50, maxLength: 60 }),
  fc.uint8Array({ maxLength: 300 }),
);

/** Nested RLP items. */
export const rlpItem: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    rlpString,
    fc.array(tie("item"), { maxLength: 6 }),
  ),
})).item;

/**
 * Bytes that are often almost valid RLP: a valid encoding with one byte changed, cut short, or
 * extended, mixed with plain random bytes. Random bytes alone rarely exercise the deeper rules.
 */
export const nearRlp: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  rlpItem.map((item) => RLP.encode(item)),
  fc.tuple(rlpItem, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([item, at, value]) => {
    const bytes = RLP.encode(item).slice();
    bytes[at % bytes.length] = value;
    return bytes;
  }),
  fc.tuple(rlpItem, fc.nat()).map(([item, cut]) => {
    const bytes = RLP.encode(item);
    return bytes.slice(0, cut % (bytes.length + 1));
  }),
  fc.tuple(rlpItem, fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([item, extra]) => {
    const bytes = RLP.encode(item);
    const out = new Uint8Array(bytes.length + extra.length);
    out.set(bytes);
    out.set(extra, bytes.length);
    return out;
  }),
);
