/**
 * The development accounts a local node funds at genesis: the first accounts of the standard
 * development mnemonic `test test test test test test test test test test test junk`, derived on
 * Ethereum's path m/44'/60'/0'/0/i as Hardhat and Anvil do, so that wallets and tools configured
 * for those work unchanged.
 *
 * @module
 */
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { addressFromPrivateKey } from "../../spec/crypto/secp256k1.ts";

/** The standard development mnemonic. Its keys are public: never use them for real funds. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** A development account: its private key and address. */
export interface DevAccount {
  privateKey: Uint8Array;
  address: Uint8Array;
}

/** The first `count` accounts of a mnemonic on the path m/44'/60'/0'/0/i. */
export function devAccounts(count = 10, mnemonic = DEV_MNEMONIC): DevAccount[] {
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic));
  const accounts: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = root.derive(`m/44'/60'/0'/0/${i}`).privateKey;
    if (privateKey === null) throw new Error(`no private key at index ${i}`);
    accounts.push({ privateKey, address: addressFromPrivateKey(privateKey) });
  }
  return accounts;
}
