import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Environment, Env, Models, TokenContainer } from 'bitpay-sdk';
import { Agent, buildConnector, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { newKey } from '../support/bitpay.js';
import { runCli } from '../support/cli.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';

type Json = Record<string, any>;

describe('standing in for test.bitpay.com over HTTPS', function () {
  this.timeout(120_000);
  let certsDir: string;
  let emu: Emulator;
  let previous: Dispatcher;

  before(async () => {
    certsDir = mkdtempSync(join(tmpdir(), 'bitpay-emulator-certs-'));
    const created = await runCli(['certs', '--certs-dir', certsDir, '--host', 'shop.test', '--host', 'pay.shop.test']);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.include('names: test.bitpay.com, localhost, 127.0.0.1, ::1, shop.test, pay.shop.test');
    emu = await startTestEmulator({ httpsPort: 0, certsDir });
    // The machine's view of test.bitpay.com: this emulator, trusted through the generated CA.
    const httpsPort = Number(new URL(emu.httpsUrl as string).port);
    const connect = buildConnector({ ca: readFileSync(join(certsDir, 'ca.crt'), 'utf8') });
    previous = getGlobalDispatcher();
    setGlobalDispatcher(
      new Agent({
        connect: (options, callback) =>
          options.hostname === 'test.bitpay.com'
            ? connect({ ...options, hostname: '127.0.0.1', port: String(httpsPort), servername: 'test.bitpay.com' }, callback)
            : connect(options, callback),
      }),
    );
  });
  after(async () => {
    setGlobalDispatcher(previous);
    await emu?.close();
    rmSync(certsDir, { recursive: true, force: true });
  });

  it('creates the CA and certificate once, and never overwrites them silently', async () => {
    for (const file of ['ca.crt', 'ca.key', 'server.crt', 'server.key']) expect(existsSync(join(certsDir, file)), file).to.equal(true);
    const again = await runCli(['certs', '--certs-dir', certsDir]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/certificates already exist in .*; use --force to replace them/);
  });

  it('serves the official SDK with Environment.Test and its base URL untouched: pairing, signed invoices, payment', async () => {
    expect(Env.TestUrl).to.equal('https://test.bitpay.com/');
    const key = newKey();
    const pairing = await fetch('https://test.bitpay.com/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-accept-version': '2.0.0' },
      body: JSON.stringify({ id: key.sin, facade: 'merchant', label: 'Woo shop' }),
    });
    const [request] = ((await pairing.json()) as { data: Json[] }).data;
    await emu.sandbox.approvePairingCode(request!.pairingCode);

    const client = Client.createClientByPrivateKey(key.privateKey, new TokenContainer({ merchant: request!.token }), Environment.Test);
    const invoice = (await client.createInvoice(new Models.Invoice(12, 'USD'))) as unknown as Json;
    expect(invoice.url).to.equal(`https://test.bitpay.com/invoice?id=${invoice.id}`);
    expect(invoice.paymentCodes.BTC.BIP72b).to.equal(`bitcoin:?r=https://test.bitpay.com/i/${invoice.id}`);
    const paid = (await client.payInvoice(invoice.id, 'complete')) as unknown as Json;
    expect(paid.status).to.equal('complete');
    expect(((await client.getInvoice(invoice.id)) as unknown as Json).status).to.equal('complete');
  });

  it('serves the modal script on the same host', async () => {
    const script = await fetch('https://test.bitpay.com/bitpay.min.js');
    expect(script.headers.get('content-type')).to.match(/^application\/javascript/);
    expect(await script.text()).to.include('showInvoice');
  });

  it('refuses HTTPS_PORT without certificates, naming what to run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bitpay-emulator-nocerts-'));
    try {
      let error: Error | undefined;
      await startTestEmulator({ httpsPort: 0, certsDir: empty }).catch((e: Error) => (error = e));
      expect(error?.message).to.match(/server\.crt is missing: run "bitpay-emulator certs" first/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
