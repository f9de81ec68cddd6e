import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { merchantOfItsOwn, rawRequest, sdkPosClient, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('bills (BitPay)', () => {
  let emu: Emulator;
  let merchant: Client;
  let merchantId: string;
  let key: TestKey;
  let token: string;

  before(async () => {
    emu = await startTestEmulator();
    ({ merchantId, key, token, client: merchant } = await merchantOfItsOwn(emu, 'Billing shop'));
  });
  after(() => emu.close());

  const item = (price: number, quantity: number, description: string) => ({ price, quantity, description });
  const newBill = (number: string, fields: Json = {}) =>
    Object.assign(new Models.Bill(number, 'USD', 'john@doe.com', [item(6, 1, 'Test Item 1'), item(4, 2, 'Test Item 2')] as never), fields);

  it('creates a bill with BitPay’s fields, reads it, lists it by status', async () => {
    const bill = (await merchant.createBill(newBill('bill1234-ABCD', { name: 'John Doe', city: 'Miami', cc: ['jane@doe.com'], dueDate: '2026-12-31' }))) as unknown as Json;
    expect(bill).to.include({ status: 'draft', number: 'bill1234-ABCD', currency: 'USD', email: 'john@doe.com', name: 'John Doe', city: 'Miami', passProcessingFee: false, merchant: merchantId });
    expect(bill.cc).to.deep.equal(['jane@doe.com']);
    expect(bill.items).to.deep.equal([
      { id: 'item-1', description: 'Test Item 1', price: 6, quantity: 1 },
      { id: 'item-2', description: 'Test Item 2', price: 4, quantity: 2 },
    ]);
    expect(bill.url).to.equal(`${emu.url}bill?id=${bill.id}&resource=bills`);
    expect(bill.dueDate).to.equal('2026-12-31T00:00:00.000Z');
    expect(bill.token).to.be.a('string');
    expect(Date.parse(bill.createdDate)).to.equal(emu.clock.now());
    expect((await merchant.getBill(bill.id)) as unknown as Json).to.deep.equal(bill);
    expect(((await merchant.getBills('draft')) as unknown as Json[]).map((b) => b.id)).to.include(bill.id);
    expect((await merchant.getBills('sent')) as unknown as Json[]).to.deep.equal([]);
  });

  it('updates a bill with its own token (as PHP and the SDKs’ tests do) or the merchant’s, then delivers it: sent', async () => {
    const bill = (await merchant.createBill(newBill('b-2'))) as unknown as Json;
    const fetched = (await merchant.getBill(bill.id)) as unknown as Json;
    fetched.items.push({ description: 'Test Item 3', price: 5, quantity: 1 });
    const updated = (await merchant.updateBill(fetched as never, bill.id)) as unknown as Json;
    expect(updated.items.map((i: Json) => i.description)).to.deep.equal(['Test Item 1', 'Test Item 2', 'Test Item 3']);
    const viaMerchant = await rawRequest(emu, 'PUT', `bills/${bill.id}`, { key, body: { ...fetched, token, email: 'new@doe.com' } });
    expect(viaMerchant.json.data.email).to.equal('new@doe.com');
    expect(await merchant.deliverBill(bill.id, bill.token)).to.equal(true);
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('sent');
    expect(((await merchant.getBills('sent')) as unknown as Json[]).map((b) => b.id)).to.deep.equal([bill.id]);
  });

  it('its url opens a page that makes an invoice with billId and pays it: new, paid, complete', async () => {
    const bill = (await merchant.createBill(newBill('b-3', { name: 'Ada', address1: '1 Main St' }))) as unknown as Json;
    const page = await fetch(bill.url);
    expect(page.status).to.equal(200);
    const text = await page.text();
    expect(text).to.contain('Bill b-3').and.contain('14.00 USD').and.contain('Test Item 2');
    const paid = await fetch(bill.url, { method: 'POST', redirect: 'manual' });
    expect(paid.status).to.equal(302);
    const invoiceId = /\/i\/(\w+)$/.exec(paid.headers.get('location') ?? '')?.[1] as string;
    const invoice = (await merchant.getInvoice(invoiceId)) as unknown as Json;
    expect(invoice).to.include({ price: 14, currency: 'USD', billId: bill.id, status: 'new' });
    expect(invoice.buyer).to.include({ name: 'Ada', address1: '1 Main St', email: 'john@doe.com' });
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('new');
    const updateNow = await merchant.updateBill({ ...bill, items: [{ price: 1, quantity: 1 }] } as never, bill.id).catch((e: Error) => e);
    expect((updateNow as Error).message).to.match(/can no longer change: it has an invoice/);
    await emu.sandbox.pay(invoiceId);
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('paid');
    await emu.sandbox.mine(6);
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('complete');
    const again = await fetch(bill.url);
    expect(await again.text()).to.contain('This bill is paid');
  });

  it('a lapsed invoice leaves the bill to be paid again with a new invoice', async () => {
    const bill = (await merchant.createBill(newBill('b-4'))) as unknown as Json;
    await merchant.deliverBill(bill.id, bill.token);
    const first = /\/i\/(\w+)$/.exec((await fetch(bill.url, { method: 'POST', redirect: 'manual' })).headers.get('location') ?? '')?.[1] as string;
    await emu.sandbox.expire(first);
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('sent');
    const second = /\/i\/(\w+)$/.exec((await fetch(bill.url, { method: 'POST', redirect: 'manual' })).headers.get('location') ?? '')?.[1] as string;
    expect(second).to.not.equal(first);
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('new');
  });

  it('a pos client creates and reads bills unsigned and delivers with the bill token', async () => {
    const pos = await emu.sandbox.createPairingCode({ facade: 'pos', merchantId });
    const client = sdkPosClient(emu, pos.token as string);
    const bill = (await client.createBill(newBill('pos-1'))) as unknown as Json;
    expect(bill.status).to.equal('draft');
    expect(((await client.getBill(bill.id)) as unknown as Json).id).to.equal(bill.id);
    expect(await client.deliverBill(bill.id, bill.token)).to.equal(true);
    expect(((await merchant.getBill(bill.id)) as unknown as Json).status).to.equal('sent');
  });

  it('lists every bill, with no page limit: a sent bill older than 1,000 drafts is still listed as sent', async function () {
    this.timeout(60_000);
    const pos = await emu.sandbox.createPairingCode({ facade: 'pos', merchantId });
    const client = sdkPosClient(emu, pos.token as string);
    const oldest = (await client.createBill(newBill('oldest'))) as unknown as Json;
    expect(await client.deliverBill(oldest.id, oldest.token)).to.equal(true);
    for (let made = 0; made < 1_000; made += 50) await Promise.all(Array.from({ length: 50 }, (_, i) => client.createBill(newBill(`many-${made + i}`))));
    expect(((await merchant.getBills('sent')) as unknown as Json[]).map((b) => b.id)).to.include(oldest.id);
    const all = (await merchant.getBills(null)) as unknown as Json[];
    expect(all.length).to.be.at.least(1_001);
    const position = (number: string) => all.findIndex((bill) => bill.number === number);
    expect(position('oldest'), 'newest first').to.be.greaterThan(position('many-0'));
    expect(position('many-0')).to.be.greaterThan(position('many-999'));
  });

  it('refuses bad bills with BitPay’s coded errors', async () => {
    const cases: [Json, RegExp][] = [
      [{ currency: 'USD', items: [] }, /items/],
      [{ currency: 'USD', items: [{ price: 1, quantity: 1.5 }] }, /quantity/],
      [{ currency: 'XYZ', items: [{ price: 1, quantity: 1 }] }, /currency/],
      [{ currency: 'USD', email: 'nope', items: [{ price: 1, quantity: 1 }] }, /email/],
    ];
    for (const [body, message] of cases) {
      const response = await rawRequest(emu, 'POST', 'bills', { key, body: { token, ...body } });
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.json.code).to.match(/^0103\d\d$/);
      expect(response.json.error).to.match(message);
    }
    const missing = await merchant.getBill('nope').catch((e: Error) => e);
    expect((missing as Error).message).to.match(/Bill nope not found/);
    const page = await fetch(`${emu.url}bill?id=nope`);
    expect(page.status).to.equal(404);
    expect(page.headers.get('content-type')).to.match(/html/);
  });
});
