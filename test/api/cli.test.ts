import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidSin, sinFromPublicKey } from '../../src/crypto/sin.js';
import { Models } from 'bitpay-sdk';
import { newKey, pairClient, rawRequest, sdkClient, sdkTransport } from '../support/bitpay.js';
import { runCli, spawnCli, startCliServer } from '../support/cli.js';
import { startTestEmulator } from '../support/emulator.js';
import { startReceiver } from '../support/receiver.js';

describe('bitpay-emulator command', () => {
  it('keys new prints a private key, its compressed public key and its SIN', async () => {
    const { code, stdout } = await runCli(['keys', 'new']);
    expect(code).to.equal(0);
    const [, privateKey] = /private key: ([0-9a-f]{64})/.exec(stdout)!;
    const [, publicKey] = /public key: +(0[23][0-9a-f]{64})/.exec(stdout)!;
    const [, sin] = /SIN: +(T\w+)/.exec(stdout)!;
    expect(newKey(privateKey).identity).to.equal(publicKey);
    expect(sinFromPublicKey(Buffer.from(publicKey as string, 'hex'))).to.equal(sin);
    expect(isValidSin(sin as string)).to.equal(true);
  });

  it('stops with one line naming a wrong setting', async () => {
    for (const [env, setting] of [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ CLOCK: 'fast' }, 'CLOCK'],
      [{ HOST: '0.0.0.0' }, 'HOST'],
      [{ HOST: '0.0.0.0', SANDBOX_TOKEN: 'too-short' }, 'SANDBOX_TOKEN'],
    ] as const) {
      const { code, stderr } = await runCli(['start'], { ...env, DATA_DIR: 'memory', DATABASE_URL: '' });
      expect(code, setting).to.equal(2);
      expect(stderr.trim().split('\n'), setting).to.have.length(1);
      expect(stderr, setting).to.match(new RegExp(`^bitpay-emulator: Invalid configuration: ${setting} `));
    }
  });

  it('says a DATABASE_URL’s database does not exist, and how to create it, before anything else', async () => {
    const { code, stderr } = await runCli(['start'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bitpay_emulator_absent_db', PORT: '0' });
    expect(code).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.include('DATABASE_URL names the database "bitpay_emulator_absent_db", which does not exist on 127.0.0.1:5432: create it first, e.g. createdb -h 127.0.0.1 -p 5432 -U postgres bitpay_emulator_absent_db');
  });

  it('takes settings as flags too', async () => {
    const { code, stderr } = await runCli(['start', '--port', 'x', '--data-dir', 'memory']);
    expect(code).to.equal(2);
    expect(stderr).to.match(/Invalid configuration: PORT must be an integer/);
  });

  it('refuses an unknown command or flag with the usage text', async () => {
    const unknown = await runCli(['fly']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/unknown command "fly"[\s\S]*Usage: bitpay-emulator/);
    expect((await runCli(['start', '--nope'])).code).to.equal(2);
  });

  describe('against a running server with a data directory', function () {
    // Each step starts a command (a Node process with tsx): dozens of them on a busy machine.
    this.timeout(180_000);
    let dataDir: string;
    before(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'bitpay-emulator-'));
    });
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('creates and approves pairing codes, keeps them across a restart, and refuses a second server on the same DATA_DIR', async () => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', CLOCK: 'system', BLOCK_INTERVAL: '0' };
      let server = startCliServer([], env);
      let { url } = await server.listening;
      try {
        const created = await runCli(['pairing', 'create', '--facade', 'pos', '--require-auth', '--label', 'Till 2', '--url', url]);
        expect(created.code, created.stderr).to.equal(0);
        const [, code] = /pairing code: (\w{7})/.exec(created.stdout)!;
        expect(created.stdout).to.match(/facade: +pos \(requests must be signed\)/);

        const second = startCliServer([], env);
        const refusal = await second.listening.then(
          () => 'started',
          (error: Error) => error.message,
        );
        expect(refusal).to.match(/DATA_DIR .* is in use by another emulator/);

        const key = newKey();
        const request = (await rawRequest({ url }, 'POST', 'tokens', { body: { id: key.sin, facade: 'merchant' } })).json;
        const approved = await runCli(['pairing', 'approve', request.data[0].pairingCode, '--url', url]);
        expect(approved.code, approved.stderr).to.equal(0);
        expect(approved.stdout).to.match(/status: +active/);

        const apiKey = await runCli(['api-key', '--dialect', 'greenfield', '--url', url]);
        expect(apiKey.code, apiKey.stderr).to.equal(0);
        const [, greenfieldKey] = /api key: +([0-9a-f]{40})/.exec(apiKey.stdout)!;
        expect(apiKey.stdout).to.match(/permissions: btcpay\.store\.canmodifystoresettings:\w+/);
        const wrongDialect = await runCli(['api-key', '--dialect', 'bitpay', '--url', url]);
        expect(wrongDialect.code).to.equal(1);
        expect(wrongDialect.stderr).to.match(/dialect must be one of the served dialects with API keys: greenfield, btpay/);

        const btpayKey = await runCli(['api-key', '--dialect', 'btpay', '--label', 'shop', '--url', url]);
        expect(btpayKey.code, btpayKey.stderr).to.equal(0);
        const [, bearer] = /api key: +([0-9a-f]{40})/.exec(btpayKey.stdout)!;
        expect(btpayKey.stdout).to.match(/permissions: read\n +write/);
        const btpayApi = (method: string, path: string, body?: unknown) =>
          fetch(`${url}api/v1/${path}`, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
        const draft = (await (await btpayApi('POST', 'invoices', { lines: [{ description: 'Desk', quantity: 1, unit_price: 300 }], payment_methods: ['onchain_btc', 'wire'] })).json()) as Record<string, string>;
        const wireInDraft = await runCli(['wire', draft.invoice_number as string, '--url', url]);
        expect(wireInDraft.code).to.equal(1);
        expect(wireInDraft.stderr).to.match(/draft: finalize it first/);
        await btpayApi('POST', `invoices/${draft.ref}/finalize`);
        const paid = await runCli(['pay', draft.invoice_number as string, '--percent', '50', '--url', url]);
        expect(paid.code, paid.stderr).to.equal(0);
        expect(paid.stdout).to.match(/invoice: \w+ is new \(paidPartial\)/);
        const wired = await runCli(['wire', draft.ref as string, '--url', url]);
        expect(wired.code, wired.stderr).to.equal(0);
        expect(wired.stdout).to.match(/is complete: the wire was received/);
        expect(((await (await btpayApi('GET', `invoices/${draft.ref}`)).json()) as Record<string, string>).status).to.equal('confirmed');
        const revoked = await runCli(['api-key', 'revoke', bearer as string, '--url', url]);
        expect(revoked.code, revoked.stderr).to.equal(0);
        expect((await btpayApi('GET', 'invoices')).status).to.equal(401);
        const again = await runCli(['api-key', 'revoke', bearer as string, '--url', url]);
        expect(again.code).to.equal(1);
        expect(again.stderr).to.match(/was not found, or was revoked already/);

        await server.stop();
        server = startCliServer([], env);
        ({ url } = await server.listening);
        const tokens = JSON.parse(await sdkTransport({ url }, key).get('tokens', null, true));
        expect(tokens).to.deep.equal([{ merchant: request.data[0].token }]);
        const sandboxTokens = (await rawRequest({ url }, 'GET', 'sandbox/tokens')).json;
        expect(sandboxTokens.map((t: { pairingCode: string }) => t.pairingCode)).to.include(code);
        const stores = await fetch(`${url}api/v1/stores`, { headers: { authorization: `token ${greenfieldKey}` } });
        expect(stores.status).to.equal(200);
      } finally {
        await server.stop();
      }
    });

    it('lists invoices, follows the webhook log and resets, finding the server from PORT or --url', async () => {
      const emu = await startTestEmulator();
      const receiver = await startReceiver();
      try {
        const port = new URL(emu.url).port;
        // A merchant of its own: on a shared PostgreSQL database, other files' invoices are there too.
        const merchantId = (await emu.sandbox.createMerchant('CLI shop')).id as string;
        const { key, token } = await pairClient(emu, 'merchant', undefined, merchantId);
        const client = sdkClient(emu, key, { merchant: token });
        const invoice = (await client.createInvoice(Object.assign(new Models.Invoice(12, 'USD'), { orderId: 'cli-1', notificationURL: receiver.url('/cli') }))) as unknown as { id: string };
        const byPort = await runCli(['invoices', '--merchant', merchantId], { PORT: port });
        expect(byPort.code, byPort.stderr).to.equal(0);
        expect(byPort.stdout).to.match(new RegExp(`${invoice.id}  new +12 USD  bitpay  order cli-1`));
        expect((await runCli(['invoices', '--status', 'paid', '--merchant', merchantId, '--url', emu.url])).stdout).to.equal('no invoices\n');
        const bad = await runCli(['invoices', '--status', 'lost', '--url', emu.url]);
        expect(bad.code).to.equal(1);
        expect(bad.stderr).to.match(/status: must be one of new, paid/);

        const follow = spawnCli(['webhooks', '--follow', '--invoice', invoice.id], { PORT: port });
        await emu.sandbox.pay(invoice.id);
        await emu.webhooks.flush();
        const line = await follow.waitFor(/invoice_paidInFull \(1003\).*attempt 1: HTTP 200 delivered/);
        expect(line).to.include(invoice.id).and.include(receiver.url('/cli'));
        follow.stop();
        expect((await runCli(['webhooks', '--url', emu.url])).stdout).to.match(/invoice_paidInFull \(1003\)/);

        const reset = await runCli(['reset', '--url', emu.url]);
        expect(reset.code, reset.stderr).to.equal(0);
        expect((await runCli(['invoices', '--url', emu.url])).stdout).to.equal('no invoices\n');
      } finally {
        await emu.close();
        await receiver.close();
      }
    });

    it('prints a banner and one concise line per request for a person (LOG_FORMAT=pretty), and says what it drained on SIGINT', async () => {
      const server = spawnCli(['start'], { LOG_FORMAT: 'pretty', PORT: '0', DATA_DIR: 'memory', DATABASE_URL: '', LOG_LEVEL: 'info' });
      const api = await server.waitFor(/^ {2}API {10}http:\/\/127\.0\.0\.1:\d+\//);
      const url = /(http:\S+)/.exec(api)?.[1] as string;
      expect(await server.waitFor(/^ {2}next: PORT=\d+ npx bitpay-emulator keys new$/)).to.be.a('string');
      expect(await server.waitFor(/^ {2}clock {8}system, a block every 10 s$/)).to.be.a('string');
      await fetch(`${url}rates/BTC/USD`);
      await fetch(`${url}i/nothing/status`);
      expect(await server.waitFor(/GET \/rates\/BTC\/USD → 200 \(\d+(\.\d+)? ms\)$/)).to.be.a('string');
      server.stop();
      expect(await server.waitFor(/^stopped: \d+ requests? in flight finished, no webhook left to send$/)).to.be.a('string');
      expect(server.output()).not.to.include('/i/nothing/status');
      expect(server.output()).not.to.include('"msg"');
    });

    it('reports a server it cannot reach', async () => {
      const { code, stderr } = await runCli(['pairing', 'approve', 'abcdefg', '--url', 'http://127.0.0.1:9/']);
      expect(code).to.equal(1);
      expect(stderr).to.match(/cannot reach the emulator at http:\/\/127.0.0.1:9\//);
    });
  });
});
