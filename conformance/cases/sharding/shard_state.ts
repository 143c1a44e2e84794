/**
 * Conformance cases for the `sharding` runner, Shard state section: decoding a header's
 * `ShardState` bytes, re-encoding them in both forms, and hashing. The format is in
 * `conformance/formats/sharding.md`.
 *
 * The expected bytes are built with an independent RLP encoder (`@ethereumjs/rlp`) and hashed with
 * `@noble/hashes`, from the states of Go's `shard_state_test.go`.
 *
 * @module
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bigintToBytes, concatBytes, fromHex, utf8ToBytes } from "../../../spec/encoding/bytes.ts";
import {
  decodeShardState,
  encodeShardState,
  shardStateHash,
} from "../../../spec/sharding/shard-state.ts";
import type { Case, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { bytes, writeShardState } from "../staking/codec.ts";

const shardStateHandler: Handler = {
  runner: "sharding",
  handler: "shard_state",
  preset: "general",
  config: {},
  covers: ["decodeShardState", "encodeShardState", "shardStateHash"],
  run(inputs) {
    const state = decodeShardState(bytes(inputs.encoding, "encoding"));
    return {
      shard_state: writeShardState(state),
      staking_encoding: encodeShardState(state, true),
      legacy_encoding: encodeShardState(state, false),
      hash: shardStateHash(state),
    };
  },
};

function randomKey(n: number): Uint8Array {
  const k = new Uint8Array(48);
  k.set(utf8ToBytes(`random key ${n}`));
  return k;
}
const JUNK_A = fromHex("00000000000000000000000000001554b7d3d541");
const TEN = 10n * 10n ** 18n;
const FORTY_FIVE = 45_123n * 10n ** 15n;

type RawSlot = [Uint8Array, Uint8Array, bigint | null];
const POST: [number, RawSlot[]][] = [
  [0, [[JUNK_A, randomKey(1), null], [JUNK_A, randomKey(2), null], [JUNK_A, randomKey(3), TEN], [
    JUNK_A,
    randomKey(5),
    null,
  ], [JUNK_A, randomKey(1), FORTY_FIVE]]],
  [1, [[JUNK_A, randomKey(2), TEN], [JUNK_A, randomKey(3), null], [JUNK_A, randomKey(4), null], [
    JUNK_A,
    randomKey(5),
    FORTY_FIVE,
  ]]],
];
const PRE: [number, RawSlot[]][] = [
  [0, [1, 2, 3, 4].map((n): RawSlot => [JUNK_A, randomKey(n), null])],
  [1, [5, 6].map((n): RawSlot => [JUNK_A, randomKey(n), null])],
];

function stakingRlp(epoch: bigint, shards: [number, RawSlot[]][]): Uint8Array {
  return RLP.encode([
    bigintToBytes(epoch),
    shards.map((
      [id, slots],
    ) => [
      bigintToBytes(BigInt(id)),
      slots.map(([a, k, s]) => [a, k, s === null ? [] : [bigintToBytes(s)]]),
    ]),
  ]);
}
function legacyRlp(shards: [number, RawSlot[]][]): Uint8Array {
  return RLP.encode(
    shards.map(([id, slots]) => [bigintToBytes(BigInt(id)), slots.map(([a, k]) => [a, k])]),
  );
}
function expectedHash(shards: [number, RawSlot[]][]): Uint8Array {
  const sorted = shards.slice().sort((a, b) => a[0] - b[0]);
  return keccak_256(
    concatBytes(
      ...sorted.map(([, slots]) =>
        slots.length === 0
          ? new Uint8Array(0)
          : keccak_256(concatBytes(...slots.flatMap(([a, k]) => [a, k])))
      ),
    ),
  );
}
function stateFields(
  epoch: bigint | null,
  shards: [number, RawSlot[]][],
  withStakes: boolean,
): Fields {
  return {
    epoch,
    shards: shards.map(([id, slots]) => ({
      shard_id: BigInt(id),
      slots: slots.map(([a, k, s]) => ({
        address: a,
        bls_key: k,
        effective_stake: withStakes ? s : null,
      })),
    })),
  };
}
function expectFor(
  epoch: bigint | null,
  shards: [number, RawSlot[]][],
  withStakes: boolean,
): Fields {
  return {
    shard_state: stateFields(epoch, shards, withStakes),
    staking_encoding: stakingRlp(
      epoch ?? 0n,
      withStakes
        ? shards
        : shards.map(([id, sl]) => [id, sl.map(([a, k]): RawSlot => [a, k, null])]),
    ),
    legacy_encoding: legacyRlp(shards),
    hash: expectedHash(shards),
  };
}

const NIL_AS_STRING = (() => {
  const b = stakingRlp(7n, [[0, [[JUNK_A, randomKey(1), null]]]]);
  const out = b.slice();
  out[out.length - 1] = 0x80;
  return out;
})();

const CASES: Case[] = [
  {
    name: "staking_form_go_test",
    description:
      "shard_state_test.go TestCompatibilityOldShardStateIntoNew, staking state (stakes 10 " +
      "and 45.123, nil epoch written as 0): decodes with stakes and epoch 0.",
    inputs: { encoding: stakingRlp(0n, POST) },
    expect: expectFor(0n, POST, true),
  },
  {
    name: "legacy_form_go_test",
    description: "The same test's pre-staking state: decodes with no epoch and no stakes.",
    inputs: { encoding: legacyRlp(PRE) },
    expect: expectFor(null, PRE, false),
  },
  {
    name: "hash_sorts_committees",
    description:
      "TestHash: committees 22 then 2 hash as 2 then 22; an epoch-9 state with an empty shard 5.",
    inputs: {
      encoding: stakingRlp(9n, [
        [22, [[fromHex("12" + "00".repeat(19)), randomKey(11), null], [
          fromHex("23" + "00".repeat(19)),
          randomKey(22),
          null,
        ], [fromHex("11" + "00".repeat(19)), randomKey(1), null]]],
        [2, [[fromHex("44" + "00".repeat(19)), randomKey(4), null], [
          fromHex("55" + "00".repeat(19)),
          randomKey(5),
          null,
        ], [fromHex("66" + "00".repeat(19)), randomKey(6), null]]],
        [5, []],
      ]),
    },
    expect: expectFor(9n, [
      [22, [[fromHex("12" + "00".repeat(19)), randomKey(11), null], [
        fromHex("23" + "00".repeat(19)),
        randomKey(22),
        null,
      ], [fromHex("11" + "00".repeat(19)), randomKey(1), null]]],
      [2, [[fromHex("44" + "00".repeat(19)), randomKey(4), null], [
        fromHex("55" + "00".repeat(19)),
        randomKey(5),
        null,
      ], [fromHex("66" + "00".repeat(19)), randomKey(6), null]]],
      [5, []],
    ], true),
  },
  {
    name: "junk",
    description:
      "TestCompatibilityOldShardStateIntoNew's junk bytes 10 12 04 04: neither form; the " +
      "legacy decoder's error (trailing bytes after the first item) is reported.",
    inputs: { encoding: Uint8Array.of(0x10, 0x12, 0x04, 0x04) },
    expect: { error: "encoding/rlp-trailing-bytes" },
  },
  {
    name: "nil_stake_as_empty_string",
    description:
      "A nil stake must be the empty list 0xc0; 0x80 is go-ethereum's \"wrong kind of empty " +
      'value", and the legacy form fails on the epoch string, which is reported.',
    inputs: { encoding: NIL_AS_STRING },
    expect: { error: "encoding/rlp-expected-list" },
  },
];

/** The shard-state suite of the `sharding` runner. */
export const SHARD_STATE_SUITES: Suite[] = [suite(shardStateHandler, CASES)];
