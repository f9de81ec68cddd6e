import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { rawRequest } from '../support/bitpay.js';
import { artifact, launchBrowser } from '../support/browser.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

/** A plain shop page that uses BitPay's modal the way the WooCommerce plugin does. */
function shopPage(emulator: string, invoiceId: string): string {
  return `<!doctype html><html><body><h1>Thank you for your order</h1>
<script src="${emulator}bitpay.min.js"></script>
<script>
  window.messages = []; window.entered = 0; window.left = 0;
  window.addEventListener('message', function (event) { window.messages.push(event.data); });
  bitpay.onModalWillEnter(function () { window.entered++; });
  bitpay.onModalWillLeave(function () { window.left++; });
  bitpay.enableTestMode();
  bitpay.showInvoice(${JSON.stringify(invoiceId)});
</script></body></html>`;
}

describe('modal checkout script (/bitpay.min.js)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let browser: Browser;
  let shop: Server;
  let invoiceId = '';

  before(async () => {
    [emu, browser] = await Promise.all([startTestEmulator(), launchBrowser()]);
    shop = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(shopPage(emu.url, invoiceId)));
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
    shop?.close();
  });

  it('shows the invoice in an overlay; the sandbox pay completes it and the page receives the status', async () => {
    const pos = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
    invoiceId = (await rawRequest(emu, 'POST', 'invoices', { body: { token: pos, price: 9, currency: 'USD', itemDesc: 'Socks' } })).json.data.id;
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/checkout`);
    await page.waitForSelector('#bitpay-emulator-modal iframe');
    expect(await page.evaluate('window.entered')).to.equal(1);
    const frame = page.frameLocator('iframe[name="bitpay"]');
    expect(await frame.getByTestId('status').innerText()).to.equal('new');
    await page.screenshot({ path: artifact('modal-checkout.png') });

    await frame.getByRole('button', { name: 'Pay exactly' }).click();
    await page.waitForFunction(`window.messages.some(function (m) { return m.status === 'paid' && m.invoiceId === ${JSON.stringify(invoiceId)}; })`);
    await frame.getByRole('button', { name: 'Mine 6 blocks' }).click();
    await page.waitForFunction(`window.messages.some(function (m) { return m.status === 'complete'; })`);
    const statuses = (await page.evaluate('window.messages.map(function (m) { return m.status; })')) as string[];
    expect(statuses[0]).to.equal('new');
    expect(statuses).to.include.members(['paid', 'complete']);

    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.locator('#bitpay-emulator-modal').count()).to.equal(0);
    expect(await page.evaluate('window.left')).to.equal(1);
    await page.close();
  });
});
