/**
 * The proposer given the pool's records (`ProposalInput.pooled`: decoded transactions and their
 * senders) proposes the block it proposes without them: it reuses a sender only where
 * `ownSignerAgrees` with the block's signer and recovers the rest.
 */
import { test } from "node:test";
import fc from "fast-check";
import { encodeBlock } from "../../spec/chain/body.ts";
import { ownLookups } from "../../spec/chain/context.ts";
import { type PoolRecord, proposeBlock } from "../../spec/chain/propose.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import {
  decodeTransaction,
  encodeTransaction,
  ownSigner,
  recoverSender,
  type Signer,
  signTransaction,
} from "../../spec/execution/transaction.ts";
import { ethChainId } from "../../spec/params/mod.ts";
import { catchesAsync, holdsAsync } from "../support/property.ts";
import { ALICE, CAROL, DAVE, GAS_PRICE, genesisOf, NET, ONE, proposalInput } from "./world.ts";

const { state } = genesisOf(0n);

const SIGNERS: Signer[] = [
  { kind: "eip155", chainId: NET.chainId, nodeEthChainId: ethChainId(NET, 0n) },
  { kind: "eip155", chainId: ethChainId(NET, 0n), nodeEthChainId: ethChainId(NET, 0n) },
  { kind: "homestead" },
];

const arbPending = fc.array(
  fc.record({
    from: fc.constantFrom(ALICE, CAROL),
    nonce: fc.bigInt({ min: 0n, max: 3n }),
    signer: fc.constantFrom(...SIGNERS),
    known: fc.boolean(),
  }),
  { maxLength: 8 },
).map((items) =>
  items.map(({ from, nonce, signer, known }) => {
    const tx = signTransaction(signer, {
      nonce,
      gasPrice: GAS_PRICE,
      gasLimit: 21_000n,
      shardId: 0n,
      toShardId: 0n,
      to: DAVE.address,
      value: ONE,
      data: new Uint8Array(0),
    }, from.secret);
    return { raw: encodeTransaction(tx), known };
  })
);

/** The pool's record of a transaction (`ownSigner`'s sender), or null when it does not recover. */
function poolRecord(raw: Uint8Array): PoolRecord | null {
  try {
    const tx = decodeTransaction(raw);
    return { tx, sender: recoverSender(ownSigner(tx), tx) };
  } catch (e) {
    if (isSpecError(e)) return null;
    throw e;
  }
}

type Records = (pending: { raw: Uint8Array; known: boolean }[]) => (PoolRecord | null)[];

const sameBlock = (recordsOf: Records) =>
  fc.asyncProperty(arbPending, async (pending) => {
    const transactions = pending.map((p) => p.raw);
    const input = proposalInput({ state, blocks: [] }, 0n, { transactions });
    const plain = await proposeBlock(state, ownLookups(state), input);
    const given = await proposeBlock(state, ownLookups(state), {
      ...input,
      pooled: recordsOf(pending),
    });
    return toHex(encodeBlock(plain.block)) === toHex(encodeBlock(given.block));
  });

test("proposeBlock with the pool's records proposes the same block", async () => {
  await holdsAsync(sameBlock((p) => p.map((x) => x.known ? poolRecord(x.raw) : null)), 30);
  // A canary: senders that are not the transactions' own (shifted by one) change the block.
  await catchesAsync(
    sameBlock((p) =>
      p.map((x, i) => {
        const own = poolRecord(x.raw);
        const next = i + 1 < p.length ? poolRecord(p[i + 1].raw) : null;
        return own && next && { tx: own.tx, sender: next.sender };
      })
    ),
    30,
  );
});
