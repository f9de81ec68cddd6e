import { generateKeyPairSync } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import elliptic from 'elliptic';
import { Models } from 'bitpay-sdk';
import { newKey, pairClient, rawRequest, sdkClient, sign, type TestKey } from '../support/bitpay.js';
import { startCliServer } from '../support/cli.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { eventually, withDurableStorage } from '../support/postgres.js';
import { httpRequest, socketRequest, type RawResponse } from '../support/raw-http.js';

type Json = Record<string, any>;
interface Case {
  name: string;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  key?: TestKey;
  signedUrl?: string;
}

/** A BitPay-shaped error: coded `{status, code, data, error}` or legacy `{error}`. */
function expectBitPayError(response: { status: number; json: any; text: string }, name: string): void {
  if (response.status === 0) throw new Error(`${name}: no HTTP answer at all`);
  expect(response.status, `${name}: status`).to.be.within(400, 499);
  expect(response.json, `${name}: JSON body, got ${response.text.slice(0, 200)}`).to.be.an('object');
  expect(response.json.error, `${name}: error message`).to.be.a('string').and.not.equal('');
  if ('status' in response.json) {
    expect(response.json, name).to.include({ status: 'error', data: null });
    expect(response.json.code, name).to.match(/^\d{6}$/);
  }
  expect(response.text, name).not.to.match(/\bat [\w.]+ \(|node_modules|\.ts:\d+/);
}

describe('hardening: a corpus of bad requests', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let merchantKey: TestKey;
  let merchantToken: string;
  let posToken: string;
  let invoiceId: string;

  before(async () => {
    emu = await startTestEmulator();
    ({ key: merchantKey, token: merchantToken } = await pairClient(emu, 'merchant'));
    posToken = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
    invoiceId = (await rawRequest(emu, 'POST', 'invoices', { body: { token: posToken, price: 5, currency: 'USD' } })).json.data.id;
  });
  after(() => emu.close());

  function corpus(): Case[] {
    const cases: Case[] = [];
    const add = (name: string, c: Omit<Case, 'name'>) => cases.push({ name, ...c });
    const post = (path: string, body: unknown, extra: Partial<Case> = {}) =>
      ({ method: 'POST', path, body: typeof body === 'string' ? body : JSON.stringify(body), ...extra }) as Omit<Case, 'name'>;

    // Malformed and truncated JSON, on every endpoint that takes a body.
    const broken = ['{', '{"price": 10, "currency": "USD"', '{"a":}', '[1,2', 'nul', 'true', '12', '"text"', '{"a" 1}', "{'a':1}", '{"a":1,}', '\u0000', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}x'];
    for (const path of ['tokens', 'invoices', 'refunds', 'sandbox/merchants', 'sandbox/pairing-codes', 'sandbox/clock', 'sandbox/blocks']) {
      for (const body of broken) add(`malformed JSON ${JSON.stringify(body)} to ${path}`, post(path, body));
    }
    add('deeply nested JSON', post('invoices', `${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    add('a body over 1 MB', post('invoices', JSON.stringify({ token: posToken, price: 1, currency: 'USD', itemDesc: 'x'.repeat(1_200_000) })));

    // Wrong types and huge values on invoice creation.
    const invoiceFields: Record<string, unknown[]> = {
      price: ['10', 'NaN', -1, 0, 1e300, [], {}, true, '1e5'],
      currency: [1, 'usd', 'US', 'XXXXXXXXXXXXXXXXXXXX', '', 'USD;DROP', '💰', ['USD']],
      orderId: [1, {}, 'x'.repeat(101), true],
      notificationURL: ['ftp://x', 'javascript:alert(1)', 'http://', 'x'.repeat(3000), 5, 'http://exa mple.com'],
      redirectURL: ['not a url', '//example.com'],
      transactionSpeed: ['fast', 1, ''],
      fullNotifications: ['true', 1],
      buyer: ['Satoshi', [], { email: 'no' }, { notify: 'yes' }, { name: 'x'.repeat(200) }],
      acceptanceWindow: [-1, 1.5, '900000', 1e12],
      itemizedDetails: [{}, 'x', [1], [{ amount: 'one' }]],
      paymentCurrencies: ['BTC', [1], ['ETH']],
      posData: ['x'.repeat(10_001), 7],
      itemDesc: ['bad\u0000byte', 'lone \ud83d surrogate'],
    };
    for (const [field, values] of Object.entries(invoiceFields)) {
      for (const value of values) add(`invoice ${field}=${JSON.stringify(value).slice(0, 40)}`, post('invoices', { token: posToken, price: 10, currency: 'USD', [field]: value }));
    }
    add('invoice without a price', post('invoices', { token: posToken, currency: 'USD' }));
    add('invoice with a price below the minimum', post('invoices', { token: posToken, price: 0.000001, currency: 'USD' }));

    // Tokens and pairing.
    for (const id of ['', 'T', 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKG', "'; DROP TABLE tokens; --", '0'.repeat(66), 12, null, ['x']]) {
      add(`pairing with id ${JSON.stringify(id)}`, post('tokens', { id, facade: 'merchant' }));
    }
    for (const code of ['abc', '1234567890', "' OR 1=1", 'zzzzzzz', 7]) {
      add(`claiming pairing code ${JSON.stringify(code)}`, post('tokens', { id: merchantKey.sin, pairingCode: code }));
    }
    for (const label of ['<script>', 'x'.repeat(61), 5, '\u0000']) add(`label ${JSON.stringify(label).slice(0, 20)}`, post('tokens', { id: merchantKey.sin, label }));

    // Tokens presented the wrong way.
    for (const token of ['nope', '', "' OR '1'='1", 'x'.repeat(5000)]) {
      add(`GET invoice with token ${token.slice(0, 12)}`, { method: 'GET', path: `invoices/${invoiceId}?token=${encodeURIComponent(token)}` });
    }
    add('two tokens in the query', { method: 'GET', path: `invoices/${invoiceId}?token=a&token=b` });
    add('a numeric token in the body', post('invoices', { token: 5, price: 1, currency: 'USD' }));
    add('a pos token on a merchant endpoint', { method: 'GET', path: `invoices?token=${posToken}&dateStart=2020-01-01&dateEnd=2030-01-01` });
    add('a pos token cancelling', { method: 'DELETE', path: `invoices/${invoiceId}?token=${posToken}` });

    // Identities and signatures.
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    const p256Compressed = Buffer.concat([Buffer.from([((p256[64] as number) & 1) === 1 ? 3 : 2]), p256.subarray(1, 33)]).toString('hex');
    const identities = ['', 'zz', '02', `04${'ff'.repeat(64)}`, `02${'00'.repeat(32)}`, `05${'11'.repeat(32)}`, p256Compressed, merchantKey.sin, 'x'.repeat(10_000)];
    const body = JSON.stringify({ token: merchantToken, price: 1, currency: 'USD' });
    for (const identity of identities) {
      add(`x-identity ${identity.slice(0, 16)}`, post('invoices', body, { headers: { 'x-identity': identity, 'x-signature': sign(`${emu.url}invoices${body}`, merchantKey) } }));
    }
    for (const signature of ['', 'zz', '30', 'ab'.repeat(1000), '3006020101020101', sign('other', merchantKey), sign(`${emu.url}invoices${body}`, merchantKey).slice(0, -2)]) {
      add(`x-signature ${signature.slice(0, 16)}`, post('invoices', body, { headers: { 'x-identity': merchantKey.identity, 'x-signature': signature } }));
    }
    add('a signature replayed on another URL', post('invoices', body, { key: merchantKey, signedUrl: `${emu.url}refunds` }));
    add('a signature replayed with another body', post('invoices', body.replace('"price":1', '"price":2'), { headers: { 'x-identity': merchantKey.identity, 'x-signature': sign(`${emu.url}invoices${body}`, merchantKey) } }));
    const get = `${emu.url}invoices/${invoiceId}?token=${merchantToken}`;
    add('a GET signature replayed on another invoice', { method: 'GET', path: `invoices/NoSuchInvoice000000000?token=${merchantToken}`, headers: { 'x-identity': merchantKey.identity, 'x-signature': sign(get, merchantKey) } });
    add('a key that is not the token’s', post('invoices', body, { key: newKey() }));
    const uncompressed = new elliptic.ec('secp256k1').keyFromPrivate(merchantKey.privateKey).getPublic(false, 'hex');
    add('the uncompressed encoding of the token’s key (another SIN)', post('invoices', body, { headers: { 'x-identity': uncompressed, 'x-signature': sign(`${emu.url}invoices${body}`, merchantKey) } }));

    // Paths and parameters that do not exist or do not fit.
    for (const path of ['invoices/%00', 'invoices/..%2F..%2Fetc', `invoices/${'x'.repeat(3000)}`, 'refunds/%E2%80', 'i/nope', 'invoice?id=', 'invoice?id=nope', 'rates/XYZ', 'rates/BTC/%00', 'no/such/path', 'sandbox/invoices/nope', 'sandbox/webhooks?limit=abc']) {
      add(`GET ${path.slice(0, 40)}`, { method: 'GET', path: `${path}${path.includes('?') ? '&' : '?'}token=${posToken}` });
    }
    for (const method of ['PATCH', 'PUT', 'DELETE']) add(`${method} /rates`, { method, path: 'rates' });
    const list = `invoices?token=${merchantToken}`;
    for (const query of ['&dateStart=x&dateEnd=y', '&dateStart=2026-13-45&dateEnd=2026-01-01', '&dateStart=2026-01-01&dateEnd=2026-01-02&limit=99999', '&dateStart=2026-01-01&dateEnd=2026-01-02&status=%27', '&dateStart=2026-01-01&dateEnd=2026-01-02&offset=-3']) {
      const url = `${emu.url}${list}${query}`;
      add(`list ${query}`, { method: 'GET', path: `${list}${query}`, headers: { 'x-identity': merchantKey.identity, 'x-signature': sign(url, merchantKey) } });
    }

    // Sandbox controls.
    for (const payment of [{ amount: -1 }, { amount: 'lots' }, { amount: 1e30 }, { percent: 'x' }, { percent: 1e9 }, { rbf: 1 }]) {
      add(`payment ${JSON.stringify(payment)}`, post(`sandbox/invoices/${invoiceId}/payments`, payment));
    }
    for (const clock of [{ advance: 'x' }, { advance: -1 }, { set: 'yesterday' }, { advance: '1m', set: 1 }, {}]) add(`clock ${JSON.stringify(clock)}`, post('sandbox/clock', clock));
    for (const blocks of [{ count: 0 }, { count: -1 }, { count: 'six' }, { count: 1e9 }]) add(`blocks ${JSON.stringify(blocks)}`, post('sandbox/blocks', blocks));
    for (const rates of [{ BTC: { USD: -1 } }, { BTC: { USD: 'x' } }, { BTC: { NOPE: 1 } }, { EUR: {} }, { BTC: [] }, {}]) add(`rates ${JSON.stringify(rates)}`, { method: 'PUT', path: 'sandbox/rates', body: JSON.stringify(rates) });
    add('double-spend of an unknown transaction', post(`sandbox/transactions/${'ab'.repeat(32)}/double-spend`, {}));
    add('refund address for an unknown refund', post('sandbox/refunds/nope/address', {}));
    add('a merchant without a name', post('sandbox/merchants', { name: '' }));
    add('a pairing code for the user facade', post('sandbox/pairing-codes', { facade: 'user' }));
    add('approving an unknown code', post('sandbox/pairing-codes/zzzzzzz/approve', {}));
    add('reset with a string flag', post('sandbox/reset', { keepTokens: 'yes' }));
    add('redelivering an unknown webhook', post('sandbox/webhooks/nope/redeliver', {}));
    return cases;
  }

  it('answers at least 200 bad requests with BitPay-shaped JSON errors only, and stays healthy', async () => {
    const cases = corpus();
    expect(cases.length).to.be.at.least(200);
    const before = (await emu.sandbox.tokens()).length;
    for (const c of cases) {
      const headers = c.body !== undefined ? { 'content-type': 'application/json', ...c.headers } : c.headers;
      const response = await rawRequest(emu, c.method, c.path, { ...(c.body !== undefined ? { body: c.body } : {}), headers, ...(c.key ? { key: c.key, signedUrl: c.signedUrl } : {}) });
      expectBitPayError(response, c.name);
    }
    expect((await emu.sandbox.tokens()).length).to.equal(before);
    expect(({} as Json).polluted).to.equal(undefined);
    const health = await rawRequest(emu, 'POST', 'invoices', { body: { token: posToken, price: 1, currency: 'USD' } });
    expect(health.status).to.equal(200);
  });

  /** Requests below what fetch can send, or that Node's parser refuses before the app sees them. */
  function lowLevelCorpus(): { name: string; send: () => Promise<RawResponse> }[] {
    const cases: { name: string; send: () => Promise<RawResponse> }[] = [];
    const json = { 'content-type': 'application/json' };
    const send = (name: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = json) =>
      cases.push({ name, send: () => httpRequest(emu.url, method, path, { headers, ...(body !== undefined ? { body } : {}) }) });
    const invoice = (extra: string) => `{"token":"${posToken}","price":5,"currency":"USD"${extra}}`;

    // Nesting deep enough to overflow a recursive walk, in every kind of field.
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const field of ['buyer', 'itemizedDetails', 'posData', 'unknownField']) {
      send(`10,000-deep object in ${field}`, 'POST', '/invoices', invoice(`,"${field}":${deepObject}`));
      send(`10,000-deep array in ${field}`, 'POST', '/invoices', invoice(`,"${field}":${deepArray}`));
    }
    for (const path of ['/sandbox/merchants', '/sandbox/pairing-codes', '/sandbox/clock', '/sandbox/blocks', '/tokens', '/refunds']) {
      send(`10,000-deep object to ${path}`, 'POST', path, `{"name":${deepObject}}`);
    }
    send('33-deep buyer', 'POST', '/invoices', invoice(`,"buyer":${'{"a":'.repeat(33)}1${'}'.repeat(33)}`));

    // NUL and lone surrogates in strings and keys, on validated and unvalidated routes alike.
    for (const [path, body] of [
      ['/sandbox/merchants', '{"name":"a\\u0000b"}'],
      ['/sandbox/pairing-codes', '{"facade":"pos","label":"a\\u0000b"}'],
      ['/sandbox/pairing-codes', '{"facade":"pos","merchantId":"a\\u0000b"}'],
      [`/sandbox/invoices/${invoiceId}/payments`, '{"amount":"0.0001\\u0000"}'],
      ['/sandbox/clock', '{"advance":"1m\\u0000"}'],
      ['/sandbox/rates', '{"BTC":{"US\\u0000D":1}}'],
      ['/tokens', '{"id":"T\\u0000","facade":"pos"}'],
      ['/invoices', invoice(',"buyer":{"name":"a\\u0000b"}')],
      ['/invoices', invoice(',"buyer":{"na\\u0000me":"x"}')],
      ['/invoices', invoice(',"orderId":"\\ud800"')],
      ['/refunds', `{"token":"${merchantToken}","invoiceId":"a\\u0000","amount":1}`],
    ] as const) {
      send(`NUL or lone surrogate to ${path}: ${body.slice(0, 50)}`, path === '/sandbox/rates' ? 'PUT' : 'POST', path, body);
    }
    send('NUL in a form body', 'POST', '/dashboard/login', 'token=a%00b&next=/dashboard', { 'content-type': 'application/x-www-form-urlencoded' });

    // Content-Encoding that the body does not match, or that nobody supports.
    for (const encoding of ['gzip', 'br', 'deflate', 'x-gzip', 'compress', 'identity, gzip', 'bogus']) {
      send(`Content-Encoding ${encoding} with a plain body`, 'POST', '/invoices', invoice(''), { ...json, 'content-encoding': encoding });
      send(`Content-Encoding ${encoding} to the sandbox`, 'POST', '/sandbox/merchants', '{"name":"x"}', { ...json, 'content-encoding': encoding });
    }
    send('truncated gzip', 'POST', '/invoices', gzipSync(invoice('')).subarray(0, 12), { ...json, 'content-encoding': 'gzip' });
    send('gzip bomb over the limit', 'POST', '/sandbox/merchants', gzipSync(`{"name":"${'x'.repeat(3_000_000)}"}`), { ...json, 'content-encoding': 'gzip' });

    // Methods the routes do not serve, known and unknown to Node's parser.
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'PATCH', 'LOCK', 'PURGE', 'SEARCH']) {
      for (const path of ['/invoices', `/invoices/${invoiceId}`, '/sandbox/blocks', '/sandbox/reset', '/dashboard', '/rates', '/tokens']) send(`${method} ${path}`, method, path);
    }
    for (const path of ['/sandbox/blocks', '/sandbox/reset', '/dashboard', '/dashboard/chain', '/api-access-request']) send(`OPTIONS ${path}`, 'OPTIONS', path);
    for (const method of ['BREW', 'GETS', 'G-T']) {
      cases.push({ name: `method ${method} unknown to Node`, send: () => socketRequest(emu.url, `${method} /invoices HTTP/1.1\r\nHost: x\r\n\r\n`) });
    }

    // Headers over Node's 16 KB limit, in one header or many; and broken framing.
    cases.push({ name: 'one 20 KB header', send: () => httpRequest(emu.url, 'GET', '/rates', { headers: { 'x-big': 'a'.repeat(20_000) } }) });
    cases.push({ name: '400 headers of 60 bytes', send: () => httpRequest(emu.url, 'POST', '/sandbox/reset', { headers: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`x-h${i}`, 'b'.repeat(60)])) }) });
    cases.push({ name: 'a 20 KB path', send: () => httpRequest(emu.url, 'GET', `/invoices/${'x'.repeat(20_000)}`) });
    cases.push({ name: 'a broken Content-Length', send: () => socketRequest(emu.url, 'POST /invoices HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}') });
    cases.push({ name: 'a request line without a version', send: () => socketRequest(emu.url, 'GET /invoices\r\n\r\n') });

    // Request targets and framing Node answers itself unless told otherwise.
    cases.push({ name: 'an unparsable absolute-form target', send: () => socketRequest(emu.url, 'GET http://[::1/rates HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') });
    cases.push({ name: 'CONNECT', send: () => socketRequest(emu.url, 'CONNECT /invoices HTTP/1.1\r\nHost: x\r\n\r\n') });
    cases.push({ name: 'an Expect other than 100-continue', send: () => socketRequest(emu.url, 'POST /invoices HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}') });
    cases.push({ name: 'HTTP/1.1 without Host', send: () => socketRequest(emu.url, 'GET /tokens HTTP/1.1\r\nConnection: close\r\n\r\n') });
    for (const action of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'nope']) {
      send(`checkout sandbox action ${action}`, 'POST', `/i/${invoiceId}/sandbox/${action}`, '{}', { ...json, origin: emu.url.replace(/\/$/, '') });
    }

    // Nonsense the sandbox used to accept.
    const put = (name: string, body: string) => send(name, 'PUT', '/sandbox/rates', body);
    put('a rate of 1e-300', '{"BTC":{"USD":1e-300}}');
    put('a rate of 0.00001', '{"BTC":{"USD":0.00001}}');
    put('a rate of 1e16', '{"BTC":{"USD":1e16}}');
    put('a hexadecimal rate', '{"BTC":{"USD":"0x10"}}');
    put('an exponent rate string', '{"BTC":{"USD":"1e5"}}');
    for (const query of ['status=bogus', 'status=ACTIVE', 'status=active&status=revoked', 'merchantId=nope', 'merchantId=a&merchantId=b']) send(`tokens ?${query}`, 'GET', `/sandbox/tokens?${query}`);
    for (const query of ['invoiceId=nope', 'invoiceId=a&invoiceId=b', 'limit=1&limit=2', 'limit=0', 'limit=0x10', 'limit=1e3', 'limit=%205', 'invoice=x']) send(`webhooks ?${query}`, 'GET', `/sandbox/webhooks?${query}`);
    send('tokens ?limit=5', 'GET', '/sandbox/tokens?limit=5');
    for (const amount of ['0x10', '0b11', '0o7', '1_000', '1e3', '.5', '-1', ' 1']) send(`a payment of ${amount} BTC`, 'POST', `/sandbox/invoices/${invoiceId}/payments`, JSON.stringify({ amount }));
    for (const [path, body] of [['/sandbox/reset', '["keepTokens"]'], ['/sandbox/pairing-codes', '["pos"]'], ['/sandbox/blocks', '["count"]'], [`/sandbox/invoices/${invoiceId}/payments`, '[]'], ['/sandbox/merchants', '"x"']] as const) {
      send(`a JSON ${body} body to ${path}`, 'POST', path, body);
    }
    for (const url of ['http:///x', 'https:///evil.com', 'http://x:99999/', 'http://x:0/', 'http://-/', 'http://a_b/']) {
      for (const field of ['notificationURL', 'redirectURL', 'closeURL']) send(`invoice ${field} ${url}`, 'POST', '/invoices', invoice(`,"${field}":"${url}"`));
    }
    put('a rate that makes small prices cost more than all bitcoin with the network fee', '{"BTC":{"USD":"0.00001"}}');
    for (const [path, body] of [
      [`/sandbox/invoices/${invoiceId}/payments`, '{"amout":"0.1"}'],
      [`/sandbox/invoices/${invoiceId}/expire`, '{"now":true}'],
      ['/sandbox/blocks', '{"cout":6}'],
      ['/sandbox/clock', '{"advance":"1m","by":"me"}'],
      ['/sandbox/reset', '{"keepToken":true}'],
      ['/sandbox/merchants', '{"name":"x","speed":"high"}'],
      ['/sandbox/pairing-codes', '{"facade":"pos","requireAuthentication":true}'],
    ] as const) {
      send(`a misspelt field to ${path}: ${body}`, 'POST', path, body);
    }
    return cases;
  }

  it('answers depth, NUL, encodings, methods, header sizes and sandbox nonsense with JSON errors, and changes nothing', async () => {
    const snapshot = async () => {
      const get = async (path: string) => (await httpRequest(emu.url, 'GET', path)).json;
      return {
        tokens: (await get('/sandbox/tokens')).length,
        merchants: await get('/sandbox/merchants'),
        height: (await get('/sandbox/blocks')).height,
        invoice: (await get(`/sandbox/invoices/${invoiceId}`)).invoice,
        usd: (await get('/rates/BTC/USD')).data.rate,
      };
    };
    const before = await snapshot();
    const cases = lowLevelCorpus();
    expect(cases.length).to.be.at.least(120);
    for (const c of cases) {
      const response = await c.send();
      expectBitPayError(response, c.name);
      expect(response.status, c.name).not.to.equal(501);
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it('stores hostile but valid text exactly, without interpreting it', async () => {
    const values = ["'; DROP TABLE invoices; --", '💰 ünïcödé ✓', '<script>alert(1)</script>', 'line\nbreak', 'tab\tand \\ backslash'];
    for (const value of values) {
      const { status, json } = await rawRequest(emu, 'POST', 'invoices', { body: { token: posToken, price: 1, currency: 'USD', itemDesc: value, orderId: value.slice(0, 30) } });
      expect(status, value).to.equal(200);
      const stored = (await rawRequest(emu, 'GET', `invoices/${json.data.id}?token=${posToken}`)).json.data;
      expect(stored.itemDesc, value).to.equal(value);
    }
    const page = await fetch(`${emu.url}invoice?id=${(await rawRequest(emu, 'POST', 'invoices', { body: { token: posToken, price: 1, currency: 'USD', itemDesc: '<script>alert(1)</script>' } })).json.data.id}`);
    expect(await page.text()).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>alert(1)</script>');
  });
});

describe('hardening: merchant isolation', function () {
  this.timeout(60_000);
  let emu: Emulator;

  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  async function merchantAccount(name: string) {
    const merchant = await emu.sandbox.createMerchant(name);
    const code = await emu.sandbox.createPairingCode({ facade: 'merchant', merchantId: merchant.id });
    const key = newKey();
    await rawRequest(emu, 'POST', 'tokens', { body: { id: key.sin, pairingCode: code.pairingCode } });
    const pos = await emu.sandbox.createPairingCode({ facade: 'pos', merchantId: merchant.id });
    return { merchant, key, token: code.token as string, pos: pos.token as string, client: sdkClient(emu, key, { merchant: code.token as string }) };
  }

  it("never lets one merchant's tokens read or change another's invoices, refunds, tokens or webhooks", async () => {
    const a = await merchantAccount('Shop A');
    const b = await merchantAccount('Shop B');
    const invoice = (await b.client.createInvoice(Object.assign(new Models.Invoice(10, 'USD'), { notificationURL: 'http://127.0.0.1:9/ipn', buyer: { email: 'x@example.com' } }))) as unknown as Json;
    await b.client.payInvoice(invoice.id, 'complete');
    const refund = (await b.client.createRefund(Object.assign(new Models.Refund(1, invoice.id, b.token), { currency: 'USD' }))) as unknown as Json;
    const asA = (method: string, path: string, body?: object) => rawRequest(emu, method, path, { key: a.key, ...(body ? { body: { token: a.token, ...body } } : {}) });

    const attempts = [
      await asA('GET', `invoices/${invoice.id}?token=${a.token}`),
      await asA('GET', `invoices/guid/${invoice.guid}?token=${a.token}`),
      await asA('PUT', `invoices/${invoice.id}`, { buyerSms: '+12223334444' }),
      await asA('DELETE', `invoices/${invoice.id}?token=${a.token}`),
      await asA('GET', `invoices/${invoice.id}/events?token=${a.token}`),
      await asA('POST', `invoices/${invoice.id}/notifications`, {}),
      await asA('POST', 'refunds', { invoiceId: invoice.id, amount: 1 }),
      await asA('GET', `refunds/${refund.id}?token=${a.token}`),
      await asA('GET', `refunds?token=${a.token}&invoiceId=${invoice.id}`),
      await asA('DELETE', `refunds/${refund.id}?token=${a.token}`),
      await asA('PUT', `invoices/pay/${invoice.id}`, { status: 'complete' }),
      await rawRequest(emu, 'GET', `invoices/${invoice.id}?token=${a.pos}`),
    ];
    for (const response of attempts) {
      expect(response.status).to.equal(404);
      expect(response.json.error).to.match(/not found/);
    }
    // B's invoice token is no key to it for A's client either.
    const withResourceToken = await rawRequest(emu, 'POST', `invoices/${invoice.id}/notifications`, { key: a.key, body: { token: invoice.token } });
    expect(withResourceToken.status).to.equal(403);
    expect(withResourceToken.json.error).to.equal('Unauthorized sin');

    const aList = (await rawRequest(emu, 'GET', `invoices?token=${a.token}&dateStart=2000-01-01&dateEnd=2100-01-01`, { key: a.key })).json.data;
    expect(aList.map((i: Json) => i.id)).not.to.include(invoice.id);
    const aTokens = (await rawRequest(emu, 'GET', 'tokens', { key: a.key })).json.data;
    expect(aTokens).to.deep.equal([{ merchant: a.token }]);
    expect(((await b.client.getInvoice(invoice.id)) as unknown as Json).status).to.equal('complete');
    expect((await b.client.getRefund(refund.id)).status).to.equal('created');
  });

  it('never lets a pos token list or cancel invoices', async () => {
    const shop = await merchantAccount('Shop C');
    const invoice = (await rawRequest(emu, 'POST', 'invoices', { body: { token: shop.pos, price: 1, currency: 'USD' } })).json.data;
    const list = await rawRequest(emu, 'GET', `invoices?token=${shop.pos}&dateStart=2000-01-01&dateEnd=2100-01-01`);
    const cancel = await rawRequest(emu, 'DELETE', `invoices/${invoice.id}?token=${shop.pos}`);
    for (const response of [list, cancel]) {
      expect(response.status).to.equal(403);
      expect(response.json).to.deep.equal({ error: 'This endpoint does not support the `pos` facade' });
    }
    expect((await emu.sandbox.invoice(invoice.id)).invoice.status).to.equal('new');
  });
});

/** Checks each item, 25 at a time. */
async function forEachIn<T>(items: T[], check: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) await Promise.all(items.slice(i, i + 25).map(check));
}

describe('hardening: SIGKILL during a burst of 1,000 payments', function () {
  this.timeout(300_000);

  it('after a restart every invoice reaches its right final state and nothing is lost', async () => {
    await withDurableStorage(async ({ dataDir, databaseUrl }) => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: '0', CLOCK: 'virtual', BLOCK_INTERVAL: '0' };
      let server = startCliServer([], env);
      try {
        let { url } = await server.listening;
        const pos = (await rawRequest({ url }, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' } })).json.token;
        const ids: string[] = [];
        for (let i = 0; i < 1000; i += 50) {
          const batch = await Promise.all(
            Array.from({ length: 50 }, () => rawRequest({ url }, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD', transactionSpeed: 'medium' } })),
          );
          ids.push(...batch.map((r) => r.json.data.id as string));
        }
        const acknowledged = new Set<string>();
        let started = 0;
        const burst = Promise.all(
          ids.map(async (id) => {
            started++;
            try {
              const response = await rawRequest({ url }, 'POST', `sandbox/invoices/${id}/payments`);
              if (response.status === 200) acknowledged.add(id);
            } catch {
              // the server died under this request
            }
          }),
        );
        await eventually(async () => acknowledged.size >= 200, 60_000);
        server.child.kill('SIGKILL');
        await burst;
        await server.stop();
        expect(acknowledged.size).to.be.below(1000);

        server = startCliServer([], env);
        ({ url } = await server.listening);
        const state = async (id: string) => (await rawRequest({ url }, 'GET', `sandbox/invoices/${id}`)).json;
        // Every acknowledged payment survived; unacknowledged ones are all or nothing.
        let lost = 0;
        await forEachIn(ids, async (id) => {
          const { invoice, sandbox } = await state(id);
          const payments = sandbox.transactions.length;
          expect(payments, id).to.be.at.most(1);
          if (acknowledged.has(id)) expect(payments, `acknowledged payment of ${id}`).to.equal(1);
          expect(invoice.status, id).to.equal(payments === 1 ? 'paid' : 'new');
          if (payments === 0) {
            lost++;
            expect((await rawRequest({ url }, 'POST', `sandbox/invoices/${id}/payments`)).status).to.equal(200);
          }
        });
        expect(started).to.equal(1000);
        expect(lost).to.be.below(1000 - acknowledged.size + 1);
        await rawRequest({ url }, 'POST', 'sandbox/blocks', { body: { count: 6 } });
        await forEachIn(ids, async (id) => {
          const { invoice, sandbox } = await state(id);
          expect(invoice.status, id).to.equal('complete');
          expect(sandbox.transactions, id).to.have.length(1);
          expect(sandbox.events.map((e: Json) => `${e.fromStatus ?? ''}>${e.toStatus}`), id).to.deep.equal(['>new', 'new>paid', 'paid>confirmed', 'confirmed>complete']);
        });
      } finally {
        await server.stop();
      }
    });
  });
});
