import { expect } from 'chai';
import * as ecc from 'tiny-secp256k1';
import { BIP32Factory } from 'bip32';
import * as bitcoin from 'bitcoinjs-lib';
import { createAddressDeriver } from '../../src/chain/addresses.js';
import { fixtures } from '../../src/fixtures.js';

describe('address derivation (BIP84 receive chain)', () => {
  const derive = createAddressDeriver(fixtures.bitcoin.accountXpub, 'testnet');

  it("gives the well-known first address of the 'abandon … about' test mnemonic", () => {
    expect(derive(0)).to.equal('tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl');
  });

  it('agrees with the bip32 library for the first 500 indexes and around 2^31', () => {
    const receive = BIP32Factory(ecc).fromBase58(fixtures.bitcoin.accountXpub, bitcoin.networks.testnet).derive(0);
    const indexes = [...Array.from({ length: 500 }, (_, i) => i), 2 ** 31 - 2, 2 ** 31 - 1];
    for (const index of indexes) {
      const expected = bitcoin.payments.p2wpkh({ pubkey: receive.derive(index).publicKey, network: bitcoin.networks.testnet }).address;
      expect(derive(index), `index ${index}`).to.equal(expected);
    }
  });
});
