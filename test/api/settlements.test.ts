import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { merchantOfItsOwn, rawRequest, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('settlements (BitPay)', () => {
  let emu: Emulator;
  let merchant: Client;
  let merchantId: string;
  let key: TestKey;
  let token: string;

  before(async () => {
    emu = await startTestEmulator();
    ({ merchantId, key, token, client: merchant } = await merchantOfItsOwn(emu, 'Settling shop'));
  });
  after(() => emu.close());

  async function completeInvoice(price: number, currency = 'USD', fields: Json = {}) {
    const invoice = (await merchant.createInvoice(Object.assign(new Models.Invoice(price, currency), fields))) as unknown as Json;
    await merchant.payInvoice(invoice.id, 'complete');
    return invoice;
  }
  const balances = async () => Object.fromEntries(((await merchant.getLedgers()) as unknown as Json[]).map((l) => [l.currency, l.balance]));

  it('settles each ledger on request: the period’s entries, less what pending refunds withhold, debited as 1017', async () => {
    const first = await completeInvoice(200, 'USD', { orderId: 'o-1', buyer: { email: 'b@example.com' } });
    await completeInvoice(50, 'EUR');
    const refund = (await merchant.createRefund(Object.assign(new Models.Refund(30, first.id, token), { currency: 'USD' }))) as unknown as Json;
    expect(refund.status).to.equal('created');
    const ids = await emu.sandbox.settle(merchantId);
    expect(ids).to.have.length(2);
    const held = 30 + refund.refundFee;
    expect(await balances()).to.deep.equal({ USD: held, EUR: 0 });
    const [eur, usd] = ((await merchant.getSettlements({ startDate: '2000-01-01', endDate: '2999-01-01' })) as unknown as Json[]).sort((a, b) => a.currency.localeCompare(b.currency));
    expect(usd).to.include({ currency: 'USD', status: 'processing', accountId: merchantId, openingBalance: 0, ledgerEntriesSum: 198, withholdingsSum: held, totalAmount: 198 - held });
    expect(usd?.withholdings).to.deep.equal([{ amount: held, code: 'W001', description: 'Refunds requested and not yet sent' }]);
    expect(usd?.payoutInfo).to.include({ bank: 'Sandbox Bank', name: 'Settling shop', wire: true });
    expect(usd?.dateExecuted, 'executed when made: the SDK models require it').to.equal(usd?.dateCreated);
    expect(usd).not.to.have.property('dateCompleted');
    expect(eur).to.include({ totalAmount: 49.5, withholdingsSum: 0 });
    expect(eur?.withholdings).to.deep.equal([]);
    const entries = (await merchant.getLedgerEntries('USD', null as never, null as never)) as unknown as Json[];
    expect(entries.at(-1)).to.include({ code: 1017, amount: Math.round(-(198 - held) * 1e8) });
  });

  it('answers the reconciliation report with the settlement’s own token or the merchant’s, with the entries it covers', async () => {
    const [usd] = (await merchant.getSettlements({ currency: 'USD' })) as unknown as Json[];
    const report = (await merchant.getSettlementReconciliationReport(usd?.id, usd?.token)) as unknown as Json;
    expect(report).to.include({ id: usd?.id, totalAmount: usd?.totalAmount });
    expect(report.ledgerEntries.map((e: Json) => [e.code, e.amount])).to.deep.equal([
      [1000, 200],
      [1023, -2],
      [1017, -usd?.totalAmount],
    ]);
    expect(report.ledgerEntries[0]).to.include({ description: 'o-1' });
    expect(report.ledgerEntries[0].invoiceData).to.include({ orderId: 'o-1', price: 200, currency: 'USD', transactionCurrency: 'BTC' });
    expect(report.ledgerEntries[0].invoiceData.payoutPercentage).to.deep.equal({ USD: 100 });
    expect(report.ledgerEntries[2]).not.to.have.property('invoiceId');
    const viaMerchantToken = await rawRequest(emu, 'GET', `settlements/${usd?.id}/reconciliationReport?token=${token}`, { key });
    expect(viaMerchantToken.json.data.id).to.equal(usd?.id);
    const unsigned = await rawRequest(emu, 'GET', `settlements/${usd?.id}/reconciliationReport?token=${usd?.token}`);
    expect(unsigned.status).to.equal(401);
  });

  it('the next settlement opens where the last closed; a day later the bank has it; PHP’s dateStart/dateEnd and filters work', async () => {
    await completeInvoice(10);
    await emu.clock.advance('1d');
    const [completed] = (await merchant.getSettlements({ status: 'completed', currency: 'USD' })) as unknown as Json[];
    expect(completed?.status).to.equal('completed');
    expect(Date.parse(completed?.dateCompleted)).to.equal(Date.parse(completed?.dateCreated) + 86_400_000);
    await emu.sandbox.settle(merchantId);
    const [latest] = (await merchant.getSettlements({ currency: 'USD', status: 'processing' })) as unknown as Json[];
    expect(latest).to.include({ openingBalance: completed?.withholdingsSum, ledgerEntriesSum: 9.9, withholdingsSum: completed?.withholdingsSum, totalAmount: 9.9 });
    expect(latest?.openingDate).to.equal(completed?.closingDate);
    const today = new Date(emu.clock.now()).toISOString().slice(0, 10);
    const php = await rawRequest(emu, 'GET', `settlements?token=${token}&dateStart=${today}&dateEnd=${today}&currency=USD&status=&limit=100&offset=0`, { key });
    expect(php.json.data.map((s: Json) => s.id)).to.deep.equal([latest?.id]);
    expect((await merchant.getSettlement(latest?.id)) as unknown as Json).to.deep.include({ id: latest?.id, totalAmount: 9.9 });
    const bad = await rawRequest(emu, 'GET', `settlements?token=${token}&status=lost`, { key });
    expect(bad.status).to.equal(400);
    expect(bad.json.code).to.equal('020602');
  });

  it('settles by itself on the merchant’s schedule (weekly by default; 0 turns it off)', async () => {
    const before = ((await merchant.getSettlements({})) as unknown as Json[]).length;
    await completeInvoice(20);
    await emu.clock.advance('7d');
    expect(((await merchant.getSettlements({})) as unknown as Json[]).length).to.equal(before + 1);
    await rawRequest(emu, 'PATCH', `sandbox/merchants/${merchantId}`, { body: { settlementInterval: 0 } });
    await completeInvoice(20);
    await emu.clock.advance('8d');
    expect(((await merchant.getSettlements({})) as unknown as Json[]).length).to.equal(before + 1);
  });
});
