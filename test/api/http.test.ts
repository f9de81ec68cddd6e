import { expect } from 'chai';
import Koa from 'koa';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bitpay } from '../../src/dialects/bitpay/index.js';
import { errorMapper, errorShapes } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import { newKey, pairClient, rawRequest, sdkTransport, sign } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

describe('HTTP conventions', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it('answers an unknown route with a coded 404 JSON error', async () => {
    const { status, json, headers } = await rawRequest(emu, 'GET', 'no/such/thing');
    expect(status).to.equal(404);
    expect(headers.get('content-type')).to.match(/^application\/json/);
    expect(json).to.deep.equal({ status: 'error', code: '020001', data: null, error: 'No such endpoint: GET /no/such/thing' });
  });

  it('answers a known path with the wrong method with 405 and the allowed methods', async () => {
    const { status, json, headers } = await rawRequest(emu, 'DELETE', 'tokens');
    expect(status).to.equal(405);
    expect(json.code).to.equal('040001');
    expect(json.error).to.match(/allowed: .*POST/);
    expect(headers.get('allow')).to.match(/GET/);
  });

  it('refuses malformed and truncated JSON with a 400 JSON error', async () => {
    for (const body of ['{bad', '{"id": "T', '"just a string"', '[1,', '{"__proto__": {"x": 1}}']) {
      const { status, json } = await rawRequest(emu, 'POST', 'tokens', { body });
      expect(status, body).to.equal(400);
      expect(json, body).to.include({ status: 'error', code: '010002' });
      expect(json.error, body).to.match(/^Malformed JSON body/);
    }
  });

  it('refuses a body over 1 MB with 413 JSON', async () => {
    const { status, json } = await rawRequest(emu, 'POST', 'tokens', { body: JSON.stringify({ id: 'x'.repeat(1_100_000) }) });
    expect(status).to.equal(413);
    expect(json).to.deep.equal({ status: 'error', code: '010002', data: null, error: 'Request body is larger than the 1 MB limit' });
  });

  it('answers CORS preflights and marks responses for any origin', async () => {
    const preflight = await fetch(new URL('invoices', emu.url), { method: 'OPTIONS' });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-headers')).to.match(/x-signature/);
    const { headers } = await rawRequest(emu, 'GET', 'no/such/thing');
    expect(headers.get('access-control-allow-origin')).to.equal('*');
  });

  it('refuses sandbox requests a browser sends from another origin, and gives them no CORS', async () => {
    const before = (await rawRequest(emu, 'GET', 'sandbox/merchants')).json.length;
    const attack = await rawRequest(emu, 'POST', 'sandbox/merchants', { body: { name: 'Evil' }, headers: { origin: 'https://evil.example' } });
    expect(attack.status).to.equal(403);
    expect(attack.json).to.deep.equal({ error: 'Cross-site request refused' });
    expect((await rawRequest(emu, 'GET', 'sandbox/merchants')).json.length).to.equal(before);
    const preflight = await fetch(new URL('sandbox/reset', emu.url), { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('turns an internal fault into a 500 JSON error with a request id, logged with its stack, never sent', async () => {
    const lines: string[] = [];
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.requestId = 'req-1';
      await next();
    });
    app.use(errorMapper(createLogger('error', (line) => lines.push(line)), errorShapes([bitpay], bitpay)));
    app.use(() => {
      throw new Error('database exploded');
    });
    const server = createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/invoices`, { method: 'POST' });
      const body = await response.json();
      expect(response.status).to.equal(500);
      expect(body).to.deep.equal({
        status: 'error',
        code: '010000',
        data: null,
        error: "Internal error; the emulator's log has the details under request id req-1",
        requestId: 'req-1',
      });
      expect(JSON.stringify(body)).not.to.include('exploded');
      const logged = JSON.parse(lines[0] as string);
      expect(logged).to.include({ level: 'error', requestId: 'req-1', error: 'database exploded' });
      expect(logged.stack).to.include('http.test.ts');
    } finally {
      server.close();
    }
  });
});

describe('signed requests (GET /tokens)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator({ publicUrl: 'https://test.bitpay.com/' });
  });
  after(() => emu.close());

  it('accepts the official SDK signature over the URL it called', async () => {
    const { key, token } = await pairClient(emu, 'merchant');
    expect(JSON.parse(await sdkTransport(emu, key).get('tokens', null, true))).to.deep.equal([{ merchant: token }]);
  });

  it('accepts a signature over PUBLIC_URL, as a client behind a proxy signs', async () => {
    const { key, token } = await pairClient(emu, 'merchant');
    const { status, json } = await rawRequest(emu, 'GET', 'tokens', { key, signedUrl: 'https://test.bitpay.com/tokens' });
    expect(status).to.equal(200);
    expect(json).to.deep.equal({ data: [{ merchant: token }] });
  });

  it('accepts a signature over the X-Forwarded-Proto/Host view of the URL', async () => {
    const { key } = await pairClient(emu, 'merchant');
    const { status } = await rawRequest(emu, 'GET', 'tokens', {
      key,
      signedUrl: 'https://shop-proxy.test/tokens',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop-proxy.test' },
    });
    expect(status).to.equal(200);
  });

  it('refuses a missing signature', async () => {
    const key = newKey();
    const response = await rawRequest(emu, 'GET', 'tokens', { headers: { 'x-identity': key.identity } });
    expect(response.status).to.equal(401);
    expect(response.json).to.deep.equal({ error: 'Missing x-signature header: listing tokens requires a signed request' });
  });

  it('refuses a signature over another URL, naming the URL it expected', async () => {
    const { key } = await pairClient(emu, 'merchant');
    const response = await rawRequest(emu, 'GET', 'tokens', { key, signedUrl: `${emu.url}tokens?x=1` });
    expect(response.status).to.equal(401);
    expect(response.json.error).to.equal('Invalid signature');
    expect(response.json.signedUrl).to.equal(`${emu.url}tokens`);
  });

  it("refuses another key's signature", async () => {
    const { key } = await pairClient(emu, 'merchant');
    const other = newKey();
    const url = `${emu.url}tokens`;
    const response = await rawRequest(emu, 'GET', 'tokens', {
      headers: { 'x-identity': key.identity, 'x-signature': sign(url, other) },
    });
    expect(response.status).to.equal(401);
    expect(response.json.error).to.equal('Invalid signature');
  });

  it('refuses an identity that is not a secp256k1 public key', async () => {
    for (const identity of ['zz', `02${'0'.repeat(64)}`, 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKF']) {
      const response = await rawRequest(emu, 'GET', 'tokens', { headers: { 'x-identity': identity, 'x-signature': '3006020101020101' } });
      expect(response.status, identity).to.equal(401);
      expect(response.json.error, identity).to.match(/^Invalid x-identity/);
    }
  });
});
