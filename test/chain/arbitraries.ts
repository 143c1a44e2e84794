/**
 * fast-check generators shared by the chain tests: headers of each version, opaque struct items,
 * bodies and blocks.
 *
 * @module
 */
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import {
  absentFieldValue,
  type Header,
  HEADER_FIELD_TYPES,
  HEADER_LAYOUTS,
  type HeaderFieldName,
  type HeaderVersion,
} from "../../spec/chain/header.ts";
import type { Block, BlockBody, BodyVersion } from "../../spec/chain/body.ts";
import { rlpItem } from "../encoding/arbitraries.ts";

/** Integers that exercise every length class, up to `bits` bits. */
function uintOf(bits: number): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.constant(0n),
    fc.bigInt({ min: 0n, max: 255n }),
    fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }),
    fc.constant((1n << BigInt(bits)) - 1n),
  );
}

/** A value of a field's Go type. */
function fieldValue(name: HeaderFieldName): fc.Arbitrary<Uint8Array | bigint> {
  const type = HEADER_FIELD_TYPES[name];
  if (type.kind === "fixed") {
    return fc.uint8Array({ minLength: type.length, maxLength: type.length });
  }
  if (type.kind === "bytes") return fc.uint8Array({ maxLength: 140 });
  if (type.kind === "uint") return uintOf(type.bits);
  return uintOf(300);
}

/** A header of the given version: random values in its fields, the others at their defaults. */
export function headerOf(version: HeaderVersion): fc.Arbitrary<Header> {
  const record: Record<string, fc.Arbitrary<Uint8Array | bigint>> = {};
  for (const name of Object.keys(HEADER_FIELD_TYPES) as HeaderFieldName[]) {
    record[name] = HEADER_LAYOUTS[version].includes(name)
      ? fieldValue(name)
      : fc.constant(absentFieldValue(version, name));
  }
  return fc.record(record).map((fields) => ({ version, ...fields }) as unknown as Header);
}

/** A header of any version. */
export const anyHeader: fc.Arbitrary<Header> = fc.constantFrom<HeaderVersion>(0, 1, 2, 3).chain(
  headerOf,
);

/** The encoding of one RLP list, standing for an opaque transaction, receipt proof, … */
export const structItem: fc.Arbitrary<Uint8Array> = fc.array(rlpItem, { maxLength: 5 }).map((
  items,
) => RLP.encode(items));

/** A body whose lists fit the given body version (lists it lacks are empty). */
export function bodyOf(version: BodyVersion): fc.Arbitrary<BlockBody> {
  const list = fc.array(structItem, { maxLength: 4 });
  return fc.record({
    transactions: list,
    stakingTransactions: version === 2 ? list : fc.constant([]),
    uncles: fc.array(anyHeader, { maxLength: 2 }),
    incomingReceipts: version === 0 ? fc.constant([]) : list,
  });
}

/** The body version of each header version. */
const BODY_OF: Record<HeaderVersion, BodyVersion> = { 0: 0, 1: 1, 2: 1, 3: 2 };

/** A block whose body fits its header's version. */
export const anyBlock: fc.Arbitrary<Block> = anyHeader.chain((header) =>
  bodyOf(BODY_OF[header.version]).map((body) => ({ header, body }))
);

/** Bytes near a valid encoding: the encoding with one byte changed, cut short, or extended. */
export function nearEncoding(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    valid,
    fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([bytes, at, value]) => {
      const out = bytes.slice();
      out[at % out.length] = value;
      return out;
    }),
    fc.tuple(valid, fc.nat()).map(([bytes, cut]) => bytes.slice(0, cut % (bytes.length + 1))),
    fc.tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([bytes, extra]) => {
      const out = new Uint8Array(bytes.length + extra.length);
      out.set(bytes);
      out.set(extra, bytes.length);
      return out;
    }),
  );
}
