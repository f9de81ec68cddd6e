import { expect } from 'chai';
import * as bitcoin from 'bitcoinjs-lib';
import { Models } from 'bitpay-sdk';
import type { Client } from 'bitpay-sdk';
import { newKey, pairClient, rawRequest, sdkClient, sdkError, sdkPosClient, sdkTransport, sign, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { expectInvoiceContract, expectSchema } from '../support/schemas.js';

type Json = Record<string, any>;

function sdkInvoice(price: number, currency: string, fields: Json = {}) {
  return Object.assign(new Models.Invoice(price, currency), fields);
}

/** getInvoices' declared type wants every filter; callers pass the ones they use, as here. */
function listParams(params: Json) {
  return params as Parameters<Client['getInvoices']>[0];
}

describe('invoices', () => {
  let emu: Emulator;
  let merchantKey: TestKey;
  let merchantToken: string;
  let merchant: Client;
  let posToken: string;
  let pos: Client;

  before(async () => {
    emu = await startTestEmulator();
    ({ key: merchantKey, token: merchantToken } = await pairClient(emu, 'merchant'));
    merchant = sdkClient(emu, merchantKey, { merchant: merchantToken });
    posToken = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
    pos = sdkPosClient(emu, posToken);
  });
  after(() => emu.close());

  describe('POST /invoices', () => {
    it('creates with a pos token, unsigned, answering the pos/invoice facade', async () => {
      const { status, json } = await rawRequest(emu, 'POST', 'invoices', {
        body: { token: posToken, price: 12, currency: 'USD', orderId: 'pos-1', itemDesc: 'Coffee' },
      });
      expect(status).to.equal(200);
      expect(json.facade).to.equal('pos/invoice');
      const invoice = json.data;
      expectInvoiceContract(invoice);
      expect(invoice).to.include({ status: 'new', price: 12, currency: 'USD', orderId: 'pos-1', itemDesc: 'Coffee' });
      for (const merchantOnly of ['buyer', 'transactions', 'refundAddresses', 'targetConfirmations', 'isCancelled', 'shopper']) {
        expect(invoice, merchantOnly).not.to.have.property(merchantOnly);
      }
    });

    it('creates through the official SDK with a merchant token, signed, with every BitPay field', async () => {
      const created = await merchant.createInvoice(
        sdkInvoice(67.8, 'USD', {
          orderId: 'order-42',
          itemDesc: 'A book',
          itemCode: 'bitcoindonation',
          posData: '{"ref":711454}',
          notificationURL: 'http://127.0.0.1:3000/ipn',
          redirectURL: 'https://shop.example/thanks',
          closeURL: 'https://shop.example/cart',
          autoRedirect: true,
          transactionSpeed: 'high',
          extendedNotifications: true,
          buyer: { name: 'Satoshi', email: 'satoshi@example.com', locality: 'Tokyo', country: 'JP', notify: true },
          itemizedDetails: [{ amount: 60, description: 'Book', isFee: false }],
        }),
      );
      expectInvoiceContract(created as unknown as Json);
      const invoice = created as unknown as Json;
      expect(invoice.url).to.equal(`${emu.url}invoice?id=${invoice.id}`);
      expect(invoice.id).to.match(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
      expect(invoice.guid).to.be.a('string');
      expect(invoice).to.include({
        status: 'new',
        exceptionStatus: false,
        amountPaid: 0,
        displayAmountPaid: '0',
        transactionSpeed: 'high',
        notificationURL: 'http://127.0.0.1:3000/ipn',
        autoRedirect: true,
        targetConfirmations: 6,
        isCancelled: false,
        merchantName: 'Sandbox Merchant',
        acceptanceWindow: 900_000,
        btcPaid: '0',
        rate: 65000,
      });
      expect(invoice.expirationTime - invoice.invoiceTime).to.equal(900_000);
      expect(invoice.buyer).to.deep.equal({ name: 'Satoshi', email: 'satoshi@example.com', locality: 'Tokyo', country: 'JP', notify: true });
      expect(invoice.buyerProvidedEmail).to.equal('satoshi@example.com');
      expect(invoice.buyerProvidedInfo).to.deep.equal({ name: 'Satoshi', emailAddress: 'satoshi@example.com' });
      // 67.8 USD at 65000 USD/BTC = 104307.69… sat, rounded up; plus the 100 sat network cost.
      expect(invoice.paymentSubtotals).to.deep.equal({ BTC: 104308 });
      expect(invoice.minerFees).to.deep.equal({ BTC: { satoshisPerByte: 1, totalFee: 100, fiatAmount: 0.07 } });
      expect(invoice.paymentTotals.BTC).to.equal(invoice.paymentSubtotals.BTC + invoice.minerFees.BTC.totalFee);
      expect(invoice.paymentDisplaySubTotals).to.deep.equal({ BTC: '0.00104308' });
      expect(invoice.paymentDisplayTotals).to.deep.equal({ BTC: '0.00104408' });
      expect(invoice.btcPrice).to.equal('0.00104308');
      expect(invoice.btcDue).to.equal('0.00104408');
      expect(invoice.exchangeRates.BTC).to.include({ USD: 65000, EUR: 59950, JPY: 9745000 });
      expect(invoice.supportedTransactionCurrencies).to.deep.equal({ BTC: { enabled: true } });
      expect(invoice.paymentCodes.BTC.BIP72b).to.equal(`bitcoin:?r=${emu.url}i/${invoice.id}`);
      expect(invoice.paymentCodes.BTC.BIP73).to.equal(`${emu.url}i/${invoice.id}`);
      expect(invoice.universalCodes).to.deep.equal({ paymentString: `${emu.url}i/${invoice.id}` });

      const bip21 = /^bitcoin:(tb1q[0-9a-z]+)\?amount=0\.00104408$/.exec(invoice.paymentCodes.BTC.BIP21);
      expect(bip21, invoice.paymentCodes.BTC.BIP21).to.not.equal(null);
      expect(() => bitcoin.address.toOutputScript(bip21![1] as string, bitcoin.networks.testnet)).not.to.throw();
    });

    it('keeps a stable resource token and the locked rate', async () => {
      const created = (await merchant.createInvoice(sdkInvoice(10, 'EUR'))) as unknown as Json;
      await rawRequest(emu, 'PUT', 'sandbox/rates', { body: { BTC: { EUR: 30000 } } });
      try {
        const again = (await merchant.getInvoice(created.id)) as unknown as Json;
        expect(again.token).to.equal(created.token);
        expect(again.rate).to.equal(59950);
        expect(again.paymentSubtotals).to.deep.equal(created.paymentSubtotals);
        const fresh = (await merchant.createInvoice(sdkInvoice(10, 'EUR'))) as unknown as Json;
        expect(fresh.rate).to.equal(30000);
        expect(fresh.paymentSubtotals.BTC).to.equal(33334);
      } finally {
        await rawRequest(emu, 'PUT', 'sandbox/rates', { body: { BTC: { EUR: '59950.00' } } });
      }
    });

    it('accepts the buyer in BitPay’s legacy field names', async () => {
      const { json } = await rawRequest(emu, 'POST', 'invoices', {
        key: merchantKey,
        body: {
          token: merchantToken,
          price: 5,
          currency: 'USD',
          buyerName: 'Hal',
          buyerAddress1: '1 Main St',
          buyerCity: 'Springfield',
          buyerState: 'IL',
          buyerZip: '62701',
          buyerCountry: 'US',
          buyerEmail: 'hal@example.com',
          buyerPhone: '555-0100',
          buyerNotify: false,
          buyer: { address2: 'Apt 4', state: 'IL' },
        },
      });
      expect(json.data.buyer).to.deep.equal({
        name: 'Hal',
        address1: '1 Main St',
        address2: 'Apt 4',
        locality: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'US',
        email: 'hal@example.com',
        phone: '555-0100',
        notify: false,
      });
    });

    it('accepts the body exactly as the Python SDK serialises it (spaces) and PHP (escaped slashes)', async () => {
      const url = `${emu.url}invoices`;
      const python = `{"price": 3, "currency": "USD", "token": "${merchantToken}", "redirectURL": "https://a.example/x"}`;
      const php = `{"price":3,"currency":"USD","token":"${merchantToken}","redirectURL":"https:\\/\\/a.example\\/x"}`;
      for (const body of [python, php]) {
        const { status, json } = await rawRequest(emu, 'POST', 'invoices', { key: merchantKey, body, signedUrl: url });
        expect(status, body).to.equal(200);
        expect(json.data.redirectURL).to.equal('https://a.example/x');
      }
    });
  });

  describe('authentication on invoice endpoints', () => {
    it('refuses a merchant token without a signature', async () => {
      const { status, json } = await rawRequest(emu, 'POST', 'invoices', { body: { token: merchantToken, price: 1, currency: 'USD' } });
      expect(status).to.equal(401);
      expect(json).to.deep.equal({ error: 'Missing x-identity header: a merchant token requires a signed request' });
    });

    it('refuses a tampered body', async () => {
      const body = JSON.stringify({ token: merchantToken, price: 1, currency: 'USD' });
      const signature = sign(`${emu.url}invoices${body}`, merchantKey);
      const { status, json } = await rawRequest(emu, 'POST', 'invoices', {
        body: body.replace('"price":1', '"price":1000'),
        headers: { 'x-identity': merchantKey.identity, 'x-signature': signature },
      });
      expect(status).to.equal(401);
      expect(json.error).to.equal('Invalid signature');
    });

    it("refuses a valid signature by a key that is not the token's", async () => {
      const other = newKey();
      const { status, json } = await rawRequest(emu, 'POST', 'invoices', { key: other, body: { token: merchantToken, price: 1, currency: 'USD' } });
      expect(status).to.equal(403);
      expect(json.error).to.equal('Unauthorized sin');
      expect(json.hint).to.include(merchantKey.sin).and.include(other.sin);
    });

    it('ignores stale signature headers on an unsigned pos request, as the Node SDK sends them', async () => {
      const { status } = await rawRequest(emu, 'POST', 'invoices', {
        body: { token: posToken, price: 1, currency: 'USD' },
        headers: { 'x-identity': merchantKey.identity, 'x-signature': '3006020101020101' },
      });
      expect(status).to.equal(200);
    });

    it('requires a signature for a pos token made with "require authentication"', async () => {
      const code = await emu.sandbox.createPairingCode({ facade: 'pos', requireAuth: true });
      const key = newKey();
      await sdkTransport(emu, null).post('tokens', { id: key.sin, pairingCode: code.pairingCode }, false);
      const unsigned = await rawRequest(emu, 'POST', 'invoices', { body: { token: code.token, price: 1, currency: 'USD' } });
      expect(unsigned.status).to.equal(401);
      const signed = await rawRequest(emu, 'POST', 'invoices', { key, body: { token: code.token, price: 1, currency: 'USD' } });
      expect(signed.status).to.equal(200);
      expect(signed.json.facade).to.equal('pos/invoice');
    });

    it('refuses a pos token on merchant endpoints, a missing, unknown, revoked or unapproved token', async () => {
      const posList = await rawRequest(emu, 'GET', `invoices?token=${posToken}&dateStart=2020-01-01&dateEnd=2030-01-01`);
      expect(posList.status).to.equal(403);
      expect(posList.json).to.deep.equal({ error: 'This endpoint does not support the `pos` facade' });

      const missing = await rawRequest(emu, 'POST', 'invoices', { body: { price: 1, currency: 'USD' } });
      expect(missing.status).to.equal(401);
      expect(missing.json.error).to.match(/^Missing token/);

      const unknown = await rawRequest(emu, 'POST', 'invoices', { body: { token: 'nope', price: 1, currency: 'USD' } });
      expect(unknown.json).to.deep.equal({ error: 'Invalid token' });

      const revoked = await emu.sandbox.createPairingCode({ facade: 'pos' });
      await rawRequest(emu, 'DELETE', `sandbox/tokens/${revoked.token}`);
      const afterRevoke = await rawRequest(emu, 'POST', 'invoices', { body: { token: revoked.token, price: 1, currency: 'USD' } });
      expect(afterRevoke.json).to.deep.equal({ error: 'Invalid token' });

      const key = newKey();
      const [pending] = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, facade: 'merchant' }, false));
      const unapproved = await rawRequest(emu, 'POST', 'invoices', { key, body: { token: pending.token, price: 1, currency: 'USD' } });
      expect(unapproved.status).to.equal(401);
      expect(unapproved.json.error).to.equal(`Token is not approved yet: approve pairing code ${pending.pairingCode} in the dashboard`);
    });

    it("never shows one merchant's invoice to another merchant's token", async () => {
      const other = await emu.sandbox.createMerchant('Other Shop');
      const otherPos = await emu.sandbox.createPairingCode({ facade: 'pos', merchantId: other.id });
      const mine = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const { status, json } = await rawRequest(emu, 'GET', `invoices/${mine.id}?token=${otherPos.token}`);
      expect(status).to.equal(404);
      expect(json).to.deep.equal({ status: 'error', code: '020101', data: null, error: `Invoice ${mine.id} not found` });
    });
  });

  describe('reading', () => {
    it('gets by id and by guid with pos and merchant clients', async () => {
      const created = (await pos.createInvoice(sdkInvoice(2.5, 'GBP', { guid: `guid-${Date.now()}` }))) as unknown as Json;
      const byPos = (await pos.getInvoice(created.id)) as unknown as Json;
      const byMerchant = (await merchant.getInvoice(created.id)) as unknown as Json;
      expectInvoiceContract(byPos);
      expectInvoiceContract(byMerchant);
      expect(byPos.id).to.equal(created.id);
      expect(byMerchant).to.have.property('buyer');
      expect((await pos.getInvoiceByGuid(created.guid)).id).to.equal(created.id);
      expect((await merchant.getInvoiceByGuid(created.guid)).id).to.equal(created.id);
    });

    it('answers 020101 for an unknown id and guid', async () => {
      const error = await sdkError(merchant.getInvoice('NoSuchInvoice000000000'));
      expect(error.code).to.equal('020101');
      expect(error.message).to.include('Invoice NoSuchInvoice000000000 not found');
      const byGuid = await sdkError(merchant.getInvoiceByGuid('no-such-guid'));
      expect(byGuid.code).to.equal('020101');
    });

    it('lists with dateStart, dateEnd, status, orderId, limit and offset', async () => {
      const shop = await emu.sandbox.createMerchant('List Shop');
      const code = await emu.sandbox.createPairingCode({ facade: 'merchant', merchantId: shop.id });
      const key = newKey();
      await sdkTransport(emu, null).post('tokens', { id: key.sin, pairingCode: code.pairingCode }, false);
      const client = sdkClient(emu, key, { merchant: code.token });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(((await client.createInvoice(sdkInvoice(1 + i, 'USD', { orderId: i % 2 ? 'odd' : 'even' }))) as unknown as Json).id);
        await emu.clock.advance(1000);
      }
      await client.cancelInvoice(ids[0] as string);

      const today = new Date(emu.clock.now()).toISOString().slice(0, 10);
      const all = (await client.getInvoices(listParams({ dateStart: today, dateEnd: today }))) as unknown as Json[];
      expect(all.map((i) => i.id)).to.deep.equal([...ids].reverse());
      all.forEach((invoice) => expectInvoiceContract(invoice));

      const odd = (await client.getInvoices(listParams({ dateStart: today, dateEnd: today, orderId: 'odd' }))) as unknown as Json[];
      expect(odd.map((i) => i.id)).to.deep.equal([ids[3], ids[1]]);
      const expired = (await client.getInvoices(listParams({ dateStart: today, dateEnd: today, status: 'expired' }))) as unknown as Json[];
      expect(expired.map((i) => i.id)).to.deep.equal([ids[0]]);
      const page = (await client.getInvoices(listParams({ dateStart: today, dateEnd: today, limit: 2, offset: 1 }))) as unknown as Json[];
      expect(page.map((i) => i.id)).to.deep.equal([ids[3], ids[2]]);
      const yesterday = new Date(emu.clock.now() - 86_400_000).toISOString().slice(0, 10);
      expect(await client.getInvoices(listParams({ dateStart: yesterday, dateEnd: yesterday }))).to.deep.equal([]);
    });

    it('refuses a list without dates or with bad filters', async () => {
      const cases: [Json, string, RegExp][] = [
        [{}, '020103', /Missing required parameter: dateStart/],
        [{ dateStart: '2026-01-01' }, '020103', /Missing required parameter: dateEnd/],
        [{ dateStart: 'yesterday', dateEnd: '2026-01-01' }, '020102', /dateStart: must be a date/],
        [{ dateStart: '2026-02-01', dateEnd: '2026-01-01' }, '020102', /dateEnd must not be before dateStart/],
        [{ dateStart: '2026-01-01', dateEnd: '2026-01-02', status: 'done' }, '020102', /status: must be one of new, paid/],
        [{ dateStart: '2026-01-01', dateEnd: '2026-01-02', limit: '-1' }, '020102', /limit: must be a non-negative integer/],
        [{ dateStart: '2026-01-01', dateEnd: '2026-01-02', limit: '0' }, '020102', /limit: must be from 1 to 1000/],
      ];
      for (const [params, code, message] of cases) {
        const error = await sdkError(merchant.getInvoices(listParams(params)));
        expect(error.code, JSON.stringify(params)).to.equal(code);
        expect(error.message, JSON.stringify(params)).to.match(message);
      }
    });

    it('returns the event token', async () => {
      const created = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const eventToken = (await merchant.getInvoiceEventToken(created.id)) as unknown as Json;
      expectSchema('resources/invoice-event-token', eventToken);
      expect(eventToken).to.deep.include({ url: `${emu.url}events`, events: ['payment', 'confirmation'], actions: ['subscribe', 'unsubscribe'] });
    });
  });

  it('takes autoRedirect without redirectURL, as BitPay does (its Node suite makes every invoice so)', async () => {
    const created = (await merchant.createInvoice(Object.assign(sdkInvoice(1, 'USD'), { autoRedirect: true }))) as unknown as Json;
    expectInvoiceContract(created);
    expect(created.autoRedirect).to.equal(true);
    expect(created).to.not.have.property('redirectURL');
  });

  describe('updating the buyer contact (PUT /invoices/:id)', () => {
    it('sets the e-mail once', async () => {
      const created = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const updated = (await merchant.updateInvoice(created.id, { buyerEmail: 'buyer@example.com' })) as unknown as Json;
      expectInvoiceContract(updated);
      expect(updated.buyerProvidedEmail).to.equal('buyer@example.com');
      expect(updated.buyerProvidedInfo.emailAddress).to.equal('buyer@example.com');
      expect(updated.buyer.email).to.equal('buyer@example.com');
      const again = await sdkError(merchant.updateInvoice(created.id, { buyerEmail: 'other@example.com' }));
      expect(again.code).to.equal('030115');
      expect(again.message).to.include('Email already set on invoice');
    });

    it('replaces an e-mail the merchant set at creation (buyer.email): only one the buyer gave is final', async () => {
      const invoice = sdkInvoice(1, 'USD');
      invoice.buyer = { email: 'merchant-set@example.com' } as never;
      const created = (await merchant.createInvoice(invoice)) as unknown as Json;
      expect(created.buyer.email).to.equal('merchant-set@example.com');
      const updated = (await merchant.updateInvoice(created.id, { buyerEmail: 'buyer@example.com' })) as unknown as Json;
      expectInvoiceContract(updated);
      expect(updated.buyer.email).to.equal('buyer@example.com');
      expect(updated.buyerProvidedEmail).to.equal('buyer@example.com');
      const again = await sdkError(merchant.updateInvoice(created.id, { buyerEmail: 'other@example.com' }));
      expect(again.code).to.equal('030115');
    });

    it('takes PHP’s body, where the unused buyerSms and smsCode are empty strings', async () => {
      const created = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const updated = (await merchant.updateInvoice(created.id, { buyerEmail: 'php@example.com', buyerSms: '', smsCode: '', autoVerify: false } as never)) as unknown as Json;
      expect(updated.buyer.email).to.equal('php@example.com');
      const sms = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const bySms = (await merchant.updateInvoice(sms.id, { buyerEmail: '', buyerSms: '+12223334444', smsCode: '', autoVerify: true } as never)) as unknown as Json;
      expect(bySms.buyerProvidedInfo).to.include({ sms: '+12223334444', smsVerified: true });
    });

    it('verifies an SMS number with autoVerify, or with the code shown in the sandbox', async () => {
      const created = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const auto = (await merchant.updateInvoice(created.id, { buyerSms: '+12223334444', autoVerify: true })) as unknown as Json;
      expect(auto.buyerProvidedInfo).to.include({ sms: '+12223334444', smsVerified: true });

      const other = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const pending = (await merchant.updateInvoice(other.id, { buyerSms: '+12223334444' })) as unknown as Json;
      expect(pending.buyerProvidedInfo).to.deep.equal({ sms: '+12223334444', smsVerified: false });
      const { smsCode } = (await rawRequest(emu, 'GET', `sandbox/invoices/${other.id}`)).json.sandbox;
      expect(smsCode).to.match(/^[0-9]{6}$/);
      const wrong = await sdkError(merchant.updateInvoice(other.id, { smsCode: smsCode === '999999' ? '999998' : '999999' }));
      expect(wrong.code).to.equal('030113');
      expect(wrong.message).to.include('Error verifying SMS');
      const verified = (await merchant.updateInvoice(other.id, { smsCode })) as unknown as Json;
      expect(verified.buyerProvidedInfo).to.deep.equal({ sms: '+12223334444', smsVerified: true });
    });

    it('refuses both fields, neither, an invalid SMS number and an invalid e-mail', async () => {
      const created = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const cases: [Json, string][] = [
        [{ buyerEmail: 'a@example.com', buyerSms: '+12223334444' }, '030102'],
        [{}, '030103'],
        [{ buyerSms: '12-34' }, '030112'],
        [{ buyerEmail: 'not-an-email' }, '030102'],
      ];
      for (const [params, code] of cases) expect((await sdkError(merchant.updateInvoice(created.id, params))).code, JSON.stringify(params)).to.equal(code);
    });
  });

  describe('cancelling', () => {
    it('cancels an unpaid invoice by id and by guid (→ expired, isCancelled)', async () => {
      const first = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
      const cancelled = (await merchant.cancelInvoice(first.id)) as unknown as Json;
      expectInvoiceContract(cancelled);
      expect(cancelled).to.include({ status: 'expired', isCancelled: true });

      const second = (await merchant.createInvoice(sdkInvoice(1, 'USD', { guid: `cancel-${Date.now()}` }))) as unknown as Json;
      const byGuid = (await merchant.cancelInvoiceByGuid(second.guid, false)) as unknown as Json;
      expect(byGuid).to.include({ id: second.id, status: 'expired', isCancelled: true });
    });

    it('takes forceCancel as true, True or 1, and refuses a second cancel with 040107', async () => {
      for (const flag of ['true', 'True', '1']) {
        const created = (await merchant.createInvoice(sdkInvoice(1, 'USD'))) as unknown as Json;
        const { status, json } = await rawRequest(emu, 'DELETE', `invoices/${created.id}?token=${merchantToken}&forceCancel=${flag}`, { key: merchantKey });
        expect(status, flag).to.equal(200);
        expect(json.data.isCancelled).to.equal(true);
        const again = await rawRequest(emu, 'DELETE', `invoices/${created.id}?token=${merchantToken}&forceCancel=${flag}`, { key: merchantKey });
        expect(again.status).to.equal(409);
        expect(again.json).to.deep.equal({
          status: 'error',
          code: '040107',
          data: null,
          error: 'Invalid invoice state for cancel: the invoice is already cancelled',
        });
      }
      const bad = await rawRequest(emu, 'DELETE', `invoices/x?token=${merchantToken}&forceCancel=maybe`, { key: merchantKey });
      expect(bad.json.code).to.equal('040102');
    });
  });

  describe('refused create requests store nothing', () => {
    // A merchant of its own, so that its invoice count is exactly what these requests leave behind.
    let shopPos: string;
    let shopClient: Client;
    before(async () => {
      const shop = await emu.sandbox.createMerchant('Refusals Shop');
      shopPos = (await emu.sandbox.createPairingCode({ facade: 'pos', merchantId: shop.id })).token;
      const code = await emu.sandbox.createPairingCode({ facade: 'merchant', merchantId: shop.id });
      const key = newKey();
      await sdkTransport(emu, null).post('tokens', { id: key.sin, pairingCode: code.pairingCode }, false);
      shopClient = sdkClient(emu, key, { merchant: code.token });
    });

    const long = (n: number) => 'x'.repeat(n);
    const cases: [string, Json, string, RegExp][] = [
      ['no price', { currency: 'USD' }, '010103', /Missing required parameter: price/],
      ['no currency', { price: 1 }, '010103', /Missing required parameter: currency/],
      ['a zero price', { price: 0, currency: 'USD' }, '010102', /price: must be greater than 0/],
      ['a negative price', { price: -5, currency: 'USD' }, '010102', /price: must be greater than 0/],
      ['a non-numeric price', { price: 'ten', currency: 'USD' }, '010102', /price: must be a number/],
      ['a numeric-string price', { price: '10', currency: 'USD' }, '010102', /price: must be a number/],
      ['an unknown currency', { price: 1, currency: 'XYZ' }, '010102', /Invalid currency: XYZ/],
      ['a lower-case currency', { price: 1, currency: 'usd' }, '010102', /currency: must be an upper-case currency code/],
      ['a price below the minimum', { price: 0.001, currency: 'USD' }, '010110', /below the minimum threshold of 0.01 USD/],
      ['a price over 21 million BTC', { price: 1e15, currency: 'USD' }, '010111', /above the maximum threshold/],
      ['a javascript: notificationURL', { price: 1, currency: 'USD', notificationURL: 'javascript:alert(1)' }, '010102', /notificationURL: must be an absolute http/],
      ['a relative redirectURL', { price: 1, currency: 'USD', redirectURL: '/thanks' }, '010102', /redirectURL: must be an absolute http/],
      ['an over-long orderId', { price: 1, currency: 'USD', orderId: long(101) }, '010102', /orderId: must be at most 100 characters/],
      ['an over-long posData', { price: 1, currency: 'USD', posData: long(10_001) }, '010102', /posData: must be at most 10000/],
      ['a numeric orderId', { price: 1, currency: 'USD', orderId: 42 }, '010102', /orderId: must be a string/],
      ['an unknown transactionSpeed', { price: 1, currency: 'USD', transactionSpeed: 'ludicrous' }, '010102', /transactionSpeed: must be one of high, medium, low/],
      ['a string fullNotifications', { price: 1, currency: 'USD', fullNotifications: 'yes' }, '010102', /fullNotifications: must be a boolean/],
      ['a bad buyer e-mail', { price: 1, currency: 'USD', buyer: { email: 'nope' } }, '010102', /buyer.email: must be an e-mail address/],
      ['a buyer that is not an object', { price: 1, currency: 'USD', buyer: 'Satoshi' }, '010102', /buyer: must be an object/],
      ['a fractional acceptanceWindow', { price: 1, currency: 'USD', acceptanceWindow: 1.5 }, '010102', /acceptanceWindow: must be an integer/],
      ['paymentCurrencies without BTC', { price: 1, currency: 'USD', paymentCurrencies: ['ETH'] }, '010102', /must include BTC/],
      ['a NUL byte', { price: 1, currency: 'USD', itemDesc: 'a\u0000b' }, '010102', /itemDesc: contains a NUL character or invalid Unicode/],
    ];
    for (const [name, body, code, message] of cases) {
      it(`refuses ${name} with ${code}`, async () => {
        const before = await countInvoices();
        const { status, json } = await rawRequest(emu, 'POST', 'invoices', { body: { token: shopPos, ...body } });
        expect(status).to.be.within(400, 499);
        expect(json.status).to.equal('error');
        expect(json.code).to.equal(code);
        expect(json.data).to.equal(null);
        expect(json.error).to.match(message);
        expect(await countInvoices()).to.equal(before);
      });
    }

    it('counts what it stores (the check above can fail)', async () => {
      const before = await countInvoices();
      await rawRequest(emu, 'POST', 'invoices', { body: { token: shopPos, price: 1, currency: 'USD' } });
      expect(await countInvoices()).to.equal(before + 1);
    });

    async function countInvoices(): Promise<number> {
      const today = new Date(emu.clock.now()).toISOString().slice(0, 10);
      const list = await shopClient.getInvoices(listParams({ dateStart: '2000-01-01', dateEnd: today, limit: 1000 }));
      return (list as unknown[]).length;
    }
  });

  describe('public resources', () => {
    it('GET /rates, /rates/:base and /rates/:base/:quote through the SDK', async () => {
      const rates = (await pos.getRates(null as unknown as string)).getRates() as Json[];
      rates.forEach((rate) => expectSchema('resources/rate', rate));
      expect(rates.find((r) => r.code === 'USD')).to.deep.equal({ code: 'USD', name: 'US Dollar', rate: 65000 });
      expect(rates.find((r) => r.code === 'BTC')).to.deep.equal({ code: 'BTC', name: 'Bitcoin', rate: 1 });
      const bch = (await pos.getRates('BCH')).getRates() as Json[];
      expect(bch.find((r) => r.code === 'USD')?.rate).to.equal(360.11);
      expect(await pos.getRate('BTC', 'EUR')).to.deep.equal({ code: 'EUR', name: 'Eurozone Euro', rate: 59950 });
      // A currency worth little against every other: its rates keep six significant digits, none is 0.
      const idr = (await pos.getRates('IDR')).getRates() as Json[];
      idr.forEach((rate) => expectSchema('resources/rate', rate));
      expect(idr.find((r) => r.code === 'BTC')?.rate).to.be.greaterThan(0).and.below(0.000001);
      const unknown = await rawRequest(emu, 'GET', 'rates/BTC/XYZ');
      expect(unknown.status).to.equal(404);
      expect(unknown.json).to.deep.include({ code: '020001', error: 'Unknown currency: XYZ' });
    });

    it('PUT /sandbox/rates changes the rates GET /rates reports, and refuses nonsense', async () => {
      const ok = await rawRequest(emu, 'PUT', 'sandbox/rates', { body: { BTC: { CAD: 90000.5 } } });
      expect(ok.status).to.equal(200);
      expect(await pos.getRate('BTC', 'CAD')).to.deep.include({ rate: 90000.5 });
      for (const body of [{ BTC: { CAD: -1 } }, { BTC: { XYZ: 1 } }, { ETH: { USD: 1 } }, { BTC: { CAD: 'lots' } }, { BTC: [] }]) {
        const refused = await rawRequest(emu, 'PUT', 'sandbox/rates', { body });
        expect(refused.status, JSON.stringify(body)).to.equal(400);
        expect(refused.json.code).to.equal('030002');
      }
      await rawRequest(emu, 'PUT', 'sandbox/rates', { body: { BTC: { CAD: '89250.00' } } });
    });

    it('GET /currencies through getCurrencyInfo', async () => {
      const usd = (await pos.getCurrencyInfo('USD')) as Json;
      expectSchema('resources/currency', usd);
      expect(usd).to.include({ code: 'USD', name: 'US Dollar', precision: 2, decimals: 2 });
      const { json } = await rawRequest(emu, 'GET', 'currencies');
      json.data.forEach((currency: Json) => expectSchema('resources/currency', currency));
      for (const code of ['USD', 'EUR', 'GBP', 'CAD', 'JPY', 'AUD', 'CHF', 'BTC']) {
        expect(json.data.map((c: Json) => c.code)).to.include(code);
      }
    });

    it('GET /supportedWallets in any letter case, with or without a trailing slash', async () => {
      const wallets = (await pos.getSupportedWallets()) as unknown as Json[];
      expect(wallets.length).to.be.greaterThan(0);
      wallets.forEach((wallet) => expectSchema('resources/wallet', wallet));
      for (const path of ['supportedWallets', 'supportedWallets/', 'supportedwallets', 'SUPPORTEDWALLETS/']) {
        const { status, json } = await rawRequest(emu, 'GET', path);
        expect(status, path).to.equal(200);
        expect(json.data).to.deep.equal(wallets);
      }
    });
  });
});
