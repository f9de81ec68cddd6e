import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client, Models } from 'bitpay-sdk';
import { pairClient, sdkClient } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

/** The Client methods that work locally (keys, tokens, sub-client factories): no request reaches a server. */
const LOCAL = new Set([
  'constructor',
  'getToken',
  'getCurrencyInfo',
  'getEcKeyByPrivateKey',
  'getEcKeyByConfig',
  'getIdentity',
  'getCurrencyClient',
  'getFacadeBasedOnTokenContainer',
  'initByConfigFilePath',
  'initForTests',
]);

describe('the official Node SDK: every public method against the emulator', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let client: Client;
  let merchantToken: string;
  let merchantId: string;
  const called = new Map<string, unknown>();
  /** Calls a method of the SDK's Client and keeps what it answered. */
  const call = async (name: string, ...args: unknown[]): Promise<Json> => {
    const result = await (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]?.(...args);
    called.set(name, result);
    return result as Json;
  };

  before(async () => {
    emu = await startTestEmulator();
    merchantId = (await emu.sandbox.createMerchant('SDK coverage')).id as string;
    const merchant = await pairClient(emu, 'merchant', undefined, merchantId);
    const payout = await pairClient(emu, 'payout', merchant.key, merchantId);
    merchantToken = merchant.token;
    client = sdkClient(emu, merchant.key, { merchant: merchant.token, payout: payout.token });
  });
  after(() => emu.close());

  it('rates, currencies and wallets', async () => {
    expect((await call('getRate', 'BTC', 'USD')).rate).to.equal(65000);
    expect((await call('getRates', 'BTC')).rates ?? (called.get('getRates') as Json)).to.exist;
    expect(await call('getSupportedWallets')).to.be.an('array').that.is.not.empty;
  });

  it('invoices', async () => {
    const guid = randomUUID();
    const invoice = await call('createInvoice', Object.assign(new Models.Invoice(100, 'USD'), { guid, buyer: { email: 'b@example.com' }, notificationURL: 'http://127.0.0.1:9/ipn' }));
    expect((await call('getInvoice', invoice.id)).id).to.equal(invoice.id);
    expect((await call('getInvoiceByGuid', guid)).id).to.equal(invoice.id);
    const today = new Date(emu.clock.now()).toISOString().slice(0, 10);
    expect((await call('getInvoices', { dateStart: today, dateEnd: today })) as unknown as Json[]).to.have.length(1);
    expect((await call('getInvoiceEventToken', invoice.id)).token).to.be.a('string');
    const other = await client.createInvoice(new Models.Invoice(5, 'USD'));
    expect((await call('updateInvoice', other.id, { buyerSms: '+12223334444', autoVerify: true })).buyerProvidedInfo.smsVerified).to.equal(true);
    expect(await call('requestInvoiceWebhookToBeResent', invoice.id, invoice.token)).to.equal(true);
    expect((await call('payInvoice', invoice.id, 'complete')).status).to.equal('complete');
    expect((await call('cancelInvoice', other.id, false)).status).to.equal('expired');
    const third = await client.createInvoice(Object.assign(new Models.Invoice(5, 'USD'), { guid: `g-${guid}` }));
    expect((await call('cancelInvoiceByGuid', third.guid, false)).status).to.equal('expired');
  });

  it('refunds', async () => {
    const [invoice] = (await client.getInvoices({ dateStart: '2000-01-01', dateEnd: '2999-01-01', status: 'complete' } as never)) as unknown as Json[];
    const refund = await call('createRefund', Object.assign(new Models.Refund(10, invoice?.id, merchantToken), { currency: 'USD', preview: true, guid: randomUUID() }));
    expect((await call('getRefund', refund.id)).id).to.equal(refund.id);
    expect((await call('getRefundByGuid', refund.guid)).id).to.equal(refund.id);
    expect((await call('getRefunds', invoice?.id)) as unknown as Json[]).to.have.length(1);
    expect((await call('updateRefund', refund.id, 'created')).status).to.equal('created');
    expect(await call('sendRefundNotification', refund.id, refund.token)).to.equal(true);
    expect((await call('cancelRefund', refund.id)).status).to.equal('canceled');
    const another = await client.createRefund(Object.assign(new Models.Refund(5, invoice?.id, merchantToken), { currency: 'USD', preview: true, guid: randomUUID() }));
    expect((await call('updateRefundByGuid', (another as unknown as Json).guid, 'created')).status).to.equal('created');
    expect((await call('cancelRefundByGuid', (another as unknown as Json).guid)).status).to.equal('canceled');
  });

  it('ledgers', async () => {
    expect((await call('getLedgers')) as unknown as Json[]).to.deep.include({ currency: 'USD', balance: 99 });
    expect((await call('getLedgerEntries', 'USD', null, null)) as unknown as Json[]).to.have.length(2);
  });

  it('payout recipients, payouts and payout groups', async () => {
    const [recipient] = (await call('submitPayoutRecipients', new Models.PayoutRecipients([new Models.PayoutRecipient('r@example.com', 'R', 'http://127.0.0.1:9/r')]))) as unknown as Json[];
    expect((await call('getPayoutRecipients', {})) as unknown as Json[]).to.have.length(1);
    expect((await call('getPayoutRecipient', recipient?.id)).status).to.equal('invited');
    expect((await call('updatePayoutRecipient', recipient?.id, new Models.PayoutRecipient(null as never, 'R2', null as never))).label).to.equal('R2');
    expect(await call('requestPayoutRecipientNotification', recipient?.id)).to.equal(true);
    await emu.sandbox.acceptRecipient(recipient?.id);
    const payout = await call('submitPayout', Object.assign(new Models.Payout(10, 'USD', 'USD'), { recipientId: recipient?.id, notificationURL: 'http://127.0.0.1:9/p', effectiveDate: '2999-01-01' }));
    expect((await call('getPayout', payout.id)).status).to.equal('new');
    expect((await call('getPayouts', { status: 'new' })) as unknown as Json[]).to.have.length(1);
    expect(await call('requestPayoutNotification', payout.id)).to.equal(true);
    expect(await call('cancelPayout', payout.id)).to.equal(true);
    const group = await call('submitPayouts', [Object.assign(new Models.Payout(5, 'USD', 'USD'), { recipientId: recipient?.id, effectiveDate: '2999-01-01' })]);
    expect(group.payouts).to.have.length(1);
    expect((await call('cancelPayouts', group.payouts[0].groupId)).payouts).to.have.length(1);
    expect(await call('deletePayoutRecipient', recipient?.id)).to.equal(true);
  });

  it('bills', async () => {
    const bill = await call('createBill', new Models.Bill('b-1', 'USD', 'b@example.com', [{ price: 3, quantity: 2, description: 'Tea' }] as never));
    expect((await call('getBill', bill.id)).number).to.equal('b-1');
    expect((await call('getBills')) as unknown as Json[]).to.have.length(1);
    expect((await call('updateBill', { ...bill, name: 'B' }, bill.id)).name).to.equal('B');
    expect(await call('deliverBill', bill.id, bill.token)).to.equal(true);
  });

  it('settlements', async () => {
    await emu.sandbox.settle(merchantId);
    const [settlement] = (await call('getSettlements', {})) as unknown as Json[];
    expect(settlement?.status).to.equal('processing');
    expect((await call('getSettlement', settlement?.id)).id).to.equal(settlement?.id);
    expect((await call('getSettlementReconciliationReport', settlement?.id, settlement?.token)).ledgerEntries).to.be.an('array').that.is.not.empty;
  });

  it('called every method of the SDK’s Client that talks to a server', () => {
    const methods = Object.getOwnPropertyNames(Client.prototype).filter((name) => !LOCAL.has(name) && !/^create\w+Client$/.test(name));
    expect(methods.filter((name) => !called.has(name))).to.deep.equal([]);
    expect(methods.length).to.be.greaterThan(40);
  });
});
