import { expect } from 'chai';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { runPhp, SDKS_PRESENT } from '../support/sdks.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

/** BTCPay Server's own Greenfield PHP client (the one its WooCommerce plugin embeds), unmodified. */
describe('Greenfield dialect through BTCPay’s Greenfield PHP client', function () {
  let emu: Emulator;
  let receiver: Receiver;
  let key: string;
  let storeId: string;
  const call = async (operation: string, args: Json = {}, as = key) => {
    const output = await runPhp('greenfield-client.php', [emu.url, as, operation, JSON.stringify(args)]);
    expect(output.ok, `${operation}: ${output.exception} ${output.message}`).to.equal(true);
    return output.result;
  };

  before(async function () {
    if (!SDKS_PRESENT) {
      console.log('    (skipped: ../shared/sdks is not beside the project, so the PHP client is not here)');
      this.skip();
    }
    emu = await startTestEmulator();
    receiver = await startReceiver();
    const made = (await emu.sandbox.apiKey({ dialect: 'greenfield' })) as Json;
    key = made.apiKey;
    storeId = made.storeId;
  });
  after(async () => {
    await emu?.close();
    await receiver?.close();
  });

  it('creates an invoice, follows it to Settled, and reads its payment methods', async () => {
    const created = await call('createInvoice', {
      storeId,
      currency: 'USD',
      amount: '19.99',
      orderId: 'woo-1001',
      buyerEmail: 'shopper@example.com',
      metadata: { itemDesc: 'Order #1001' },
      checkout: [ 'LowMediumSpeed', ['BTC'], 30, 60, 0, 'https://shop.example/thanks', true, 'en' ],
    });
    expect(created).to.include({ amount: '19.99', currency: 'USD', status: 'New', isNew: true, archived: false });
    expect(created.metadata).to.deep.equal({ itemDesc: 'Order #1001', orderId: 'woo-1001', buyerEmail: 'shopper@example.com' });
    expect(created.expirationTime - created.createdTime).to.equal(30 * 60);
    expect(created.checkoutLink).to.equal(`${emu.url}i/${created.id}`);

    const tx = await emu.sandbox.pay(created.id);
    expect(await call('getInvoice', { storeId, invoiceId: created.id })).to.include({ status: 'Processing', isProcessing: true, isSettled: false });
    await emu.sandbox.mine(2);
    expect(await call('getInvoice', { storeId, invoiceId: created.id })).to.include({ status: 'Settled', isSettled: true });

    const [method] = await call('getPaymentMethods', { storeId, invoiceId: created.id });
    expect(method).to.include({ paymentMethod: 'BTC', cryptoCode: 'BTC', due: '0', rate: '65000' });
    expect(method.payments).to.have.length(1);
    expect(method.payments[0]).to.include({ txid: tx.txid, status: 'Settled', destination: method.destination, value: method.amount });
  });

  it('lists by order id, status, text and start date, updates metadata and marks statuses', async () => {
    const a = await call('createInvoice', { storeId, currency: 'EUR', amount: '5', orderId: 'php-list-a', metadata: { itemDesc: 'Teapot' } });
    const b = await call('createInvoice', { storeId, currency: 'EUR', amount: '6', orderId: 'php-list-b' });
    await emu.sandbox.pay(b.id, { percent: 50 });
    const ids = (list: Json[]) => list.map((i) => i.id);
    expect(ids(await call('getInvoicesByOrderIds', { storeId, orderIds: ['php-list-a', 'php-list-b'] }))).to.deep.equal([b.id, a.id]);
    expect(ids(await call('getInvoicesByText', { storeId, text: 'teapot' }))).to.deep.equal([a.id]);
    const partial = (await call('getInvoicesByOrderIds', { storeId, orderIds: ['php-list-b'] }))[0];
    expect(partial).to.include({ isPartiallyPaid: true, status: 'New' });
    expect(ids(await call('getInvoicesByStartDate', { storeId, startDate: a.createdTime }))).to.include.members([a.id, b.id]);
    expect(ids(await call('getAllInvoices', { storeId, take: 1 }))).to.have.length(1);

    const updated = await call('updateInvoice', { storeId, invoiceId: a.id, metadata: { orderId: 'php-list-a', note: 'gift' } });
    expect(updated.metadata).to.deep.equal({ orderId: 'php-list-a', note: 'gift' });

    const marked = await call('markInvoiceStatus', { storeId, invoiceId: a.id, status: 'Complete' });
    expect(marked).to.include({ status: 'Settled', isSettled: true, isMarked: true });
    expect(marked.marking).to.deep.equal(['Invalid']);
    expect(ids(await call('getInvoicesByStatus', { storeId, status: ['Settled'] }))).to.include(a.id);
  });

  it('manages a store webhook; the webhooks it receives pass the client’s own signature check', async () => {
    const created = await call('createWebhook', { storeId, url: receiver.url('/woo'), specificEvents: ['InvoiceCreated', 'InvoiceSettled'], secret: 'woo-secret-0123456789' });
    expect(created.secret).to.equal('woo-secret-0123456789');
    const webhookId = created.id as string;
    expect(await call('getWebhook', { storeId, webhookId })).to.deep.equal({ id: webhookId, enabled: true, automaticRedelivery: true, url: receiver.url('/woo') });
    expect((await call('getStoreWebhooks', { storeId })).find((w: Json) => w.id === webhookId)).to.include({ everything: false });

    const made = await call('createInvoice', { storeId, currency: 'USD', amount: '25', orderId: 'woo-hook' });
    await emu.sandbox.pay(made.id);
    await emu.sandbox.mine(1);
    await emu.webhooks.flush();
    const received = receiver.at('/woo');
    expect(received.map((r) => r.json.type)).to.deep.equal(['InvoiceCreated', 'InvoiceSettled']);
    for (const r of received) {
      const signature = r.headers['btcpay-sig'] as string;
      expect(await call('isIncomingWebhookRequestValid', { body: r.raw, signature, secret: 'woo-secret-0123456789' })).to.equal(true);
      expect(await call('isIncomingWebhookRequestValid', { body: r.raw, signature, secret: 'another secret' })).to.equal(false);
    }

    const deliveries = await call('getLatestDeliveries', { storeId, webhookId, count: 10 });
    expect(deliveries.map((d: Json) => d.status)).to.deep.equal(['HttpSuccess', 'HttpSuccess']);
    const settledId = received[1]!.json.deliveryId as string;
    expect(deliveries[0].id).to.equal(settledId);
    expect((await call('getDelivery', { storeId, webhookId, deliveryId: settledId })).data).to.include({ id: settledId, httpCode: 200 });
    // The client reads the delivery itself here (it leaves out /request), as against a real BTCPay.
    expect(JSON.parse(await call('getDeliveryRequest', { storeId, webhookId, deliveryId: settledId }))).to.include({ id: settledId });
    const again = await call('redeliverDelivery', { storeId, webhookId, deliveryId: settledId });
    await emu.webhooks.flush();
    expect(receiver.at('/woo').at(-1)!.json).to.include({ deliveryId: again, originalDeliveryId: settledId, isRedelivery: true, type: 'InvoiceSettled' });

    expect(await call('updateWebhook', { storeId, webhookId, url: receiver.url('/woo'), specificEvents: ['InvoiceExpired'], enabled: false })).to.deep.equal({ id: webhookId, enabled: false, events: ['InvoiceExpired'] });
    expect(await call('deleteWebhook', { storeId, webhookId })).to.equal(true);
    const gone = await runPhp('greenfield-client.php', [emu.url, key, 'getWebhook', JSON.stringify({ storeId, webhookId })]);
    expect(gone.ok).to.equal(false);
    expect(gone.message).to.include('(404)').and.include('webhook-not-found');
  });

  it('surfaces refusals as the client’s exceptions: a bad amount, a missing permission, an unknown key', async () => {
    const refused = await runPhp('greenfield-client.php', [emu.url, key, 'createInvoice', JSON.stringify({ storeId, currency: 'NOPE', amount: '1' })]);
    expect(refused).to.include({ ok: false, exception: 'BTCPayServer\\Exception\\RequestException' });
    expect(refused.message).to.include('(422)').and.include('"path":"currency"');
    const viewOnly = (await emu.sandbox.apiKey({ dialect: 'greenfield', permissions: [`btcpay.store.canviewinvoices:${storeId}`] })) as Json;
    const forbidden = await runPhp('greenfield-client.php', [emu.url, viewOnly.apiKey, 'createInvoice', JSON.stringify({ storeId, currency: 'USD', amount: '1' })]);
    expect(forbidden).to.include({ ok: false, exception: 'BTCPayServer\\Exception\\ForbiddenException' });
    const unknown = await runPhp('greenfield-client.php', [emu.url, 'f'.repeat(40), 'getStores', '{}']);
    expect(unknown.ok).to.equal(false);
    expect(unknown.message).to.include('(401)');
  });

  it('manages stores and API keys, and reads the server’s health and info', async () => {
    expect(await call('health')).to.equal(true);
    expect(await call('serverInfo')).to.include({ fullySynched: true });
    expect((await call('getStores')).map((s: Json) => s.id)).to.deep.equal([storeId]);
    expect(await call('getStore', { storeId })).to.include({ id: storeId, speedPolicy: 'MediumSpeed' });

    const admin = (await emu.sandbox.apiKey({ dialect: 'greenfield', permissions: ['unrestricted'] })) as Json;
    const store = await call('createStore', { name: 'PHP shop', defaultCurrency: 'CHF', speedPolicy: 'HighSpeed' }, admin.apiKey);
    expect(store).to.include({ name: 'PHP shop', defaultCurrency: 'CHF', speedPolicy: 'HighSpeed', monitoringExpiration: 3600 });
    const plugin = await call('createApiKey', { label: 'woocommerce', permissions: [`btcpay.store.cancreateinvoice:${store.id}`, `btcpay.store.canviewinvoices:${store.id}`] }, admin.apiKey);
    expect(plugin.label).to.equal('woocommerce');
    expect(await call('getCurrentApiKey', {}, plugin.apiKey)).to.deep.equal(plugin);
    const chf = await call('createInvoice', { storeId: store.id, currency: 'CHF', amount: '3' }, plugin.apiKey);
    expect(chf).to.include({ currency: 'CHF', status: 'New' });
    expect(await call('revokeCurrentApiKey', {}, plugin.apiKey)).to.equal(true);
    const gone = await runPhp('greenfield-client.php', [emu.url, plugin.apiKey, 'getCurrentApiKey', '{}']);
    expect(gone.ok).to.equal(false);
  });
});
