import SwaggerParser from '@apidevtools/swagger-parser';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { DIALECTS } from '../../src/dialects/registry.js';
import type { DialectDependencies } from '../../src/dialects/dialect.js';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../support/browser.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { answerProblem } from '../support/openapi-conformance.js';

type Json = Record<string, any>;

/** `METHOD /path/{param}` of every route a dialect's routers register, as the router has them. */
function servedRoutes(name: string): string[] {
  const dialect = DIALECTS.find((d) => d.name === name);
  if (!dialect) throw new Error(name);
  const deps = { engine: { config: { btpayRateLimit: 0 }, clock: { now: () => new Date() } }, sandbox: {}, publicUrl: () => '', sandboxKey: {} } as unknown as DialectDependencies;
  return dialect.routes(deps).flatMap((router) =>
    (router.stack as { methods: string[]; path: string }[]).flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    ),
  );
}

function documentedRoutes(document: Json): string[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}

describe('OpenAPI documents (/openapi.json) and the API reference page (/docs)', function () {
  this.timeout(120_000);
  let emu: Emulator;

  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu?.close();
  });

  for (const name of ['bitpay', 'greenfield', 'btpay']) {
    it(`/openapi/${name}.json documents exactly the routes the ${name} dialect serves, and is a valid OpenAPI 3.1 document`, async () => {
      const response = await fetch(`${emu.url}openapi/${name}.json`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/application\/json/);
      const document = (await response.json()) as Json;
      expect(document.openapi).to.equal('3.1.0');
      expect(document.servers).to.deep.equal([{ url: emu.url.replace(/\/$/, '') }]);
      const served = servedRoutes(name);
      expect(served.length).to.be.greaterThan(10);
      expect(documentedRoutes(document).sort()).to.deep.equal([...new Set(served)].sort());
      for (const [path, methods] of Object.entries(document.paths as Record<string, Json>)) {
        for (const [method, operation] of Object.entries(methods as Record<string, Json>)) {
          expect(operation.tags[0], `${method} ${path}`).to.match(new RegExp(`^${name}: `));
          expect(operation.summary, `${method} ${path}`).to.be.a('string').and.not.equal('');
          expect(operation.responses.default.content['application/json'].schema, `${method} ${path} errors`).to.be.an('object');
          const success = Object.keys(operation.responses).filter((status) => status !== 'default');
          expect(success, `${method} ${path}`).to.have.length.greaterThan(0);
        }
      }
      await SwaggerParser.validate(structuredClone(document) as never);
    });
  }

  it('/openapi.json holds every served dialect side by side; the request schemas are the ones the server validates with', async () => {
    const document = (await (await fetch(`${emu.url}openapi.json`)).json()) as Json;
    const all = DIALECTS.flatMap((d) => servedRoutes(d.name));
    expect(documentedRoutes(document).sort()).to.deep.equal([...new Set(all)].sort());
    const createInvoice = document.paths['/invoices'].post;
    expect(createInvoice.requestBody.content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/requests.invoice-create' });
    expect(document.components.schemas['requests.invoice-create'].properties.price).to.be.an('object');
    expect(document.tags.map((t: Json) => t.name.split(':')[0])).to.include.members(['bitpay', 'greenfield', 'btpay']);
    await SwaggerParser.validate(structuredClone(document) as never);
  });

  it('names an unknown document in a JSON error, and serves only the configured dialects', async () => {
    const unknown = await fetch(`${emu.url}openapi/stripe.json`);
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as Json).error).to.match(/bitpay\.json, greenfield\.json, btpay\.json|greenfield\.json, btpay\.json, bitpay\.json/);
    const only = await startTestEmulator({ dialects: 'greenfield' });
    try {
      const document = (await (await fetch(`${only.url}openapi.json`)).json()) as Json;
      expect(Object.keys(document.paths).every((path) => path.startsWith('/api/v1/') || path.startsWith('/i/'))).to.equal(true);
      expect((await fetch(`${only.url}openapi/bitpay.json`)).status).to.equal(404);
    } finally {
      await only.close();
    }
  });

  it('the check every answer of the suite goes through refuses an answer its document does not allow', async () => {
    const response = await fetch(`${emu.url}rates/BTC`);
    const text = await response.text();
    expect(answerProblem('GET', '/rates/BTC', 200, response.headers.get('content-type'), text)).to.equal(null);
    const rates = JSON.parse(text) as Json;
    rates.data[0].rate = String(rates.data[0].rate);
    expect(answerProblem('GET', '/rates/BTC', 200, 'application/json', JSON.stringify(rates))).to.match(/GET \/rates\/\{base\} → 200: .*rate must be number/);
    expect(answerProblem('GET', '/rates/BTC', 201, 'application/json', text)).to.match(/answered 201, which its document does not name/);
    expect(answerProblem('GET', '/rates/BTC', 404, 'text/html', '<html>')).to.match(/not JSON/);
    expect(answerProblem('GET', '/rates/BTC', 404, 'application/json', JSON.stringify({ message: 'x' }))).to.match(/→ 404/);
  });

  describe('in a browser', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    it('/docs lists every operation of every dialect, with its schemas one click away', async () => {
      const document = (await (await fetch(`${emu.url}openapi.json`)).json()) as Json;
      const page = await browser.newPage({ viewport: DESKTOP });
      await page.goto(`${emu.url}docs`);
      expect(await page.getByTestId('dialect').count()).to.equal(3);
      expect(await page.getByTestId('operation').count()).to.equal(documentedRoutes(document).length);
      const create = page.locator('[data-operation="POST /invoices"]');
      await create.locator('summary').click();
      expect(await create.innerText()).to.include('Create an invoice').and.include('Request body').and.include('requests.invoice-create');
      await create.getByRole('link', { name: 'requests.invoice-create' }).first().click();
      expect(await page.locator('#schema-requests\\.invoice-create').getAttribute('open')).to.equal(null);
      await page.locator('#schema-requests\\.invoice-create summary').click();
      expect(await page.locator('#schema-requests\\.invoice-create').innerText()).to.include('"price"');
      await page.screenshot({ path: artifact('docs-desktop.png') });
      expect(await page.locator('#greenfield > p code').allInnerTexts()).to.include('{code, message}');
      await page.setViewportSize(PHONE);
      await page.goto(`${emu.url}docs#greenfield`);
      await page.screenshot({ path: artifact('docs-phone.png') });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).to.be.at.most(PHONE.width);
      await page.close();
    });
  });
});
