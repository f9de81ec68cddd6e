import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import * as bitcoin from 'bitcoinjs-lib';
import { rawRequest } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

const INVOICES = 10_000;
const CONCURRENCY = 64;

describe('invoice addresses', function () {
  this.timeout(300_000);
  let emu: Emulator;
  let token: string;
  before(async () => {
    emu = await startTestEmulator();
    token = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
  });
  after(() => emu.close());

  it(`gives each of ${INVOICES} concurrently created invoices its own valid testnet address`, async () => {
    const addresses: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < INVOICES) {
        next++;
        const { status, json } = await rawRequest(emu, 'POST', 'invoices', { body: { token, price: 1, currency: 'USD' } });
        expect(status).to.equal(200);
        addresses.push(/^bitcoin:([^?]+)/.exec(json.data.paymentCodes.BTC.BIP21)![1] as string);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(addresses).to.have.length(INVOICES);
    expect(new Set(addresses).size).to.equal(INVOICES);
    for (const address of addresses) {
      expect(address).to.match(/^tb1q/);
      expect(bitcoin.address.fromBech32(address).version).to.equal(0);
      expect(() => bitcoin.address.toOutputScript(address, bitcoin.networks.testnet)).not.to.throw();
    }
  });

  it('continues the derivation sequence after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bitpay-emulator-'));
    const create = async (target: Emulator) => {
      const pos = (await target.sandbox.createPairingCode({ facade: 'pos' })).token;
      const { json } = await rawRequest(target, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD' } });
      return (await rawRequest(target, 'GET', `sandbox/invoices/${json.data.id}`)).json.sandbox;
    };
    try {
      const first = await startTestEmulator({ dataDir });
      const before = await create(first).finally(() => first.close());
      const second = await startTestEmulator({ dataDir });
      const after = await create(second).finally(() => second.close());
      expect(after.derivationIndex).to.be.greaterThan(before.derivationIndex);
      expect(after.address).not.to.equal(before.address);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('derives regtest addresses when asked', async () => {
    const regtest = await startTestEmulator({ btcNetwork: 'regtest' });
    try {
      const pos = (await regtest.sandbox.createPairingCode({ facade: 'pos' })).token;
      const { json } = await rawRequest(regtest, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD' } });
      expect(json.data.paymentCodes.BTC.BIP21).to.match(/^bitcoin:bcrt1q/);
    } finally {
      await regtest.close();
    }
  });
});
