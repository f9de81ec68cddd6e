import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import pg from 'pg';
import { rawRequest } from '../support/bitpay.js';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { withFreshDatabase } from '../support/postgres.js';

describe('storage on PostgreSQL', function () {
  before(function () {
    if (!process.env.DATABASE_URL) this.skip();
  });

  it('lets several emulators start at once on a fresh database: one migration, one default merchant', async () => {
    await withFreshDatabase(async (databaseUrl) => {
      const emulators: Emulator[] = await Promise.all([1, 2, 3, 4].map(() => startTestEmulator({ databaseUrl })));
      try {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const migrations = await client.query('SELECT name FROM kysely_migration');
        const defaults = await client.query('SELECT count(*)::int AS n FROM merchants WHERE is_default');
        await client.end();
        const files = readdirSync(new URL('../../migrations/', import.meta.url)).map((f) => f.replace(/\.sql$/, ''));
        expect(migrations.rows.map((r) => r.name).sort()).to.deep.equal(files.sort());
        expect(defaults.rows[0].n).to.equal(1);

        const code = await emulators[0]!.sandbox.createPairingCode({ facade: 'pos' });
        const seen = (await emulators[3]!.sandbox.tokens()).map((t) => t.token);
        expect(seen).to.include(code.token);
      } finally {
        await Promise.all(emulators.map((e) => e.close()));
      }
    });
  });

  it('writes invoices created together in shared statements, each answered with its own', async () => {
    await withFreshDatabase(async (databaseUrl) => {
      const emu = await startTestEmulator({ databaseUrl });
      const locker = new pg.Client({ connectionString: databaseUrl });
      await locker.connect();
      try {
        const posToken = (await emu.sandbox.createPairingCode({ facade: 'pos' })).token;
        // Inserts wait behind this lock, so the creations queue up and leave together once it goes.
        await locker.query('BEGIN; LOCK TABLE invoices IN SHARE MODE');
        const requests = Array.from({ length: 40 }, (_, i) => ({ token: posToken, price: 1 + i, currency: 'USD', orderId: `together-${i}` }));
        const answers = Promise.all(requests.map((body) => rawRequest(emu, 'POST', 'invoices', { body })));
        await new Promise((resolve) => setTimeout(resolve, 500));
        await locker.query('COMMIT');
        const invoices = (await answers).map(({ status, json }) => {
          expect(status).to.equal(200);
          return json.data;
        });
        invoices.forEach((invoice, i) => expect(invoice).to.include({ orderId: `together-${i}`, price: 1 + i }));
        const addresses = new Set<string>();
        for (const [i, invoice] of invoices.entries()) {
          const stored = await emu.sandbox.invoice(invoice.id);
          expect(stored.invoice).to.include({ orderId: `together-${i}`, price: 1 + i });
          expect(stored.invoice.paymentCodes).to.deep.equal(invoice.paymentCodes);
          expect(stored.sandbox.events.map((event) => [event.type, event.toStatus])).to.deep.equal([['created', 'new']]);
          addresses.add(stored.sandbox.address);
        }
        expect(addresses.size).to.equal(40);
        // Rows written by one statement share its transaction id.
        const statements = await locker.query("SELECT count(DISTINCT xmin::text)::int AS n FROM invoices WHERE order_id LIKE 'together-%'");
        expect(statements.rows[0].n).to.be.below(10);
      } finally {
        await locker.end();
        await emu.close();
      }
    });
  });
});
