/**
 * The log bloom: a 2048-bit Bloom filter over the addresses and topics of a block's logs.
 *
 * Every receipt, and every header (the union over the block's receipts), carries a bloom so that a
 * client can skip blocks that cannot contain a log it looks for. An entry (a 20-byte contract
 * address, or a 32-byte topic) sets three of the 2048 bits, chosen by its Keccak-256 hash
 * `h` ("bloom9", as in Ethereum): for `i` in 0, 1, 2, the bit index is the big-endian 16-bit
 * number `h[2i] h[2i+1]` reduced to its low 11 bits. The filter is 256 bytes read as one big-endian
 * 2048-bit number, so bit `k` lives in byte `255 - floor(k / 8)`, at position `k mod 8` of that
 * byte.
 *
 * A log adds its address, then each of its topics (never its data). A receipt's bloom is the
 * union of its logs' entries, a block's bloom the union of its receipts' blooms. A membership test
 * says "maybe present" when all three bits of an entry are set, and "certainly absent" otherwise.
 *
 * @see github.com/harmony-one/harmony core/types/bloom9.go (`bloom9`, `LogsBloom`, `CreateBloom`,
 *   `BloomLookup`)
 * @see github.com/ethereum/go-ethereum core/types/bloom9.go (`Bloom.Add`, `Bloom.Test`)
 * @module
 */
import { keccak256 } from "../encoding/hash.ts";
import { require } from "../errors.ts";

/** Bytes in a bloom: 256. */
export const BLOOM_BYTE_LENGTH = 256;

/** Bits in a bloom: 2048, so a bit index has 11 bits. */
export const BLOOM_BIT_LENGTH = 2048;

/** What a log contributes to a bloom: its emitting contract's address and its topics. */
export interface BloomLog {
  /** The 20-byte address of the contract that emitted the log. */
  address: Uint8Array;
  /** The log's topics, 32 bytes each. */
  topics: Uint8Array[];
}

/** A bloom with no bit set. */
export function emptyBloom(): Uint8Array {
  return new Uint8Array(BLOOM_BYTE_LENGTH);
}

/**
 * The three bit indices an entry sets (Go `bloom9`).
 *
 * @param data the entry: an address or a topic (any bytes are accepted)
 * @returns three indices in `[0, 2048)`, possibly repeated
 */
export function bloomBitIndices(data: Uint8Array): number[] {
  const h = keccak256(data);
  const out: number[] = [];
  for (let i = 0; i < 6; i += 2) out.push(((h[i] << 8) | h[i + 1]) & (BLOOM_BIT_LENGTH - 1));
  return out;
}

/** Byte position and mask of bit `k` in the big-endian 256-byte filter. */
function bitPosition(k: number): [byte: number, mask: number] {
  return [BLOOM_BYTE_LENGTH - 1 - (k >> 3), 1 << (k & 7)];
}

/** Rejects a filter that is not 256 bytes. */
function requireBloom(bloom: Uint8Array): void {
  require(bloom.length === BLOOM_BYTE_LENGTH, "bloom/wrong-length", `${bloom.length} bytes`);
}

/**
 * Adds an entry (Go `Bloom.Add`).
 *
 * @param bloom a 256-byte filter; not modified
 * @param data the entry
 * @returns a new filter with the entry's three bits set as well
 * @throws {SpecError} `bloom/wrong-length` when `bloom` is not 256 bytes
 */
export function bloomAdd(bloom: Uint8Array, data: Uint8Array): Uint8Array {
  requireBloom(bloom);
  const out = bloom.slice();
  for (const k of bloomBitIndices(data)) {
    const [byte, mask] = bitPosition(k);
    out[byte] |= mask;
  }
  return out;
}

/**
 * The union of two filters.
 *
 * @throws {SpecError} `bloom/wrong-length` when either is not 256 bytes
 */
export function bloomOr(a: Uint8Array, b: Uint8Array): Uint8Array {
  requireBloom(a);
  requireBloom(b);
  const out = new Uint8Array(BLOOM_BYTE_LENGTH);
  for (let i = 0; i < BLOOM_BYTE_LENGTH; i++) out[i] = a[i] | b[i];
  return out;
}

/**
 * Whether an entry may be in the filter (Go `BloomLookup`, `Bloom.Test`): all three of its bits
 * are set. False positives are possible, false negatives are not.
 *
 * @throws {SpecError} `bloom/wrong-length` when `bloom` is not 256 bytes
 */
export function bloomContains(bloom: Uint8Array, data: Uint8Array): boolean {
  requireBloom(bloom);
  for (const k of bloomBitIndices(data)) {
    const [byte, mask] = bitPosition(k);
    if ((bloom[byte] & mask) === 0) return false;
  }
  return true;
}

/**
 * The bloom of a list of logs (Go `LogsBloom`): each log's address and each of its topics.
 *
 * @param logs the logs, in any order (the union does not depend on it)
 * @returns the 256-byte filter
 */
export function logsBloom(logs: readonly BloomLog[]): Uint8Array {
  let bloom = emptyBloom();
  for (const log of logs) {
    bloom = bloomAdd(bloom, log.address);
    for (const topic of log.topics) bloom = bloomAdd(bloom, topic);
  }
  return bloom;
}

/**
 * The bloom of a block (Go `CreateBloom`): the union of its receipts' log blooms.
 *
 * @param receiptsLogs the logs of each receipt of the block
 * @returns the 256-byte filter that goes in the header
 */
export function createBloom(receiptsLogs: readonly (readonly BloomLog[])[]): Uint8Array {
  let bloom = emptyBloom();
  for (const logs of receiptsLogs) bloom = bloomOr(bloom, logsBloom(logs));
  return bloom;
}
