import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { Models, type Client } from 'bitpay-sdk';
import { pairClient, rawRequest, sdkClient, type TestKey } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

describe('payouts and payout recipients (BitPay payout facade)', () => {
  let emu: Emulator;
  let receiver: Receiver;
  let payouts: Client;
  let merchant: Client;
  let merchantId: string;
  let payoutToken: string;
  let payoutKey: TestKey;
  let merchantToken: string;

  before(async () => {
    [emu, receiver] = await Promise.all([startTestEmulator(), startReceiver()]);
    merchantId = (await emu.sandbox.createMerchant('Payout shop')).id as string;
    const paired = await pairClient(emu, 'payout', undefined, merchantId);
    payoutToken = paired.token;
    payoutKey = paired.key;
    payouts = sdkClient(emu, paired.key, { payout: paired.token });
    const merchantPair = await pairClient(emu, 'merchant', paired.key, merchantId);
    merchantToken = merchantPair.token;
    merchant = sdkClient(emu, paired.key, { merchant: merchantPair.token, payout: paired.token });
  });
  after(async () => {
    await emu.close();
    await receiver.close();
  });

  const invite = async (email: string, path = `/recipient/${email}`) =>
    ((await payouts.submitPayoutRecipients(new Models.PayoutRecipients([new Models.PayoutRecipient(email, `Label ${email}`, receiver.url(path))]))) as unknown as Json[])[0] as Json;
  const payout = (amount: number, fields: Json) => Object.assign(new Models.Payout(amount, 'USD', 'USD'), fields);
  const ledgerUsd = async () => ((await merchant.getLedgers()) as unknown as Json[]).find((l) => l.currency === 'USD')?.balance ?? 0;
  const tick = () => emu.clock.advance(0);
  /** How long until BitPay's next payout cut-off, 2 pm or 9 pm UTC, on the emulator's clock. */
  const msToCutoff = () => {
    const now = emu.clock.now();
    const midnight = now - (now % 86_400_000);
    const next = [14, 21, 38].map((hour) => midnight + hour * 3_600_000).find((at) => at > now) as number;
    return next - now;
  };

  it('invites recipients, who become active when they accept, with a webhook at each step', async () => {
    const invited = await invite('ann@example.com');
    expect(invited).to.include({ email: 'ann@example.com', label: 'Label ann@example.com', status: 'invited', shopperId: null });
    expect(invited.id).to.match(/^\w{22}$/);
    expect(invited.token).to.be.a('string');
    expect(invited.guid).to.be.a('string');
    const read = (await payouts.getPayoutRecipient(invited.id)) as unknown as Json;
    expect(read).to.deep.equal(invited);
    const refused = await payouts.submitPayout(payout(10, { recipientId: invited.id })).catch((e: Error) => e);
    expect((refused as Error).message).to.match(/is invited, not active: it must accept its invite first/);
    await emu.sandbox.acceptRecipient(invited.id);
    const active = (await payouts.getPayoutRecipient(invited.id)) as unknown as Json;
    expect(active.status).to.equal('active');
    expect(active.shopperId).to.match(/^\w{22}$/);
    await emu.webhooks.flush();
    const hooks = receiver.at('/recipient/ann@example.com');
    expect(hooks.map((h) => h.json.event)).to.deep.equal([
      { code: 4001, name: 'recipient_invited' },
      { code: 4002, name: 'recipient_unverified' },
      { code: 4003, name: 'recipient_verified' },
      { code: 4004, name: 'recipient_active' },
    ]);
    expect(hooks[3]?.json.data).to.deep.equal({ id: invited.id, shopperId: active.shopperId, email: 'ann@example.com', label: 'Label ann@example.com', status: 'active' });
    expect(hooks[0]?.headers['x-signature']).to.equal(createHmac('sha256', payoutToken).update(hooks[0]?.raw as string).digest('base64'));
  });

  it('lists, updates, notifies and removes recipients; a merchant setting makes new ones active at once', async () => {
    const bob = await invite('bob@example.com');
    const listed = (await payouts.getPayoutRecipients({ status: 'invited', limit: 10, offset: 0 })) as unknown as Json[];
    expect(listed.map((r) => r.email)).to.deep.equal(['bob@example.com']);
    const updated = (await payouts.updatePayoutRecipient(bob.id, new Models.PayoutRecipient(null as never, 'Bob123', null as never))) as unknown as Json;
    expect(updated).to.include({ label: 'Bob123', email: 'bob@example.com' });
    expect(await payouts.requestPayoutRecipientNotification(bob.id)).to.equal(true);
    expect(await payouts.deletePayoutRecipient(bob.id)).to.equal(true);
    expect(((await payouts.getPayoutRecipient(bob.id)) as unknown as Json).status).to.equal('removed');
    const again = await payouts.deletePayoutRecipient(bob.id).catch((e: Error) => e);
    expect((again as Error).message).to.match(/already removed/);
    await rawRequest(emu, 'PATCH', `sandbox/merchants/${merchantId}`, { body: { recipientsAutoActive: true } });
    const carl = await invite('carl@example.com');
    expect(carl.status).to.equal('active');
    await rawRequest(emu, 'PATCH', `sandbox/merchants/${merchantId}`, { body: { recipientsAutoActive: false } });
    const before = (await emu.webhooks.list({ limit: 1000 })).length;
    const resubmitted = await invite('carl@example.com');
    expect(resubmitted, 'an e-mail already a recipient is answered with that recipient (BitPay)').to.deep.equal(carl);
    expect((await emu.webhooks.list({ limit: 1000 })).length, 'and nothing is told again').to.equal(before);
    const missing = await payouts.getPayoutRecipient('nope').catch((e: Error & { code?: string }) => e);
    expect((missing as Error).message).to.match(/Recipient nope not found/);
  });

  it('a notification asked for a recipient without notificationURL is e-mailed, as BitPay does, and shows in the log', async () => {
    const [dora] = (await payouts.submitPayoutRecipients(new Models.PayoutRecipients([new Models.PayoutRecipient('dora@example.com', 'Dora', null as never)]))) as unknown as Json[];
    expect(dora).to.not.have.property('notificationURL');
    expect(await payouts.requestPayoutRecipientNotification(dora!.id)).to.equal(true);
    await emu.webhooks.flush();
    const [mailed] = (await emu.webhooks.list({ limit: 1000 })).filter((d) => d.recipientId === dora!.id);
    expect(mailed).to.include({ url: 'mailto:dora@example.com', channel: 'email', status: 'delivered' });
    expect(mailed!.event).to.deep.equal({ code: 4007, name: 'recipient_manuallyNotified' });
    expect(mailed!.attempts[0]!.response).to.deep.equal({ status: null, body: 'e-mailed to dora@example.com (simulated: the emulator sends no mail)' });
  });

  it('a payout stays new until a cut-off; one the ledger cannot fund says why; after a deposit the next cut-off funds it; it is sent and completes with webhooks 5001–5003', async () => {
    const ann = ((await payouts.getPayoutRecipients({ status: 'active' })) as unknown as Json[]).find((r) => r.email === 'ann@example.com') as Json;
    const created = (await payouts.submitPayout(payout(50, { email: 'ann@example.com', reference: 'ref-1', notificationURL: receiver.url('/payout/1') }))) as unknown as Json;
    expect(created).to.include({ status: 'new', amount: 50, currency: 'USD', ledgerCurrency: 'USD', recipientId: ann.id, shopperId: ann.shopperId, email: 'ann@example.com', reference: 'ref-1', accountId: merchantId });
    expect(created.groupId, 'a payout made alone is a group of its own').to.match(/^\w{22}$/);
    expect(created.exchangeRates.BTC.USD).to.equal(65000);
    await tick();
    const untouched = (await payouts.getPayout(created.id)) as unknown as Json;
    expect(untouched.status, 'BitPay funds payouts at its cut-offs, not at once').to.equal('new');
    expect(untouched).not.to.have.property('message');
    await emu.sandbox.processPayouts(merchantId);
    const waiting = (await payouts.getPayout(created.id)) as unknown as Json;
    expect(waiting.status).to.equal('new');
    expect(waiting.message).to.match(/Insufficient funds: the USD ledger has 0 available, the payout needs 50 plus a 0.5 fee/);
    await rawRequest(emu, 'POST', `sandbox/ledgers/USD/deposits`, { body: { amount: 100, merchantId } });
    expect(((await payouts.getPayout(created.id)) as unknown as Json).status, 'a deposit waits for the cut-off too').to.equal('new');
    const processed = await rawRequest(emu, 'POST', 'sandbox/payouts/process', { body: { merchantId } });
    expect(processed.json).to.deep.equal({ processed: 1 });
    const funded = (await payouts.getPayout(created.id)) as unknown as Json;
    expect(funded.status).to.equal('processing');
    expect(funded).not.to.have.property('message');
    expect(funded.transactions).to.have.length(1);
    expect(funded.transactions[0]).to.include({ amount: 0.00076924, confirmations: 0 });
    expect(await ledgerUsd()).to.equal(49.5);
    const entries = ((await merchant.getLedgerEntries('USD', null as never, null as never)) as unknown as Json[]).map((e) => [e.code, e.amount / e.scale]);
    expect(entries).to.deep.equal([[1005, 100], [1002, -50], [1040, -0.5]]);
    await emu.sandbox.mine(1);
    const complete = (await payouts.getPayout(created.id)) as unknown as Json;
    expect(complete.status).to.equal('complete');
    expect(complete.transactions[0].confirmations).to.equal(1);
    expect(Date.parse(complete.dateExecuted)).to.equal(emu.clock.now());
    await emu.webhooks.flush();
    const hooks = receiver.at('/payout/1').map((h) => h.json);
    expect(hooks.map((h) => [h.event.code, h.data.status])).to.deep.equal([
      [5001, 'funded'],
      [5002, 'processing'],
      [5003, 'complete'],
    ]);
    expect(hooks[2].data).not.to.have.property('token');
    expect(hooks[2].data.id).to.equal(created.id);
    expect(await payouts.requestPayoutNotification(created.id)).to.equal(true);
    await emu.webhooks.flush();
    expect(receiver.at('/payout/1').at(-1)?.json.event).to.deep.equal({ code: 5005, name: 'payout_manuallyNotified' });
  });

  it('cancels a new or funded payout (money back in the ledger, 5004), not a complete one; fails one from the sandbox', async () => {
    const fresh = (await payouts.submitPayout(payout(10, { email: 'ann@example.com', effectiveDate: new Date(emu.clock.now() + 86_400_000).toISOString(), notificationURL: receiver.url('/payout/2') }))) as unknown as Json;
    await tick();
    expect(((await payouts.getPayout(fresh.id)) as unknown as Json).status).to.equal('new');
    const before = await ledgerUsd();
    expect(await payouts.cancelPayout(fresh.id)).to.equal(true);
    expect(((await payouts.getPayout(fresh.id)) as unknown as Json).status).to.equal('cancelled');
    expect(await ledgerUsd()).to.equal(before);
    await emu.webhooks.flush();
    expect(receiver.at('/payout/2').map((h) => h.json.event.code)).to.deep.equal([5004]);
    const [done] = (await payouts.getPayouts({ status: 'complete' })) as unknown as Json[];
    const refused = await payouts.cancelPayout(done?.id).catch((e: Error) => e);
    expect((refused as Error).message).to.match(/is complete; only a new or funded payout can be cancelled/);

    const failing = (await payouts.submitPayout(payout(20, { email: 'ann@example.com' }))) as unknown as Json;
    await emu.clock.advance(msToCutoff() - 1000);
    expect(((await payouts.getPayout(failing.id)) as unknown as Json).status, 'a second before the cut-off').to.equal('new');
    await emu.clock.advance(1000);
    expect(((await payouts.getPayout(failing.id)) as unknown as Json).status, 'at the cut-off (2 pm or 9 pm UTC)').to.equal('processing');
    const afterFunding = await ledgerUsd();
    const failed = await rawRequest(emu, 'POST', `sandbox/payouts/${failing.id}/fail`, { body: { message: 'Recipient wallet rejected it' } });
    expect(failed.json).to.deep.equal({ id: failing.id, status: 'failed', message: 'Recipient wallet rejected it' });
    expect(await ledgerUsd()).to.equal(afterFunding + 20.2);
    expect(((await payouts.getPayout(failing.id)) as unknown as Json).message).to.equal('Recipient wallet rejected it');
  });

  it('lists payouts by status, reference and dates', async () => {
    const all = (await payouts.getPayouts({})) as unknown as Json[];
    expect(all.length).to.equal(3);
    expect(((await payouts.getPayouts({ reference: 'ref-1' })) as unknown as Json[]).map((p) => p.reference)).to.deep.equal(['ref-1']);
    const today = (all[0]?.requestDate as string).slice(0, 10);
    expect(((await payouts.getPayouts({ startDate: today, endDate: today })) as unknown as Json[]).length).to.equal(3);
    expect(((await payouts.getPayouts({ startDate: '2001-01-01', endDate: '2001-01-02' })) as unknown as Json[]).length).to.equal(0);
    const bad = await payouts.getPayouts({ status: 'bogus' }).catch((e: Error) => e);
    expect((bad as Error).message).to.match(/status: must be one of new, funded/);
  });

  it('submits a payout group with created and failed lists, and cancels it', async () => {
    const group = (await payouts.submitPayouts([
      payout(5, { email: 'ann@example.com', effectiveDate: new Date(emu.clock.now() + 3_600_000).toISOString() }),
      payout(6, { email: 'nobody@example.com' }),
      payout(7, { email: 'ann@example.com', effectiveDate: new Date(emu.clock.now() + 3_600_000).toISOString() }),
    ])) as unknown as Json;
    expect(group.payouts.map((p: Json) => p.amount)).to.deep.equal([5, 7]);
    expect(group.payouts[0].groupId).to.be.a('string');
    expect(group.failed).to.have.length(1);
    expect(group.failed[0]).to.include({ payee: 'nobody@example.com' });
    expect(group.failed[0].errMessage).to.match(/not a recipient of this account/);
    const cancelled = (await payouts.cancelPayouts(group.payouts[0].groupId)) as unknown as Json;
    expect(cancelled.payouts.map((p: Json) => p.status)).to.deep.equal(['cancelled', 'cancelled']);
    expect(cancelled.failed).to.deep.equal([]);
    const again = (await payouts.cancelPayouts(group.payouts[0].groupId)) as unknown as Json;
    expect(again.payouts).to.deep.equal([]);
    expect(again.failed.map((f: Json) => f.payoutId)).to.have.members(group.payouts.map((p: Json) => p.id));
    expect(again.failed[0].errMessage).to.match(/is cancelled; only a new or funded payout can be cancelled/);
  });

  it('refuses what is wrong with BitPay’s coded errors, and other facades', async () => {
    const cases: [Json, RegExp][] = [
      [{ email: 'ann@example.com', amount: -1 }, /amount/],
      [{ amount: 10 }, /exactly one of email, recipientId and shopperId/],
      [{ email: 'ann@example.com', recipientId: 'x', amount: 10 }, /exactly one of/],
      [{ email: 'ann@example.com', amount: 10, currency: 'XYZ' }, /XYZ is not a supported currency/],
      [{ email: 'ann@example.com', amount: 10, effectiveDate: 'soon' }, /effectiveDate/],
    ];
    for (const [fields, message] of cases) {
      const { amount, currency, ...rest } = fields;
      const body = { token: payoutToken, amount, currency: currency ?? 'USD', ledgerCurrency: 'USD', ...rest };
      const response = await rawRequest(emu, 'POST', 'payouts', { key: payoutKey, body });
      expect(response.status, JSON.stringify(fields)).to.equal(400);
      expect(response.json).to.include({ status: 'error', data: null });
      expect(response.json.code).to.match(/^0105\d\d$/);
      expect(response.json.error).to.match(message);
    }
    const viaMerchant = await rawRequest(emu, 'GET', `payouts?token=${merchantToken}`, { key: payoutKey });
    expect(viaMerchant.status).to.equal(403);
    expect(viaMerchant.json.error).to.match(/does not support the `merchant` facade/);
  });
});
