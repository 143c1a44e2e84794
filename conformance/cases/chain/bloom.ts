/**
 * Conformance cases for the log bloom (`bloom`): the filter of a list of logs and of extra
 * entries, and membership tests against it.
 *
 * Expectations restate go-ethereum's core/types/bloom9_test.go (`TestBloom`,
 * `TestBloomExtensively`, `TestBloomOr`), which Harmony's core/types/bloom9_test.go shares.
 *
 * @module
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import assert from "node:assert/strict";
import {
  bloomAdd,
  bloomContains,
  type BloomLog,
  bloomOr,
  logsBloom,
} from "../../../spec/chain/bloom.ts";
import { toHex } from "../../../spec/encoding/bytes.ts";
import type { Case, DecodedFields, Fields, Handler } from "../../harness.ts";
import { suite } from "../../harness.ts";

const handler: Handler = {
  runner: "chain",
  handler: "bloom",
  preset: "general",
  config: {},
  covers: ["logsBloom", "bloomAdd", "bloomOr", "bloomContains"],
  run: (inputs): Fields => {
    const logs = (inputs.logs as DecodedFields[]).map((l): BloomLog => ({
      address: l.address as Uint8Array,
      topics: l.topics as Uint8Array[],
    }));
    let bloom = logsBloom(logs);
    for (const entry of inputs.entries as Uint8Array[]) bloom = bloomAdd(bloom, entry);
    if (inputs.union !== undefined) bloom = bloomOr(bloom, inputs.union as Uint8Array);
    const contains = (inputs.probes as Uint8Array[]).map((p) => bloomContains(bloom, p));
    return { bloom, contains };
  },
};

const text = (s: string) => new TextEncoder().encode(s);
const address = (b: number) => new Uint8Array(20).fill(b);
const topic = (b: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? b : 0));

const cases: Case[] = [
  {
    name: "test_bloom",
    description: 'TestBloom: four entries are found, "tes" and "lo" are not.',
    inputs: {
      logs: [],
      entries: ["testtest", "test", "hallo", "other"].map(text),
      probes: ["testtest", "test", "hallo", "other", "tes", "lo"].map(text),
    },
    check: (out) => assert.deepEqual(out.contains, [true, true, true, true, false, false]),
  },
  {
    name: "test_bloom_extensively",
    description: "TestBloomExtensively: 100 entries; Keccak-256 of the filter is c8d3ca65…b263.",
    inputs: {
      logs: [],
      entries: Array.from({ length: 100 }, (_, i) => text(`xxxxxxxxxx data ${i} yyyyyyyyyyyyyy`)),
      probes: [],
    },
    check: (out) =>
      assert.equal(
        toHex(keccak_256(out.bloom as Uint8Array)),
        "c8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263",
      ),
  },
  {
    name: "test_bloom_or",
    description: 'TestBloomOr: the union of the blooms of "left" and "right" holds both.',
    inputs: {
      logs: [],
      entries: [text("left")],
      union: bloomAdd(new Uint8Array(256), text("right")),
      probes: [text("left"), text("right")],
    },
    check: (out) => assert.deepEqual(out.contains, [true, true]),
  },
  {
    name: "logs_address_and_topics",
    description: "A log adds its address and each of its topics (the receipts of go-ethereum " +
      "TestBloomOr).",
    inputs: {
      logs: [
        { address: address(0x11), topics: [topic(1)] },
        { address: address(0x22), topics: [topic(2), topic(3)] },
      ],
      entries: [],
      probes: [address(0x11), address(0x22), topic(1), topic(2), topic(3)],
    },
    check: (out) => assert.deepEqual(out.contains, [true, true, true, true, true]),
  },
  {
    name: "union_wrong_length",
    description: "A bloom is 256 bytes.",
    inputs: { logs: [], entries: [], union: new Uint8Array(255), probes: [] },
    expect: { error: "bloom/wrong-length" },
  },
];

/** The bloom suite. */
export const BLOOM_SUITE = suite(handler, cases);
