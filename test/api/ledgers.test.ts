import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { merchantOfItsOwn, rawRequest, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('ledgers (BitPay)', () => {
  let emu: Emulator;
  let merchant: Client;
  let merchantId: string;
  let token: string;
  let signer: TestKey;

  before(async () => {
    emu = await startTestEmulator();
    ({ merchantId, key: signer, token, client: merchant } = await merchantOfItsOwn(emu, 'Ledger shop'));
  });
  after(() => emu.close());

  async function invoice(price: number, currency: string, status: 'confirmed' | 'complete', fields: Json = {}) {
    const created = (await merchant.createInvoice(Object.assign(new Models.Invoice(price, currency), fields))) as unknown as Json;
    await merchant.payInvoice(created.id, status);
    return created;
  }
  const ledgers = async () => (await merchant.getLedgers()) as unknown as Json[];
  const entries = async (currency: string, start = '2000-01-01', end = '2999-12-31') =>
    (await merchant.getLedgerEntries(currency, new Date(`${start}T00:00:00Z`), new Date(`${end}T00:00:00Z`))) as unknown as Json[];
  const balance = async (currency: string) => (await ledgers()).find((l) => l.currency === currency)?.balance;

  it('has no ledgers before anything completes; a confirmed invoice is not credited yet', async () => {
    expect(await ledgers()).to.deep.equal([]);
    await invoice(10, 'USD', 'confirmed');
    expect(await ledgers()).to.deep.equal([]);
    await emu.sandbox.mine(5);
    expect(await ledgers()).to.deep.equal([{ currency: 'USD', balance: 9.9 }]);
  });

  it('credits a completed invoice with its price less the 1 % fee, with BitPay’s codes and fields', async () => {
    const paid = await invoice(100, 'USD', 'complete', { orderId: 'order-7', buyer: { name: 'Ada', email: 'ada@example.com', country: 'GB' } });
    expect(await ledgers()).to.deep.equal([{ currency: 'USD', balance: 9.9 + 99 }]);
    const [credit, fee] = (await entries('USD')).filter((e) => e.invoiceId === paid.id);
    expect(credit).to.include({ type: 'Invoice', code: 1000, amount: 100 * 1e8, scale: 1e8, invoiceId: paid.id, invoiceAmount: 100, invoiceCurrency: 'USD', transactionCurrency: 'BTC', description: 'order-7', txType: 'sale' });
    expect(credit?.buyerFields).to.deep.equal({ buyerName: 'Ada', buyerEmail: 'ada@example.com', buyerCountry: 'GB' });
    expect(credit?.id).to.match(/^\w{22}$/);
    expect(Date.parse(credit?.timestamp)).to.equal(emu.clock.now());
    expect(fee).to.include({ code: 1023, amount: -1 * 1e8, invoiceId: paid.id });
  });

  it('keeps a ledger per currency, and follows the merchant’s fee setting', async () => {
    await invoice(50, 'EUR', 'complete');
    expect(await balance('EUR')).to.equal(49.5);
    const changed = await rawRequest(emu, 'PATCH', `sandbox/merchants/${merchantId}`, { body: { feePercent: '2.5' } });
    expect(changed.json).to.include({ feePercent: 2.5 });
    await invoice(20, 'EUR', 'complete');
    expect(await balance('EUR')).to.equal(49.5 + 19.5);
    await rawRequest(emu, 'PATCH', `sandbox/merchants/${merchantId}`, { body: { feePercent: 1 } });
    expect((await rawRequest(emu, 'PATCH', `sandbox/merchants/${merchantId}`, { body: { feePercent: 101 } })).status).to.equal(400);
  });

  it('debits a refund and the fee the merchant pays for it', async () => {
    const paid = await invoice(100, 'USD', 'complete', { buyer: { email: 'buyer@example.com' } });
    const before = (await balance('USD')) as number;
    const refund = (await merchant.createRefund(Object.assign(new Models.Refund(40, paid.id, token), { currency: 'USD' }))) as unknown as Json;
    await emu.sandbox.refundAddress(refund.id);
    await emu.sandbox.completeRefund(refund.id);
    const debits = (await entries('USD')).filter((e) => e.invoiceId === paid.id && (e.code === 1020 || e.code === 1039));
    expect(debits.map((e) => [e.code, e.amount / e.scale])).to.deep.equal([
      [1020, -40],
      [1039, -refund.refundFee],
    ]);
    expect(debits[0]?.supportRequest).to.equal(refund.supportRequest);
    expect(await balance('USD')).to.be.closeTo(before - 40 - refund.refundFee, 1e-9);
  });

  it('filters entries by date (a plain endDate includes its day), and every balance is the sum of its entries', async () => {
    const today = new Date(emu.clock.now()).toISOString().slice(0, 10);
    const all = await entries('USD');
    expect(await entries('USD', today, today)).to.deep.equal(all);
    await emu.clock.advance('2d');
    const later = await invoice(5, 'USD', 'complete');
    const laterDay = new Date(emu.clock.now()).toISOString().slice(0, 10);
    expect((await entries('USD', laterDay, laterDay)).map((e) => e.invoiceId)).to.deep.equal([later.id, later.id]);
    expect(await entries('USD', today, today)).to.deep.equal(all);
    for (const { currency, balance: total } of await ledgers()) {
      const sum = (await entries(currency)).reduce((acc, e) => acc + BigInt(e.amount), 0n);
      expect(Number(sum) / 1e8, currency).to.be.closeTo(total, 1e-9);
    }
  });

  it('refuses bad queries and other facades with BitPay’s errors', async () => {
    const backwards = await merchant.getLedgerEntries('USD', new Date('2026-02-01'), new Date('2026-01-01')).catch((e: Error) => e);
    expect((backwards as Error).message).to.match(/endDate must not be before startDate/);
    const bad = await rawRequest(emu, 'GET', `ledgers/USD?token=${token}&startDate=2026-13-45`, { key: signer });
    expect(bad.status).to.equal(400);
    expect(bad.json.error).to.match(/startDate/);
    const notACurrency = await merchant.getLedgerEntries('XYZ', new Date('2026-01-01'), new Date('2026-01-02')).catch((e: Error) => e);
    expect((notACurrency as Error).message).to.match(/XYZ is not a currency/);
    const unsigned = await rawRequest(emu, 'GET', `ledgers?token=${token}`);
    expect(unsigned.status).to.equal(401);
    expect(unsigned.json.error).to.match(/x-identity/);
  });
});
