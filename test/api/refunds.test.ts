import { createHmac, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { pairClient, rawRequest, sdkClient, sdkError, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { expectInvoiceContract, expectSchema } from '../support/schemas.js';

type Json = Record<string, any>;

describe('refunds', () => {
  let emu: Emulator;
  let receiver: Receiver;
  let merchant: Client;
  let merchantToken: string;
  let key: TestKey;

  before(async () => {
    [emu, receiver] = await Promise.all([startTestEmulator(), startReceiver()]);
    ({ key, token: merchantToken } = await pairClient(emu, 'merchant'));
    merchant = sdkClient(emu, key, { merchant: merchantToken });
  });
  after(async () => {
    await emu.close();
    await receiver.close();
  });

  /** A paid invoice in `status`, with buyer contact and webhooks to a path of its own. */
  async function paidInvoice(status: 'confirmed' | 'complete', fields: Json = {}) {
    const path = `/ipn/${randomUUID()}`;
    const invoice = (await merchant.createInvoice(
      Object.assign(new Models.Invoice(100, 'USD'), {
        notificationURL: receiver.url(path),
        extendedNotifications: true,
        buyer: { email: 'buyer@example.com' },
        ...fields,
      }),
    )) as unknown as Json;
    await merchant.payInvoice(invoice.id, status);
    await emu.webhooks.flush();
    return { invoice, path, received: () => receiver.at(path).map((r) => r.json) };
  }

  function refundOf(invoiceId: string, amount: number, fields: Json = {}) {
    return Object.assign(new Models.Refund(amount, invoiceId, merchantToken), { currency: 'USD', ...fields });
  }

  it('refunds a complete invoice through the whole path, with every webhook', async () => {
    const { invoice, received } = await paidInvoice('complete');
    const refund = (await merchant.createRefund(refundOf(invoice.id, 40, { guid: `r-${randomUUID()}` }))) as unknown as Json;
    expectSchema('resources/refund', refund);
    expect(refund).to.include({
      invoice: invoice.id,
      status: 'created',
      amount: 40,
      currency: 'USD',
      transactionCurrency: 'BTC',
      transactionAmount: 0.00061538, // 40 / 65000, rounded down to the satoshi
      transactionRefundFee: 0.00001,
      refundFee: 0.65,
      immediate: false,
      buyerPaysRefundFee: false,
      type: 'partial',
      preview: false,
      refundEmail: 'buyer@example.com',
      notificationURL: invoice.notificationURL,
    });
    expect((await merchant.getInvoice(invoice.id)) as unknown as Json).to.include({ status: 'complete', refundAddressRequestPending: true });

    expect(await merchant.getRefund(refund.id)).to.deep.include({ id: refund.id, status: 'created' });
    expect((await merchant.getRefundByGuid(refund.guid)).id).to.equal(refund.id);
    expect((await merchant.getRefunds(invoice.id)).map((r) => r.id)).to.deep.equal([refund.id]);

    const pending = await emu.sandbox.refundAddress(refund.id);
    expect(pending.status).to.equal('pending');
    expect(pending.refundAddress).to.match(/^tb1q/);
    const sent = await emu.sandbox.completeRefund(refund.id);
    expect(sent.status).to.equal('success');
    expect(sent.txid).to.match(/^[0-9a-f]{64}$/);

    const after = (await merchant.getInvoice(invoice.id)) as unknown as Json;
    expectInvoiceContract(after);
    expect(after).to.include({ status: 'complete', refundAddressRequestPending: false });
    expect(after.refundInfo).to.deep.equal({ supportRequest: refund.supportRequest, currency: 'USD', amounts: { USD: 40, BTC: 0.00061538 } });
    expect(Object.keys(after.refundAddresses[0])).to.deep.equal([pending.refundAddress]);

    const history = (await emu.sandbox.invoice(invoice.id)).sandbox.events.filter((e) => e.type.startsWith('refund-'));
    expect(history.map((e) => [e.type, e.toStatus, (e.detail as Json).refund])).to.deep.equal([
      ['refund-created', 'complete', refund.id],
      ['refund-pending', 'complete', refund.id],
      ['refund-success', 'complete', refund.id],
    ]);

    await emu.webhooks.flush();
    const events = received().map((body) => body.event.code);
    expect(events).to.deep.equal([1003, 1005, 1006, 7001, 7002, 7003, 1016]);
    const success = received().find((body) => body.event.code === 7003);
    expect(success.event.name).to.equal('refund_success');
    expect(success.data).to.include({ id: refund.id, invoice: invoice.id, status: 'success', amount: 40, txid: sent.txid });
    expect(success.data).not.to.have.property('token');
    const raw = receiver.received.find((r) => r.json?.event?.code === 7001 && r.json.data.id === refund.id)!;
    expect(raw.headers['x-signature']).to.equal(createHmac('sha256', merchantToken).update(raw.raw).digest('base64'));
  });

  it('declines a confirmed invoice with a full refund that cannot be cancelled', async () => {
    const { invoice, received } = await paidInvoice('confirmed');
    const refund = (await merchant.createRefund(refundOf(invoice.id, 10))) as unknown as Json;
    expect(refund).to.include({ amount: 100, type: 'full', status: 'created' });
    expect(((await merchant.getInvoice(invoice.id)) as unknown as Json).status).to.equal('declined');
    const error = await sdkError(merchant.cancelRefund(refund.id));
    expect(error.code).to.equal('040207');
    expect(error.message).to.include('Refund cannot be cancelled');
    await emu.webhooks.flush();
    expect(received().map((body) => body.event.code)).to.deep.equal([1003, 1005, 1019, 7001]);
  });

  it('previews, then submits with updateRefund; cancels a complete invoice’s refund while pending', async () => {
    const { invoice } = await paidInvoice('complete');
    const preview = (await merchant.createRefund(refundOf(invoice.id, 25, { preview: true, guid: `p-${randomUUID()}` }))) as unknown as Json;
    expect(preview).to.include({ status: 'preview', preview: true });
    expect(((await merchant.getInvoice(invoice.id)) as unknown as Json).refundAddressRequestPending).to.equal(false);
    const submitted = (await merchant.updateRefundByGuid(preview.guid, 'created')) as unknown as Json;
    expect(submitted).to.include({ id: preview.id, status: 'created', preview: false });
    await emu.sandbox.refundAddress(preview.id, 'tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl');
    const cancelled = (await merchant.cancelRefund(preview.id)) as unknown as Json;
    expect(cancelled.status).to.equal('canceled');
    const another = (await merchant.createRefund(refundOf(invoice.id, 5, { guid: `g-${randomUUID()}` }))) as unknown as Json;
    expect(another.status).to.equal('created');
    expect(((await merchant.cancelRefundByGuid(another.guid)) as unknown as Json).status).to.equal('canceled');
  });

  it('resends the refund webhook with the refund token (SDK) or the merchant token', async () => {
    const { invoice, received } = await paidInvoice('complete');
    const refund = (await merchant.createRefund(refundOf(invoice.id, 10))) as unknown as Json;
    expect(await merchant.sendRefundNotification(refund.id, refund.token)).to.equal(true);
    const { json } = await rawRequest(emu, 'POST', `refunds/${refund.id}/notifications`, { key, body: { token: merchantToken } });
    expect(json).to.deep.equal({ status: 'success', message: null });
    await emu.webhooks.flush();
    expect(received().filter((body) => body.event.code === 7001)).to.have.length(3);
  });

  it('accepts the PHP SDK’s trailing slashes and a create without currency (Python)', async () => {
    const { invoice } = await paidInvoice('complete');
    const created = await rawRequest(emu, 'POST', 'refunds/', { key, body: { token: merchantToken, invoiceId: invoice.id, amount: 3 } });
    expect(created.status).to.equal(200);
    expect(created.json.data).to.include({ currency: 'USD', amount: 3 });
    const list = await rawRequest(emu, 'GET', `refunds/?token=${merchantToken}&invoiceId=${invoice.id}`, { key });
    expect(list.json.data.map((r: Json) => r.id)).to.deep.equal([created.json.data.id]);
  });

  describe('refusals, each with BitPay’s code', () => {
    it('an unpaid invoice (010207), no buyer contact (010108), a second active refund (010204), fees above the amount (010208)', async () => {
      const unpaid = (await merchant.createInvoice(Object.assign(new Models.Invoice(10, 'USD'), { buyer: { email: 'b@example.com' } }))) as unknown as Json;
      expect((await sdkError(merchant.createRefund(refundOf(unpaid.id, 1)))).code).to.equal('010207');

      const noContact = (await merchant.createInvoice(new Models.Invoice(10, 'USD'))) as unknown as Json;
      await merchant.payInvoice(noContact.id, 'complete');
      expect((await sdkError(merchant.createRefund(refundOf(noContact.id, 1)))).code).to.equal('010108');

      const { invoice } = await paidInvoice('complete');
      await merchant.createRefund(refundOf(invoice.id, 1));
      const second = await sdkError(merchant.createRefund(refundOf(invoice.id, 1)));
      expect(second.code).to.equal('010204');
      expect(second.message).to.include('Active refund request already exists');

      const { invoice: small } = await paidInvoice('complete');
      const fees = await sdkError(merchant.createRefund(refundOf(small.id, 0.5, { buyerPaysRefundFee: true })));
      expect(fees.code).to.equal('010208');
      expect(fees.message).to.include('Fees are greater than refund amount');
      const paysFee = (await merchant.createRefund(refundOf(small.id, 50, { buyerPaysRefundFee: true }))) as unknown as Json;
      expect(paysFee.transactionAmount).to.equal(0.00075923); // 50 / 65000 = 76923 sat, less the 1000 sat fee
    });

    it('bad parameters, unknown refunds, and moves the status does not allow', async () => {
      const { invoice } = await paidInvoice('complete');
      const cases: [Json, string][] = [
        [{ invoiceId: invoice.id }, '010203'],
        [{ amount: 1 }, '010203'],
        [{ invoiceId: invoice.id, amount: -1 }, '010202'],
        [{ invoiceId: invoice.id, amount: 'ten' }, '010202'],
        [{ invoiceId: invoice.id, amount: 101 }, '010202'],
        [{ invoiceId: invoice.id, amount: 1, currency: 'EUR' }, '010202'],
        [{ invoiceId: 'NoSuchInvoice000000000', amount: 1 }, '010101'],
      ];
      for (const [body, code] of cases) {
        const { json } = await rawRequest(emu, 'POST', 'refunds', { key, body: { token: merchantToken, ...body } });
        expect(json.code, JSON.stringify(body)).to.equal(code);
      }
      expect((await sdkError(merchant.getRefund('NoSuchRefund'))).code).to.equal('020201');
      const refund = (await merchant.createRefund(refundOf(invoice.id, 1))) as unknown as Json;
      expect((await sdkError(merchant.updateRefund(refund.id, 'success'))).code).to.equal('030202');
      const completeTooEarly = await rawRequest(emu, 'POST', `sandbox/refunds/${refund.id}/complete`);
      expect(completeTooEarly.status).to.equal(409);
      const badAddress = await rawRequest(emu, 'POST', `sandbox/refunds/${refund.id}/address`, { body: { address: 'bc1qnotatestnetaddress' } });
      expect(badAddress.json.error).to.match(/not a testnet bitcoin address/);
      await emu.sandbox.failRefund(refund.id);
      expect((await merchant.getRefund(refund.id)).status).to.equal('failure');
      expect((await sdkError(merchant.cancelRefund(refund.id))).code).to.equal('040202');
      expect((await rawRequest(emu, 'GET', `refunds?token=${merchantToken}`, { key })).json.code).to.equal('020203');
    });
  });
});
