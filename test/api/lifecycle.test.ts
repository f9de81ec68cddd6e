import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { pairClient, rawRequest, sdkClient } from '../support/bitpay.js';
import { btpay } from '../support/btpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { expectInvoiceContract } from '../support/schemas.js';

type Json = Record<string, any>;

describe('payment lifecycle', () => {
  let emu: Emulator;
  let merchant: Client;
  let merchantToken: string;
  let key: Awaited<ReturnType<typeof pairClient>>['key'];

  before(async () => {
    emu = await startTestEmulator();
    ({ key, token: merchantToken } = await pairClient(emu, 'merchant'));
    merchant = sdkClient(emu, key, { merchant: merchantToken });
  });
  after(() => emu.close());

  async function create(fields: Json = {}): Promise<Json> {
    return (await merchant.createInvoice(Object.assign(new Models.Invoice(10, 'USD'), fields))) as unknown as Json;
  }
  async function get(id: string): Promise<Json> {
    const invoice = (await merchant.getInvoice(id)) as unknown as Json;
    expectInvoiceContract(invoice);
    return invoice;
  }
  async function history(id: string): Promise<string[]> {
    const { sandbox } = await emu.sandbox.invoice(id);
    return sandbox.events.filter((e) => e.type !== 'created').map((e) => `${e.fromStatus}>${e.toStatus}${e.exceptionStatus ? `(${e.exceptionStatus})` : ''}`);
  }

  describe('paid on time at each speed', () => {
    const cases: [string, string[], string[]][] = [
      // speed, status after payment / 1 block / 6 blocks, transitions
      ['high', ['confirmed', 'confirmed', 'complete'], ['new>confirmed', 'confirmed>complete']],
      ['medium', ['paid', 'confirmed', 'complete'], ['new>paid', 'paid>confirmed', 'confirmed>complete']],
      ['low', ['paid', 'paid', 'complete'], ['new>paid', 'paid>complete']],
    ];
    for (const [speed, statuses, transitions] of cases) {
      it(`${speed}: ${statuses.join(' → ')}`, async () => {
        const invoice = await create({ transactionSpeed: speed });
        const tx = await emu.sandbox.pay(invoice.id);
        expect(tx.amount).to.equal(invoice.paymentTotals.BTC);
        expect(tx.confirmations).to.equal(0);
        const paid = await get(invoice.id);
        expect(paid.status).to.equal(statuses[0]);
        expect(paid).to.include({ amountPaid: invoice.paymentTotals.BTC, displayAmountPaid: invoice.paymentDisplayTotals.BTC, btcDue: '0', btcPaid: invoice.paymentDisplayTotals.BTC, exceptionStatus: false, transactionCurrency: 'BTC' });
        expect(paid.transactions).to.deep.equal([
          {
            amount: invoice.paymentTotals.BTC,
            confirmations: 0,
            receivedTime: new Date(emu.clock.now()).toISOString(),
            time: new Date(emu.clock.now()).toISOString(),
            txid: tx.txid,
            exRates: { BTC: 1, USD: 65000 },
            outputIndex: 0,
          },
        ]);
        await emu.sandbox.mine(1);
        expect((await get(invoice.id)).status).to.equal(statuses[1]);
        await emu.sandbox.mine(5);
        const complete = await get(invoice.id);
        expect(complete.status).to.equal(statuses[2]);
        expect(complete.transactions[0].confirmations).to.equal(6);
        expect(await history(invoice.id)).to.deep.equal(transitions);
      });
    }

    it('walks every status when six blocks come at once', async () => {
      const invoice = await create({ transactionSpeed: 'medium' });
      await emu.sandbox.pay(invoice.id);
      await emu.sandbox.mine(6);
      expect((await get(invoice.id)).status).to.equal('complete');
      expect(await history(invoice.id)).to.deep.equal(['new>paid', 'paid>confirmed', 'confirmed>complete']);
    });

    it('makes high speed wait for a confirmation when the payment signals RBF', async () => {
      const invoice = await create({ transactionSpeed: 'high' });
      await emu.sandbox.pay(invoice.id, { rbf: true });
      expect((await get(invoice.id)).status).to.equal('paid');
      await emu.sandbox.mine(1);
      expect((await get(invoice.id)).status).to.equal('confirmed');
    });
  });

  it('underpaid, then topped up', async () => {
    const invoice = await create();
    const total = invoice.paymentTotals.BTC;
    await emu.sandbox.pay(invoice.id, { percent: 40 });
    const partial = await get(invoice.id);
    expect(partial).to.include({ status: 'new', exceptionStatus: 'paidPartial', amountPaid: Math.round(total * 0.4), underpaidAmount: total - Math.round(total * 0.4) });
    expect(partial.btcDue).not.to.equal('0');
    await emu.sandbox.pay(invoice.id);
    const paid = await get(invoice.id);
    expect(paid).to.include({ status: 'paid', exceptionStatus: false, amountPaid: total, btcDue: '0' });
    expect(paid).not.to.have.property('underpaidAmount');
    expect(paid.transactions).to.have.length(2);
    expect(await history(invoice.id)).to.deep.equal(['new>new(paidPartial)', 'new>paid']);
  });

  it('underpaid and expired', async () => {
    const invoice = await create();
    await emu.sandbox.pay(invoice.id, { amount: '0.00001' });
    await emu.clock.advance('15m');
    expect((await get(invoice.id)).status).to.equal('new');
    await emu.clock.advance(1);
    const expired = await get(invoice.id);
    expect(expired).to.include({ status: 'expired', exceptionStatus: 'paidPartial', amountPaid: 1000 });
    expect(await history(invoice.id)).to.deep.equal(['new>new(paidPartial)', 'new>expired(paidPartial)']);
  });

  it('overpaid', async () => {
    const invoice = await create();
    await emu.sandbox.pay(invoice.id, { percent: 150 });
    const over = await get(invoice.id);
    const paid = Math.round(invoice.paymentTotals.BTC * 1.5);
    expect(over).to.include({ status: 'paid', exceptionStatus: 'paidOver', amountPaid: paid, overpaidAmount: paid - invoice.paymentTotals.BTC });
    await emu.sandbox.mine(6);
    expect(await get(invoice.id)).to.include({ status: 'complete', exceptionStatus: 'paidOver' });
  });

  it('paid after expiry: recorded and flagged, not revived', async () => {
    const invoice = await create();
    await emu.clock.advance('16m');
    expect((await get(invoice.id)).status).to.equal('expired');
    await emu.sandbox.pay(invoice.id);
    await emu.sandbox.mine(6);
    const late = await get(invoice.id);
    expect(late).to.include({ status: 'expired', exceptionStatus: 'paidLate', amountPaid: invoice.paymentTotals.BTC });
    expect(late.transactions).to.have.length(1);
    expect(await history(invoice.id)).to.deep.equal(['new>expired', 'expired>expired(paidLate)']);
  });

  it('never confirmed: invalid after an hour', async () => {
    const invoice = await create();
    await emu.sandbox.pay(invoice.id);
    await emu.clock.advance('59m59s');
    expect((await get(invoice.id)).status).to.equal('paid');
    await emu.clock.advance('1s');
    expect((await get(invoice.id)).status).to.equal('invalid');
    expect(await history(invoice.id)).to.deep.equal(['new>paid', 'paid>invalid']);
  });

  it('double-spent: invalid, and the transaction leaves the invoice', async () => {
    const invoice = await create();
    const tx = await emu.sandbox.pay(invoice.id);
    const { status, json } = await rawRequest(emu, 'POST', `sandbox/transactions/${tx.txid}/double-spend`);
    expect(status).to.equal(200);
    expect(json).to.include({ txid: tx.txid, doubleSpent: true });
    expect(json.invoice).to.include({ status: 'invalid' });
    const invalid = await get(invoice.id);
    expect(invalid).to.include({ status: 'invalid', amountPaid: 0 });
    expect(invalid.transactions).to.deep.equal([]);
    await emu.sandbox.mine(6);
    expect((await get(invoice.id)).status).to.equal('invalid');
  });

  it('cancelled before payment, and refused once paid', async () => {
    const unpaid = await create();
    expect(await merchant.cancelInvoice(unpaid.id)).to.include({ status: 'expired', isCancelled: true });
    const refused = await rawRequest(emu, 'POST', `sandbox/invoices/${unpaid.id}/payments`);
    expect(refused.status).to.equal(409);
    expect(refused.json).to.deep.include({ code: '010117', error: `Invoice ${unpaid.id} was cancelled; it takes no payments` });

    const paid = await create();
    await emu.sandbox.pay(paid.id);
    const cancel = await rawRequest(emu, 'DELETE', `invoices/${paid.id}?token=${merchantToken}&forceCancel=true`, { key });
    expect(cancel.status).to.equal(409);
    expect(cancel.json).to.include({ code: '040107', error: 'Invalid invoice state for cancel: the invoice is paid' });
  });

  it('cancelled after a partial payment: needs buyer contact or forceCancel, then declined', async () => {
    const invoice = await create();
    await emu.sandbox.pay(invoice.id, { percent: 20 });
    const noContact = await rawRequest(emu, 'DELETE', `invoices/${invoice.id}?token=${merchantToken}`, { key });
    expect(noContact.status).to.equal(409);
    expect(noContact.json.code).to.equal('040108');
    const forced = (await merchant.cancelInvoice(invoice.id, true)) as unknown as Json;
    expect(forced).to.include({ status: 'declined', isCancelled: true, exceptionStatus: 'paidPartial' });
    expect(await history(invoice.id)).to.deep.equal(['new>new(paidPartial)', 'new>declined(paidPartial)']);

    const withContact = await create({ buyer: { email: 'b@example.com' } });
    await emu.sandbox.pay(withContact.id, { percent: 20 });
    expect(await merchant.cancelInvoice(withContact.id, false)).to.include({ status: 'declined' });
  });

  it('expires exactly after the last millisecond of the window', async () => {
    const invoice = await create();
    await emu.clock.set(invoice.expirationTime);
    expect((await get(invoice.id)).status).to.equal('new');
    await emu.sandbox.pay(invoice.id);
    expect((await get(invoice.id)).status).to.equal('paid');

    const other = await create();
    await emu.clock.set(other.expirationTime + 1);
    expect((await get(other.id)).status).to.equal('expired');
  });

  it('expires on request (POST /sandbox/invoices/:id/expire), and only a new invoice', async () => {
    const invoice = await create();
    const { status, json } = await rawRequest(emu, 'POST', `sandbox/invoices/${invoice.id}/expire`);
    expect(status).to.equal(200);
    expect(json).to.include({ id: invoice.id, status: 'expired' });
    const again = await rawRequest(emu, 'POST', `sandbox/invoices/${invoice.id}/expire`);
    expect(again.status).to.equal(409);
    expect(again.json.error).to.equal(`Invoice ${invoice.id} is expired; only a new invoice can expire`);
  });

  describe("BitPay's test-environment PUT /invoices/pay/:id (SDK payInvoice)", () => {
    it('pays to confirmed at each speed, through the chain', async () => {
      for (const [speed, expected] of [
        ['high', 'confirmed'],
        ['medium', 'confirmed'],
        ['low', 'complete'],
      ]) {
        const invoice = await create({ transactionSpeed: speed });
        const paid = (await merchant.payInvoice(invoice.id, 'confirmed')) as unknown as Json;
        expectInvoiceContract(paid);
        expect(paid.status, speed).to.equal(expected);
        expect(paid.transactions).to.have.length(1);
      }
    });

    it('pays to complete with the same transitions as a real payment', async () => {
      const invoice = await create();
      const paid = (await merchant.payInvoice(invoice.id, 'complete')) as unknown as Json;
      expect(paid).to.include({ status: 'complete', amountPaid: invoice.paymentTotals.BTC, exceptionStatus: false });
      expect(paid.transactions[0].confirmations).to.be.at.least(6);
      expect(await history(invoice.id)).to.deep.equal(['new>paid', 'paid>confirmed', 'confirmed>complete']);
    });

    it('refuses a bad status and an expired invoice', async () => {
      const invoice = await create();
      const bad = await rawRequest(emu, 'PUT', `invoices/pay/${invoice.id}`, { key, body: { token: merchantToken, status: 'paid' } });
      expect(bad.json).to.include({ code: '030102' });
      await emu.sandbox.expire(invoice.id);
      const expired = await rawRequest(emu, 'PUT', `invoices/pay/${invoice.id}`, { key, body: { token: merchantToken, status: 'complete' } });
      expect(expired.status).to.equal(409);
      expect(expired.json).to.include({ code: '030117', error: `Invalid invoice state: invoice ${invoice.id} is expired` });
    });
  });

  describe('refusals change nothing', () => {
    it('paying an unknown invoice, or a negative or malformed amount', async () => {
      const unknown = await rawRequest(emu, 'POST', 'sandbox/invoices/NoSuchInvoice000000000/payments');
      expect(unknown.status).to.equal(404);
      expect(unknown.json.code).to.equal('010101');
      const invoice = await create();
      for (const body of [{ amount: -1 }, { amount: '0' }, { amount: '0.000000001' }, { amount: 'lots' }, { percent: -5 }, { amount: 1, percent: 5 }, { rbf: 'yes' }]) {
        const response = await rawRequest(emu, 'POST', `sandbox/invoices/${invoice.id}/payments`, { body });
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.json.code, JSON.stringify(body)).to.equal('010102');
      }
      expect(await get(invoice.id)).to.include({ status: 'new', amountPaid: 0 });
      expect((await emu.sandbox.invoice(invoice.id)).sandbox.transactions).to.deep.equal([]);
    });

    it('double-spending an unknown, an already double-spent or a confirmed transaction', async () => {
      const unknown = await rawRequest(emu, 'POST', `sandbox/transactions/${'0'.repeat(64)}/double-spend`);
      expect(unknown.status).to.equal(404);
      const invoice = await create();
      const tx = await emu.sandbox.pay(invoice.id);
      await emu.sandbox.mine(1);
      const confirmed = await rawRequest(emu, 'POST', `sandbox/transactions/${tx.txid}/double-spend`);
      expect(confirmed.status).to.equal(409);
      expect(confirmed.json.error).to.match(/is confirmed in block \d+; only a mempool transaction can be double-spent/);
      expect((await get(invoice.id)).status).to.equal('confirmed');

      const other = await create();
      const pending = await emu.sandbox.pay(other.id);
      await emu.sandbox.doubleSpend(pending.txid);
      const twice = await rawRequest(emu, 'POST', `sandbox/transactions/${pending.txid}/double-spend`);
      expect(twice.status).to.equal(409);
      expect(twice.json.error).to.equal(`Transaction ${pending.txid} was already double-spent`);
    });

    it('moving a virtual clock backwards, or a malformed clock or block request', async () => {
      const back = await rawRequest(emu, 'POST', 'sandbox/clock', { body: { set: 0 } });
      expect(back.status).to.equal(409);
      for (const body of [{}, { advance: 'soon' }, { advance: -5 }, { advance: '1m', set: 1 }]) {
        expect((await rawRequest(emu, 'POST', 'sandbox/clock', { body })).status, JSON.stringify(body)).to.equal(400);
      }
      for (const body of [{ count: 0 }, { count: 1.5 }, { count: '6' }, { count: 100_000 }]) {
        expect((await rawRequest(emu, 'POST', 'sandbox/blocks', { body })).status, JSON.stringify(body)).to.equal(400);
      }
    });
  });

  it('GET /sandbox/blocks shows the chain and the mempool', async () => {
    const invoice = await create();
    const tx = await emu.sandbox.pay(invoice.id);
    const before = (await rawRequest(emu, 'GET', 'sandbox/blocks')).json;
    expect(before.mempool.map((t: Json) => t.txid)).to.include(tx.txid);
    const [block] = (await rawRequest(emu, 'POST', 'sandbox/blocks', { body: { count: 1 } })).json;
    expect(block.height).to.equal(before.height + 1);
    expect(block.hash).to.match(/^[0-9a-f]{64}$/);
    expect(block.previousHash).to.equal(before.blocks[0].hash);
    const after = (await rawRequest(emu, 'GET', 'sandbox/blocks')).json;
    expect(after.mempool).to.deep.equal([]);
  });
});

