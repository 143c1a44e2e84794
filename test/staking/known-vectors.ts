/**
 * Staking transactions made by other implementations, with what they are known to contain.
 *
 * - `HARMONY_JS`: the signed transactions of the `@harmony-js/staking` test suite
 *   (`test/transactions.json`), chain ID 2. Delegate, Undelegate and CollectRewards are in the
 *   current format; CreateValidator and EditValidator predate the key signatures and the status
 *   field, so their messages have 7 fields where the Go node now requires 8 and 9.
 * - `GO_ROSETTA`: unsigned transactions encoded by the Go node itself and the 65-byte signatures
 *   Go made over their signing hash for chain ID 1 (`rosetta/services/construction_create_test.go`).
 *   The Go test asserts that the sender recovers to `SENDER`.
 *
 * @module
 */
import { fromHex } from "../../spec/encoding/bytes.ts";

/** The secp256k1 key both suites sign with. */
export const SENDER_KEY = fromHex(
  "4edef2c24995d15b0e25cbd152fb0e2c05d3b79b9c2afd134e6f59f91bf99e48",
);

/** Its address, `one1a0x3d6xpmr6f8wsyaxd9v36pytvp48zckswvv9`. */
export const SENDER = fromHex("ebcd16e8c1d8f493ba04e99a56474122d81a9c58");

/** harmony-js signed transactions (nonce 2, gas price 0, gas limit 100, chain ID 2). */
export const HARMONY_JS = {
  delegate: fromHex(
    "f87302eb94ebcd16e8c1d8f493ba04e99a56474122d81a9c5894ebcd16e8c1d8f493ba04e99a56474122d81a9c580a" +
      "02806428a0ada9a8fb49eb3cd74f0f861e16bc1f1d56a0c6e3c25b0391f9e07a7963317e80a05c28dbc41763dc" +
      "2391263e1aae30f842f90734d7ec68cee2352af0d4b0662b54",
  ),
  undelegate: fromHex(
    "f87303eb94ebcd16e8c1d8f493ba04e99a56474122d81a9c5894ebcd16e8c1d8f493ba04e99a56474122d81a9c580a" +
      "02806428a05bf8c653567defe2c3728732bc9d67dd099a977df91c740a883fd89e03abb6e2a05202c4b51652d514" +
      "4c6a30d14d1a7a316b5a4a6b49be985b4bc6980e49f7acb7",
  ),
  collectRewards: fromHex(
    "f85d04d594ebcd16e8c1d8f493ba04e99a56474122d81a9c5802806428a04c15c72f42577001083a9c7ff9d97240" +
      "77aec704a524e53dc7c9afe97ca4e625a055c13ea17c3efd1cd91f2988c7e7673950bac5a08c174f2d0af27a820" +
      "39f1e3d",
  ),
  legacyCreateValidator: fromHex(
    "f8ed80f8a494ebcd16e8c1d8f493ba04e99a56474122d81a9c58f83885416c69636585616c69636591616c696365" +
      "2e6861726d6f6e792e6f6e6583426f6295446f6e2774206d6573732077697468206d65212121ddc988016345785d" +
      "8a0000c9880c7d713b49da0000c887b1a2bc2ec500000a820bb8f1b0b9486167ab9087ab818dc4ce026edb5bf216" +
      "863364c32e42df2af03c5ced1ad181e7d12f0e6dd5307a73b622476086116402806428a0476e8a0fe478e0d03ff1" +
      "0222d4d590bca8cee3ec51b830f4fc4a8bee5d0e9d28a03b2be18e73b2f99d7e2691485a0e166f28e62815079c12" +
      "6e68f876dc97339f8f",
  ),
  legacyEditValidator: fromHex(
    "f9010801f8bf94ebcd16e8c1d8f493ba04e99a56474122d81a9c58f83885416c69636585616c69636591616c6963" +
      "652e6861726d6f6e792e6f6e6583426f6295446f6e2774206d6573732077697468206d65212121c988016345785d" +
      "8a00000a820bb8b0b9486167ab9087ab818dc4ce026edb5bf216863364c32e42df2af03c5ced1ad181e7d12f0e6d" +
      "d5307a73b62247608611b0b9486167ab9087ab818dc4ce026edb5bf216863364c32e42df2af03c5ced1ad181e7d1" +
      "2f0e6dd5307a73b6224760861102806427a05e54b55272f6bf5ffeca10d85976749d6b844cc9f30ba3285b9ab8a8" +
      "2d53e3e3a03ce04d9a9f834e20b22aa918ead346c84a04b1504fe3ff9e38f21c5e5712f013",
  ),
};

/** One Go-encoded unsigned transaction and Go's signature over its chain-1 signing hash. */
export interface GoVector {
  /** The unsigned transaction (v = r = s = 0) as the Go node encodes it. */
  unsigned: Uint8Array;
  /** `r ‖ s ‖ recoveryId` from Go's `crypto.Sign`. */
  signature: Uint8Array;
}

