/**
 * The load scenarios of `npm run bench` and `npm run bench:profile`, set up against a running
 * emulator: a paired merchant client signing with libsecp256k1, a pos token, an invoice to read,
 * and a merchant of its own with exactly 50 invoices to list.
 */
import { createHash, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import secp256k1 from 'secp256k1';
import { sinFromPublicKey } from '../src/crypto/sin.js';

/** A client key, signing with libsecp256k1 (fast enough to pre-sign tens of thousands of bodies). */
function clientKey() {
  let privateKey: Buffer;
  do privateKey = randomBytes(32);
  while (!secp256k1.privateKeyVerify(privateKey));
  const publicKey = Buffer.from(secp256k1.publicKeyCreate(privateKey, true));
  return {
    identity: publicKey.toString('hex'),
    sin: sinFromPublicKey(publicKey),
    sign: (text: string) => {
      const { signature } = secp256k1.ecdsaSign(createHash('sha256').update(text, 'utf8').digest(), privateKey);
      return Buffer.from(secp256k1.signatureExport(signature)).toString('hex');
    },
  };
}

export async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export interface Scenario {
  name: string;
  options: Partial<autocannon.Options>;
}

/** A key of a dialect's own (Greenfield, btpay), for a merchant of its own. */
async function dialectKey(base: string, dialect: string) {
  const merchant = await json(`${base}sandbox/merchants`, { method: 'POST', body: JSON.stringify({ name: `${dialect} shop` }) });
  return (await json(`${base}sandbox/api-keys`, { method: 'POST', body: JSON.stringify({ dialect, merchantId: merchant.id }) })) as { apiKey: string; storeId?: string };
}

/** Create, read one, and list 50, through BTCPay's Greenfield API and seed 001's btpay API. */
export async function dialectScenarios(base: string): Promise<Scenario[]> {
  const greenfield = await dialectKey(base, 'greenfield');
  const store = `${base}api/v1/stores/${greenfield.storeId}/invoices`;
  const greenfieldHeaders = { 'content-type': 'application/json', authorization: `token ${greenfield.apiKey}` };
  const greenfieldBody = JSON.stringify({ amount: '10', currency: 'USD' });
  let greenfieldInvoice = '';
  for (let i = 0; i < 50; i++) greenfieldInvoice = (await json(store, { method: 'POST', headers: greenfieldHeaders, body: greenfieldBody })).id;

  const btpay = await dialectKey(base, 'btpay');
  const invoices = `${base}api/v1/invoices`;
  const btpayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${btpay.apiKey}` };
  const btpayBody = JSON.stringify({ currency: 'USD', lines: [{ description: 'Widget', quantity: '1', unit_price: '10.00' }] });
  let btpayInvoice = '';
  for (let i = 0; i < 50; i++) btpayInvoice = (await json(invoices, { method: 'POST', headers: btpayHeaders, body: btpayBody })).ref;

  return [
    { name: 'Greenfield POST invoices', options: { url: store, method: 'POST', headers: greenfieldHeaders, body: greenfieldBody } },
    { name: 'Greenfield GET invoice', options: { url: `${store}/${greenfieldInvoice}`, headers: greenfieldHeaders } },
    { name: 'Greenfield GET invoices (list of 50)', options: { url: `${store}?take=50`, headers: greenfieldHeaders } },
    { name: 'btpay POST invoices (draft)', options: { url: invoices, method: 'POST', headers: btpayHeaders, body: btpayBody } },
    { name: 'btpay GET invoice', options: { url: `${invoices}/${btpayInvoice}`, headers: btpayHeaders } },
    { name: 'btpay GET invoices (list of 50)', options: { url: `${invoices}?limit=50`, headers: btpayHeaders } },
  ];
}

/** The four request scenarios, ready to load `base` (an emulator's URL ending in '/'). */
export async function loadScenarios(base: string): Promise<Scenario[]> {
  const key = clientKey();
  const [pairing] = (await json(`${base}tokens`, { method: 'POST', body: JSON.stringify({ id: key.sin, facade: 'merchant' }) })).data;
  await json(`${base}sandbox/pairing-codes/${pairing.pairingCode}/approve`, { method: 'POST', body: '{}' });
  const merchantToken = pairing.token as string;
  const posToken = (await json(`${base}sandbox/pairing-codes`, { method: 'POST', body: JSON.stringify({ facade: 'pos' }) })).token as string;

  // Every signed request gets its own body and signature, made before the timed window.
  const signed = Array.from({ length: 80_000 }, (_, i) => {
    const body = JSON.stringify({ price: 10 + (i % 1000) / 100, currency: 'USD', orderId: `bench-${i}`, token: merchantToken });
    return { body, headers: { 'content-type': 'application/json', 'x-accept-version': '2.0.0', 'x-identity': key.identity, 'x-signature': key.sign(`${base}invoices${body}`) } };
  });
  let next = 0;

  const invoice = (await json(`${base}invoices`, { method: 'POST', body: JSON.stringify({ price: 5, currency: 'USD', token: posToken }) })).data;

  // A merchant of its own, with exactly 50 invoices for the list.
  const shop = await json(`${base}sandbox/merchants`, { method: 'POST', body: JSON.stringify({ name: 'List shop' }) });
  const listCode = await json(`${base}sandbox/pairing-codes`, { method: 'POST', body: JSON.stringify({ facade: 'merchant', merchantId: shop.id }) });
  await json(`${base}tokens`, { method: 'POST', body: JSON.stringify({ id: key.sin, pairingCode: listCode.pairingCode }) });
  const shopPos = (await json(`${base}sandbox/pairing-codes`, { method: 'POST', body: JSON.stringify({ facade: 'pos', merchantId: shop.id }) })).token;
  for (let i = 0; i < 50; i++) await json(`${base}invoices`, { method: 'POST', body: JSON.stringify({ price: 1 + i, currency: 'USD', token: shopPos }) });
  const today = new Date().toISOString().slice(0, 10);
  const listUrl = `${base}invoices?dateStart=${today}&dateEnd=${today}&limit=50&token=${listCode.token}`;
  const listHeaders = { 'x-identity': key.identity, 'x-signature': key.sign(listUrl) };
  const list = await json(listUrl, { headers: listHeaders });
  if (list.data.length !== 50) throw new Error(`expected 50 invoices in the list, got ${list.data.length}`);

  return [
    {
      name: 'signed merchant POST /invoices',
      options: { url: `${base}invoices`, requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...(signed[next++ % signed.length] as object) }) }] },
    },
    {
      name: 'unsigned pos POST /invoices',
      options: { url: `${base}invoices`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ price: 10, currency: 'USD', token: posToken }) },
    },
    { name: 'GET /invoices/:id', options: { url: `${base}invoices/${invoice.id}?token=${posToken}` } },
    { name: 'GET /invoices (list of 50)', options: { url: listUrl, headers: listHeaders } },
  ];
}
