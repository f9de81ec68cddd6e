import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { rawRequest } from '../support/bitpay.js';
import { runCli, startCliServer } from '../support/cli.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually, withDurableStorage, withFreshDatabase } from '../support/postgres.js';
import { startReceiver } from '../support/receiver.js';

describe('state lives in the database', () => {
  it('a restart keeps invoices, their due work and the virtual clock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bitpay-emulator-'));
    try {
      const first = await startTestEmulator({ dataDir, databaseUrl: '' });
      let id: string;
      let clockBefore: number;
      try {
        const pos = (await first.sandbox.createPairingCode({ facade: 'pos' })).token;
        id = (await rawRequest(first, 'POST', 'invoices', { body: { token: pos, price: 5, currency: 'USD' } })).json.data.id;
        await first.sandbox.pay(id, { percent: 50 });
        await first.clock.advance('10m');
        clockBefore = first.clock.now();
      } finally {
        await first.close();
      }
      const second = await startTestEmulator({ dataDir, databaseUrl: '' });
      try {
        expect(second.clock.now()).to.equal(clockBefore);
        expect((await second.sandbox.invoice(id)).invoice).to.include({ status: 'new', exceptionStatus: 'paidPartial' });
        await second.clock.advance('5m1ms');
        expect((await second.sandbox.invoice(id)).invoice).to.include({ status: 'expired', exceptionStatus: 'paidPartial' });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the CLI pays, mines and moves the clock of a running server', async () => {
    const server = startCliServer([], { DATA_DIR: 'memory', DATABASE_URL: '', PORT: '0', CLOCK: 'virtual', BLOCK_INTERVAL: '0' });
    try {
      const { url } = await server.listening;
      const pos = (await rawRequest({ url }, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' } })).json.token;
      const invoice = (await rawRequest({ url }, 'POST', 'invoices', { body: { token: pos, price: 5, currency: 'USD' } })).json.data;

      const partial = await runCli(['pay', invoice.id, '--percent', '50', '--url', url]);
      expect(partial.code, partial.stderr).to.equal(0);
      expect(partial.stdout).to.match(new RegExp(`invoice: ${invoice.id} is new \\(paidPartial\\)`));
      const rest = await runCli(['pay', invoice.id, '--url', url]);
      expect(rest.stdout).to.match(/is paid, 0 BTC due/);
      const mined = await runCli(['mine', '6', '--url', url]);
      expect(mined.stdout).to.match(/^mined 6 blocks; height 6$/m);
      expect((await rawRequest({ url }, 'GET', `invoices/${invoice.id}?token=${pos}`)).json.data.status).to.equal('complete');

      const clock = await runCli(['clock', 'advance', '1h', '--url', url]);
      expect(clock.code, clock.stderr).to.equal(0);
      expect(clock.stdout).to.match(/^clock: \d{4}-\d\d-\d\dT/);
      const refused = await runCli(['pay', 'NoSuchInvoice000000000', '--url', url]);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.include('Invoice NoSuchInvoice000000000 not found');
    } finally {
      await server.stop();
    }
  });
});

describe('two emulator processes on one PostgreSQL', function () {
  this.timeout(180_000);
  before(function () {
    if (!process.env.DATABASE_URL) this.skip();
  });

  it('share 500 invoices: each ends complete with exactly one event per transition', async () => {
    await withFreshDatabase(async (databaseUrl) => {
      const env = { DATABASE_URL: databaseUrl, PORT: '0', CLOCK: 'virtual', BLOCK_INTERVAL: '0', LOG_LEVEL: 'info' };
      const servers = [startCliServer([], env), startCliServer([], env)];
      const receiver = await startReceiver();
      try {
        const urls = (await Promise.all(servers.map((s) => s.listening))).map((l) => l.url);
        const at = (i: number) => ({ url: urls[i % 2] as string });
        const pos = (await rawRequest(at(0), 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' } })).json.token;

        const ids: string[] = [];
        await Promise.all(
          Array.from({ length: 10 }, async (_, worker) => {
            for (let i = worker; i < 500; i += 10) {
              const created = await rawRequest(at(i), 'POST', 'invoices', {
                body: { token: pos, price: 1, currency: 'USD', transactionSpeed: 'medium', notificationURL: receiver.url(`/ipn/${i}`) },
              });
              expect(created.status).to.equal(200);
              ids.push(created.json.data.id);
              const paid = await rawRequest(at(i + 1), 'POST', `sandbox/invoices/${created.json.data.id}/payments`);
              expect(paid.status).to.equal(200);
            }
          }),
        );
        // Blocks from both processes; both schedulers then compete for the due invoices.
        for (let b = 0; b < 6; b++) expect((await rawRequest(at(b), 'POST', 'sandbox/blocks', { body: { count: 1 } })).status).to.equal(200);

        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          const unfinished = async () => (await client.query(`SELECT count(*)::int AS n FROM invoices WHERE status <> 'complete'`)).rows[0].n;
          await eventually(async () => (await unfinished()) === 0);
          const statuses = await client.query(`SELECT status, count(*)::int AS n FROM invoices GROUP BY status`);
          expect(statuses.rows).to.deep.equal([{ status: 'complete', n: 500 }]);
          const events = await client.query(
            `SELECT type, from_status, to_status, count(*)::int AS n, count(DISTINCT invoice_id)::int AS invoices
             FROM invoice_events GROUP BY type, from_status, to_status ORDER BY n, type, from_status`,
          );
          expect(events.rows).to.have.deep.members([
            { type: 'created', from_status: null, to_status: 'new', n: 500, invoices: 500 },
            { type: 'paymentFull', from_status: 'new', to_status: 'paid', n: 500, invoices: 500 },
            { type: 'confirmations', from_status: 'paid', to_status: 'confirmed', n: 500, invoices: 500 },
            { type: 'confirmations', from_status: 'confirmed', to_status: 'complete', n: 500, invoices: 500 },
          ]);
        } finally {
          await client.end();
        }
        const bothWorked = servers.map((s) => (s.output().match(/"path":"\/sandbox\/blocks"/g) ?? []).length);
        expect(bothWorked.every((n) => n >= 3)).to.equal(true);

        // Every transition's webhook arrives once: not once per process.
        await eventually(async () => receiver.received.length >= 1500);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const deliveryIds = receiver.received.map((r) => r.headers['x-delivery-id']);
        expect(deliveryIds).to.have.length(1500);
        expect(new Set(deliveryIds).size).to.equal(1500);
        const senders = servers.map((s) => (s.output().match(/"msg":"webhook"/g) ?? []).length);
        expect(senders[0]! + senders[1]!).to.equal(1500);
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
        await receiver.close();
      }
    });
  });

  it('what one process caches (an invoice, a list, the rates, a token, an API key) follows changes made through the other, also after its notification connection was cut', async () => {
    await withFreshDatabase(async (databaseUrl) => {
      const env = { DATABASE_URL: databaseUrl, PORT: '0', CLOCK: 'virtual', BLOCK_INTERVAL: '0', LOG_LEVEL: 'info' };
      const servers = [startCliServer([], env), startCliServer([], env)];
      try {
        const [reader, writer] = (await Promise.all(servers.map((s) => s.listening))).map((l) => ({ url: l.url }));
        const pos = (await rawRequest(reader!, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' } })).json.token;
        const status = async (id: string) => (await rawRequest(reader!, 'GET', `invoices/${id}?token=${pos}`)).json.data.status;
        const createAndRead = async () => {
          const id = (await rawRequest(reader!, 'POST', 'invoices', { body: { token: pos, price: 1, currency: 'USD' } })).json.data.id;
          expect(await status(id)).to.equal('new');
          expect(await status(id)).to.equal('new');
          return id as string;
        };
        const payThroughWriter = async (id: string) => {
          expect((await rawRequest(writer!, 'POST', `sandbox/invoices/${id}/payments`)).status).to.equal(200);
        };

        const first = await createAndRead();
        await payThroughWriter(first);
        await eventually(async () => (await status(first)) === 'paid', 2000);

        // The cached rates and tokens follow the other process's changes as well.
        expect((await rawRequest(writer!, 'PUT', 'sandbox/rates', { body: { BTC: { USD: 70000 } } })).status).to.equal(200);
        await eventually(async () => (await rawRequest(reader!, 'POST', 'invoices', { body: { token: pos, price: 7, currency: 'USD' } })).json.data.rate === 70000, 2000);
        const spare = (await rawRequest(reader!, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' } })).json.token;
        expect((await rawRequest(reader!, 'GET', `invoices/${first}?token=${spare}`)).status).to.equal(200);
        expect((await rawRequest(writer!, 'DELETE', `sandbox/tokens/${spare}`)).status).to.equal(200);
        await eventually(async () => (await rawRequest(reader!, 'GET', `invoices/${first}?token=${spare}`)).status === 401, 2000);
        // And so do the cached API keys of Greenfield and btpay.
        const key = (await rawRequest(reader!, 'POST', 'sandbox/api-keys', { body: { dialect: 'greenfield' } })).json as { apiKey: string; storeId: string };
        const readStore = async () => (await rawRequest(reader!, 'GET', `api/v1/stores/${key.storeId}`, { headers: { authorization: `token ${key.apiKey}` } })).status;
        expect(await readStore()).to.equal(200);
        expect(await readStore()).to.equal(200);
        // A list one process cached takes in an invoice the other creates.
        const auth = { headers: { authorization: `token ${key.apiKey}` } };
        const listed = async () => ((await rawRequest(reader!, 'GET', `api/v1/stores/${key.storeId}/invoices`, auth)).json as unknown[]).length;
        const before = await listed();
        expect(await listed()).to.equal(before);
        expect((await rawRequest(writer!, 'POST', `api/v1/stores/${key.storeId}/invoices`, { ...auth, body: { amount: '5', currency: 'USD' } })).status).to.equal(200);
        await eventually(async () => (await listed()) === before + 1, 2000);
        expect((await rawRequest(writer!, 'DELETE', `sandbox/api-keys/${key.apiKey}`)).status).to.equal(200);
        await eventually(async () => (await readStore()) === 401, 2000);

        // Notifications sent while the reader's listening connection is down are lost to it:
        // it must not serve what it cached before.
        const second = await createAndRead();
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        const listeners = async () =>
          (await admin.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'bitpay-emulator changes' AND datname = current_database() AND query LIKE 'LISTEN%'`)).rows;
        try {
          const cut = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bitpay-emulator changes' AND datname = current_database()`);
          expect(cut.rowCount).to.equal(2);
          await payThroughWriter(second);
          // Once listening again, the reader serves nothing it cached before the cut.
          await eventually(async () => (await listeners()).length === 2, 5000);
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(await status(second)).to.equal('paid');
        } finally {
          await admin.end();
        }
        await eventually(async () => servers[0]!.output().includes('change notifications lost'), 2000);
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    });
  });
});


describe('a crash loses no webhook', function () {
  this.timeout(180_000);

  it('SIGKILL in the middle of 600 deliveries for 200 invoices: after a restart every one arrives, in order per invoice', async () => {
    const receiver = await startReceiver();
    const run = async ({ dataDir, databaseUrl }: { dataDir: string; databaseUrl: string }) => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: '0', CLOCK: 'virtual', BLOCK_INTERVAL: '0', WEBHOOK_TIMEOUT: '1s', LOG_LEVEL: 'warn' };
      let server = startCliServer([], { ...env, LOG_LEVEL: 'info' });
      try {
        let { url } = await server.listening;
        const pos = (await rawRequest({ url }, 'POST', 'sandbox/pairing-codes', { body: { facade: 'pos' } })).json.token;
        const ids: string[] = [];
        for (let i = 0; i < 200; i++) {
          const body = { token: pos, price: 1, currency: 'USD', extendedNotifications: true, notificationURL: receiver.url(`/crash/${i}`) };
          ids.push((await rawRequest({ url }, 'POST', 'invoices', { body })).json.data.id);
        }
        for (let i = 0; i < 200; i++) receiver.plan(`/crash/${i}`, ...Array(3).fill({ delayMs: 150, status: 200 }));
        await Promise.all(ids.map((id) => rawRequest({ url }, 'POST', `sandbox/invoices/${id}/payments`)));
        await rawRequest({ url }, 'POST', 'sandbox/blocks', { body: { count: 6 } });
        await eventually(async () => receiver.received.length >= 100, 30_000);
        server.child.kill('SIGKILL');
        await server.stop();
        const beforeRestart = receiver.received.length;
        expect(beforeRestart).to.be.below(600);

        server = startCliServer([], env);
        ({ url } = await server.listening);
        const firstArrivals = () => {
          const seen = new Map<string, number[]>();
          const deliveries = new Set<string>();
          for (const request of receiver.received) {
            const id = request.headers['x-delivery-id'] as string;
            if (deliveries.has(id)) continue;
            deliveries.add(id);
            seen.set(request.path, [...(seen.get(request.path) ?? []), request.json.event.code]);
          }
          return seen;
        };
        // An attempt the loaded machine answered after WEBHOOK_TIMEOUT is retried on the
        // virtual clock: move it on while waiting, as time would pass.
        await eventually(async () => {
          if ([...firstArrivals().values()].flat().length === 600) return true;
          await rawRequest({ url }, 'POST', 'sandbox/clock', { body: { advance: '1m' } });
          return false;
        }, 60_000);
        const arrivals = firstArrivals();
        expect(arrivals.size).to.equal(200);
        for (const [path, codes] of arrivals) expect(codes, path).to.deep.equal([1003, 1005, 1006]);
      } finally {
        await server.stop();
      }
    };
    try {
      await withDurableStorage(run);
    } finally {
      await receiver.close();
    }
  });
});
