/**
 * Conformance cases for the hash functions (`hash`): known answers from go-ethereum's crypto
 * tests, FIPS 180-4 and FIPS 202, and the Ethereum constants every client shares.
 *
 * @module
 */
import { fromHex } from "../../../spec/encoding/bytes.ts";
import { keccak256, sha256, sha3_256 } from "../../../spec/encoding/hash.ts";
import { type Case, type Handler, suite } from "../../harness.ts";

const FUNCTIONS: Record<string, (data: Uint8Array) => Uint8Array> = {
  keccak256,
  sha3_256,
  sha256,
};

const handler: Handler = {
  runner: "encoding",
  handler: "hash",
  preset: "general",
  config: {},
  covers: ["keccak256", "sha3_256", "sha256"],
  run: (inputs) => {
    const fn = FUNCTIONS[inputs.function as string];
    if (fn === undefined) throw new Error(`unknown hash ${inputs.function}`);
    return { digest: fn(inputs.data as Uint8Array) };
  },
};

const text = (s: string) => new TextEncoder().encode(s);

/** name, function, data, digest (hex), where the value comes from. */
const CASES: [string, string, Uint8Array, string, string][] = [
  [
    "keccak256_abc",
    "keccak256",
    text("abc"),
    "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
    "go-ethereum crypto_test.go TestSha3",
  ],
  [
    "keccak256_empty",
    "keccak256",
    new Uint8Array(0),
    "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    "the hash of empty code",
  ],
  [
    "keccak256_rlp_empty_string",
    "keccak256",
    fromHex("80"),
    "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
    "the root of an empty trie",
  ],
  [
    "keccak256_rlp_empty_list",
    "keccak256",
    fromHex("c0"),
    "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
    "the hash of an empty uncle list",
  ],
  [
    "sha3_256_abc",
    "sha3_256",
    text("abc"),
    "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    "FIPS 202 example",
  ],
  [
    "sha3_256_empty",
    "sha3_256",
    new Uint8Array(0),
    "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
    "FIPS 202 example",
  ],
  [
    "sha256_abc",
    "sha256",
    text("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "FIPS 180-4 example; go-ethereum TestSha256",
  ],
  [
    "sha256_empty",
    "sha256",
    new Uint8Array(0),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "FIPS 180-4",
  ],
];

/** The `hash` suite. */
export const HASH_SUITE = suite(
  handler,
  CASES.map(([name, fn, data, digest, source]): Case => ({
    name,
    description: `${fn} known answer (${source}).`,
    inputs: { function: fn, data },
    expect: { digest: fromHex(digest) },
  })),
);
