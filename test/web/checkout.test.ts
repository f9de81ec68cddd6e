import { expect } from 'chai';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { Models, type Client } from 'bitpay-sdk';
import { pairClient, rawRequest, sdkClient } from '../support/bitpay.js';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../support/browser.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

type Json = Record<string, any>;

describe('checkout page in a browser', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;
  let receiver: Receiver;
  let merchant: Client;

  before(async () => {
    [emu, browser, receiver] = await Promise.all([startTestEmulator(), launchBrowser(), startReceiver()]);
    const { key, token } = await pairClient(emu, 'merchant');
    merchant = sdkClient(emu, key, { merchant: token });
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
    await receiver?.close();
  });

  async function create(fields: Json = {}): Promise<Json> {
    const invoice = new Models.Invoice(25, 'USD');
    Object.assign(invoice, { itemDesc: 'Espresso machine', notificationURL: receiver.url(), ...fields });
    return (await merchant.createInvoice(invoice)) as unknown as Json;
  }

  it('speaks BTCPay Server’s words and colour for an invoice made through Greenfield, and BitPay’s for BitPay’s', async () => {
    const { apiKey, storeId } = (await emu.sandbox.apiKey({ dialect: 'greenfield' })) as Json;
    const response = await fetch(`${emu.url}api/v1/stores/${storeId}/invoices`, {
      method: 'POST',
      headers: { authorization: `token ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '12', currency: 'EUR', metadata: { itemDesc: 'Greenfield mug' } }),
    });
    const greenfield = (await response.json()) as Json;
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(greenfield.checkoutLink);
    expect(await page.getByTestId('brand').innerText()).to.equal('BTCPay Server');
    expect(await page.getByTestId('status').innerText()).to.equal('New');
    expect(await page.getByTestId('checkout').innerText()).to.include('Greenfield mug').and.include('12 EUR');
    const accent = await page.getByRole('button', { name: 'Pay exactly' }).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);
    expect(accent).to.equal('rgb(30, 122, 68)');
    await page.screenshot({ path: artifact('checkout-greenfield-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: artifact('checkout-greenfield-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'Pay exactly' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="paid"]');
    expect(await page.getByTestId('status').innerText()).to.equal('Processing');
    await page.close();

    const bitpay = await create();
    const other = await browser.newPage({ viewport: DESKTOP });
    await other.goto(bitpay.url);
    expect(await other.getByTestId('brand').innerText()).to.equal('BitPay');
    expect(await other.getByRole('button', { name: 'Pay exactly' }).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).to.equal('rgb(26, 86, 219)');
    await other.close();
  });

  it('has the structure of BitPay’s checkout: merchant header, currency step, copy buttons, network cost, confirmations, end screens', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const invoice = await create({ redirectURL: 'https://shop.example/thanks', closeURL: 'https://shop.example/cart' });
      const page = await browser.newPage({ viewport });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
      await page.goto(invoice.url);
      expect(await page.getByTestId('merchant-header').innerText()).to.include('Sandbox Merchant').and.include('BitPay');
      expect(await page.getByTestId('currency-step').innerText()).to.include('Bitcoin (BTC)');
      expect(await page.getByTestId('network-cost').innerText()).to.equal('Includes a network cost of 0.000001 BTC');
      await page.getByTestId('copy-address').click();
      await page.getByTestId('copy-address').filter({ hasText: 'Copied' }).waitFor({ timeout: 5000 });
      expect(await page.getByRole('button', { name: 'Mine a block' }).count()).to.equal(0);
      const suffix = viewport === DESKTOP ? 'desktop' : 'phone';
      await page.screenshot({ path: artifact(`checkout-structure-new-${suffix}.png`), fullPage: true });
      await emu.sandbox.pay(invoice.id);
      await page.waitForSelector('[data-testid="checkout"][data-status="paid"]');
      expect(await page.getByTestId('confirmations').innerText()).to.equal('Confirmations: 0 of 6');
      expect(await page.getByRole('button', { name: 'Pay exactly' }).count()).to.equal(0);
      await page.getByRole('button', { name: 'Mine a block' }).click();
      await page.waitForSelector('[data-testid="checkout"][data-status="confirmed"]');
      expect(await page.getByTestId('confirmations').innerText()).to.equal('Confirmations: 1 of 6');
      await page.getByRole('button', { name: 'Mine 6 blocks' }).click();
      await page.waitForSelector('[data-testid="checkout"][data-status="complete"]');
      expect(await page.getByTestId('end-screen').innerText()).to.include('Payment complete');
      expect(await page.getByTestId('return').getAttribute('href')).to.equal('https://shop.example/thanks');
      expect(await page.getByRole('button', { name: /Mine/ }).count()).to.equal(0);
      await page.screenshot({ path: artifact(`checkout-structure-complete-${suffix}.png`), fullPage: true });
      await page.close();
    }
  });

  it('shows a refusal of the sandbox on the page, and the expired end screen with its close link', async () => {
    const invoice = await create({ closeURL: 'https://shop.example/cart' });
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(invoice.url);
    await emu.sandbox.expire(invoice.id);
    // The page still shows "Expire now" until it next polls: the server refuses it, and the page says why.
    await page.getByRole('button', { name: 'Expire now' }).click();
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor({ state: 'visible' });
    expect(await refusal.innerText()).to.match(/only a new invoice can expire/);
    await page.reload();
    expect(await page.getByTestId('end-screen').innerText()).to.include('This invoice has expired');
    expect(await page.getByTestId('close').getAttribute('href')).to.equal('https://shop.example/cart');
    expect(await page.getByRole('button', { name: /Pay|Expire/ }).count()).to.equal(0);
    await page.close();
  });

  it('shows the invoice, then paid and confirmed without a reload; the IPN is in the dashboard', async () => {
    const invoice = await create({ redirectURL: 'https://shop.example/thanks' });
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(invoice.url);
    expect(await page.getByTestId('status').textContent()).to.equal('new');
    const text = await page.getByTestId('checkout').innerText();
    expect(text).to.include('Sandbox Merchant').and.include('Espresso machine').and.include('25 USD');
    expect(await page.getByTestId('btc-due').innerText()).to.equal(`${invoice.paymentDisplayTotals.BTC} BTC`);
    expect(await page.getByTestId('address').innerText()).to.equal(/^bitcoin:([^?]+)/.exec(invoice.paymentCodes.BTC.BIP21)![1]);
    expect(await page.getByTestId('countdown').innerText()).to.match(/^1[45]:\d\d$/);
    await page.screenshot({ path: artifact('checkout-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: artifact('checkout-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);

    await page.evaluate('window.sameDocument = true');
    await page.getByRole('button', { name: 'Pay exactly' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="paid"]');
    expect(await page.getByTestId('status-text').innerText()).to.equal('Payment received, waiting for confirmation');
    await page.getByRole('button', { name: 'Mine a block' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="confirmed"]');
    expect(await page.evaluate('window.sameDocument')).to.equal(true);
    expect(await page.getByTestId('return').getAttribute('href')).to.equal('https://shop.example/thanks');

    await emu.webhooks.flush();
    await page.goto(`${emu.url}dashboard/invoices/${invoice.id}`);
    const deliveries = await page.getByTestId('deliveries').innerText();
    expect(deliveries).to.include('1003 invoice_paidInFull').and.include('1005 invoice_confirmed').and.include('HTTP 200');
    expect(deliveries).to.include(`"id":"${invoice.id}"`);
    await page.close();
  });

  it('shows a QR code that decodes to the invoice’s BIP21 URI', async () => {
    const invoice = await create();
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(invoice.url);
    const png = PNG.sync.read(await page.getByTestId('qr').screenshot());
    const decoded = (jsQRModule as unknown as typeof jsQRModule.default)(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).to.equal(invoice.paymentCodes.BTC.BIP21);
    await page.close();
  });

  it('underpays, overpays and expires with the sandbox buttons', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    const under = await create();
    await page.goto(under.url);
    await page.getByRole('button', { name: 'Underpay (50 %)' }).click();
    await page.waitForSelector('[data-testid="exception"]');
    expect(await page.getByTestId('exception').innerText()).to.equal('Only part of the amount was paid.');
    await page.getByRole('button', { name: 'Expire now' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="expired"]');
    const over = await create();
    await page.goto(over.url);
    await page.getByRole('button', { name: 'Overpay (150 %)' }).click();
    await page.waitForSelector('[data-testid="checkout"][data-status="paid"]');
    expect(await page.getByTestId('exception').innerText()).to.equal('More than the amount was paid.');
    await page.close();
  });

  it('works with JavaScript off: readable, and the buttons post and come back', async () => {
    const invoice = await create();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(invoice.url);
    expect(await page.getByTestId('status').innerText()).to.equal('new');
    expect(await page.getByTestId('address').innerText()).to.match(/^tb1q/);
    await page.getByRole('button', { name: 'Pay exactly' }).click();
    await page.waitForURL(`**/i/${invoice.id}`);
    expect(await page.getByTestId('status').innerText()).to.equal('paid');
    await context.close();
  });

  it('redirects to redirectURL once paid when autoRedirect is set', async () => {
    const invoice = await create({ redirectURL: receiver.url('/thanks'), autoRedirect: true });
    const page = await browser.newPage();
    await page.goto(invoice.url);
    await page.getByRole('button', { name: 'Pay exactly' }).click();
    await page.waitForURL(receiver.url('/thanks'), { timeout: 10_000 });
    await page.close();
  });

  it('links Close to closeURL while unpaid', async () => {
    const invoice = await create({ closeURL: 'https://shop.example/cart', redirectURL: 'https://shop.example/thanks' });
    const page = await browser.newPage();
    await page.goto(invoice.url);
    expect(await page.getByTestId('close').getAttribute('href')).to.equal('https://shop.example/cart');
    await page.close();
  });
});

describe('merchant dashboard in a browser', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;

  before(async () => {
    [emu, browser] = await Promise.all([startTestEmulator(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('approves a client-initiated pairing code; the token then works with the SDK', async () => {
    const { newKey, sdkTransport } = await import('../support/bitpay.js');
    const key = newKey();
    const [request] = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, facade: 'merchant', label: 'Web shop' }, false));
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${emu.url}dashboard/merchant/api-tokens`);
    const row = page.getByRole('row').filter({ hasText: request.pairingCode });
    await row.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal(`Approved ${request.pairingCode}: merchant token ${request.token}`);
    await page.screenshot({ path: artifact('dashboard-tokens-desktop.png'), fullPage: true });
    const client = sdkClient(emu, key, { merchant: request.token });
    const invoice = (await client.createInvoice(new Models.Invoice(3, 'EUR'))) as unknown as Json;
    expect(invoice.status).to.equal('new');

    await page.goto(`${emu.url}dashboard`);
    expect(await page.getByTestId('invoices').innerText()).to.include(invoice.id);
    await page.screenshot({ path: artifact('dashboard-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: artifact('dashboard-phone.png'), fullPage: true });
    await page.close();
  });

  it('approves one code at BitPay’s /api-access-request?pairingCode=', async () => {
    const { newKey, sdkTransport } = await import('../support/bitpay.js');
    const key = newKey();
    const [request] = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, facade: 'pos' }, false));
    const page = await browser.newPage();
    await page.goto(`${emu.url}api-access-request?pairingCode=${request.pairingCode}`);
    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByTestId('flash').innerText()).to.include(`Approved ${request.pairingCode}`);
    expect((await emu.sandbox.tokens()).find((t) => t.token === request.token)?.status).to.equal('active');
    await page.close();
  });

  it('answers an unknown invoice with a page in a browser and with JSON to an API client', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    const answer = await page.goto(`${emu.url}i/NoSuchInvoice123`);
    expect(answer?.status()).to.equal(404);
    expect(await page.getByTestId('not-found').innerText()).to.include('Invoice not found').and.include('NoSuchInvoice123');
    const legacy = await page.goto(`${emu.url}invoice?id=NoSuchInvoice123`);
    expect(legacy?.status()).to.equal(404);
    await page.close();
    const api = await fetch(`${emu.url}i/NoSuchInvoice123`, { headers: { accept: 'application/json' } });
    expect(api.status).to.equal(404);
    expect(((await api.json()) as Json).error).to.match(/NoSuchInvoice123 not found/);
  });

  it('creates a pos token, mines, advances the clock and edits rates', async () => {
    const page = await browser.newPage();
    await page.goto(`${emu.url}dashboard/merchant/api-tokens`);
    await page.getByRole('button', { name: 'Add token' }).click();
    const flash = await page.getByTestId('flash').innerText();
    const [, token] = /for a pos token: (\w+)$/.exec(flash)!;
    expect((await rawRequest(emu, 'POST', 'invoices', { body: { token, price: 1, currency: 'USD' } })).status).to.equal(200);

    await page.goto(`${emu.url}dashboard/chain`);
    const height = Number(await page.getByTestId('height').innerText());
    await page.getByRole('button', { name: 'Mine' }).click();
    expect(Number(await page.getByTestId('height').innerText())).to.equal(height + 1);
    const before = emu.clock.now();
    await page.getByRole('button', { name: 'Advance' }).click();
    expect(emu.clock.now() - before).to.equal(15 * 60_000);

    await page.goto(`${emu.url}dashboard/rates`);
    await page.getByLabel('USD', { exact: true }).fill('70000');
    await page.getByRole('button', { name: 'Save rates' }).click();
    expect(await page.getByTestId('flash').innerText()).to.equal('Rates saved');
    expect((await rawRequest(emu, 'GET', 'rates/BTC/USD')).json.data.rate).to.equal(70000);
    await rawRequest(emu, 'PUT', 'sandbox/rates', { body: { BTC: { USD: '65000.00' } } }); // the database may be shared with other tests
    await page.close();
  });
});

