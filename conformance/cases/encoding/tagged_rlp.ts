/**
 * Conformance cases for tagged RLP: reading an envelope (`tagged_rlp`) and writing one
 * (`tagged_rlp_encode`).
 *
 * Expectations restate harmony-one/taggedrlp's `taggedrlp_test.go` (a registry with the legacy
 * type and the tags "RecordV1", "Env", "Float64") and Harmony's `block/header_test.go` (the
 * encodings of new, empty v0, v1 and v2 headers).
 *
 * @module
 */
import { fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import { decodeTaggedRlp, encodeTaggedRlp, LEGACY_TAG } from "../../../spec/encoding/tagged-rlp.ts";
import { type Case, type Handler, type Suite, suite } from "../../harness.ts";

const hexText = (s: string) => toHex(new TextEncoder().encode(s));
const zeros = (n: number) => "00".repeat(n);

/**
 * The bytes of `block/header_test.go` for a new, empty header of version 0, 1 or 2, prefix by
 * prefix: the v0 header is bare RLP (586-byte payload), v1 and v2 are wrapped in the envelope.
 */
export function goEmptyHeader(version: 0 | 1 | 2): { encoding: Uint8Array; payload: Uint8Array } {
  const hash = "a0" + zeros(32);
  const body = hash + "94" + zeros(20) + hash.repeat(version === 0 ? 3 : 5) + "b90100" +
    zeros(256) + "80".repeat(5) + hash + "80".repeat(3) + "b860" + zeros(96) + "80" + hash +
    "80".repeat(version === 0 ? 1 : version === 1 ? 3 : 4);
  if (version === 0) {
    const payload = fromHex("f9024a" + body);
    return { encoding: payload, payload };
  }
  const payload = fromHex((version === 1 ? "f9028e" : "f9028f") + body);
  const envelope = (version === 1 ? "f9029c" : "f9029d") + "87" + hexText("HmnyTgd") + "82" +
    hexText(`v${version}`);
  return { encoding: fromHex(envelope + toHex(payload)), payload };
}

const RECORD_TAGS = [LEGACY_TAG, "RecordV1", "Env", "Float64"];
const HEADER_TAGS = [LEGACY_TAG, "v1", "v2", "v3"];
const RECORD_V0 = fromHex("d8" + "87" + hexText("Harmony") + "8f" + hexText("349 Martens Ave"));
const RECORD_V1_PAYLOAD = fromHex(
  "e5" + "87" + hexText("Harmony") + "8f" + hexText("349 Martens Ave") + "8c" +
    hexText("+14153234477"),
);
const RECORD_V1 = fromHex(
  "f7" + "87" + hexText("HmnyTgd") + "88" + hexText("RecordV1") + toHex(RECORD_V1_PAYLOAD),
);
const SIG_MISMATCH = fromHex(
  "d0" + "86" + hexText("OMIGOD") + "83" + hexText("Env") + "84" + hexText("HELO"),
);
const UNKNOWN_TAG = fromHex(
  "d0" + "87" + hexText("HmnyTgd") + "82" + hexText("NO") + "84" + hexText("HELO"),
);
const EMPTY_TAG = fromHex("ca" + "87" + hexText("HmnyTgd") + "80" + "c0");
const BAD_PAYLOAD = fromHex("cd" + "87" + hexText("HmnyTgd") + "82" + hexText("v1") + "8105");

const decodeHandler: Handler = {
  runner: "encoding",
  handler: "tagged_rlp",
  preset: "general",
  config: {},
  covers: ["decodeTaggedRlp"],
  run: (inputs) => {
    const { tag, payload } = decodeTaggedRlp(
      inputs.encoding as Uint8Array,
      inputs.tags as string[],
    );
    return { tag, payload };
  },
};

const encodeHandler: Handler = {
  runner: "encoding",
  handler: "tagged_rlp_encode",
  preset: "general",
  config: {},
  covers: ["encodeTaggedRlp"],
  run: (inputs) => ({
    encoding: encodeTaggedRlp(inputs.tag as string, inputs.payload as Uint8Array),
  }),
};

const decodeCases: Case[] = [
  {
    name: "legacy_record",
    description: "taggedrlp UntaggedIntoLegacy: a bare list is the legacy type's payload.",
    inputs: { encoding: RECORD_V0, tags: RECORD_TAGS },
    expect: { tag: "", payload: RECORD_V0 },
  },
  {
    name: "tagged_record",
    description: "taggedrlp TaggedWithEnvelope: the RecordV1 envelope gives its tag and payload.",
    inputs: { encoding: RECORD_V1, tags: RECORD_TAGS },
    expect: { tag: "RecordV1", payload: RECORD_V1_PAYLOAD },
  },
  {
    name: "empty_input",
    description: "taggedrlp FirstDecodeError: empty input has no item.",
    inputs: { encoding: new Uint8Array(0), tags: RECORD_TAGS },
    expect: { error: "encoding/rlp-truncated" },
  },
  {
    name: "signature_mismatch_is_legacy",
    description: "taggedrlp EnvelopeSigMismatchFallbackToLegacy: a wrong signature makes the " +
      "whole list a legacy payload (which the legacy type's decoder then rejects).",
    inputs: { encoding: SIG_MISMATCH, tags: RECORD_TAGS },
    expect: { tag: "", payload: SIG_MISMATCH },
  },
  {
    name: "unknown_tag",
    description: "taggedrlp UnknownTagCausesDirectError: an envelope with the unknown tag NO.",
    inputs: { encoding: UNKNOWN_TAG, tags: RECORD_TAGS },
    expect: { error: "encoding/tagged-rlp-unsupported-tag" },
  },
  {
    name: "empty_tag_is_legacy",
    description: "An envelope-shaped list with an empty tag is not an envelope: legacy payload.",
    inputs: { encoding: EMPTY_TAG, tags: HEADER_TAGS },
    expect: { tag: "", payload: EMPTY_TAG },
  },
  {
    name: "legacy_not_readable",
    description: "A bare payload when the reader knows no legacy type.",
    inputs: { encoding: RECORD_V0, tags: ["RecordV1"] },
    expect: { error: "encoding/tagged-rlp-unsupported-tag" },
  },
  {
    name: "non_canonical_payload",
    description: "An envelope whose payload is a wrapped single byte: the item is not canonical.",
    inputs: { encoding: BAD_PAYLOAD, tags: HEADER_TAGS },
    expect: { error: "encoding/rlp-non-canonical-byte" },
  },
  ...([0, 1, 2] as const).map((v): Case => ({
    name: `empty_header_v${v}`,
    description: `block/header_test.go: the encoding of a new, empty v${v} header.`,
    inputs: { encoding: goEmptyHeader(v).encoding, tags: HEADER_TAGS },
    expect: { tag: v === 0 ? "" : `v${v}`, payload: goEmptyHeader(v).payload },
  })),
];

const encodeCases: Case[] = [
  {
    name: "legacy_record",
    description: "taggedrlp LegacyUntaggedWithoutEnvelope: the legacy type is written bare.",
    inputs: { tag: "", payload: RECORD_V0 },
    expect: { encoding: RECORD_V0 },
  },
  {
    name: "tagged_record",
    description: "taggedrlp TaggedWithEnvelope: RecordV1 is wrapped in the envelope.",
    inputs: { tag: "RecordV1", payload: RECORD_V1_PAYLOAD },
    expect: { encoding: RECORD_V1 },
  },
  ...([0, 1, 2] as const).map((v): Case => ({
    name: `empty_header_v${v}`,
    description: `block/header_test.go: a new, empty v${v} header's encoding.`,
    inputs: { tag: v === 0 ? "" : `v${v}`, payload: goEmptyHeader(v).payload },
    expect: { encoding: goEmptyHeader(v).encoding },
  })),
  {
    name: "payload_not_one_item",
    description: "A payload of two items cannot be enveloped.",
    inputs: { tag: "v1", payload: fromHex("c0c0") },
    expect: { error: "encoding/rlp-trailing-bytes" },
  },
];

/** The tagged RLP suites. */
export const TAGGED_RLP_SUITES: Suite[] = [
  suite(decodeHandler, decodeCases),
  suite(encodeHandler, encodeCases),
];
