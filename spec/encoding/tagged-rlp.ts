/**
 * Tagged RLP: the versioned envelope of Harmony's block headers.
 *
 * Harmony's header changed shape several times (v0 to v3, see the header module). To let one
 * decoder read every version, each encoding says which version it is. A value of a *tagged* type
 * is wrapped in an envelope, a three-item list
 *
 * ```
 * [ "HmnyTgd", tag, payload ]
 * ```
 *
 * where `"HmnyTgd"` is a fixed 7-byte signature, `tag` is a non-empty byte string naming the type
 * (`"v1"`, `"v2"`, `"v3"` for headers) and `payload` is the value's own RLP, embedded verbatim as
 * the third item (not wrapped again as a byte string). A value of the *legacy* type, whose tag is
 * the empty string (the v0 header), is written as its bare RLP with no envelope, so that old
 * encodings stay valid.
 *
 * Decoding follows that: if the item is a list of exactly three items whose first two are byte
 * strings, the first equal to the signature and the second non-empty, it is an envelope and the
 * tag is its second item; otherwise the whole item is the legacy type's payload. The tag must be
 * one the reader knows, else `encoding/tagged-rlp-unsupported-tag`. Note the fallback: an
 * envelope-like list that fails any of these tests (a wrong signature, an empty tag, four items)
 * is not an error here but a legacy payload, which the legacy type's decoder then judges, exactly
 * as Harmony does.
 *
 * One simplification, with the same outcome: Harmony first reads the envelope without looking
 * inside the payload, then decodes the payload as the tagged type. Here the whole item is decoded
 * canonically first, so a malformed payload is rejected with an RLP error code before the tag is
 * looked at. In both cases the input is rejected.
 *
 * @see github.com/harmony-one/taggedrlp taggedrlp.go (`Registry.Encode`, `Registry.Decode`,
 *   `EnvelopeSignature`, `LegacyTag`)
 * @see github.com/harmony-one/harmony block/header.go (`HeaderRegistry`: legacy tag for v0, then
 *   "v1", "v2", "v3")
 * @module
 */
import { bytesEqual, utf8ToBytes } from "./bytes.ts";
import { decodeRlp, encodeRlp, encodeRlpList, type RlpItem, splitRlpList } from "./rlp.ts";
import { require } from "../errors.ts";

/** The first item of every envelope: the 7 ASCII bytes `HmnyTgd`. */
export const TAGGED_RLP_SIGNATURE = "HmnyTgd";

/** The tag of the legacy type, which is encoded without an envelope. */
export const LEGACY_TAG = "";

/** A decoded envelope: the type's tag and the raw RLP of the value. */
export interface TaggedPayload {
  /** The tag, one of the tags the reader knows; {@link LEGACY_TAG} for a bare legacy payload. */
  tag: string;
  /** The value's own RLP encoding (one complete item). */
  payload: Uint8Array;
}

/**
 * Wraps a value's RLP in the envelope of its tag, or leaves it bare for the legacy tag.
 *
 * @param tag the type's tag; {@link LEGACY_TAG} for the legacy type
 * @param payload the value's RLP encoding, one complete canonical item
 * @returns the tagged encoding
 * @throws {SpecError} the codes of {@link decodeRlp} when `payload` is not one canonical item
 */
export function encodeTaggedRlp(tag: string, payload: Uint8Array): Uint8Array {
  decodeRlp(payload);
  if (tag === LEGACY_TAG) return payload;
  const signature = encodeRlp(utf8ToBytes(TAGGED_RLP_SIGNATURE));
  return encodeRlpList([signature, encodeRlp(utf8ToBytes(tag)), payload]);
}

/** Tells whether a decoded item has the shape of an envelope with a non-empty tag. */
function isEnvelope(item: RlpItem): item is [Uint8Array, Uint8Array, RlpItem] {
  if (!Array.isArray(item) || item.length !== 3) return false;
  const [signature, tag] = item;
  if (!(signature instanceof Uint8Array) || !(tag instanceof Uint8Array)) return false;
  return bytesEqual(signature, utf8ToBytes(TAGGED_RLP_SIGNATURE)) && tag.length > 0;
}

/**
 * Reads a tagged encoding: finds its tag and the raw payload to decode as that tag's type.
 *
 * @param encoding exactly one RLP item
 * @param knownTags the tags the reader has a type for; include {@link LEGACY_TAG} if the legacy
 *   type is readable
 * @returns the tag and the payload
 * @throws {SpecError} the codes of {@link decodeRlp}; `encoding/tagged-rlp-unsupported-tag` when
 *   the tag (the legacy tag for a bare payload) is not in `knownTags`
 */
export function decodeTaggedRlp(encoding: Uint8Array, knownTags: readonly string[]): TaggedPayload {
  const item = decodeRlp(encoding);
  let tagBytes: Uint8Array = utf8ToBytes(LEGACY_TAG);
  let payload = encoding;
  if (isEnvelope(item)) {
    tagBytes = item[1];
    payload = splitRlpList(encoding)[2];
  }
  // Tags are compared as bytes, as Go compares strings: a tag need not be valid UTF-8.
  const tag = knownTags.find((known) => bytesEqual(utf8ToBytes(known), tagBytes));
  require(tag !== undefined, "encoding/tagged-rlp-unsupported-tag");
  return { tag, payload };
}
