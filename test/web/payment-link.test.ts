import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../support/browser.js';
import { btpay } from '../support/btpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('payment link page in a browser (seed 001)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;
  let key: string;

  before(async () => {
    [emu, browser] = await Promise.all([startTestEmulator(), launchBrowser()]);
    const merchantId = (await emu.sandbox.createMerchant('Link shop')).id as string;
    key = (await emu.sandbox.apiKey({ dialect: 'btpay', merchantId })).apiKey as string;
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('a payer chooses an amount, gets an invoice, pays it with the sandbox buttons and is sent back', async () => {
    const link = (await btpay(emu.url, 'POST', 'payment-links', { key, body: { title: 'Support the café', description: 'Pay what you like', redirect_url: 'https://shop.example/thanks' } })).json as Json;
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(link.url);
    expect(await page.getByTestId('payment-link').innerText()).to.include('Support the café').and.include('Pay what you like').and.include('BTPay');
    await page.screenshot({ path: artifact('payment-link-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: artifact('payment-link-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);

    await page.getByTestId('amount').fill('0.001');
    await page.getByTestId('pay').click();
    expect(await page.getByTestId('problem').innerText()).to.match(/at most 2 decimals/);
    await page.getByTestId('amount').fill('12.50');
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/i\/\w+$/);
    expect(await page.getByTestId('brand').innerText()).to.equal('BTPay');
    expect(await page.getByTestId('status').innerText()).to.equal('pending');
    expect(await page.getByTestId('checkout').innerText()).to.include('12.5 USD');
    expect(await page.getByRole('button', { name: 'Mark wire received' }).count()).to.equal(0);
    await page.screenshot({ path: artifact('payment-link-checkout.png'), fullPage: true });
    await page.getByRole('button', { name: 'Pay exactly' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="paid"]');
    expect(await page.getByTestId('status').innerText()).to.equal('paid');
    expect(await page.getByTestId('return').getAttribute('href')).to.equal('https://shop.example/thanks');

    const listed = (await btpay(emu.url, 'GET', 'invoices?status=paid', { key })).json as Json;
    expect(listed.invoices.map((i: Json) => [i.total, i.lines[0].description])).to.deep.equal([['12.50', 'Support the café']]);
    await page.close();
  });

  it('a fixed-amount link that takes wires shows the wire button on its checkout', async () => {
    const link = (await btpay(emu.url, 'POST', 'payment-links', { key, body: { title: 'Annual plan', amount: '120', currency: 'EUR', payment_methods: ['onchain_btc', 'wire'] } })).json as Json;
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(link.url);
    expect(await page.getByTestId('fixed-amount').innerText()).to.equal('120.00 EUR');
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/i\/\w+$/);
    await page.getByRole('button', { name: 'Mark wire received' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="complete"]');
    expect(await page.getByTestId('status').innerText()).to.equal('confirmed');
    expect(await page.getByRole('button', { name: 'Mark wire received' }).count()).to.equal(0);
    await page.close();
  });

  it('Settings › API keys creates a read-only btpay key, lists it and revokes it', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${emu.url}dashboard/settings/api-keys`);
    await page.getByTestId('key-dialect').selectOption('btpay');
    await page.getByTestId('key-label').fill('reporting');
    await page.getByTestId('key-read-only').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const flash = await page.locator('.flash').innerText();
    const made = /New btpay key: ([0-9a-f]{40})/.exec(flash)?.[1] as string;
    expect(made, flash).to.be.a('string');
    const row = page.locator(`tr[data-key="${made}"]`);
    expect(await row.innerText()).to.include('reporting').and.include('read').and.include('active');
    await page.screenshot({ path: artifact('dashboard-api-keys.png'), fullPage: true });
    expect((await btpay(emu.url, 'GET', 'invoices', { key: made })).status).to.equal(200);
    expect((await btpay(emu.url, 'POST', 'invoices', { key: made, body: { lines: [{ description: 'x', quantity: 1, unit_price: 1 }] } })).status).to.equal(403);
    await row.getByRole('button', { name: 'Revoke' }).click();
    expect(await page.locator(`tr[data-key="${made}"]`).innerText()).to.include('revoked');
    expect((await btpay(emu.url, 'GET', 'invoices', { key: made })).status).to.equal(401);
    await page.close();
  });
});