/** Go-produced vectors (gas price 2 gwei, nonce 0). */
export const GO_ROSETTA: Record<string, GoVector> = {
  createValidator: {
    unsigned: fromHex(
      "f9013180f90120940b585f8daefbc68a311fbd4cb20d9174ad174016f83885416c69636585616c69636591616c69" +
        "63652e6861726d6f6e792e6f6e6583426f6295446f6e2774206d6573732077697468206d65212121ddc98801634578" +
        "5d8a0000c9880c7d713b49da0000c887b1a2bc2ec50000888ac7230489e8000089a2a15d09519be00000f1b030b2c3" +
        "8b1316da91e068ac3bd8751c0901ef6c02a1d58bc712104918302c6ed03d5894671d0c816dad2b4d303320f202f862" +
        "b86068f800b6adf657b674903e04708060912b893b7c7b500788808247550ab3e186e56a44ebf3ca488f8ed1a42f6c" +
        "ef3a04bd5d2b2b7eb5a767848d3135b362e668ce6bba42c7b9d5666d8e3a83be707b5708e722c58939fe9b07c170f3" +
        "b706241489056bc75e2d6310000080847735940083a1be40808080",
    ),
    signature: fromHex(
      "5ee37d4f19016a7ba6eef5dad74f0214ecfb73feda46dd263c3dd0ed54f9d4f60d78033196f148b2a005fe0c1af9af" +
        "bb0e6f087075f1c9addb3ec8d7d2b6b16600",
    ),
  },
  editValidator: {
    unsigned: fromHex(
      "f9014101f9013194ebcd16e8c1d8f493ba04e99a56474122d81a9c58f83885416c69636585616c69636591616c6963" +
        "652e6861726d6f6e792e6f6e6583426f6295446f6e2774206d6573732077697468206d65212121c988016345785d8a" +
        "0000888ac7230489e8000089a2a15d09519be00000b030b2c38b1316da91e068ac3bd8751c0901ef6c02a1d58bc712" +
        "104918302c6ed03d5894671d0c816dad2b4d303320f202b030b2c38b1316da91e068ac3bd8751c0901ef6c02a1d58b" +
        "c712104918302c6ed03d5894671d0c816dad2b4d303320f202b86068f800b6adf657b674903e04708060912b893b7c" +
        "7b500788808247550ab3e186e56a44ebf3ca488f8ed1a42f6cef3a04bd5d2b2b7eb5a767848d3135b362e668ce6bba" +
        "42c7b9d5666d8e3a83be707b5708e722c58939fe9b07c170f3b70624148080847735940082a410808080",
    ),
    signature: fromHex(
      "e7d6edf1fc99806533bb2c5c5ece5873ddbf391c58ab2b839afb0770d86d70df6ccb4727afa97b0f26bec18dbb6bf2" +
        "87ef93867b2129af2d2a9bcced735d79f400",
    ),
  },
  delegate: {
    unsigned: fromHex(
      "f84102f394ebcd16e8c1d8f493ba04e99a56474122d81a9c5894ebcd16e8c1d8f493ba04e99a56474122d81a9c5888" +
        "8ac7230489e8000080847735940082a410808080",
    ),
    signature: fromHex(
      "fcfdda6ac52e81c5a4f53628588cd7fb2b0da40fb42f26472329698522230ca759fd3ba51b4078cc2b2370253688f1" +
        "cc7f16706e897bf9fee0c1e7369f22dbf500",
    ),
  },
  undelegate: {
    unsigned: fromHex(
      "f84103f394ebcd16e8c1d8f493ba04e99a56474122d81a9c5894ebcd16e8c1d8f493ba04e99a56474122d81a9c5888" +
        "8ac7230489e80000808477359400825208808080",
    ),
    signature: fromHex(
      "b24e011d4013f0101a68ee0a6181e311fab6f65b768623f4ef8c6d5e429b507e3ce5dd52f3e85ae969854f7ac36a2a" +
        "c74fe2d779ac9a9d8f38a64f683565980e00",
    ),
  },
  collectRewards: {
    unsigned: fromHex("e304d594ebcd16e8c1d8f493ba04e99a56474122d81a9c58808477359400825208808080"),
    signature: fromHex(
      "13f25e40cf5cadf9ae68a318b216de52dc97ec423f581a36defccbdd31870cc26c66872f9f543246d0da7ee6b48d7e" +
        "11e5034227795e80a5c1e95ac68a2a024500",
    ),
  },
};

/** The BLS key and proof of possession inside the Go vectors (`30b2…`, `68f8…`). */
export const GO_BLS_KEY = fromHex(
  "30b2c38b1316da91e068ac3bd8751c0901ef6c02a1d58bc712104918302c6ed03d5894671d0c816dad2b4d303320f202",
);
