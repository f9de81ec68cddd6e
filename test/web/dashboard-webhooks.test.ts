import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { Models } from 'bitpay-sdk';
import { pairClient, sdkClient } from '../support/bitpay.js';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../support/browser.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

describe('dashboard: the webhook log across invoices, redeliver, reset', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;
  let receiver: Receiver;
  let invoices: Json[];

  before(async () => {
    [emu, browser, receiver] = await Promise.all([startTestEmulator(), launchBrowser(), startReceiver()]);
    const { key, token } = await pairClient(emu, 'merchant');
    const client = sdkClient(emu, key, { merchant: token });
    receiver.plan('/failing', 500, 500, 500, 500, 500, 500);
    invoices = [];
    for (const path of ['/good', '/failing']) {
      const invoice = (await client.createInvoice(Object.assign(new Models.Invoice(10, 'USD'), { notificationURL: receiver.url(path) }))) as unknown as Json;
      await emu.sandbox.pay(invoice.id);
      invoices.push(invoice);
    }
    await emu.webhooks.flush();
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
    await receiver?.close();
  });

  it('lists every delivery, filters by status, URL and event, shows indented bodies and redelivers', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    // This file's receiver only: on a shared PostgreSQL database, other files' deliveries are in the log too.
    const base = receiver.url('');
    await page.goto(`${emu.url}dashboard/webhooks?url=${encodeURIComponent(base)}`);
    expect(await page.getByTestId('delivery').count()).to.equal(2);
    await page.getByTestId('filter-url').fill(`${base}/failing`);
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByTestId('delivery').count()).to.equal(1);
    const failing = page.getByTestId('delivery').first();
    expect(await failing.locator('summary').first().innerText()).to.include('invoice_paidInFull').and.include(invoices[1]?.id).and.include('pending');
    await page.goto(`${emu.url}dashboard/webhooks?status=delivered&event=invoice_paidInFull&url=${encodeURIComponent(base)}`);
    const delivered = page.getByTestId('delivery');
    expect(await delivered.count()).to.equal(1);
    await delivered.locator('summary').first().click();
    await delivered.getByTestId('attempt').locator('summary').click();
    const body = await delivered.getByTestId('request-body').innerText();
    expect(body).to.include('\n  "id": ').and.include(invoices[0]?.id);
    await page.screenshot({ path: artifact('dashboard-webhooks.png'), fullPage: true });
    await delivered.getByRole('button', { name: 'Redeliver' }).click();
    expect(await page.getByTestId('flash').innerText()).to.match(/Redeliver|redeliver|queued/i);
    await emu.webhooks.flush();
    expect(receiver.at('/good')).to.have.length(2);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: artifact('dashboard-webhooks-phone.png'), fullPage: true });
    await page.close();
  });

  it('resets only when asked twice', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${emu.url}dashboard/chain`);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset the emulator' }).click();
    expect(await page.url()).to.include('/dashboard/chain');
    expect(await emu.sandbox.invoice(invoices[0]?.id)).to.have.property('invoice');
    await page.getByTestId('reset-confirm').check();
    await page.getByRole('button', { name: 'Reset the emulator' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal('Reset: everything wiped');
    const gone = await emu.sandbox.invoice(invoices[0]?.id).catch((error: Error) => error);
    expect((gone as Error).message).to.match(/not found/);
    await page.close();
  });
});
