import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { keccak256 as viemKeccak } from "viem";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { keccak256, sha256, sha3_256 } from "../../spec/encoding/hash.ts";
import { catches, holds } from "../support/property.ts";

const text = (s: string) => new TextEncoder().encode(s);

test("hash: known answers", () => {
  // go-ethereum crypto/crypto_test.go TestSha3 and TestSha256.
  assert.equal(
    toHex(keccak256(text("abc"))),
    "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
  );
  assert.equal(
    toHex(sha256(text("abc"))),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  // Keccak-256 of the empty string, of RLP("") (the empty trie root) and of RLP([]) (the hash of
  // an empty uncle list), as every Ethereum client has them.
  assert.equal(
    toHex(keccak256(new Uint8Array(0))),
    "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  );
  assert.equal(
    toHex(keccak256(fromHex("80"))),
    "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
  );
  assert.equal(
    toHex(keccak256(fromHex("c0"))),
    "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
  );
  // FIPS 202 SHA3-256 of "abc" and of the empty string: not Keccak-256.
  assert.equal(
    toHex(sha3_256(text("abc"))),
    "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
  );
  assert.equal(
    toHex(sha3_256(new Uint8Array(0))),
    "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
  );
});

const agrees = (ours: (b: Uint8Array) => Uint8Array, oracle: (b: Uint8Array) => string) =>
  fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
    assert.equal("0x" + toHex(ours(data)), oracle(data));
  });

const nodeHash = (name: string) => (b: Uint8Array) =>
  "0x" + createHash(name).update(b).digest("hex");

test("property: keccak256 agrees with viem, sha256 and sha3_256 with node:crypto", () => {
  holds(agrees(keccak256, (b) => viemKeccak(b)));
  holds(agrees(sha256, nodeHash("sha256")));
  holds(agrees(sha3_256, nodeHash("sha3-256")));
  // Confusing FIPS SHA3-256 with legacy Keccak-256 is caught.
  catches(agrees(sha3_256, (b) => viemKeccak(b)));
});

test("keccak256 of inputs longer than the hasher's buffer, and digests that do not alias", () => {
  const long = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff);
  assert.equal("0x" + toHex(keccak256(long)), viemKeccak(long));
  const first = keccak256(Uint8Array.of(1));
  const copy = first.slice();
  keccak256(Uint8Array.of(2));
  assert.deepEqual(first, copy, "a later call leaves an earlier digest as it was");
});
