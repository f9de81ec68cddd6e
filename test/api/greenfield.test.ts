import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { Models } from 'bitpay-sdk';
import { pairClient, sdkClient } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { expectSeed000, greenfield, seedOperations } from '../support/greenfield.js';

type Json = Record<string, any>;

const SEEDS_PRESENT = existsSync(new URL('../../../shared/seeds/', import.meta.url));

/** Every Greenfield call this file makes, so that the last test can tell which seed operations none exercised. */
const exercised: { method: string; path: string; status: number }[] = [];
const api: typeof greenfield = async (base, method, path, options) => {
  const response = await greenfield(base, method, path, options);
  exercised.push({ method, path: `/api/v1/${path.split('?')[0]}`, status: response.status });
  return response;
};

describe('Greenfield dialect (BTCPay Server, seed 000)', () => {
  let emu: Emulator;
  let key: string;
  let storeId: string;
  const gf = (method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    api(emu.url, method, path, { key, ...options });
  const create = async (body: Json, as = key) => {
    const response = await gf('POST', `stores/${storeId}/invoices`, { body, key: as });
    expect(response.status, JSON.stringify(response.json)).to.equal(200);
    return response.json as Json;
  };
  const read = async (id: string) => (await gf('GET', `stores/${storeId}/invoices/${id}`)).json as Json;
  const methods = async (id: string) => (await gf('GET', `stores/${storeId}/invoices/${id}/payment-methods`)).json as Json[];

  before(async () => {
    emu = await startTestEmulator();
    const made = (await emu.sandbox.apiKey({ dialect: 'greenfield' })) as Json;
    key = made.apiKey;
    storeId = made.storeId;
  });
  after(() => emu.close());

  describe('invoices', () => {
    it('creates an invoice with BTCPay’s fields, as the seed describes them, from the store’s defaults', async () => {
      const invoice = await create({ amount: '12.50', currency: 'EUR', metadata: { orderId: 'gf-1', buyerEmail: 'buyer@example.com', itemDesc: 'Socks', custom: { size: 42 } } });
      expect(invoice).to.include({ storeId, amount: '12.5', currency: 'EUR', status: 'New', additionalStatus: 'None', archived: false, type: 'Standard' });
      expect(invoice.checkoutLink).to.equal(`${emu.url}i/${invoice.id}`);
      expect(invoice.metadata).to.deep.equal({ orderId: 'gf-1', buyerEmail: 'buyer@example.com', itemDesc: 'Socks', custom: { size: 42 } });
      expect(invoice.expirationTime - invoice.createdTime).to.equal(15 * 60);
      expect(invoice.createdTime).to.equal(Math.floor(emu.clock.now() / 1000));
      expect(invoice.checkout).to.include({ speedPolicy: 'MediumSpeed', expirationMinutes: 15, monitoringMinutes: 1440, paymentTolerance: 0 });
      expect(invoice.availableStatusesForManualMarking).to.deep.equal(['Settled', 'Invalid']);
      if (SEEDS_PRESENT) expectSeed000('InvoiceData', invoice);
    });

    it('writes a tiny amount as plain decimal text, never in exponent notation', async () => {
      expect((await create({ amount: '0.00000001', currency: 'BTC' })).amount).to.equal('0.00000001');
    });

    it('is the same invoice through BitPay’s API, and a BitPay invoice is visible through Greenfield', async () => {
      const invoice = await create({ amount: 20, currency: 'USD', metadata: { orderId: 'cross-1', buyerName: 'Ada', buyerEmail: 'ada@example.com' } });
      const { key: bitpayKey, token } = await pairClient(emu);
      const merchant = sdkClient(emu, bitpayKey, { merchant: token });
      const viaBitPay = (await merchant.getInvoice(invoice.id)) as unknown as Json;
      expect(viaBitPay).to.include({ id: invoice.id, price: 20, currency: 'USD', orderId: 'cross-1', status: 'new' });
      expect(viaBitPay.buyer).to.include({ name: 'Ada', email: 'ada@example.com' });

      const made = (await merchant.createInvoice(Object.assign(new Models.Invoice(7, 'USD'), { orderId: 'from-bitpay', itemDesc: 'Hat', buyer: { email: 'b@example.com' } }))) as unknown as Json;
      const viaGreenfield = await read(made.id);
      expect(viaGreenfield).to.include({ id: made.id, amount: '7', status: 'New' });
      expect(viaGreenfield.metadata).to.include({ orderId: 'from-bitpay', itemDesc: 'Hat', buyerEmail: 'b@example.com' });
    });

    it('walks New → Processing → Settled at each speed policy’s confirmations, with payments in the payment methods', async () => {
      for (const [speedPolicy, settleAt] of [['HighSpeed', 0], ['MediumSpeed', 1], ['LowMediumSpeed', 2], ['LowSpeed', 6]] as const) {
        const invoice = await create({ amount: '5', currency: 'USD', checkout: { speedPolicy } });
        expect(invoice.checkout.speedPolicy).to.equal(speedPolicy);
        const paid = await emu.sandbox.pay(invoice.id);
        const statuses = [(await read(invoice.id)).status];
        for (let block = 1; block <= 6; block++) {
          await emu.sandbox.mine(1);
          statuses.push((await read(invoice.id)).status);
        }
        const expected = statuses.map((_, confirmations) => (confirmations >= settleAt ? 'Settled' : 'Processing'));
        expect(statuses, speedPolicy).to.deep.equal(expected);
        const [method] = await methods(invoice.id);
        expect(method!.payments).to.have.length(1);
        expect(method!.payments[0]).to.include({ id: `${paid.txid}-0`, status: 'Settled', destination: method!.destination, value: method!.amount });
        expect(method).to.include({ due: '0', paymentMethod: 'BTC', paymentMethodId: 'BTC-CHAIN' });
      }
    });

    it('presents the payment method with its destination, BIP21 link, rate, amounts and network fee as decimal strings', async () => {
      const invoice = await create({ amount: '65', currency: 'USD' });
      const [before] = await methods(invoice.id);
      expect(before).to.include({ rate: '65000', paymentMethodPaid: '0', totalPaid: '0', networkFee: before!.paymentMethodFee, activated: true });
      expect(before!.paymentLink).to.equal(`bitcoin:${before!.destination}?amount=${before!.due}`);
      expect(before!.destination).to.match(/^tb1q/);
      expect(Number(before!.amount)).to.be.greaterThan(0.001);
      await emu.sandbox.pay(invoice.id, { percent: 50 });
      const [half] = await methods(invoice.id);
      expect(half!.payments[0].status).to.equal('Processing');
      expect(Number(half!.due)).to.be.greaterThan(0);
      expect((await read(invoice.id)).additionalStatus).to.equal('PaidPartial');
      if (SEEDS_PRESENT) expectSeed000('InvoicePaymentMethodDataModel', half);
    });

    it('marks partial, over and late payments in additionalStatus', async () => {
      const partial = await create({ amount: '3', currency: 'USD' });
      await emu.sandbox.pay(partial.id, { percent: 40 });
      await emu.clock.advance('16m');
      expect(await read(partial.id)).to.include({ status: 'Expired', additionalStatus: 'PaidPartial' });

      const over = await create({ amount: '3', currency: 'USD' });
      await emu.sandbox.pay(over.id, { percent: 150 });
      expect(await read(over.id)).to.include({ status: 'Processing', additionalStatus: 'PaidOver' });

      const late = await create({ amount: '3', currency: 'USD' });
      await emu.sandbox.expire(late.id);
      await emu.sandbox.pay(late.id);
      expect(await read(late.id)).to.include({ status: 'Expired', additionalStatus: 'PaidLate' });
    });

    it('counts a payment within paymentTolerance as paid in full, and not one below it', async () => {
      const tolerant = await create({ amount: '100', currency: 'USD', checkout: { paymentTolerance: 2 } });
      expect(tolerant.checkout.paymentTolerance).to.equal(2);
      await emu.sandbox.pay(tolerant.id, { percent: 99 });
      expect(await read(tolerant.id)).to.include({ status: 'Processing', additionalStatus: 'None' });

      const strict = await create({ amount: '100', currency: 'USD', checkout: { paymentTolerance: 0.5 } });
      await emu.sandbox.pay(strict.id, { percent: 99 });
      expect(await read(strict.id)).to.include({ status: 'New', additionalStatus: 'PaidPartial' });
    });

    it('takes expirationMinutes, monitoringMinutes, redirectURL (with {OrderId}) and redirectAutomatically', async () => {
      const invoice = await create({
        amount: '1',
        currency: 'USD',
        metadata: { orderId: 'r 1' },
        checkout: { expirationMinutes: 30, monitoringMinutes: 60, redirectURL: 'https://shop.example/thanks/{OrderId}/{InvoiceId}', redirectAutomatically: true },
      });
      expect(invoice.expirationTime - invoice.createdTime).to.equal(30 * 60);
      expect(invoice.monitoringTime - invoice.expirationTime).to.equal(60 * 60);
      expect(invoice.checkout).to.include({ expirationMinutes: 30, monitoringMinutes: 60, redirectAutomatically: true, redirectURL: `https://shop.example/thanks/r%201/${invoice.id}` });
    });

    it('replaces the metadata with PUT, and BitPay’s view follows', async () => {
      const invoice = await create({ amount: '2', currency: 'USD', metadata: { orderId: 'before', itemDesc: 'Old' }, checkout: { monitoringMinutes: 60, defaultLanguage: 'fr-FR' } });
      const updated = await gf('PUT', `stores/${storeId}/invoices/${invoice.id}`, { body: { metadata: { orderId: 'after', buyerCity: 'Lyon' } } });
      expect(updated.status).to.equal(200);
      expect(updated.json.metadata).to.deep.equal({ orderId: 'after', buyerCity: 'Lyon' });
      expect(updated.json.checkout).to.deep.equal(invoice.checkout);
      const stored = (await emu.sandbox.invoice(invoice.id)).invoice as Json;
      expect(stored).to.include({ orderId: 'after' });
      expect(stored).not.to.have.property('itemDesc');
      expect(stored.buyer).to.deep.equal({ locality: 'Lyon' });
    });

    it('marks an invoice Complete (Settled, Marked) or Invalid, and refuses what the status table forbids', async () => {
      const invoice = await create({ amount: '2', currency: 'USD' });
      const settled = await gf('POST', `stores/${storeId}/invoices/${invoice.id}/status`, { body: { status: 'Complete' } });
      expect(settled.json).to.include({ status: 'Settled', additionalStatus: 'Marked' });
      expect(settled.json.availableStatusesForManualMarking).to.deep.equal(['Invalid']);
      const again = await gf('POST', `stores/${storeId}/invoices/${invoice.id}/status`, { body: { status: 'Settled' } });
      expect(again.status).to.equal(422);
      expect(again.json[0].path).to.equal('status');
      const invalid = await gf('POST', `stores/${storeId}/invoices/${invoice.id}/status`, { body: { status: 'Invalid' } });
      expect(invalid.json).to.include({ status: 'Invalid', additionalStatus: 'Marked' });
      // A marked-invalid invoice stays invalid whatever the chain does.
      const bitpayView = (await emu.sandbox.invoice(invoice.id)).invoice as Json;
      expect(bitpayView).to.include({ status: 'invalid', exceptionStatus: 'marked' });
    });

    it('archives with DELETE, hides archived invoices from the list unless includeArchived, and unarchives', async () => {
      const invoice = await create({ amount: '2', currency: 'USD', metadata: { orderId: 'archive-me' } });
      const archived = await gf('DELETE', `stores/${storeId}/invoices/${invoice.id}`);
      expect(archived.status).to.equal(200);
      expect((await read(invoice.id)).archived).to.equal(true);
      expect((await gf('GET', `stores/${storeId}/invoices?orderId=archive-me`)).json).to.deep.equal([]);
      expect((await gf('GET', `stores/${storeId}/invoices?orderId=archive-me&includeArchived=true`)).json.map((i: Json) => i.id)).to.deep.equal([invoice.id]);
      const back = await gf('POST', `stores/${storeId}/invoices/${invoice.id}/unarchive`);
      expect(back.json.archived).to.equal(false);
      expect((await gf('GET', `stores/${storeId}/invoices?orderId=archive-me`)).json.map((i: Json) => i.id)).to.deep.equal([invoice.id]);
      // The seed's second path for the same operation.
      expect((await gf('DELETE', `stores/${storeId}/invoices/${invoice.id}/payment-methods`)).status).to.equal(200);
      expect((await read(invoice.id)).archived).to.equal(true);
    });

    it('lists with orderId, status, textSearch, startDate, endDate, skip and take', async () => {
      const a = await create({ amount: '1', currency: 'USD', metadata: { orderId: 'list-a', itemDesc: 'Blue kettle' } });
      await emu.clock.advance('10s');
      const b = await create({ amount: '1', currency: 'USD', metadata: { orderId: 'list-b' } });
      await emu.sandbox.pay(b.id);
      const ids = async (query: string) => ((await gf('GET', `stores/${storeId}/invoices?${query}`)).json as Json[]).map((i) => i.id);
      expect(await ids('orderId=list-a&orderId=list-b')).to.deep.equal([b.id, a.id]);
      expect(await ids('orderId=list-a&orderId=list-b&status=Processing')).to.deep.equal([b.id]);
      expect(await ids('orderId=list-a&orderId=list-b&status=new&status=Processing')).to.deep.equal([b.id, a.id]);
      expect(await ids('textSearch=blue%20KETTLE')).to.deep.equal([a.id]);
      expect(await ids(`orderId=list-a&orderId=list-b&startDate=${b.createdTime}`)).to.deep.equal([b.id]);
      expect(await ids(`orderId=list-a&orderId=list-b&endDate=${a.createdTime}`)).to.deep.equal([a.id]);
      expect(await ids('orderId=list-a&orderId=list-b&take=1')).to.deep.equal([b.id]);
      expect(await ids('orderId=list-a&orderId=list-b&take=1&skip=1')).to.deep.equal([a.id]);
      const all = (await gf('GET', `stores/${storeId}/invoices`)).json as Json[];
      if (SEEDS_PRESENT) expectSeed000('InvoiceDataList', all);
    });

    it('activates the bitcoin payment method under its 1.x and 2.x names', async () => {
      const invoice = await create({ amount: '1', currency: 'USD' });
      for (const name of ['BTC', 'BTC-CHAIN']) {
        const activated = await gf('POST', `stores/${storeId}/invoices/${invoice.id}/payment-methods/${name}/activate`);
        expect(activated.status, name).to.equal(200);
      }
      const unknown = await gf('POST', `stores/${storeId}/invoices/${invoice.id}/payment-methods/LTC/activate`);
      expect(unknown.status).to.equal(422);
      expect(unknown.json).to.deep.equal([{ path: 'paymentMethod', message: unknown.json[0].message }]);
    });
  });

  describe('BTCPay’s regtest cheat mode', () => {
    it('fakes a payment, mines blocks and expires an invoice at the paths BTCPay’s scripts call', async () => {
      const invoice = await create({ amount: '10', currency: 'USD' });
      const post = (path: string, body: unknown) =>
        fetch(`${emu.url}i/${invoice.id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const [method] = await methods(invoice.id);
      const half = (Number(method!.due) / 2).toFixed(8);
      const paid = await post('test-payment', { Amount: half, CryptoCode: 'BTC' });
      expect(paid.status).to.equal(200);
      const payment = (await paid.json()) as Json;
      expect(payment.successMessage).to.equal(`Created transaction ${payment.txid}`);
      expect(Number(payment.amountRemaining)).to.be.closeTo(Number(method!.due) - Number(half), 0.00000002);
      expect((await read(invoice.id)).additionalStatus).to.equal('PaidPartial');
      await post('test-payment', { paymentMethodId: 'BTC-CHAIN' });
      expect((await read(invoice.id)).status).to.equal('Processing');
      const mined = await post('mine-blocks', { blockCount: 2 });
      expect(await mined.json()).to.deep.equal({ successMessage: 'Mined 2 blocks' });
      expect((await read(invoice.id)).status).to.equal('Settled');

      const other = await create({ amount: '10', currency: 'USD' });
      const expire = await fetch(`${emu.url}i/${other.id}/expire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 30 }) });
      expect(await expire.json()).to.deep.equal({ successMessage: 'Invoice set to expire in 30 seconds.' });
      expect((await read(other.id)).expirationTime).to.equal(Math.floor((emu.clock.now() + 30_000) / 1000));
      await emu.clock.advance('31s');
      expect((await read(other.id)).status).to.equal('Expired');
      const refused = await fetch(`${emu.url}i/${other.id}/test-payment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cryptoCode: 'LTC' }) });
      expect(refused.status).to.equal(400);
    });
  });

  describe('bad input: 422 [{path, message}], and nothing stored', () => {
    const cases: [string, unknown, string][] = [
      ['amount that is not a number', { amount: 'ten', currency: 'USD' }, 'amount'],
      ['negative amount', { amount: -1, currency: 'USD' }, 'amount'],
      ['no amount (top-up invoices are not emulated)', { currency: 'USD' }, 'amount'],
      ['unknown speed policy', { amount: '1', currency: 'USD', checkout: { speedPolicy: 'Fast' } }, 'checkout.speedPolicy'],
      ['a payment method the emulator lacks', { amount: '1', currency: 'USD', checkout: { paymentMethods: ['BTC', 'LTC'] } }, 'checkout.paymentMethods'],
      ['tolerance over 100', { amount: '1', currency: 'USD', checkout: { paymentTolerance: 101 } }, 'checkout.paymentTolerance'],
      ['a misspelt field', { amount: '1', currency: 'USD', metdata: {} }, 'metdata'],
      ['metadata that is not an object', { amount: '1', currency: 'USD', metadata: 'x' }, 'metadata'],
      ['a relative redirectURL', { amount: '1', currency: 'USD', checkout: { redirectURL: '/thanks' } }, 'checkout.redirectURL'],
    ];
    for (const [name, body, path] of cases) {
      it(`refuses ${name}`, async () => {
        const before = ((await gf('GET', `stores/${storeId}/invoices?includeArchived=true`)).json as Json[]).length;
        const response = await gf('POST', `stores/${storeId}/invoices`, { body });
        expect(response.status).to.equal(422);
        expect(response.json).to.have.length(1);
        expect(response.json[0].path).to.equal(path);
        expect(response.json[0].message).to.be.a('string').and.not.equal('');
        expect(((await gf('GET', `stores/${storeId}/invoices?includeArchived=true`)).json as Json[]).length).to.equal(before);
      });
    }

    it('refuses an unsupported currency, malformed JSON and an unknown list filter in BTCPay’s shapes', async () => {
      const currency = await gf('POST', `stores/${storeId}/invoices`, { body: { amount: '1', currency: 'XYZ' } });
      expect(currency.status).to.equal(422);
      expect(currency.json).to.deep.equal([{ path: 'currency', message: 'XYZ is not a supported currency' }]);
      const malformed = await gf('POST', `stores/${storeId}/invoices`, { body: '{"amount": ' });
      expect(malformed.status).to.equal(400);
      expect(malformed.json.code).to.equal('invalid-request');
      expect(malformed.json.message).to.match(/Malformed JSON/);
      const filter = await gf('GET', `stores/${storeId}/invoices?state=New`);
      expect(filter.status).to.equal(422);
      expect(filter.json[0].path).to.equal('state');
      const status = await gf('GET', `stores/${storeId}/invoices?status=Paid`);
      expect(status.json[0]).to.include({ path: 'status' });
      const unknownPath = await gf('GET', 'stores/nothing/here/at/all');
      expect(unknownPath.status).to.equal(404);
      expect(unknownPath.json).to.have.property('code');
    });
  });

  describe('authentication and permissions', () => {
    it('answers 401 unauthenticated without a key or with an unknown one', async () => {
      for (const headers of [{}, { authorization: 'token 0123456789abcdef0123456789abcdef01234567' }, { authorization: 'Bearer x' }] as Record<string, string>[]) {
        const response = await api(emu.url, 'GET', `stores/${storeId}/invoices`, { headers });
        expect(response.status, JSON.stringify(headers)).to.equal(401);
        expect(response.json.code).to.equal('unauthenticated');
      }
    });

    it('answers 403 missing-permission for a key without the permission or scoped to another store', async () => {
      const viewOnly = (await emu.sandbox.apiKey({ dialect: 'greenfield', permissions: [`btcpay.store.canviewinvoices:${storeId}`] })) as Json;
      const refused = await gf('POST', `stores/${storeId}/invoices`, { key: viewOnly.apiKey, body: { amount: '1', currency: 'USD' } });
      expect(refused.status).to.equal(403);
      expect(refused.json.code).to.equal('missing-permission');
      expect(refused.json.message).to.include('btcpay.store.cancreateinvoice');
      expect((await gf('GET', `stores/${storeId}/invoices`, { key: viewOnly.apiKey })).status).to.equal(200);

      const other = await emu.sandbox.createMerchant('Other shop');
      const foreign = await gf('GET', `stores/${other.id}/invoices`);
      expect(foreign.status).to.equal(403);
      const stores = (await gf('GET', 'stores')).json as Json[];
      expect(stores.map((s) => s.id)).to.deep.equal([storeId]);
    });

    it('keeps stores apart: another store’s invoice is not found through this store', async () => {
      const other = await emu.sandbox.createMerchant('Third shop');
      const otherKey = (await emu.sandbox.apiKey({ dialect: 'greenfield', merchantId: other.id })) as Json;
      const theirs = await create({ amount: '1', currency: 'USD' });
      const response = await api(emu.url, 'GET', `stores/${other.id}/invoices/${theirs.id}`, { key: otherKey.apiKey as string });
      expect(response.status).to.equal(404);
      expect(response.json.code).to.equal('invoice-not-found');
    });

    it('creates keys with Basic auth of the sandbox user, reads and revokes the current key', async () => {
      const basic = { authorization: `Basic ${Buffer.from('sandbox@example.com:anything').toString('base64')}` };
      const made = await api(emu.url, 'POST', 'api-keys', { headers: basic, body: { label: 'plugin', permissions: ['btcpay.store.canviewinvoices', 'btcpay.store.cancreateinvoice'] } });
      expect(made.status).to.equal(200);
      expect(made.json).to.include({ label: 'plugin' });
      expect(made.json.apiKey).to.match(/^[0-9a-f]{40}$/);
      const current = await api(emu.url, 'GET', 'api-keys/current', { key: made.json.apiKey });
      expect(current.json).to.deep.equal(made.json);
      // An unscoped permission opens every store, including ones made later.
      const later = await emu.sandbox.createMerchant('Later shop');
      expect((await api(emu.url, 'POST', `stores/${later.id}/invoices`, { key: made.json.apiKey, body: { amount: '1', currency: 'USD' } })).status).to.equal(200);
      expect((await api(emu.url, 'GET', `stores/NoSuchStore/invoices`, { key: made.json.apiKey })).json).to.include({ code: 'store-not-found' });

      const bad = await api(emu.url, 'POST', 'api-keys', { headers: basic, body: { permissions: ['btcpay.store.canfly'] } });
      expect(bad.status).to.equal(422);
      expect(bad.json[0].path).to.equal('permissions');
      const notAllowed = await api(emu.url, 'POST', 'api-keys', { key: made.json.apiKey, body: { permissions: [] } });
      expect(notAllowed.status).to.equal(403);

      expect((await api(emu.url, 'DELETE', 'api-keys/current', { key: made.json.apiKey })).status).to.equal(200);
      expect((await api(emu.url, 'GET', 'api-keys/current', { key: made.json.apiKey })).status).to.equal(401);
      const again = await api(emu.url, 'DELETE', `api-keys/${made.json.apiKey}`, { headers: basic });
      expect(again.status).to.equal(404);
      expect(again.json.code).to.equal('apikey-not-found');
    });
  });

  describe('stores and server', () => {
    it('creates, reads and updates stores; invoices take the store’s defaults', async () => {
      const basic = { authorization: `Basic ${Buffer.from('sandbox:x').toString('base64')}` };
      const made = await api(emu.url, 'POST', 'stores', { headers: basic, body: { name: 'Euro shop', defaultCurrency: 'EUR', speedPolicy: 'HighSpeed', invoiceExpiration: 1800, paymentTolerance: 1 } });
      expect(made.status).to.equal(200);
      expect(made.json).to.include({ name: 'Euro shop', defaultCurrency: 'EUR', speedPolicy: 'HighSpeed', invoiceExpiration: 1800, paymentTolerance: 1 });
      const store = made.json.id as string;
      const invoice = await api(emu.url, 'POST', `stores/${store}/invoices`, { headers: basic, body: { amount: '4' } });
      expect(invoice.json).to.include({ currency: 'EUR' });
      expect(invoice.json.checkout).to.include({ speedPolicy: 'HighSpeed', expirationMinutes: 30, paymentTolerance: 1 });
      const updated = await api(emu.url, 'PUT', `stores/${store}`, { headers: basic, body: { name: 'Euro shop 2', speedPolicy: 'LowSpeed' } });
      expect(updated.json).to.include({ name: 'Euro shop 2', speedPolicy: 'LowSpeed', defaultCurrency: 'EUR' });
      expect((await api(emu.url, 'GET', `stores/${store}`, { headers: basic })).json).to.deep.equal(updated.json);
      const nameless = await api(emu.url, 'POST', 'stores', { headers: basic, body: {} });
      expect(nameless.status).to.equal(422);
      expect(nameless.json[0].path).to.equal('name');
      const unknownCurrency = await api(emu.url, 'POST', 'stores', { headers: basic, body: { name: 'X', defaultCurrency: 'XYZ' } });
      expect(unknownCurrency.json).to.deep.equal([{ path: 'defaultCurrency', message: 'XYZ is not a supported currency' }]);
    });

    it('answers health without a key, and server info with one', async () => {
      const health = await api(emu.url, 'GET', 'health');
      expect(health).to.deep.include({ status: 200, json: { synchronized: true } });
      expect((await api(emu.url, 'GET', 'server/info')).status).to.equal(401);
      const info = await gf('GET', 'server/info');
      expect(info.json).to.include({ fullySynched: true });
      expect(info.json.supportedPaymentMethods).to.include('BTC');
    });
  });
  // Last: mocha runs a suite's own tests before its inner suites, so this sits in a suite of its own.
  describe('coverage of seed 000', () => {
    it('exercised every operation of the seed with a successful answer (walks the OpenAPI document)', function () {
      if (!SEEDS_PRESENT) this.skip();
      const missing = seedOperations()
        .filter(({ method, pattern }) => !exercised.some((call) => call.method === method && pattern.test(call.path) && call.status < 300))
        .map(({ method, template }) => `${method} ${template}`);
      expect(missing, 'seed operations no test exercised').to.deep.equal([]);
    });
  });
});
