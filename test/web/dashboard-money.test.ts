import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { Models } from 'bitpay-sdk';
import { pairClient, sdkClient } from '../support/bitpay.js';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../support/browser.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('dashboard: ledgers, settlements, payouts and bills in a browser', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;
  let merchantId: string;

  before(async () => {
    [emu, browser] = await Promise.all([startTestEmulator(), launchBrowser()]);
    merchantId = (await emu.sandbox.createMerchant('Dashboard shop')).id as string;
    const merchant = await pairClient(emu, 'merchant', undefined, merchantId);
    const payout = await pairClient(emu, 'payout', merchant.key, merchantId);
    const client = sdkClient(emu, merchant.key, { merchant: merchant.token, payout: payout.token });
    const invoice = (await client.createInvoice(new Models.Invoice(120, 'USD'))) as unknown as Json;
    await client.payInvoice(invoice.id, 'complete');
    await client.submitPayoutRecipients(new Models.PayoutRecipients([new Models.PayoutRecipient('dash@example.com', 'Dash', null as never)]));
    await client.createBill(new Models.Bill('dash-1', 'USD', 'b@example.com', [{ price: 9, quantity: 1, description: 'Mug' }] as never));
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('shows the ledgers, takes a deposit and settles', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${emu.url}dashboard/ledgers?merchant=${merchantId}`);
    expect(await page.getByTestId('balances').innerText()).to.include('USD').and.include('118.8');
    expect(await page.getByTestId('entries').innerText()).to.include('invoice-fee').and.include('-1.2');
    await page.getByTestId('deposit-amount').fill('81.2');
    await page.getByRole('button', { name: 'Deposit' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal('Deposited 81.2 USD');
    expect(await page.getByTestId('balances').innerText()).to.include('200');
    await page.getByRole('button', { name: 'Settle now' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal('Settled 200 USD');
    expect(await page.getByTestId('settlements').innerText()).to.include('processing').and.include('200');
    await page.screenshot({ path: artifact('dashboard-ledgers-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: artifact('dashboard-ledgers-phone.png'), fullPage: true });
    await page.close();
  });

  it('accepts a recipient’s invite and lists the bills', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${emu.url}dashboard/payouts?merchant=${merchantId}`);
    const row = page.locator('[data-recipient]');
    expect(await row.innerText()).to.include('dash@example.com').and.include('invited');
    await row.getByRole('button', { name: 'Accept invite' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal('dash@example.com is active');
    expect(await page.locator('[data-recipient]').innerText()).to.include('active');
    expect(await page.locator('[data-recipient]').getByRole('button').count()).to.equal(0);
    await page.getByRole('button', { name: 'Run the cut-off now' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal('Cut-off: 0 new payouts looked at');
    await page.screenshot({ path: artifact('dashboard-payouts.png'), fullPage: true });
    await page.goto(`${emu.url}dashboard/bills?merchant=${merchantId}`);
    expect(await page.getByTestId('bills').innerText()).to.include('dash-1').and.include('bitpay').and.include('draft');
    await page.getByRole('link', { name: 'Bill page' }).click();
    expect(await page.getByTestId('total').innerText()).to.equal('9.00 USD');
    await page.close();
  });
});
