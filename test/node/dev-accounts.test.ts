/** The development accounts match the ones Hardhat and Anvil print for the same mnemonic. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { devAccounts } from "../../src/node/dev-accounts.ts";
import { formatHexAddress } from "../../spec/encoding/address.ts";
import { toHex } from "../../spec/encoding/bytes.ts";

test("the first accounts are Hardhat's and Anvil's", () => {
  const accounts = devAccounts(3);
  // As printed by `anvil` and `npx hardhat node`.
  assert.deepEqual(accounts.map((a) => formatHexAddress(a.address)), [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  ]);
  assert.equal(
    toHex(accounts[0].privateKey),
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  );
  assert.equal(devAccounts(10).length, 10);
});
