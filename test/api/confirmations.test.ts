import { expect } from 'chai';
import { rawRequest } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { generator } from '../support/random.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;


describe('confirmations: no invoice is stranded, whatever the batches of blocks', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let receiver: Receiver;
  let pos: string;

  before(async () => {
    receiver = await startReceiver();
    emu = await startTestEmulator({ blockIntervalMs: '10s' });
    pos = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token as string;
  });
  after(async () => {
    await emu.close();
    await receiver.close();
  });

  async function create(speed: string): Promise<string> {
    const { status, json } = await rawRequest(emu, 'POST', 'invoices', {
      body: { token: pos, price: 10, currency: 'USD', transactionSpeed: speed, notificationURL: receiver.url(), extendedNotifications: true },
    });
    expect(status).to.equal(200);
    return json.data.id as string;
  }

  async function statusOf(id: string): Promise<{ status: string; confirmations: number }> {
    const { invoice, sandbox } = await emu.sandbox.invoice(id);
    const counted = sandbox.transactions.filter((tx: Json) => !tx.doubleSpent);
    return { status: invoice.status as string, confirmations: Math.min(...counted.map((tx: Json) => tx.confirmations as number)) };
  }

  it('the three reported sequences end complete', async () => {
    const sevenAtOnce = await create('medium');
    await emu.sandbox.pay(sevenAtOnce);
    await emu.sandbox.mine(7);
    expect(await statusOf(sevenAtOnce)).to.deep.equal({ status: 'complete', confirmations: 7 });

    const oneThenSix = await create('medium');
    await emu.sandbox.pay(oneThenSix);
    await emu.sandbox.mine(1);
    await emu.sandbox.mine(6);
    expect(await statusOf(oneThenSix)).to.deep.equal({ status: 'complete', confirmations: 7 });

    const byTheClock = await create('medium');
    await emu.sandbox.pay(byTheClock);
    await emu.clock.advance('2m');
    expect(await statusOf(byTheClock)).to.deep.equal({ status: 'complete', confirmations: 12 });
  });

  for (const speed of ['high', 'medium', 'low']) {
    it(`${speed}: random pays, mines of 1..50 blocks and clock advances with auto-mining leave every paid invoice complete at 6 confirmations`, async () => {
      const seed = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const random = generator(seed);
      const context = `speed ${speed}, PROPERTY_SEED=${seed}`;
      const open: string[] = [];
      const paid = new Set<string>();
      for (let step = 0; step < 60; step++) {
        const action = random.pick(['create', 'pay', 'pay', 'mine', 'advance']);
        if (action === 'create' || open.length === 0) {
          open.push(await create(speed));
        } else if (action === 'pay') {
          const id = open.splice(random.int(0, open.length - 1), 1)[0] as string;
          const payment = await rawRequest(emu, 'POST', `sandbox/invoices/${id}/payments`, { body: random.next() < 0.2 ? { percent: 50 } : {} });
          expect(payment.status, context).to.equal(200);
          const after = payment.json.invoice.status as string;
          if (after === 'new') open.push(id);
          else if (after !== 'expired') paid.add(id);
        } else if (action === 'mine') {
          await emu.sandbox.mine(random.int(1, 50));
        } else {
          await emu.clock.advance(random.int(1, 180) * 1000);
        }
        for (const id of paid) {
          const { status, confirmations } = await statusOf(id);
          if (confirmations >= 6) expect(status, `${id} with ${confirmations} confirmations after step ${step} (${action}); ${context}`).to.equal('complete');
        }
      }
      expect(paid.size, `invoices paid in full on time; ${context}`).to.be.at.least(3);
      await emu.sandbox.mine(6);
      await emu.webhooks.flush();
      for (const id of paid) {
        expect((await statusOf(id)).status, `${id}; ${context}`).to.equal('complete');
        const deliveries = await emu.webhooks.list({ invoiceId: id });
        const completed = deliveries.filter((d) => d.event.code === 1006);
        expect(completed, `invoice_completed for ${id}; ${context}`).to.have.length(1);
        expect(completed[0]?.status, `${id}; ${context}`).to.equal('delivered');
      }
      const completedAtReceiver = new Set(receiver.received.filter((r) => r.json?.event?.code === 1006).map((r) => r.json.data.id as string));
      for (const id of paid) expect(completedAtReceiver.has(id), `receiver got invoice_completed for ${id}; ${context}`).to.equal(true);
    });
  }
});
