import { expect } from 'chai';
import { Decimal } from 'decimal.js';
import { Models, type Client } from 'bitpay-sdk';
import { pairClient, sdkClient } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { generator } from '../support/random.js';

type Json = Record<string, any>;


const CURRENCIES = ['USD', 'EUR'];

describe('ledger property: after any sequence of invoices, refunds, deposits, payouts and settlements', function () {
  this.timeout(120_000);
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  for (const seed of [7, 2026]) {
    it(`every balance is the sum of its entries, never negative, and every settlement adds up (seed ${seed})`, async () => {
      const random = generator(seed);
      const merchantId = (await emu.sandbox.createMerchant(`Property ${seed}`)).id as string;
      const paired = await pairClient(emu, 'merchant', undefined, merchantId);
      const payoutPair = await pairClient(emu, 'payout', paired.key, merchantId);
      const client: Client = sdkClient(emu, paired.key, { merchant: paired.token, payout: payoutPair.token });
      const [recipient] = (await client.submitPayoutRecipients(new Models.PayoutRecipients([new Models.PayoutRecipient(`r${seed}@example.com`, 'R', null as never)]))) as unknown as Json[];
      await emu.sandbox.acceptRecipient(recipient?.id);
      const complete: Json[] = [];
      const log: string[] = [];

      const operations: Record<string, () => Promise<void>> = {
        invoice: async () => {
          const currency = random.pick(CURRENCIES);
          const price = random.int(100, 50_000) / 100;
          const invoice = (await client.createInvoice(Object.assign(new Models.Invoice(price, currency), { buyer: { email: 'b@example.com' } }))) as unknown as Json;
          await client.payInvoice(invoice.id, 'complete');
          complete.push(invoice);
          log.push(`invoice ${price} ${currency}`);
        },
        refund: async () => {
          const invoice = complete.length ? random.pick(complete) : null;
          if (!invoice) return;
          const amount = Math.max(1, Math.floor((invoice.price * random.int(10, 60)) / 100));
          const refund = (await client.createRefund(Object.assign(new Models.Refund(amount, invoice.id, paired.token), { currency: invoice.currency })).catch(() => null)) as Json | null;
          if (!refund) return;
          await emu.sandbox.refundAddress(refund.id);
          if (random.next() < 0.8) await emu.sandbox.completeRefund(refund.id);
          log.push(`refund ${amount} ${invoice.currency}`);
        },
        deposit: async () => {
          const currency = random.pick(CURRENCIES);
          const amount = random.int(1, 300);
          await emu.sandbox.deposit(currency, amount, merchantId);
          log.push(`deposit ${amount} ${currency}`);
        },
        payout: async () => {
          const currency = random.pick(CURRENCIES);
          const amount = random.int(1, 400);
          await client.submitPayout(Object.assign(new Models.Payout(amount, currency, currency), { recipientId: recipient?.id }));
          await emu.clock.advance(0);
          log.push(`payout ${amount} ${currency}`);
        },
        cutoff: async () => {
          await emu.sandbox.processPayouts(merchantId);
          log.push('cutoff');
        },
        cancel: async () => {
          const open = ((await client.getPayouts({ status: random.pick(['new', 'funded']) })) as unknown as Json[])[0];
          if (open) await client.cancelPayout(open.id);
          log.push('cancel');
        },
        fail: async () => {
          const sending = ((await client.getPayouts({ status: 'processing' })) as unknown as Json[])[0];
          if (sending) await emu.sandbox.failPayout(sending.id);
          log.push('fail');
        },
        mine: async () => {
          await emu.sandbox.mine(1);
          log.push('mine');
        },
        settle: async () => {
          await emu.sandbox.settle(merchantId);
          log.push('settle');
        },
      };
      const names = Object.keys(operations);
      for (let step = 0; step < 30; step++) {
        await (operations[random.pick(names)] as () => Promise<void>)();
        for (const { currency, balance } of (await client.getLedgers()) as unknown as Json[]) {
          const entries = (await client.getLedgerEntries(currency, null as never, null as never)) as unknown as Json[];
          const sum = entries.reduce((acc, e) => acc.plus(new Decimal(e.amount).div(e.scale)), new Decimal(0));
          expect(sum.toNumber(), `${currency} after ${log.join(', ')}`).to.equal(balance);
          expect(balance, `${currency} after ${log.join(', ')}`).to.be.at.least(0);
        }
      }
      for (const settlement of (await client.getSettlements({})) as unknown as Json[]) {
        const total = new Decimal(settlement.openingBalance).plus(settlement.ledgerEntriesSum).minus(settlement.withholdingsSum);
        expect(total.toNumber(), JSON.stringify(settlement)).to.equal(settlement.totalAmount);
        const report = (await client.getSettlementReconciliationReport(settlement.id, settlement.token)) as unknown as Json;
        const covered = report.ledgerEntries.slice(0, -1).reduce((acc: Decimal, e: Json) => acc.plus(e.amount), new Decimal(0));
        expect(covered.toNumber()).to.equal(settlement.ledgerEntriesSum);
      }
    });
  }
});