describe('scheduler and clock', () => {
  it('mines on BLOCK_INTERVAL by the emulator clock', async () => {
    const emu = await startTestEmulator({ blockIntervalMs: '10s' });
    try {
      const start = (await rawRequest(emu, 'GET', 'sandbox/blocks')).json.height;
      await emu.clock.advance('1m');
      expect((await rawRequest(emu, 'GET', 'sandbox/blocks')).json.height).to.equal(start + 6);
    } finally {
      await emu.close();
    }
  });

  it('refuses to move the system clock', async () => {
    const emu = await startTestEmulator({ clock: 'system' });
    try {
      const { status, json } = await rawRequest(emu, 'POST', 'sandbox/clock', { body: { advance: '1m' } });
      expect(status).to.equal(409);
      expect(json.error).to.match(/CLOCK=virtual/);
    } finally {
      await emu.close();
    }
  });

  it('resets everything but the configuration, or keeps tokens when asked', async () => {
    const emu = await startTestEmulator();
    try {
      const { key, token } = await pairClient(emu, 'merchant');
      const client = sdkClient(emu, key, { merchant: token });
      const invoice = (await client.createInvoice(new Models.Invoice(1, 'USD'))) as unknown as Json;
      const btpayKey = (await emu.sandbox.apiKey({ dialect: 'btpay' })).apiKey as string;
      const draft = () => btpay(emu.url, 'POST', 'invoices', { key: btpayKey, body: { lines: [{ description: 'Tea', quantity: '1', unit_price: '3.00' }] } });
      expect((await draft()).status).to.equal(201);
      await rawRequest(emu, 'POST', 'sandbox/reset', { body: { keepTokens: true } });
      const gone = await rawRequest(emu, 'GET', `invoices/${invoice.id}?token=${token}`, { key });
      expect(gone.status).to.equal(404);
      expect((await draft()).json.invoice_number, 'numbering starts again with the bills gone').to.equal('INV-0001');
      await rawRequest(emu, 'POST', 'sandbox/reset');
      const unpaired = await rawRequest(emu, 'GET', `invoices/${invoice.id}?token=${token}`, { key });
      expect(unpaired.json).to.deep.equal({ error: 'Invalid token' });
      expect((await rawRequest(emu, 'GET', 'sandbox/merchants')).json).to.have.length(1);
    } finally {
      await emu.close();
    }
  });
});