describe('access with SANDBOX_TOKEN', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;

  before(async () => {
    [emu, browser] = await Promise.all([startTestEmulator({ sandboxToken: 's3cret-token' }), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('hides the sandbox buttons from shoppers and asks the dashboard for a login', async () => {
    const pos = await rawRequest(emu, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' }, headers: { authorization: 'Bearer s3cret-token' } });
    const invoice = (await rawRequest(emu, 'POST', 'invoices', { body: { token: pos.json.token, price: 1, currency: 'USD' } })).json.data;
    const page = await browser.newPage();
    await page.goto(invoice.url);
    expect(await page.getByTestId('status').innerText()).to.equal('new');
    expect(await page.getByTestId('sandbox').count()).to.equal(0);

    await page.goto(`${emu.url}dashboard`);
    expect(page.url()).to.match(/\/dashboard\/login\?next=/);
    await page.getByLabel('SANDBOX_TOKEN').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await page.getByTestId('flash-error').innerText()).to.equal('Wrong token');
    await page.getByLabel('SANDBOX_TOKEN').fill('s3cret-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${emu.url}dashboard`);
    await page.goto(invoice.url);
    expect(await page.getByTestId('sandbox').count()).to.equal(1);
    await page.close();
  });

  it('refuses the sandbox API without the bearer token, and forms posted from another site', async () => {
    expect((await rawRequest(emu, 'GET', 'sandbox/tokens')).status).to.equal(401);
    expect((await rawRequest(emu, 'GET', 'sandbox/tokens', { headers: { authorization: 'Bearer s3cret-token' } })).status).to.equal(200);
    const crossSite = await rawRequest(emu, 'POST', 'dashboard/blocks', {
      body: 'count=1&_csrf=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', authorization: 'Bearer s3cret-token', cookie: 'bpe_csrf=abc' },
    });
    expect(crossSite.status).to.equal(403);
    expect(crossSite.json).to.deep.equal({ error: 'Cross-site request refused' });
    const noToken = await rawRequest(emu, 'POST', 'dashboard/blocks', {
      body: 'count=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer s3cret-token' },
    });
    expect(noToken.status).to.equal(403);
  });
});
